/**
 * The syntax tree of a DynamoDB PartiQL statement. Pure data: the engine executes it
 * (./execute.ts) and the toolkit analyses it (is it a key lookup, a query or a scan?).
 */
import type { AttributeValue } from '../types';

/** A document path: root attribute, then .field or [index] steps. */
export interface PqlPath {
  readonly k: 'path';
  readonly root: string;
  readonly steps: ReadonlyArray<{ readonly field: string } | { readonly index: number }>;
}

/** A `?` parameter: its position among the statement's parameters (0-based). */
export interface PqlParam {
  readonly k: 'param';
  readonly index: number;
}

/** A literal written in the statement text. */
export interface PqlLiteral {
  readonly k: 'literal';
  readonly literal: 'string' | 'number' | 'boolean' | 'null' | 'missing';
  readonly value: AttributeValue | undefined;
}

/** A document `{'k': v, ...}`, a list `[v, ...]` or a bag `<<v, ...>>` (a set). */
export interface PqlDocument {
  readonly k: 'document';
  readonly entries: ReadonlyArray<{ readonly key: string; readonly value: PqlOperand }>;
}
export interface PqlList {
  readonly k: 'list';
  readonly items: readonly PqlOperand[];
}
export interface PqlBag {
  readonly k: 'bag';
  readonly items: readonly PqlOperand[];
}

/** A function call (begins_with, contains, attribute_exists, list_append, ...) or `a + b` / `a - b`. */
export interface PqlCall {
  readonly k: 'call';
  readonly name: string;
  readonly args: readonly PqlOperand[];
}
export interface PqlArith {
  readonly k: 'arith';
  readonly op: '+' | '-';
  readonly a: PqlOperand;
  readonly b: PqlOperand;
}

export type PqlValue = PqlParam | PqlLiteral | PqlDocument | PqlList | PqlBag;
export type PqlOperand = PqlPath | PqlValue | PqlCall | PqlArith;

export type PqlComparator = '=' | '<>' | '<' | '<=' | '>' | '>=';

export type PqlCondition =
  | { readonly k: 'and' | 'or'; readonly a: PqlCondition; readonly b: PqlCondition }
  | { readonly k: 'not'; readonly a: PqlCondition }
  | { readonly k: 'cmp'; readonly op: PqlComparator; readonly a: PqlOperand; readonly b: PqlOperand }
  | { readonly k: 'between'; readonly a: PqlOperand; readonly lo: PqlOperand; readonly hi: PqlOperand }
  | { readonly k: 'in'; readonly a: PqlOperand; readonly list: readonly PqlOperand[] }
  | { readonly k: 'missing'; readonly a: PqlPath; readonly negated: boolean }
  | { readonly k: 'fn'; readonly call: PqlCall };

export interface PqlSelect {
  readonly kind: 'SELECT';
  readonly table: string;
  readonly index?: string;
  /** '*' or the listed paths. */
  readonly projection: '*' | readonly PqlPath[];
  readonly where?: PqlCondition;
}
export interface PqlInsert {
  readonly kind: 'INSERT';
  readonly table: string;
  readonly value: PqlDocument | PqlParam;
}
export interface PqlUpdate {
  readonly kind: 'UPDATE';
  readonly table: string;
  readonly set: ReadonlyArray<{ readonly path: PqlPath; readonly value: PqlOperand }>;
  readonly remove: readonly PqlPath[];
  readonly where: PqlCondition;
}
export interface PqlDelete {
  readonly kind: 'DELETE';
  readonly table: string;
  readonly where: PqlCondition;
}

export type PartiqlStatement = PqlSelect | PqlInsert | PqlUpdate | PqlDelete;
export type PartiqlStatementKind = PartiqlStatement['kind'];

export interface ParsedStatement {
  readonly statement: PartiqlStatement;
  /** How many `?` the text holds (the request's Parameters must match it). */
  readonly parameterCount: number;
  /** Every literal written in the text (the toolkit refuses string literals: values belong in parameters). */
  readonly literals: readonly PqlLiteral[];
}

/**
 * DynamoDB's expression language (API 2012-08-10): condition/filter, key condition, update, projection.
 * Hand-written tokenizer and packrat recursive-descent parsers; pure functions on wire items.
 */
import type { Item } from '../types';
import { evalCond, parseConditionTree, type Cond } from './condition';
import { projectItem, parseProjectionPaths } from './projection';
import type { ExpressionScope } from './scope';
import { applyParsedUpdate, assertKeysNotUpdated as assertKeys, parseUpdateTree, type UpdateAction } from './update';
import type { Path } from './paths';

export { ExpressionScope, validateExpressionParams, type ExpressionInput } from './scope';
export { parseKeyCondition, type KeyCondition, type KeyOperator } from './key-condition';
export { getPath, type Path } from './paths';
export { isReserved } from './reserved';
export { MAX_EXPRESSION_BYTES, MAX_OPERATORS } from './limits';
export type { UpdateAction, UpdateOperand } from './update';

/** A parsed condition or filter (opaque: evaluate it with evaluateCondition). */
export interface Condition {
  readonly kind: 'condition';
  readonly tree: Cond;
}

export function parseCondition(text: string, scope: ExpressionScope, param: 'ConditionExpression' | 'FilterExpression'): Condition {
  return { kind: 'condition', tree: parseConditionTree(text, scope, param) };
}

/** True when the item (undefined: no item) satisfies the condition. */
export function evaluateCondition(cond: Condition, item: Item | undefined): boolean {
  return evalCond(cond.tree, item);
}

/** A parsed update expression. */
export interface Update {
  readonly kind: 'update';
  readonly actions: UpdateAction[];
  /** Every document path the update writes or removes (for ReturnValues UPDATED_OLD / UPDATED_NEW). */
  readonly paths: Path[];
}

export function parseUpdate(text: string, scope: ExpressionScope): Update {
  const parsed = parseUpdateTree(text, scope);
  return { kind: 'update', actions: parsed.actions, paths: parsed.paths };
}

/** Throws DynamoDB's "Cannot update attribute X. This attribute is part of the key" (also done by applyUpdate). */
export function assertKeysNotUpdated(update: Update, keyNames: string[]): void {
  assertKeys(update, keyNames);
}

/**
 * Applies to a copy (the input is never mutated); returns the new item and the top-level attribute names
 * the update touched. Throws ValidationException as DynamoDB does.
 */
export function applyUpdate(update: Update, item: Item, keyNames: string[]): { item: Item; changed: string[] } {
  return applyParsedUpdate(update, item, keyNames);
}

export interface Projection {
  paths: Path[];
}

export function parseProjection(text: string, scope: ExpressionScope): Projection {
  return { paths: parseProjectionPaths(text, scope) };
}

export function applyProjection(item: Item, projection: Projection): Item {
  return projectItem(item, projection.paths);
}

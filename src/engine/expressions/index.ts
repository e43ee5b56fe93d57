/**
 * DynamoDB's expression language (API 2012-08-10): condition/filter, key condition, update, projection.
 */
import type { AttributeValue, Item } from '../types';

export interface ExpressionInput {
  /** ExpressionAttributeNames as sent. */
  names?: Record<string, string>;
  /** ExpressionAttributeValues as sent. */
  values?: Record<string, AttributeValue>;
}

/** Tracks which #names/:values the request's expressions used, to refuse unused ones as DynamoDB does. */
export class ExpressionScope {
  readonly names: Record<string, string> | undefined;
  readonly values: Record<string, AttributeValue> | undefined;
  constructor(input: ExpressionInput) {
    this.names = input.names;
    this.values = input.values;
  }
  /** After parsing every expression of a request: throws ValidationException for unused names/values. */
  assertAllUsed(): void {
    throw new Error('not implemented');
  }
}

/** Attribute path: names and list indexes, resolved (no #n left). */
export type Path = Array<string | number>;

export interface Condition {
  readonly kind: 'condition';
}

export function parseCondition(
  text: string,
  scope: ExpressionScope,
  param: 'ConditionExpression' | 'FilterExpression',
): Condition {
  throw new Error('not implemented ' + text + String(scope) + param);
}

export function evaluateCondition(cond: Condition, item: Item | undefined): boolean {
  throw new Error('not implemented ' + JSON.stringify([cond, item]));
}

export interface KeyCondition {
  hash: { name: string; value: AttributeValue };
  range?: {
    name: string;
    op: '=' | '<' | '<=' | '>' | '>=' | 'BETWEEN' | 'begins_with';
    values: AttributeValue[];
  };
}

export function parseKeyCondition(
  text: string,
  scope: ExpressionScope,
  keys: { hash: string; range?: string },
  types: Record<string, 'S' | 'N' | 'B'>,
): KeyCondition {
  throw new Error('not implemented ' + text + String(scope) + JSON.stringify([keys, types]));
}

export interface Update {
  readonly kind: 'update';
}

export function parseUpdate(text: string, scope: ExpressionScope): Update {
  throw new Error('not implemented ' + text + String(scope));
}

export function applyUpdate(update: Update, item: Item, keyNames: string[]): { item: Item; changed: string[] } {
  throw new Error('not implemented ' + JSON.stringify([update, item, keyNames]));
}

export interface Projection {
  paths: Path[];
}

export function parseProjection(text: string, scope: ExpressionScope): Projection {
  throw new Error('not implemented ' + text + String(scope));
}

export function applyProjection(item: Item, projection: Projection): Item {
  throw new Error('not implemented ' + JSON.stringify([item, projection]));
}

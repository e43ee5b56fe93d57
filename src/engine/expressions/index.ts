/**
 * DynamoDB's expression language (API 2012-08-10): condition/filter, key condition, update, projection.
 * Hand-written tokenizer and packrat recursive-descent parsers; pure functions on wire items.
 */
import type { Item } from '../types';
import { conditionPaths, evalCond, parseConditionTree, type Cond } from './condition';
import { projectItem, parseProjectionPaths } from './projection';
import type { ExpressionScope } from './scope';
import { applyParsedUpdate, assertKeysNotUpdated as assertKeys, parseUpdateTree, staticType, updatePathsUsed, type UpdateAction } from './update';
import type { Path } from './paths';

export { ExpressionScope, validateExpressionParams, type ExpressionInput } from './scope';
export { parseKeyCondition, type KeyCondition, type KeyOperator } from './key-condition';
export { getPath, type Path } from './paths';
export { isReserved } from './reserved';
export { MAX_EXPRESSION_BYTES, MAX_OPERATORS } from './limits';
export type { UpdateAction, UpdateOperand } from './update';
export type { Cond, Operand } from './condition';

/** A parsed condition or filter (opaque: evaluate it with evaluateCondition). */
export interface Condition {
  readonly kind: 'condition';
  readonly tree: Cond;
  /** Every document path the condition reads (e.g. to refuse nested paths into key attributes). */
  readonly paths: Path[];
}

/** A condition built from a tree (the legacy Expected / QueryFilter / ScanFilter parameters). */
export function conditionFromTree(tree: Cond): Condition {
  return { kind: 'condition', tree, paths: conditionPaths(tree) };
}

export function parseCondition(text: string, scope: ExpressionScope, param: 'ConditionExpression' | 'FilterExpression'): Condition {
  const tree = parseConditionTree(text, scope, param);
  return { kind: 'condition', tree, paths: conditionPaths(tree) };
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
  /** Every document path the update reads or writes, operands included (nested key path checks). */
  readonly pathsUsed: Path[];
  /**
   * Top-level attributes a SET assigns whole, with the value's type known before reading the item
   * (null when it depends on the item): DynamoDB checks index key types with it before the condition.
   */
  readonly setTypes: Array<{ name: string; type: string | null }>;
}

/** An update built from actions (the legacy AttributeUpdates parameter). */
export function updateFromActions(actions: UpdateAction[]): Update {
  const setTypes: Array<{ name: string; type: string | null }> = [];
  for (const a of actions) {
    if (a.action === 'SET' && a.path.length === 1) setTypes.push({ name: a.path[0] as string, type: staticType(a.value) });
  }
  const paths = actions.map((a) => a.path);
  return { kind: 'update', actions, paths, pathsUsed: updatePathsUsed(actions), setTypes };
}

export function parseUpdate(text: string, scope: ExpressionScope): Update {
  const parsed = parseUpdateTree(text, scope);
  const setTypes: Array<{ name: string; type: string | null }> = [];
  for (const a of parsed.actions) {
    if (a.action === 'SET' && a.path.length === 1) setTypes.push({ name: a.path[0] as string, type: staticType(a.value) });
  }
  return { kind: 'update', actions: parsed.actions, paths: parsed.paths, pathsUsed: updatePathsUsed(parsed.actions), setTypes };
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

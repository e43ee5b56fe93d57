/**
 * The legacy (pre-expression) parameters: Expected, KeyConditions, QueryFilter, ScanFilter,
 * ConditionalOperator, AttributesToGet and AttributeUpdates. DynamoDB still accepts them
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LegacyConditionalParameters.html),
 * and older code and test suites send them. Each is checked with DynamoDB's rules and texts (as
 * dynalite records them: validations/index.js validateAttributeConditions / validateConditions,
 * validations/updateItem.js, actions/query.js; Apache-2.0) and then turned into the same trees an
 * expression parses to, so one evaluator serves both.
 */
import { validation } from '../errors';
import { conditionFromTree, updateFromActions, type Cond, type Condition, type KeyCondition, type KeyOperator, type Operand, type Projection, type Update, type UpdateAction } from '../expressions';
import type { AttributeValue } from '../types';
import { compareValues } from '../values/compare';
import { validateAttributeValue } from '../values/validate';

const INVALID = 'One or more parameter values were invalid: ';

interface LegacyCondition {
  ComparisonOperator?: string;
  AttributeValueList?: unknown[];
  Value?: unknown;
  Exists?: boolean;
}

function typeOf(v: unknown): string {
  for (const k in v as object) return k;
  return '';
}

function entries(map: unknown): Array<[string, LegacyCondition]> {
  return map === undefined || map === null ? [] : Object.entries(map as Record<string, LegacyCondition>);
}

/** How many values each operator takes: exact, or [min] for IN. */
const ARITY: Record<string, number | [number]> = {
  NULL: 0, NOT_NULL: 0, EQ: 1, NE: 1, LE: 1, LT: 1, GE: 1, GT: 1, CONTAINS: 1, NOT_CONTAINS: 1, BEGINS_WITH: 1, IN: [1], BETWEEN: 2,
};

/** Value types each operator accepts in QueryFilter / ScanFilter / KeyConditions. */
const FILTER_TYPES: Record<string, string[]> = {
  EQ: ['S', 'N', 'B', 'SS', 'NS', 'BS'],
  NE: ['S', 'N', 'B', 'SS', 'NS', 'BS'],
  LE: ['S', 'N', 'B'], LT: ['S', 'N', 'B'], GE: ['S', 'N', 'B'], GT: ['S', 'N', 'B'],
  CONTAINS: ['S', 'N', 'B'], NOT_CONTAINS: ['S', 'N', 'B'], BEGINS_WITH: ['S', 'B'], IN: ['S', 'N', 'B'], BETWEEN: ['S', 'N', 'B'],
};

function checkBetween(values: AttributeValue[]): void {
  const [lo, hi] = values as [AttributeValue, AttributeValue];
  if (typeOf(lo) === typeOf(hi) && ['S', 'N', 'B'].includes(typeOf(lo)) && compareValues(lo, hi) > 0) {
    throw validation('The BETWEEN condition was provided a range where the lower bound is greater than the upper bound');
  }
}

/** Expected (PutItem, UpdateItem, DeleteItem): DynamoDB's checks, in its order. Returns the values normalised. */
export function validateExpected(expected: unknown): void {
  for (const [key, c] of entries(expected)) {
    if ('AttributeValueList' in c && 'Value' in c) throw validation(INVALID + 'Value and AttributeValueList cannot be used together for Attribute: ' + key);
    if ('ComparisonOperator' in c) {
      const op = c.ComparisonOperator as string;
      if ('Exists' in c) throw validation(INVALID + 'Exists and ComparisonOperator cannot be used together for Attribute: ' + key);
      if (op !== 'NULL' && op !== 'NOT_NULL' && !('AttributeValueList' in c) && !('Value' in c)) {
        throw validation(INVALID + 'Value or AttributeValueList must be used with ComparisonOperator: ' + op + ' for Attribute: ' + key);
      }
      const count = c.AttributeValueList ? c.AttributeValueList.length : c.Value ? 1 : 0;
      const arity = ARITY[op];
      const ok = Array.isArray(arity) ? count >= arity[0] : count === arity;
      if (!ok) throw validation(INVALID + 'Invalid number of argument(s) for the ' + op + ' ComparisonOperator');
      if (c.AttributeValueList?.length) {
        const values = c.AttributeValueList.map(validateAttributeValue);
        const type = typeOf(values[0]);
        if (values.some((v) => typeOf(v) !== type)) throw validation(INVALID + 'AttributeValues inside AttributeValueList must be of same type');
        if (op === 'BETWEEN') checkBetween(values);
      }
    } else if ('AttributeValueList' in c) {
      throw validation(INVALID + 'AttributeValueList can only be used with a ComparisonOperator for Attribute: ' + key);
    } else {
      const exists = c.Exists === undefined || c.Exists === null || c.Exists;
      if (exists && (c.Value === undefined || c.Value === null)) {
        throw validation(INVALID + 'Value must be provided when Exists is ' + (c.Exists === undefined || c.Exists === null ? 'null' : String(c.Exists)) + ' for Attribute: ' + key);
      }
      if (!exists && c.Value !== undefined && c.Value !== null) throw validation(INVALID + 'Value cannot be used when Exists is false for Attribute: ' + key);
      if (c.Value !== undefined && c.Value !== null) validateAttributeValue(c.Value);
    }
  }
}

/** QueryFilter, ScanFilter and KeyConditions: DynamoDB's checks, in its order. */
export function validateConditions(conditions: unknown): void {
  for (const [, c] of entries(conditions)) {
    const op = c.ComparisonOperator as string;
    const values = (c.AttributeValueList ?? []).map(validateAttributeValue);
    const arity = ARITY[op] as number | [number];
    const ok = Array.isArray(arity) ? values.length >= arity[0] : values.length === arity;
    if (!ok) throw validation(INVALID + 'Invalid number of argument(s) for the ' + op + ' ComparisonOperator');
    if (values.length) {
      const type = typeOf(values[0]);
      if (values.some((v) => typeOf(v) !== type)) throw validation(INVALID + 'AttributeValues inside AttributeValueList must be of same type');
    }
    const allowed = FILTER_TYPES[op];
    if (allowed) {
      for (const v of values) if (!allowed.includes(typeOf(v))) throw validation(INVALID + 'ComparisonOperator ' + op + ' is not valid for ' + typeOf(v) + ' AttributeValue type');
    }
    if (op === 'BETWEEN') checkBetween(values);
  }
}

/** AttributesToGet: no name twice. */
export function validateAttributesToGet(names: unknown): void {
  if (!Array.isArray(names)) return;
  const seen = new Set<string>();
  for (const n of names as string[]) {
    if (seen.has(n)) throw validation(INVALID + 'Duplicate value in attribute name: ' + n);
    seen.add(n);
  }
}

/** AttributeUpdates (UpdateItem): DynamoDB's checks, in its order. */
export function validateAttributeUpdates(updates: unknown): void {
  for (const [, u] of Object.entries((updates ?? {}) as Record<string, { Action?: string; Value?: unknown }>)) {
    const hasValue = u.Value !== undefined && u.Value !== null;
    if (hasValue) validateAttributeValue(u.Value);
    if (!hasValue && u.Action !== 'DELETE') throw validation(INVALID + 'Only DELETE action is allowed when no attribute value is specified');
    const type = hasValue ? typeOf(u.Value) : '';
    if (hasValue && u.Action === 'DELETE' && !['SS', 'NS', 'BS'].includes(type)) throw validation(INVALID + 'DELETE action with value is not supported for the type ' + type);
    if (hasValue && u.Action === 'ADD' && !['L', 'SS', 'NS', 'BS', 'N'].includes(type)) throw validation(INVALID + 'ADD action is not supported for the type ' + type);
  }
}

const path = (name: string): Operand => ({ k: 'path', path: [name] });
const value = (v: AttributeValue): Operand => ({ k: 'value', value: v });

/** One legacy comparison as a condition tree node. */
function comparison(name: string, op: string, values: AttributeValue[]): Cond {
  const a = path(name);
  const [v0, v1] = values as [AttributeValue, AttributeValue];
  switch (op) {
    case 'EQ': return { k: 'cmp', op: '=', a, b: value(v0) };
    case 'NE': return { k: 'cmp', op: '<>', a, b: value(v0) };
    case 'LT': return { k: 'cmp', op: '<', a, b: value(v0) };
    case 'LE': return { k: 'cmp', op: '<=', a, b: value(v0) };
    case 'GT': return { k: 'cmp', op: '>', a, b: value(v0) };
    case 'GE': return { k: 'cmp', op: '>=', a, b: value(v0) };
    case 'NULL': return { k: 'fn', name: 'attribute_not_exists', args: [a] };
    case 'NOT_NULL': return { k: 'fn', name: 'attribute_exists', args: [a] };
    case 'CONTAINS': return { k: 'fn', name: 'contains', args: [a, value(v0)] };
    case 'NOT_CONTAINS': return { k: 'not', a: { k: 'fn', name: 'contains', args: [a, value(v0)] } };
    case 'BEGINS_WITH': return { k: 'fn', name: 'begins_with', args: [a, value(v0)] };
    case 'IN': return { k: 'in', a, list: values.map(value) };
    case 'BETWEEN': return { k: 'between', a, lo: value(v0), hi: value(v1) };
  }
  throw validation('Unsupported ComparisonOperator: ' + op);
}

function combine(nodes: Cond[], operator: unknown): Cond | undefined {
  if (!nodes.length) return undefined;
  const k = operator === 'OR' ? 'or' : 'and';
  return nodes.reduceRight((b, a) => ({ k, a, b }));
}

/**
 * Expected as a condition. `{ Value }` (Exists absent or true) compares for equality and
 * `{ Exists: false }` asks for absence, as the API reference's ExpectedAttributeValue says.
 */
export function expectedCondition(expected: unknown, conditionalOperator: unknown): Condition | undefined {
  const nodes = entries(expected).map(([name, c]) => {
    if (c.ComparisonOperator !== undefined) return comparison(name, c.ComparisonOperator, (c.AttributeValueList ?? (c.Value !== undefined ? [c.Value] : [])).map(validateAttributeValue));
    if (c.Exists === false) return comparison(name, 'NULL', []);
    return comparison(name, 'EQ', [validateAttributeValue(c.Value)]);
  });
  const tree = combine(nodes, conditionalOperator);
  return tree ? conditionFromTree(tree) : undefined;
}

/** QueryFilter / ScanFilter as a filter. */
export function filterCondition(conditions: unknown, conditionalOperator: unknown): Condition | undefined {
  const nodes = entries(conditions).map(([name, c]) => comparison(name, c.ComparisonOperator as string, (c.AttributeValueList ?? []).map(validateAttributeValue)));
  const tree = combine(nodes, conditionalOperator);
  return tree ? conditionFromTree(tree) : undefined;
}

/** AttributesToGet as a projection of top-level attributes. */
export function attributesProjection(names: unknown): Projection | undefined {
  return Array.isArray(names) ? { paths: (names as string[]).map((n) => [n]) } : undefined;
}

/**
 * AttributeUpdates as an update: PUT is SET, DELETE without a value is REMOVE, DELETE with a set
 * removes its members, ADD adds to a number or a set, and ADD of a list appends to it (legacy only).
 */
export function attributeUpdatesUpdate(updates: unknown): Update {
  const actions: UpdateAction[] = Object.entries(updates as Record<string, { Action?: string; Value?: unknown }>).map(([name, u]) => {
    const action = u.Action ?? 'PUT';
    if (action === 'DELETE' && (u.Value === undefined || u.Value === null)) return { action: 'REMOVE', path: [name] };
    const v = validateAttributeValue(u.Value);
    if (action === 'PUT') return { action: 'SET', path: [name], value: { k: 'value', value: v } };
    if (action === 'ADD' && 'L' in v) {
      return { action: 'SET', path: [name], value: { k: 'list_append', a: { k: 'if_not_exists', path: [name], fallback: { k: 'value', value: { L: [] } } }, b: { k: 'value', value: v } } };
    }
    return { action: action as 'ADD' | 'DELETE', path: [name], value: v };
  });
  return updateFromActions(actions);
}

const KEY_OPS: Record<string, KeyOperator> = { EQ: '=', LT: '<', LE: '<=', GT: '>', GE: '>=', BETWEEN: 'BETWEEN', BEGINS_WITH: 'begins_with' };

/** KeyConditions against the key schema of the table or index queried, with DynamoDB's texts. */
export function legacyKeyCondition(keyConditions: unknown, keys: { hash: string; range?: string }, types: Record<string, 'S' | 'N' | 'B'>): KeyCondition {
  const conds = keyConditions as Record<string, LegacyCondition>;
  const count = Object.keys(conds).length;
  const schema: Array<{ name: string; isHash: boolean }> = [{ name: keys.hash, isHash: true }];
  if (keys.range !== undefined) schema.push({ name: keys.range, isHash: false });
  for (const { name, isHash } of schema) {
    if (isHash && keys.range === undefined && count > 1) throw validation('Query key condition not supported');
    const c = Object.prototype.hasOwnProperty.call(conds, name) ? conds[name] : undefined;
    if (!c) {
      if (isHash || count > 1) throw validation('Query condition missed key schema element: ' + name);
      continue;
    }
    if (['NULL', 'NOT_NULL', 'NE', 'CONTAINS', 'NOT_CONTAINS', 'IN'].includes(c.ComparisonOperator as string)) {
      throw validation('Attempted conditional constraint is not an indexable operation');
    }
    if ((c.AttributeValueList ?? []).some((v) => typeOf(v) !== types[name])) {
      throw validation(INVALID + 'Condition parameter type does not match schema type');
    }
    if (isHash && c.ComparisonOperator !== 'EQ') throw validation('Query key condition not supported');
  }
  const values = (name: string) => (conds[name]?.AttributeValueList ?? []).map(validateAttributeValue);
  const out: KeyCondition = { hash: { name: keys.hash, value: values(keys.hash)[0] as AttributeValue } };
  if (keys.range !== undefined && Object.prototype.hasOwnProperty.call(conds, keys.range)) {
    out.range = { name: keys.range, op: KEY_OPS[conds[keys.range]?.ComparisonOperator as string] as KeyOperator, values: values(keys.range) };
  }
  return out;
}

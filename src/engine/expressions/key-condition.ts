/**
 * Key condition expressions of Query: the condition syntax restricted to key attributes.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.KeyConditionExpressions.html
 * Checks and messages in DynamoDB's order as recorded by dynalite (Apache-2.0: validations/index.js
 * convertKeyCondition/validateConditions, validations/query.js, actions/query.js).
 */
import { validation } from '../errors';
import type { AttributeValue } from '../types';
import { parseConditionTree, type Cond, type Operand } from './condition';
import type { ExpressionScope } from './scope';

export type KeyOperator = '=' | '<' | '<=' | '>' | '>=' | 'BETWEEN' | 'begins_with';

export interface KeyCondition {
  hash: { name: string; value: AttributeValue };
  range?: { name: string; op: KeyOperator; values: AttributeValue[] };
}

interface KeyCond {
  op: KeyOperator;
  values: AttributeValue[];
}

const LEGACY: Record<KeyOperator, string> = { '=': 'EQ', '<': 'LT', '<=': 'LE', '>': 'GT', '>=': 'GE', BETWEEN: 'BETWEEN', begins_with: 'BEGINS_WITH' };
const FLIP: Record<string, KeyOperator> = { '=': '=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

function typeOf(v: AttributeValue): string {
  for (const k in v) return k;
  return '';
}

function collect(c: Cond, conds: Map<string, KeyCond>): void {
  if (c.k === 'or' || c.k === 'not' || c.k === 'in' || (c.k === 'cmp' && c.op === '<>')) {
    const op = c.k === 'cmp' ? c.op : c.k.toUpperCase();
    throw validation('Invalid operator used in KeyConditionExpression: ' + op);
  }
  if (c.k === 'fn' && ['attribute_exists', 'attribute_not_exists', 'attribute_type', 'contains'].includes(c.name)) {
    throw validation('Invalid operator used in KeyConditionExpression: ' + c.name);
  }
  if (c.k === 'fn' && c.name === 'size') throw validation('KeyConditionExpressions cannot contain nested operations');
  if (c.k === 'between' && c.a.k !== 'path') {
    throw validation('Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand');
  }
  if (c.k === 'fn' && c.name === 'begins_with' && c.args[0]?.k !== 'path') {
    throw validation('Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute as its first operand');
  }
  if (c.k === 'and') {
    collect(c.a, conds);
    collect(c.b, conds);
    return;
  }
  const args: Operand[] = c.k === 'cmp' ? [c.a, c.b] : c.k === 'between' ? [c.a, c.lo, c.hi] : c.k === 'fn' ? c.args : [];
  let name = '';
  let index = 0;
  args.forEach((a, i) => {
    if (a.k === 'path') {
      if (name) throw validation('Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition');
      if (a.path.length > 1) throw validation('KeyConditionExpressions cannot have conditions on nested attributes');
      name = String(a.path[0]);
      index = i;
    } else if (a.k === 'size' || a.k === 'call') {
      throw validation('KeyConditionExpressions cannot contain nested operations');
    }
  });
  if (!name) throw validation('Invalid condition in KeyConditionExpression: No key attribute specified');
  if (conds.has(name)) throw validation('KeyConditionExpressions must only contain one condition per key');
  let op: KeyOperator = c.k === 'cmp' ? (c.op as KeyOperator) : c.k === 'between' ? 'BETWEEN' : 'begins_with';
  if (index !== 0 && c.k === 'cmp') op = FLIP[c.op] as KeyOperator;
  const values = args.filter((_, i) => i !== index).map((a) => (a as { value: AttributeValue }).value);
  conds.set(name, { op, values });
}

const ALLOWED: Record<string, string[]> = {
  EQ: ['S', 'N', 'B', 'SS', 'NS', 'BS'],
  LE: ['S', 'N', 'B'],
  LT: ['S', 'N', 'B'],
  GE: ['S', 'N', 'B'],
  GT: ['S', 'N', 'B'],
  BEGINS_WITH: ['S', 'B'],
  BETWEEN: ['S', 'N', 'B'],
};

/**
 * keys: the hash/range attribute names of the table or index queried; types: their AttributeDefinitions types.
 * Throws DynamoDB's ValidationExceptions (non-key attribute, missing hash equality, type mismatch, ...).
 */
export function parseKeyCondition(
  text: string,
  scope: ExpressionScope,
  keys: { hash: string; range?: string },
  types: Record<string, 'S' | 'N' | 'B'>,
): KeyCondition {
  const cond = parseConditionTree(text, scope, 'KeyConditionExpression');
  const conds = new Map<string, KeyCond>();
  collect(cond, conds);
  for (const kc of conds.values()) {
    const legacy = LEGACY[kc.op];
    for (const v of kc.values) {
      if (!(ALLOWED[legacy] ?? []).includes(typeOf(v))) {
        throw validation('One or more parameter values were invalid: ComparisonOperator ' + legacy + ' is not valid for ' + typeOf(v) + ' AttributeValue type');
      }
    }
  }
  if (conds.size !== 1 && conds.size !== 2) throw validation('Conditions can be of length 1 or 2 only');

  const schema: Array<{ name: string; isHash: boolean }> = [{ name: keys.hash, isHash: true }];
  if (keys.range !== undefined) schema.push({ name: keys.range, isHash: false });
  for (const { name, isHash } of schema) {
    if (isHash && keys.range === undefined && conds.size > 1) throw validation('Query key condition not supported');
    const kc = conds.get(name);
    if (!kc) {
      if (isHash || conds.size > 1) throw validation('Query condition missed key schema element: ' + name);
      continue;
    }
    if (kc.values.some((v) => typeOf(v) !== types[name])) {
      throw validation('One or more parameter values were invalid: Condition parameter type does not match schema type');
    }
    if (isHash && kc.op !== '=') throw validation('Query key condition not supported');
  }
  const hash = conds.get(keys.hash) as KeyCond;
  const out: KeyCondition = { hash: { name: keys.hash, value: hash.values[0] as AttributeValue } };
  const range = keys.range !== undefined ? conds.get(keys.range) : undefined;
  if (keys.range !== undefined && range) out.range = { name: keys.range, op: range.op, values: range.values };
  return out;
}

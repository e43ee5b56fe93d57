/**
 * Key condition expressions for Query:
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.KeyConditionExpressions.html
 * Messages: DynamoDB's, as recorded by dynalite (checked against dynalite 4.0.0 by hand).
 */
import { parseKeyCondition } from '../../../src/engine/expressions';
import type { AttributeValue } from '../../../src/engine/types';
import { errorOf, scope } from './helpers';

const KEYS = { hash: 'pk', range: 'sk' };
const TYPES = { pk: 'S', sk: 'N' } as const;
const V: Record<string, AttributeValue> = { ':p': { S: 'USER#1' }, ':a': { N: '1' }, ':b': { N: '5' }, ':s': { S: 'x' } };

function used(text: string): Record<string, AttributeValue> {
  return Object.fromEntries(Object.entries(V).filter(([k]) => new RegExp(k + '\\b').test(text)));
}

describe('parseKeyCondition', () => {
  it.each([
    ['pk = :p', { hash: { name: 'pk', value: V[':p'] } }],
    ['pk = :p AND sk = :a', { hash: { name: 'pk', value: V[':p'] }, range: { name: 'sk', op: '=', values: [V[':a']] } }],
    ['pk = :p AND sk <= :a', { hash: { name: 'pk', value: V[':p'] }, range: { name: 'sk', op: '<=', values: [V[':a']] } }],
    ['sk > :a AND pk = :p', { hash: { name: 'pk', value: V[':p'] }, range: { name: 'sk', op: '>', values: [V[':a']] } }],
    [':p = pk AND :a < sk', { hash: { name: 'pk', value: V[':p'] }, range: { name: 'sk', op: '>', values: [V[':a']] } }],
    ['pk = :p AND sk BETWEEN :a AND :b', { hash: { name: 'pk', value: V[':p'] }, range: { name: 'sk', op: 'BETWEEN', values: [V[':a'], V[':b']] } }],
    ['(pk = :p) AND (sk >= :a)', { hash: { name: 'pk', value: V[':p'] }, range: { name: 'sk', op: '>=', values: [V[':a']] } }],
  ])('%s', (text, expected) => {
    const s = scope(used(text));
    expect(parseKeyCondition(text, s, KEYS, TYPES)).toEqual(expected);
    s.assertAllUsed();
  });

  it('begins_with on a string sort key', () => {
    expect(parseKeyCondition('#k = :p AND begins_with(#r, :s)', scope({ ':p': V[':p'] as AttributeValue, ':s': V[':s'] as AttributeValue }, { '#k': 'pk', '#r': 'sk' }), KEYS, { pk: 'S', sk: 'S' })).toEqual({
      hash: { name: 'pk', value: V[':p'] },
      range: { name: 'sk', op: 'begins_with', values: [V[':s']] },
    });
  });

  it.each([
    ['pk = :p OR sk = :a', 'Invalid operator used in KeyConditionExpression: OR'],
    ['NOT pk = :p', 'Invalid operator used in KeyConditionExpression: NOT'],
    ['pk IN (:p)', 'Invalid operator used in KeyConditionExpression: IN'],
    ['pk = :p AND sk <> :a', 'Invalid operator used in KeyConditionExpression: <>'],
    ['pk = :p AND attribute_exists(sk)', 'Invalid operator used in KeyConditionExpression: attribute_exists'],
    ['pk = :p AND contains(sk, :a)', 'Invalid operator used in KeyConditionExpression: contains'],
    ['pk = :p AND size(sk) = :a', 'KeyConditionExpressions cannot contain nested operations'],
    ['pk = :p AND sk.x = :a', 'KeyConditionExpressions cannot have conditions on nested attributes'],
    ['pk = :p AND sk = sk', 'Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [sk]'.replace('ConditionExpression', 'KeyConditionExpression')],
    ['pk = :p AND :a = :b', 'Invalid condition in KeyConditionExpression: No key attribute specified'],
    ['pk = :p AND pk = :p', 'KeyConditionExpressions must only contain one condition per key'],
    ['pk = :p AND :a BETWEEN sk AND :b', 'Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand'],
    ['pk = :p AND sk BETWEEN :b AND :a', 'Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {N:1}'],
    ['pk = :p AND begins_with(sk, :a)', 'Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N'],
    ['pk < :p', 'Query key condition not supported'],
    ['begins_with(pk, :p)', 'Query key condition not supported'],
    ['sk = :a', 'Query condition missed key schema element: pk'],
    ['pk = :p AND foo = :a', 'Query condition missed key schema element: sk'],
    ['pk = :p AND sk = :a AND foo = :b', 'Conditions can be of length 1 or 2 only'],
    ['pk = :a', 'One or more parameter values were invalid: Condition parameter type does not match schema type'],
    ['pk = :p AND sk = :s', 'One or more parameter values were invalid: Condition parameter type does not match schema type'],
  ])('%s is refused', (text, message) => {
    const e = errorOf(() => parseKeyCondition(text, scope(used(text)), KEYS, TYPES));
    expect(e.type).toBe('ValidationException');
    expect(e.message).toBe(message);
  });

  it('a hash-only table refuses a second condition', () => {
    const e = errorOf(() => parseKeyCondition('pk = :p AND sk = :a', scope(used('pk = :p AND sk = :a')), { hash: 'pk' }, { pk: 'S' }));
    expect(e.message).toBe('Query key condition not supported');
  });
});

/**
 * ExpressionAttributeNames / ExpressionAttributeValues rules:
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ExpressionAttributeNames.html
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ExpressionAttributeValues.html
 * Reserved words: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ReservedWords.html
 */
import { ExpressionScope, isReserved, parseCondition, parseProjection, validateExpressionParams } from '../../../src/engine/expressions';
import type { AttributeValue } from '../../../src/engine/types';
import { errorOf } from './helpers';

describe('ExpressionScope', () => {
  it('refuses unused names, then unused values, listing them', () => {
    const s = new ExpressionScope({ names: { '#a': 'a', '#b': 'b', '#c': 'c' }, values: { ':v': { N: '1' }, ':w': { N: '2' } } });
    parseCondition('#a = :v', s, 'ConditionExpression');
    expect(errorOf(() => s.assertAllUsed()).message).toBe('Value provided in ExpressionAttributeNames unused in expressions: keys: {#b, #c}');
    parseProjection('#b, #c', s);
    expect(errorOf(() => s.assertAllUsed()).message).toBe('Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}');
  });

  it.each<[{ names?: Record<string, string>; values?: Record<string, AttributeValue> }, string]>([
    [{ names: {} }, 'ExpressionAttributeNames must not be empty'],
    [{ values: {} }, 'ExpressionAttributeValues must not be empty'],
    [{ names: { a: 'a' } }, 'ExpressionAttributeNames contains invalid key: Syntax error; key: "a"'],
    [{ names: { '#a-b': 'a' } }, 'ExpressionAttributeNames contains invalid key: Syntax error; key: "#a-b"'],
    [{ values: { v: { N: '1' } } }, 'ExpressionAttributeValues contains invalid key: Syntax error; key: "v"'],
    [{ values: { ':v': { SS: [] } } }, 'ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: An string set  may not be empty for key :v'],
    [{ values: { ':v': { N: '1E+999' } } }, 'ExpressionAttributeValues contains invalid value: Number overflow. Attempting to store a number with magnitude larger than supported range for key :v'],
  ])('%j is refused', (input, message) => {
    const e = errorOf(() => new ExpressionScope(input));
    expect(e.type).toBe('ValidationException');
    expect(e.message).toBe(message);
  });

  it('normalises values and ignores inherited keys', () => {
    const s = new ExpressionScope({ values: { ':v': { N: '01.50' } } });
    expect(s.resolveValue(':v')).toEqual({ N: '1.5' });
    expect(s.resolveValue('constructor')).toBeUndefined();
    expect(new ExpressionScope({ names: { '#a': 'a' } }).resolveName('__proto__')).toBeUndefined();
  });
});

describe('validateExpressionParams', () => {
  it.each<[Record<string, unknown>, string[], string[], string]>([
    [{ UpdateExpression: 'SET a = :v', AttributeUpdates: {} }, ['UpdateExpression', 'ConditionExpression'], ['AttributeUpdates', 'Expected'],
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributeUpdates} Expression parameters: {UpdateExpression}'],
    [{ ExpressionAttributeNames: { '#a': 'a' } }, ['ConditionExpression'], ['Expected'], 'ExpressionAttributeNames can only be specified when using expressions'],
    [{ ExpressionAttributeValues: { ':v': { N: '1' } } }, ['UpdateExpression', 'ConditionExpression'], ['AttributeUpdates', 'Expected'],
      'ExpressionAttributeValues can only be specified when using expressions: UpdateExpression and ConditionExpression are null'],
    [{ ProjectionExpression: 'a', ExpressionAttributeValues: { ':v': { N: '1' } } }, ['ProjectionExpression', 'FilterExpression'], ['AttributesToGet', 'ScanFilter'],
      'ExpressionAttributeValues can only be specified when using expressions: FilterExpression is null'],
  ])('%j', (data, expressions, legacy, message) => {
    expect(errorOf(() => validateExpressionParams(data, expressions, legacy)).message).toBe(message);
  });

  it('accepts a consistent request', () => {
    expect(() => validateExpressionParams({ ConditionExpression: 'a = :v', ExpressionAttributeValues: {} }, ['ConditionExpression'], ['Expected'])).not.toThrow();
  });
});

describe('reserved words (AWS list, case-insensitive)', () => {
  it.each(['status', 'STATUS', 'name', 'Comment', 'date', 'size', 'key', 'value', 'data', 'timestamp', 'user'])('%s is reserved', (w) => {
    expect(isReserved(w)).toBe(true);
  });
  it.each(['pk', 'sk', 'gsi1pk', 'Price', 'Title', 'email', '__proto__'])('%s is not', (w) => {
    expect(isReserved(w)).toBe(false);
  });
});

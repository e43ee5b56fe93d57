/**
 * Item operations, key rules and ReturnValues, as the API reference describes them:
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html
 */
import { call, engineWithTable, fails, N, S } from './helpers';

describe('engine items', () => {
  test('put, get, update with ReturnValues, delete', () => {
    const e = engineWithTable();
    call(e, 'PutItem', { TableName: 'tbl', Item: { pk: S('a'), sk: S('1'), n: N('1.50'), tags: { SS: ['x', 'y'] } } });
    expect(call(e, 'GetItem', { TableName: 'tbl', Key: { pk: S('a'), sk: S('1') } }).Item).toEqual({ pk: S('a'), sk: S('1'), n: N('1.5'), tags: { SS: ['x', 'y'] } });
    const upd = call(e, 'UpdateItem', {
      TableName: 'tbl',
      Key: { pk: S('a'), sk: S('1') },
      UpdateExpression: 'SET n = n + :d, extra = :e',
      ExpressionAttributeValues: { ':d': N(1), ':e': S('z') },
      ReturnValues: 'UPDATED_OLD',
    });
    expect(upd.Attributes).toEqual({ n: N('1.5') });
    const all = call(e, 'UpdateItem', { TableName: 'tbl', Key: { pk: S('a'), sk: S('1') }, UpdateExpression: 'REMOVE extra', ReturnValues: 'ALL_NEW' });
    expect(all.Attributes).toEqual({ pk: S('a'), sk: S('1'), n: N('2.5'), tags: { SS: ['x', 'y'] } });
    expect(call(e, 'DeleteItem', { TableName: 'tbl', Key: { pk: S('a'), sk: S('1') }, ReturnValues: 'ALL_OLD' }).Attributes).toEqual(all.Attributes);
    expect(call(e, 'GetItem', { TableName: 'tbl', Key: { pk: S('a'), sk: S('1') } }).Item).toBeUndefined();
  });

  test('a failed condition changes nothing and returns the old item on request', () => {
    const e = engineWithTable();
    call(e, 'PutItem', { TableName: 'tbl', Item: { pk: S('a'), sk: S('1'), v: N(1) } });
    const err = fails(e, 'PutItem', {
      TableName: 'tbl',
      Item: { pk: S('a'), sk: S('1'), v: N(2) },
      ConditionExpression: 'attribute_not_exists(pk)',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
    expect(err.type).toBe('ConditionalCheckFailedException');
    expect(err.extra?.Item).toEqual({ pk: S('a'), sk: S('1'), v: N(1) });
    expect(call(e, 'GetItem', { TableName: 'tbl', Key: { pk: S('a'), sk: S('1') } }).Item).toEqual({ pk: S('a'), sk: S('1'), v: N(1) });
  });

  test('key rules: exact key attributes, types, empty strings, sizes, index key types', () => {
    const e = engineWithTable();
    expect(fails(e, 'GetItem', { TableName: 'tbl', Key: { pk: S('a') } }).message).toBe('The provided key element does not match the schema');
    expect(fails(e, 'GetItem', { TableName: 'tbl', Key: { pk: S('a'), sk: N(1) } }).message).toBe('The provided key element does not match the schema');
    expect(fails(e, 'GetItem', { TableName: 'tbl', Key: { pk: S(''), sk: S('1') } }).message).toBe(
      'One or more parameter values were invalid: The AttributeValue for a key attribute cannot contain an empty string value. Key: pk',
    );
    expect(fails(e, 'PutItem', { TableName: 'tbl', Item: { pk: S('a') } }).message).toBe('One or more parameter values were invalid: Missing the key sk in the item');
    expect(fails(e, 'PutItem', { TableName: 'tbl', Item: { pk: S('x'.repeat(2049)), sk: S('1') } }).message).toMatch(/Size of hashkey has exceeded/);
    expect(fails(e, 'PutItem', { TableName: 'tbl', Item: { pk: S('a'), sk: S('x'.repeat(1025)) } }).message).toMatch(/range keys has exceeded the size limit of 1024 bytes/);
    // 2048 bytes of UTF-8 in 683 characters: the limit is in bytes.
    expect(fails(e, 'PutItem', { TableName: 'tbl', Item: { pk: S('€'.repeat(683)), sk: S('1') } }).message).toMatch(/Size of hashkey/);
    expect(fails(e, 'PutItem', { TableName: 'tbl', Item: { pk: S('a'), sk: S('1'), gpk: N(1) } }).message).toBe(
      'One or more parameter values were invalid: Type mismatch for Index Key gpk Expected: S Actual: N IndexName: gsi1',
    );
    expect(fails(e, 'PutItem', { TableName: 'tbl', Item: { pk: S('a'), sk: S('1'), big: S('x'.repeat(400 * 1024)) } }).message).toBe('Item size has exceeded the maximum allowed size');
    expect(fails(e, 'GetItem', { TableName: 'nope', Key: { pk: S('a'), sk: S('1') } }).type).toBe('ResourceNotFoundException');
    // Nothing was written by the refused requests.
    expect(call(e, 'Scan', { TableName: 'tbl' }).Count).toBe(0);
  });

  test('unused expression values are refused', () => {
    const e = engineWithTable();
    const err = fails(e, 'PutItem', { TableName: 'tbl', Item: { pk: S('a'), sk: S('1') }, ConditionExpression: 'attribute_not_exists(pk)', ExpressionAttributeValues: { ':x': S('1') } });
    expect(err.message).toBe('Value provided in ExpressionAttributeValues unused in expressions: keys: {:x}');
  });

  test('hostile attribute names are plain data', () => {
    const e = engineWithTable();
    const item = { pk: S('a'), sk: S('1'), __proto__: S('p'), constructor: S('c'), '${x}': S('t') } as Record<string, unknown>;
    Object.defineProperty(item, '__proto__', { value: S('p'), enumerable: true });
    call(e, 'PutItem', { TableName: 'tbl', Item: item });
    const got = call(e, 'GetItem', { TableName: 'tbl', Key: { pk: S('a'), sk: S('1') } }).Item as Record<string, unknown>;
    expect(Object.prototype.hasOwnProperty.call(got, '__proto__')).toBe(true);
    expect(got.constructor).toEqual(S('c'));
    expect(({} as Record<string, unknown>).S).toBeUndefined();
  });
});

/**
 * ConsumedCapacity by DynamoDB's rules:
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html#transaction-capacity-handling
 */
import { itemWriteUnits, queryReadUnits, readUnits, writeUnits } from '../../../src/engine';
import { call, engineWithTable, N, S } from './helpers';

describe('engine capacity', () => {
  test('unit rules', () => {
    expect(readUnits(0)).toBe(0.5);
    expect(readUnits(4097, 'strong')).toBe(2);
    expect(readUnits(1, 'transactional')).toBe(2);
    expect(queryReadUnits([3000, 3000])).toBe(1);
    expect(writeUnits(1025, true)).toBe(4);
    expect(itemWriteUnits({ table: { before: 100, after: 2000 }, indexes: { g: { before: 10, after: 10, keyChanged: true } } })).toEqual({ total: 4, byIndex: { table: 2, g: 2 } });
  });

  test('writes: the larger of old and new, an index key move costs two, INDEXES detail', () => {
    const e = engineWithTable();
    const put = call(e, 'PutItem', { TableName: 'tbl', Item: { pk: S('a'), sk: S('1'), gpk: S('g'), gsk: N(1), padding: S('x'.repeat(1500)) }, ReturnConsumedCapacity: 'INDEXES' });
    expect(put.ConsumedCapacity).toEqual({ TableName: 'tbl', CapacityUnits: 4, Table: { CapacityUnits: 2 }, GlobalSecondaryIndexes: { gsi1: { CapacityUnits: 2 } } });
    const move = call(e, 'UpdateItem', { TableName: 'tbl', Key: { pk: S('a'), sk: S('1') }, UpdateExpression: 'SET gsk = :n REMOVE padding', ExpressionAttributeValues: { ':n': N(2) }, ReturnConsumedCapacity: 'INDEXES' });
    // Table: max(1.5 KB, small) = 2; GSI: delete the 1.5 KB entry (2) + put the small one (1).
    expect(move.ConsumedCapacity).toEqual({ TableName: 'tbl', CapacityUnits: 5, Table: { CapacityUnits: 2 }, GlobalSecondaryIndexes: { gsi1: { CapacityUnits: 3 } } });
    const tx = call(e, 'TransactWriteItems', {
      TransactItems: [
        { Put: { TableName: 'tbl', Item: { pk: S('b'), sk: S('1') } } },
        { Put: { TableName: 'tbl', Item: { pk: S('c'), sk: S('1'), gpk: S('g'), gsk: N(3) } } },
        { ConditionCheck: { TableName: 'tbl', Key: { pk: S('a'), sk: S('1') }, ConditionExpression: 'attribute_exists(pk)' } },
      ],
      ReturnConsumedCapacity: 'INDEXES',
    });
    // Each action doubled: 2 + (2 + 2 on gsi1) + 2 for the checked item.
    expect(tx.ConsumedCapacity).toEqual([{ TableName: 'tbl', CapacityUnits: 8, Table: { CapacityUnits: 6 }, GlobalSecondaryIndexes: { gsi1: { CapacityUnits: 2 } } }]);
  });

  test('reads: a missing item costs the minimum, a query sums sizes before rounding', () => {
    const e = engineWithTable();
    expect(call(e, 'GetItem', { TableName: 'tbl', Key: { pk: S('z'), sk: S('z') }, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' }).ConsumedCapacity).toEqual({ TableName: 'tbl', CapacityUnits: 1 });
    for (let i = 0; i < 6; i++) call(e, 'PutItem', { TableName: 'tbl', Item: { pk: S('q'), sk: S(`${i}`), padding: S('x'.repeat(1000)) } });
    const q = call(e, 'Query', { TableName: 'tbl', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('q') }, ReturnConsumedCapacity: 'TOTAL' });
    // 6 items of ~1 KB = ~6 KB, rounded once: 2 blocks, eventually consistent = 1.
    expect(q.ConsumedCapacity).toEqual({ TableName: 'tbl', CapacityUnits: 1 });
  });
});

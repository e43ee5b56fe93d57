import { DeleteTableCommand, type ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { itemWriteUnits, queryReadUnits, readUnits } from '../../src/toolkit';
import { createPlainTable, testClient, uniqueTableName } from '../support/local-table';

/*
 * The unit rules against what DynamoDB Local reports (it applies the service's formulas).
 * String-only items, so an item's size is the sum of its attribute names' and values' lengths.
 */
const client = testClient();
const doc = DynamoDBDocumentClient.from(client);
const TableName = uniqueTableName('unit-rules');
const sizeOf = (item: Record<string, string>) => Object.entries(item).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
const byIndex = (c: ConsumedCapacity | undefined) => ({ table: c?.Table?.CapacityUnits, ...Object.fromEntries(Object.entries(c?.GlobalSecondaryIndexes ?? {}).map(([k, v]) => [k, v.CapacityUnits])) });

beforeAll(async () => {
  await createPlainTable(client, TableName, { name: 'gsi1', partitionKey: 'g1pk', sortKey: 'g1sk' });
});
afterAll(async () => {
  await client.send(new DeleteTableCommand({ TableName }));
  client.destroy();
});

describe('unit rules match DynamoDB', () => {
  const big = { pk: 'a', sk: 's', g1pk: 'x', g1sk: 'y', data: 'd'.repeat(4500) };
  const small = { ...big, g1pk: 'z', data: 'd'.repeat(1500) };

  it('a put pays per KB in the table and in the index', async () => {
    const out = await doc.send(new PutCommand({ TableName, Item: big, ReturnConsumedCapacity: 'INDEXES' }));
    expect(byIndex(out.ConsumedCapacity)).toEqual(itemWriteUnits({ table: { after: sizeOf(big) }, indexes: { gsi1: { after: sizeOf(big) } } }).byIndex);
  });

  it('gets pay per 4 KB, half when eventually consistent; a missing item still costs', async () => {
    const eventual = await doc.send(new GetCommand({ TableName, Key: { pk: 'a', sk: 's' }, ReturnConsumedCapacity: 'TOTAL' }));
    const strong = await doc.send(new GetCommand({ TableName, Key: { pk: 'a', sk: 's' }, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' }));
    const missing = await doc.send(new GetCommand({ TableName, Key: { pk: 'none', sk: 's' }, ReturnConsumedCapacity: 'TOTAL' }));
    expect(eventual.ConsumedCapacity?.CapacityUnits).toBe(readUnits(sizeOf(big)));
    expect(strong.ConsumedCapacity?.CapacityUnits).toBe(readUnits(sizeOf(big), 'strong'));
    expect(missing.ConsumedCapacity?.CapacityUnits).toBe(readUnits(0));
  });

  it('an update pays on the larger image, and an index key change pays a delete and a put', async () => {
    const out = await doc.send(
      new UpdateCommand({
        TableName,
        Key: { pk: 'a', sk: 's' },
        UpdateExpression: 'SET g1pk = :k, #d = :d',
        ExpressionAttributeNames: { '#d': 'data' },
        ExpressionAttributeValues: { ':k': small.g1pk, ':d': small.data },
        ReturnConsumedCapacity: 'INDEXES',
      }),
    );
    expect(byIndex(out.ConsumedCapacity)).toEqual(
      itemWriteUnits({ table: { before: sizeOf(big), after: sizeOf(small) }, indexes: { gsi1: { before: sizeOf(big), after: sizeOf(small), keyChanged: true } } }).byIndex,
    );
  });

  it('a transactional write pays double, in the table and the index', async () => {
    const item = { ...small, pk: 'b' };
    const out = await doc.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName, Item: item } }], ReturnConsumedCapacity: 'INDEXES' }));
    expect(byIndex(out.ConsumedCapacity?.[0])).toEqual(itemWriteUnits({ table: { after: sizeOf(item) }, indexes: { gsi1: { after: sizeOf(item) } }, transactional: true }).byIndex);
  });

  it('a query sums the sizes of the items it reads, then rounds', async () => {
    const items = Array.from({ length: 10 }, (_, i) => ({ pk: `q${i}`, sk: 's', g1pk: 'q', g1sk: String(i), data: 'd'.repeat(980) }));
    for (const Item of items) await doc.send(new PutCommand({ TableName, Item }));
    const out = await doc.send(new QueryCommand({ TableName, IndexName: 'gsi1', KeyConditionExpression: 'g1pk = :q', ExpressionAttributeValues: { ':q': 'q' }, ReturnConsumedCapacity: 'TOTAL' }));
    expect(out.Count).toBe(10);
    // 10 × ~1 KB = 3 blocks of 4 KB, eventually consistent: 1.5 (per-item rounding would give 5)
    expect(out.ConsumedCapacity?.CapacityUnits).toBe(queryReadUnits(items.map(sizeOf)));
    expect(queryReadUnits(items.map(sizeOf))).toBe(1.5);
  });
});

/**
 * ConsumedCapacity by DynamoDB's rules (dynalite leaves index writes and transactions out), from:
 * - https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html
 *   (reads: 4 KB units, half for eventually consistent, a missing item still costs; Query sums
 *   item sizes before rounding; writes: 1 KB units)
 * - https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.ThroughputConsiderations.Writes
 *   (an index write costs units for the projected item; not written when the index key is absent)
 * - https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html#transaction-capacity-handling
 *   (transactional reads and writes cost twice: prepare and commit)
 */
import { GetItemCommand, PutItemCommand, QueryCommand, TransactGetItemsCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { createTable, engineUnderTest } from './support';

const T = 'cap';

async function setup() {
  const e = engineUnderTest();
  await createTable(e.client, T, {
    AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'S' }],
    GlobalSecondaryIndexes: [
      { IndexName: 'all', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } },
      { IndexName: 'keys', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
    ],
  });
  return e;
}

/** pk(2)+1 + sk(2)+1 + g(1)+1 + d(1)+n = 9+n bytes (+1 per extra pk character). */
const item = (pk: string, n: number, withIndexKey = true) => ({
  pk: { S: pk }, sk: { S: '1' }, ...(withIndexKey ? { g: { S: 'x' } } : {}), d: { S: 'd'.repeat(n) },
});

describe('ConsumedCapacity (read-write-operations.html, GSI.html, transaction-apis.html)', () => {
  test('PutItem of a 1.5 KB item: 2 units on the table, 2 on an ALL index, 1 on a KEYS_ONLY index', async () => {
    const { client } = await setup();
    const out = await client.send(new PutItemCommand({ TableName: T, Item: item('a', 1500), ReturnConsumedCapacity: 'INDEXES' }));
    expect(out.ConsumedCapacity).toMatchObject({
      TableName: T, CapacityUnits: 5, Table: { CapacityUnits: 2 },
      GlobalSecondaryIndexes: { all: { CapacityUnits: 2 }, keys: { CapacityUnits: 1 } },
    });
  });

  test('an item without the index key is not written to the index: table units only', async () => {
    const { client } = await setup();
    const out = await client.send(new PutItemCommand({ TableName: T, Item: item('a', 1500, false), ReturnConsumedCapacity: 'INDEXES' }));
    expect(out.ConsumedCapacity?.CapacityUnits).toBe(2);
    expect(out.ConsumedCapacity?.GlobalSecondaryIndexes ?? {}).toEqual({});
  });

  test('GetItem of a 5 KB item: 2 units strongly consistent, 1 eventually; a missing item 1 and 0.5', async () => {
    const { client } = await setup();
    await client.send(new PutItemCommand({ TableName: T, Item: item('a', 5000) }));
    const get = async (pk: string, ConsistentRead: boolean) =>
      (await client.send(new GetItemCommand({ TableName: T, Key: { pk: { S: pk }, sk: { S: '1' } }, ConsistentRead, ReturnConsumedCapacity: 'TOTAL' }))).ConsumedCapacity?.CapacityUnits;
    expect(await get('a', true)).toBe(2);
    expect(await get('a', false)).toBe(1);
    expect(await get('zz', true)).toBe(1);
    expect(await get('zz', false)).toBe(0.5);
  });

  test('Query sums the item sizes, then rounds up to 4 KB: three items of 1.5 KB cost 2 units (strong), 1 (eventual)', async () => {
    const { client } = await setup();
    for (const sk of ['1', '2', '3']) await client.send(new PutItemCommand({ TableName: T, Item: { ...item('q', 1500), sk: { S: sk } } }));
    const query = async (ConsistentRead: boolean) => (await client.send(new QueryCommand({
      TableName: T, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'q' } }, ConsistentRead, ReturnConsumedCapacity: 'TOTAL',
    }))).ConsumedCapacity?.CapacityUnits;
    expect(await query(true)).toBe(2);
    expect(await query(false)).toBe(1);
  });

  test('TransactWriteItems: every action twice, on the table and on each index written (3 puts of 1.5 KB: 12 + 12 + 6)', async () => {
    const { client } = await setup();
    const out = await client.send(new TransactWriteItemsCommand({
      TransactItems: ['t1', 't2', 't3'].map((pk) => ({ Put: { TableName: T, Item: item(pk, 1500) } })),
      ReturnConsumedCapacity: 'INDEXES',
    }));
    expect(out.ConsumedCapacity).toEqual([expect.objectContaining({
      TableName: T, CapacityUnits: 30, Table: { CapacityUnits: 12 },
      GlobalSecondaryIndexes: { all: { CapacityUnits: 12 }, keys: { CapacityUnits: 6 } },
    })]);
  });

  test('TransactGetItems: two reads of 5 KB items cost 2 x 2 x 2 = 8 units', async () => {
    const { client } = await setup();
    for (const pk of ['r1', 'r2']) await client.send(new PutItemCommand({ TableName: T, Item: item(pk, 5000) }));
    const out = await client.send(new TransactGetItemsCommand({
      TransactItems: ['r1', 'r2'].map((pk) => ({ Get: { TableName: T, Key: { pk: { S: pk }, sk: { S: '1' } } } })),
      ReturnConsumedCapacity: 'TOTAL',
    }));
    expect(out.ConsumedCapacity?.[0]?.CapacityUnits).toBe(8);
  });
});

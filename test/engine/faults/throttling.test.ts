/**
 * Throttling fault mode (engine.faults.set({ throttling: true })), through the AWS SDK v3 in process.
 * - Per partition: 3,000 read units/s and 1,000 write units/s, on tables and GSIs, whatever the
 *   billing mode: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html
 *   and https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/throttling-key-range-limit-exceeded-mitigation.html
 * - PROVISIONED tables at their capacity, with up to 300 s of unused capacity as burst:
 *   https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/burst-adaptive-capacity.html
 * - A GSI that cannot take the write throttles the base-table write:
 *   https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.ThroughputConsiderations.html
 * - Reasons: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ThrottlingReason.html
 */
import { BatchWriteItemCommand, CreateTableCommand, DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { createEngine, engineRequestHandler } from '../../../src/engine';
import { createTable, engineUnderTest, rejection, type EngineUnderTest } from '../docs/support';

const NOW = Date.UTC(2026, 11, 4, 12);

async function onDemand(): Promise<{ e: EngineUnderTest; clock: { now: number } }> {
  const clock = { now: NOW };
  const e = engineUnderTest({ clock: () => clock.now, faults: { throttling: true } });
  await createTable(e.client, 'ondemand', {
    AttributeDefinitions: [{ AttributeName: 'status', AttributeType: 'S' }],
    GlobalSecondaryIndexes: [{ IndexName: 'byStatus', KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
  });
  return { e, clock };
}

const item = (pk: string, sk: string, extra: Record<string, { S: string }> = {}) => ({ pk: { S: pk }, sk: { S: sk }, ...extra });
/** An item of 100 write units (99 KB < size <= 100 KB by DynamoDB's size rules). */
const hundredUnits = (pk: string, sk: string, status?: string) => {
  const fixed = 2 + pk.length + 2 + sk.length + 3 + (status ? 6 + status.length : 0);
  return item(pk, sk, { big: { S: 'x'.repeat(102_400 - fixed) }, ...(status ? { status: { S: status } } : {}) });
};

describe('per-partition throttling', () => {
  test('a hot partition key is throttled at 1,000 WCU/s while another partition is not', async () => {
    const { e, clock } = await onDemand();
    // Items of 100 units (just under 100 KB): ten writes fill one second of the partition.
    for (let i = 0; i < 10; i++) await e.client.send(new PutItemCommand({ TableName: 'ondemand', Item: hundredUnits('hot', 'k' + i) }));
    const err = await rejection(e.client.send(new PutItemCommand({ TableName: 'ondemand', Item: item('hot', 'over') })));
    expect(err.name).toBe('ThrottlingException');
    expect(err.ThrottlingReasons).toEqual([{ reason: 'TableWriteKeyRangeThroughputExceeded', resource: expect.stringMatching(/:table\/ondemand$/) }]);
    // Not applied.
    expect((await e.client.send(new GetItemCommand({ TableName: 'ondemand', Key: item('hot', 'over'), ConsistentRead: true }))).Item).toBeUndefined();
    // Another partition of the same table is not throttled.
    await expect(e.client.send(new PutItemCommand({ TableName: 'ondemand', Item: hundredUnits('cold', '1') }))).resolves.toBeDefined();
    // Capacity refills with the engine clock: 1 ms is 1 unit, 100 ms one more large write.
    clock.now += 100;
    await e.client.send(new PutItemCommand({ TableName: 'ondemand', Item: hundredUnits('hot', 'later') }));
    expect((await rejection(e.client.send(new PutItemCommand({ TableName: 'ondemand', Item: item('hot', 'over') })))).name).toBe('ThrottlingException');
  });

  test('BatchWriteItem: requests on a throttled partition come back in UnprocessedItems, the others are written', async () => {
    const { e } = await onDemand();
    for (let i = 0; i < 10; i++) await e.client.send(new PutItemCommand({ TableName: 'ondemand', Item: hundredUnits('hot', 'k' + i) }));
    const out = await e.client.send(new BatchWriteItemCommand({ RequestItems: { ondemand: [{ PutRequest: { Item: item('hot', 'b') } }, { PutRequest: { Item: item('cold', 'b') } }] } }));
    expect(out.UnprocessedItems).toEqual({ ondemand: [{ PutRequest: { Item: item('hot', 'b') } }] });
    expect((await e.client.send(new GetItemCommand({ TableName: 'ondemand', Key: item('cold', 'b'), ConsistentRead: true }))).Item).toEqual(item('cold', 'b'));
    expect((await e.client.send(new GetItemCommand({ TableName: 'ondemand', Key: item('hot', 'b'), ConsistentRead: true }))).Item).toBeUndefined();
  });

  test('writes that change nothing still cost a unit: deletes of missing items, failed conditions', async () => {
    const { e } = await onDemand();
    e.engine.faults.set({ throttling: { partitionWriteUnitsPerSecond: 4 } });
    await e.client.send(new DeleteItemCommand({ TableName: 'ondemand', Key: item('hot', 'missing') }));
    await e.client.send(new DeleteItemCommand({ TableName: 'ondemand', Key: item('hot', 'missing') }));
    await rejection(e.client.send(new PutItemCommand({ TableName: 'ondemand', Item: item('hot', 'c'), ConditionExpression: 'attribute_exists(pk)' })));
    await rejection(e.client.send(new PutItemCommand({ TableName: 'ondemand', Item: item('hot', 'c'), ConditionExpression: 'attribute_exists(pk)' })));
    expect((await rejection(e.client.send(new PutItemCommand({ TableName: 'ondemand', Item: item('hot', 'c') })))).name).toBe('ThrottlingException');
  });

  test('small writes: 1,000 of 1 KB per second, the 1,001st throttled', async () => {
    const { e } = await onDemand();
    for (let i = 0; i < 1000; i++) e.engine.handleSync('PutItem', { TableName: 'ondemand', Item: item('hot', 'k' + i) });
    expect((await rejection(e.client.send(new PutItemCommand({ TableName: 'ondemand', Item: item('hot', 'over') })))).name).toBe('ThrottlingException');
  });

  test('a hot GSI partition (a status everyone shares) throttles base-table writes to distinct keys', async () => {
    const { e } = await onDemand();
    for (let i = 0; i < 10; i++) await e.client.send(new PutItemCommand({ TableName: 'ondemand', Item: hundredUnits('user' + i, '1', 'OPEN') }));
    const err = await rejection(e.client.send(new PutItemCommand({ TableName: 'ondemand', Item: item('user-new', '1', { status: { S: 'OPEN' } }) })));
    expect(err.ThrottlingReasons).toEqual([{ reason: 'IndexWriteKeyRangeThroughputExceeded', resource: expect.stringMatching(/:table\/ondemand\/index\/byStatus$/) }]);
    expect((await e.client.send(new GetItemCommand({ TableName: 'ondemand', Key: item('user-new', '1'), ConsistentRead: true }))).Item).toBeUndefined();
    // Sharded statuses spread the load: no throttling.
    await expect(e.client.send(new PutItemCommand({ TableName: 'ondemand', Item: item('user-new', '1', { status: { S: 'OPEN#7' } }) }))).resolves.toBeDefined();
  });

  test('reads: 3,000 RCU/s per partition (a strongly consistent read of 100 KB costs 25 units)', async () => {
    const { e } = await onDemand();
    await e.client.send(new PutItemCommand({ TableName: 'ondemand', Item: hundredUnits('hot', '1') }));
    await e.client.send(new PutItemCommand({ TableName: 'ondemand', Item: item('other', '1') }));
    for (let i = 0; i < 120; i++) await e.client.send(new GetItemCommand({ TableName: 'ondemand', Key: item('hot', '1'), ConsistentRead: true }));
    const err = await rejection(e.client.send(new GetItemCommand({ TableName: 'ondemand', Key: item('hot', '1'), ConsistentRead: true })));
    expect(err.ThrottlingReasons).toEqual([{ reason: 'TableReadKeyRangeThroughputExceeded', resource: expect.stringMatching(/:table\/ondemand$/) }]);
    expect((await rejection(e.client.send(new QueryCommand({ TableName: 'ondemand', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'hot' } } })))).name).toBe('ThrottlingException');
    await expect(e.client.send(new GetItemCommand({ TableName: 'ondemand', Key: item('other', '1'), ConsistentRead: true }))).resolves.toBeDefined();
  });

  test("answers are unchanged by the mode: no ConsumedCapacity unless asked, TOTAL stays TOTAL", async () => {
    const { e } = await onDemand();
    await e.client.send(new PutItemCommand({ TableName: 'ondemand', Item: item('a', '1', { status: { S: 'S' } }) }));
    const plain = await e.client.send(new GetItemCommand({ TableName: 'ondemand', Key: item('a', '1') }));
    expect(plain.ConsumedCapacity).toBeUndefined();
    const total = await e.client.send(new QueryCommand({ TableName: 'ondemand', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'a' } }, ReturnConsumedCapacity: 'TOTAL' }));
    expect(total.ConsumedCapacity).toEqual({ TableName: 'ondemand', CapacityUnits: 0.5 });
  });

  test('the SDK retries a throttled request itself (standard retry mode) and succeeds once capacity refills', async () => {
    const clock = { now: NOW };
    const engine = createEngine({ clock: () => clock.now, faults: { throttling: { partitionWriteUnitsPerSecond: 10 } } });
    // The engine's handler, plus: a second passes on the engine clock after each throttled answer
    // (the SDK's backoff, in engine time), so the retry finds capacity again.
    const inner = engineRequestHandler(engine);
    let throttledAnswers = 0;
    const requestHandler = {
      ...inner,
      handle: async (request: Parameters<typeof inner.handle>[0]) => {
        const out = await inner.handle(request);
        if (out.response.statusCode === 400 && Buffer.from(out.response.body).toString('utf8').includes('ThrottlingException')) {
          throttledAnswers++;
          clock.now += 1000;
        }
        return out;
      },
    };
    const client = new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, endpoint: 'http://engine.local', requestHandler, maxAttempts: 3 });
    await createTable(client, 'retry');
    const attempts: number[] = [];
    for (let i = 0; i < 12; i++) {
      const out = await client.send(new PutItemCommand({ TableName: 'retry', Item: item('hot', 'k' + i) }));
      attempts.push(out.$metadata.attempts ?? 0);
    }
    // Ten units in the bucket: the 11th write was throttled once and retried by the SDK.
    expect(attempts).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 1]);
    expect(throttledAnswers).toBe(1);
    expect(engine.faults.counters.throttled).toBe(1);
  });
});

describe('provisioned capacity', () => {
  async function provisioned(wcu: number, gsiWcu: number, burstSeconds?: number) {
    const clock = { now: NOW };
    const e = engineUnderTest({ clock: () => clock.now, faults: { throttling: burstSeconds === undefined ? true : { burstSeconds } } });
    await e.client.send(new CreateTableCommand({
      TableName: 'prov',
      BillingMode: 'PROVISIONED',
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: wcu },
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [{ IndexName: 'gsi1', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' }, ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: gsiWcu } }],
    }));
    return { e, clock };
  }
  const put = (e: EngineUnderTest, pk: string, g?: string) => e.client.send(new PutItemCommand({ TableName: 'prov', Item: { pk: { S: pk }, ...(g ? { g: { S: g } } : {}) } }));

  test('writes beyond the table capacity: ProvisionedThroughputExceededException; unused capacity accrues as burst, up to 300 s', async () => {
    const { e, clock } = await provisioned(5, 100);
    for (let i = 0; i < 5; i++) await put(e, 'k' + i);
    const err = await rejection(put(e, 'k5'));
    expect(err.name).toBe('ProvisionedThroughputExceededException');
    expect(err.ThrottlingReasons).toEqual([{ reason: 'TableWriteProvisionedThroughputExceeded', resource: expect.stringMatching(/:table\/prov$/) }]);
    // Ten idle seconds: 50 units banked.
    clock.now += 10_000;
    for (let i = 0; i < 50; i++) await put(e, 'b' + i);
    expect((await rejection(put(e, 'b50'))).name).toBe('ProvisionedThroughputExceededException');
    // An idle hour banks no more than 300 s: 1,500 units, fifteen items of 100 units.
    clock.now += 3600_000;
    const large = (pk: string) => e.client.send(new PutItemCommand({ TableName: 'prov', Item: { pk: { S: pk }, big: { S: 'x'.repeat(102_400 - 5 - pk.length) } } }));
    for (let i = 0; i < 15; i++) await large('h' + i);
    expect((await rejection(large('h15'))).name).toBe('ProvisionedThroughputExceededException');
  });

  test('a GSI without capacity for the write throttles the base-table write, which is not applied', async () => {
    const { e } = await provisioned(100, 1, 0);
    await put(e, 'a', 'x');
    const err = await rejection(put(e, 'b', 'x'));
    expect(err.name).toBe('ProvisionedThroughputExceededException');
    expect(err.ThrottlingReasons).toEqual([{ reason: 'IndexWriteProvisionedThroughputExceeded', resource: expect.stringMatching(/:table\/prov\/index\/gsi1$/) }]);
    expect((await e.client.send(new GetItemCommand({ TableName: 'prov', Key: { pk: { S: 'b' } }, ConsistentRead: true }))).Item).toBeUndefined();
    // An item outside the index costs the index nothing.
    await expect(put(e, 'c')).resolves.toBeDefined();
  });

  test('BatchWriteItem: a batch where nothing can be processed fails with the throttling error', async () => {
    const { e } = await provisioned(3, 100, 0);
    const req = (pk: string) => ({ PutRequest: { Item: { pk: { S: pk } } } });
    const out = await e.client.send(new BatchWriteItemCommand({ RequestItems: { prov: [req('a'), req('b')] } }));
    expect(out.UnprocessedItems).toEqual({});
    await put(e, 'c');
    // The bucket is now empty: a batch where nothing can be processed fails as a whole.
    const err = await rejection(e.client.send(new BatchWriteItemCommand({ RequestItems: { prov: [req('d'), req('e')] } })));
    expect(err.name).toBe('ProvisionedThroughputExceededException');
  });

  test('reads beyond the provisioned read capacity (eventually consistent reads cost half a unit)', async () => {
    const { e } = await provisioned(100, 100, 0);
    await put(e, 'a');
    const get = () => e.client.send(new GetItemCommand({ TableName: 'prov', Key: { pk: { S: 'a' } } }));
    for (let i = 0; i < 10; i++) await get();
    const err = await rejection(get());
    expect(err.name).toBe('ProvisionedThroughputExceededException');
    expect(err.ThrottlingReasons).toEqual([{ reason: 'TableReadProvisionedThroughputExceeded', resource: expect.stringMatching(/:table\/prov$/) }]);
  });

  test('a transaction touching an exhausted partition is canceled with reason ThrottlingError, nothing applied', async () => {
    const { e } = await provisioned(2, 100, 0);
    await put(e, 'a');
    await put(e, 'b');
    const err = await rejection(e.client.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'prov', Item: { pk: { S: 'c' } } } }] })));
    expect(err.name).toBe('TransactionCanceledException');
    expect(err.CancellationReasons).toEqual([{ Code: 'ThrottlingError', Message: expect.stringContaining('Throughput exceeds the current capacity') }]);
    expect((await e.client.send(new GetItemCommand({ TableName: 'prov', Key: { pk: { S: 'c' } }, ConsistentRead: true }))).Item).toBeUndefined();
  });
});

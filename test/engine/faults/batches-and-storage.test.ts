/**
 * Unprocessed batch requests, GSI propagation lag and stale eventually consistent reads, switched
 * through engine.faults and observed through the AWS SDK v3 in process.
 * - BatchWriteItem / BatchGetItem may return UnprocessedItems / UnprocessedKeys; the caller retries them:
 *   https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html
 *   https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html
 * - GSIs are updated asynchronously (eventually consistent):
 *   https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.Reads
 * - An eventually consistent read "might not reflect the results of a recently completed write":
 *   https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.ReadConsistency.html
 */
import { BatchGetItemCommand, BatchWriteItemCommand, GetItemCommand, PutItemCommand, QueryCommand, ScanCommand, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { createTable, engineUnderTest, type EngineUnderTest } from '../docs/support';

const T = 'batches';
const NOW = Date.UTC(2026, 11, 4, 12);
const key = (pk: string) => ({ pk: { S: pk }, sk: { S: '1' } });

async function setup(options: Parameters<typeof engineUnderTest>[0] = {}): Promise<{ e: EngineUnderTest; clock: { now: number } }> {
  const clock = { now: NOW };
  const e = engineUnderTest({ clock: () => clock.now, ...options });
  await createTable(e.client, T, {
    AttributeDefinitions: [{ AttributeName: 'status', AttributeType: 'S' }],
    GlobalSecondaryIndexes: [{ IndexName: 'byStatus', KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
  });
  return { e, clock };
}

const puts = (n: number, prefix = 'k'): WriteRequest[] => Array.from({ length: n }, (_, i) => ({ PutRequest: { Item: { ...key(prefix + i), n: { N: String(i) } } } }));

describe('unprocessed batch requests', () => {
  test('a share of a BatchWriteItem comes back unprocessed, the same for a seed; retrying them writes everything', async () => {
    const run = async (seed: number) => {
      const { e } = await setup({ seed, faults: { unprocessed: { share: 0.5 } } });
      const first = await e.client.send(new BatchWriteItemCommand({ RequestItems: { [T]: puts(25) } }));
      const left = first.UnprocessedItems?.[T] ?? [];
      let pending = first.UnprocessedItems;
      let calls = 1;
      while (pending && Object.keys(pending).length) {
        pending = (await e.client.send(new BatchWriteItemCommand({ RequestItems: pending }))).UnprocessedItems;
        calls++;
      }
      const count = (await e.client.send(new ScanCommand({ TableName: T, Select: 'COUNT' }))).Count;
      return { left: left.map((r) => r.PutRequest?.Item?.pk?.S), calls, count, unprocessed: e.engine.faults.counters.unprocessed };
    };
    const a = await run(3);
    expect(a.left.length).toBeGreaterThan(0);
    expect(a.left.length).toBeLessThan(25);
    expect(a.count).toBe(25);
    expect(a.calls).toBeGreaterThan(1);
    // Unprocessed requests come back as they were sent.
    expect(a.left.every((pk) => typeof pk === 'string' && pk.startsWith('k'))).toBe(true);
    const b = await run(3);
    expect(b).toEqual(a);
    expect((await run(4)).left).not.toEqual(a.left);
  });

  test('count: exactly that many per call (one request is always processed)', async () => {
    const { e } = await setup({ faults: { unprocessed: { count: 3 } } });
    const out = await e.client.send(new BatchWriteItemCommand({ RequestItems: { [T]: puts(10) } }));
    expect(out.UnprocessedItems?.[T]).toHaveLength(3);
    expect((await e.client.send(new ScanCommand({ TableName: T, Select: 'COUNT' }))).Count).toBe(7);
    const two = await e.client.send(new BatchWriteItemCommand({ RequestItems: { [T]: puts(2, 'z') } }));
    expect(two.UnprocessedItems?.[T]).toHaveLength(1);
    const one = await e.client.send(new BatchWriteItemCommand({ RequestItems: { [T]: puts(1, 'y') } }));
    expect(one.UnprocessedItems).toEqual({});
  });

  test('BatchGetItem: UnprocessedKeys keep the request options; retrying them reads everything', async () => {
    const { e } = await setup();
    await e.client.send(new BatchWriteItemCommand({ RequestItems: { [T]: puts(20) } }));
    e.engine.faults.set({ unprocessed: { share: 0.6 } });
    const request = { Keys: puts(20).map((r) => key(r.PutRequest?.Item?.pk?.S as string)), ProjectionExpression: 'pk, #n', ExpressionAttributeNames: { '#n': 'n' }, ConsistentRead: true };
    const first = await e.client.send(new BatchGetItemCommand({ RequestItems: { [T]: request } }));
    const left = first.UnprocessedKeys?.[T];
    expect(left?.Keys?.length).toBeGreaterThan(0);
    expect(left).toMatchObject({ ProjectionExpression: 'pk, #n', ExpressionAttributeNames: { '#n': 'n' }, ConsistentRead: true });
    const got = [...(first.Responses?.[T] ?? [])];
    let pending = first.UnprocessedKeys;
    while (pending && Object.keys(pending).length) {
      const next = await e.client.send(new BatchGetItemCommand({ RequestItems: pending }));
      got.push(...(next.Responses?.[T] ?? []));
      pending = next.UnprocessedKeys;
    }
    expect(got.map((i) => Number(i.n?.N)).sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(got[0]).toEqual({ pk: got[0]?.pk, n: got[0]?.n });
  });

  test('a batch too large is still refused as a whole (the mode never hides a validation error)', async () => {
    const { e } = await setup({ faults: { unprocessed: { share: 0.5 } } });
    await expect(e.client.send(new BatchWriteItemCommand({ RequestItems: { [T]: puts(26) } }))).rejects.toThrow(/25/);
    expect((await e.client.send(new ScanCommand({ TableName: T, Select: 'COUNT' }))).Count).toBe(0);
  });
});

describe('GSI lag and stale reads through engine.faults', () => {
  const byStatus = (e: EngineUnderTest) =>
    e.client.send(new QueryCommand({ TableName: T, IndexName: 'byStatus', KeyConditionExpression: '#s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: 'DELETED' } } }));

  test('gsiLag: an index read sees a write only after the lag (engine clock)', async () => {
    const { e, clock } = await setup();
    e.engine.faults.set({ gsiLag: { lagMs: 200 } });
    await e.client.send(new PutItemCommand({ TableName: T, Item: { ...key('u1'), status: { S: 'DELETED' } } }));
    expect((await byStatus(e)).Count).toBe(0);
    expect((await e.client.send(new GetItemCommand({ TableName: T, Key: key('u1'), ConsistentRead: true }))).Item).toBeDefined();
    clock.now += 200;
    expect((await byStatus(e)).Count).toBe(1);
    expect(e.engine.faults.settings.gsiLag).toEqual({ lagMs: 200 });
    e.engine.faults.clear();
    expect(e.engine.faults.settings.gsiLag).toBeNull();
  });

  test('staleReads: an eventually consistent read returns the previous version within the window; a strongly consistent one never does', async () => {
    const { e, clock } = await setup({ faults: { staleReads: { windowMs: 100 } } });
    await e.client.send(new PutItemCommand({ TableName: T, Item: { ...key('a'), v: { S: 'old' } } }));
    clock.now += 1000;
    await e.client.send(new PutItemCommand({ TableName: T, Item: { ...key('a'), v: { S: 'new' } } }));
    const read = async (ConsistentRead: boolean) => (await e.client.send(new GetItemCommand({ TableName: T, Key: key('a'), ConsistentRead }))).Item?.v;
    expect(await read(false)).toEqual({ S: 'old' });
    expect(await read(true)).toEqual({ S: 'new' });
    clock.now += 100;
    expect(await read(false)).toEqual({ S: 'new' });
    expect(() => e.engine.faults.set({ staleReads: { windowMs: -5 } })).toThrow(/staleReads/);
  });
});

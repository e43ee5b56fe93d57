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
import { BatchGetItemCommand, BatchWriteItemCommand, CreateTableCommand, DeleteItemCommand, ExecuteStatementCommand, GetItemCommand, PutItemCommand, QueryCommand, ScanCommand, type QueryCommandInput, type ScanCommandInput, type WriteRequest } from '@aws-sdk/client-dynamodb';
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

/**
 * Stale reads on Query and Scan. AWS: eventually consistent reads (GetItem, BatchGetItem, Query and
 * Scan of a table) "might not reflect the results of a recently completed write"
 * (HowItWorks.ReadConsistency.html). A stale item is its previous version: absent when it was put
 * within the window, present when it was deleted within the window.
 */
describe('staleReads on Query and Scan of the base table', () => {
  type Av = Record<string, { S?: string; N?: string }>;
  const pk = (i: Av | undefined) => `${i?.pk?.S}/${i?.sk?.S}`;
  const item = (p: string, s: string, v: string, extra: Av = {}) => ({ pk: { S: p }, sk: { S: s }, v: { S: v }, ...extra });

  /**
   * p/1..p/5 and solo/1 written long ago; within the window: p/2 updated, p/4 deleted, p/6 put,
   * solo/1 deleted (its partition is then empty). p/1 was also updated, but outside the window.
   */
  async function scenario(options: Parameters<typeof engineUnderTest>[0] = {}) {
    const { e, clock } = await setup(options);
    for (const s of ['1', '2', '3', '4', '5']) await e.client.send(new PutItemCommand({ TableName: T, Item: item('p', s, 'old') }));
    await e.client.send(new PutItemCommand({ TableName: T, Item: item('solo', '1', 'old') }));
    clock.now += 500;
    await e.client.send(new PutItemCommand({ TableName: T, Item: item('p', '1', 'renamed') }));
    clock.now += 1000;
    await e.client.send(new PutItemCommand({ TableName: T, Item: item('p', '2', 'new') }));
    await e.client.send(new DeleteItemCommand({ TableName: T, Key: key2('p', '4') }));
    await e.client.send(new PutItemCommand({ TableName: T, Item: item('p', '6', 'new') }));
    await e.client.send(new DeleteItemCommand({ TableName: T, Key: key2('solo', '1') }));
    clock.now += 50;
    return { e, clock };
  }
  const key2 = (p: string, s: string) => ({ pk: { S: p }, sk: { S: s } });
  const stalePart = ['p/1=renamed', 'p/2=old', 'p/3=old', 'p/4=old', 'p/5=old'];
  const freshPart = ['p/1=renamed', 'p/2=new', 'p/3=old', 'p/5=old', 'p/6=new'];
  const show = (items: Av[] | undefined) => (items ?? []).map((i) => `${pk(i)}=${i.v?.S}`);
  const queryP = (e: EngineUnderTest, extra: Partial<QueryCommandInput> = {}) =>
    e.client.send(new QueryCommand({ TableName: T, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } }, ...extra }));
  const scanAll = async (e: EngineUnderTest, extra: Partial<ScanCommandInput> = {}) => {
    const items: Av[] = [];
    let ExclusiveStartKey: ScanCommandInput['ExclusiveStartKey'];
    do {
      const page = await e.client.send(new ScanCommand({ TableName: T, ...extra, ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}) }));
      items.push(...((page.Items ?? []) as Av[]));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  };
  const queryAll = async (e: EngineUnderTest, extra: Partial<QueryCommandInput> = {}) => {
    const items: Av[] = [];
    const leks: string[] = [];
    let ExclusiveStartKey: QueryCommandInput['ExclusiveStartKey'];
    do {
      const page = await queryP(e, { ...extra, ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}) });
      items.push(...((page.Items ?? []) as Av[]));
      ExclusiveStartKey = page.LastEvaluatedKey;
      if (ExclusiveStartKey) leks.push(pk(ExclusiveStartKey as Av));
    } while (ExclusiveStartKey);
    return { items, leks };
  };

  test('Query: within the window an update reads as the old version, a delete still appears, a put is absent; outside it, the current items', async () => {
    const { e, clock } = await scenario({ faults: { staleReads: { windowMs: 100 } } });
    const stale = await queryP(e);
    expect(show(stale.Items as Av[])).toEqual(stalePart);
    expect(stale.Count).toBe(5);
    expect(stale.ScannedCount).toBe(5);
    expect(show((await queryP(e, { ScanIndexForward: false })).Items as Av[])).toEqual([...stalePart].reverse());
    expect(show((await queryP(e, { ConsistentRead: true })).Items as Av[])).toEqual(freshPart);
    // The sort-key condition applies to the stale versions (p/4 was deleted, p/6 put).
    const range = await queryP(e, { KeyConditionExpression: 'pk = :p AND sk BETWEEN :a AND :b', ExpressionAttributeValues: { ':p': { S: 'p' }, ':a': { S: '4' }, ':b': { S: '6' } } });
    expect(show(range.Items as Av[])).toEqual(['p/4=old', 'p/5=old']);
    clock.now += 50;
    expect(show((await queryP(e)).Items as Av[])).toEqual(freshPart);
  });

  test('Scan: the same view, a deleted item shown again at its place (also from a partition that is now empty), every segment included', async () => {
    const { e, clock } = await scenario({ faults: { staleReads: { windowMs: 100 } } });
    const fresh = await scanAll(e, { ConsistentRead: true });
    const stale = await scanAll(e);
    expect(show(stale).filter((s) => s.startsWith('p/'))).toEqual(stalePart);
    expect(show(stale)).toContain('solo/1=old');
    expect(show(fresh).filter((s) => s.startsWith('p/'))).toEqual(freshPart);
    expect(show(fresh).some((s) => s.startsWith('solo/'))).toBe(false);
    // Scan order is the table's order: the view equals the current scan with the changes undone.
    const undone = fresh.filter((i) => pk(i) !== 'p/6').map((i) => pk(i));
    const order = stale.map((i) => pk(i));
    expect(order.filter((k) => k !== 'p/4' && k !== 'solo/1')).toEqual(undone);
    // Parallel segments cover the stale view exactly once.
    const segments: Av[] = [];
    for (let Segment = 0; Segment < 3; Segment++) segments.push(...(await scanAll(e, { Segment, TotalSegments: 3 })));
    expect(show(segments).sort()).toEqual(show(stale).sort());
    clock.now += 50;
    expect(show(await scanAll(e))).toEqual(show(fresh));
  });

  test('ConsistentRead: true never sees a stale version; probability 0 never does either', async () => {
    const strong = await scenario({ faults: { staleReads: { windowMs: 100 } } });
    expect(show((await queryP(strong.e, { ConsistentRead: true })).Items as Av[])).toEqual(freshPart);
    expect(show(await scanAll(strong.e, { ConsistentRead: true })).filter((s) => s.startsWith('p/'))).toEqual(freshPart);
    const never = await scenario({ faults: { staleReads: { windowMs: 100, probability: 0 } } });
    expect(show((await queryP(never.e)).Items as Av[])).toEqual(freshPart);
    expect(show(await scanAll(never.e))).toEqual(show(await scanAll(never.e, { ConsistentRead: true })));
  });

  test('pagination across stale items: Limit counts the versions returned, LastEvaluatedKey may name a deleted item, no item twice', async () => {
    const { e } = await scenario({ faults: { staleReads: { windowMs: 100 } } });
    for (const ScanIndexForward of [true, false]) {
      const { items, leks } = await queryAll(e, { Limit: 2, ScanIndexForward });
      expect(show(items)).toEqual(ScanIndexForward ? stalePart : [...stalePart].reverse());
      expect(leks).toContain('p/4');
    }
    const { items } = await queryAll(e, { Limit: 1 });
    expect(show(items)).toEqual(stalePart);
    const scanned = await scanAll(e, { Limit: 1 });
    expect(show(scanned)).toEqual(show(await scanAll(e)));
    expect(new Set(scanned.map(pk)).size).toBe(scanned.length);
  });

  test('filters, Select COUNT and ConsumedCapacity are computed on the stale versions', async () => {
    const { e, clock } = await setup({ faults: { staleReads: { windowMs: 100 } } });
    // The old p/2 is 8 KB; its new version is small: an eventually consistent read of the stale
    // page reads about 8 KB (2 x 4 KB, at 0.5 each), of the current one under 4 KB.
    await e.client.send(new PutItemCommand({ TableName: T, Item: item('p', '1', 'old') }));
    await e.client.send(new PutItemCommand({ TableName: T, Item: item('p', '2', 'old', { extra_bytes: { S: 'x'.repeat(8000) } }) }));
    clock.now += 1000;
    await e.client.send(new PutItemCommand({ TableName: T, Item: item('p', '2', 'new') }));
    const filtered = await queryP(e, { FilterExpression: 'v = :old', ExpressionAttributeValues: { ':p': { S: 'p' }, ':old': { S: 'old' } }, ReturnConsumedCapacity: 'TOTAL' });
    expect(show(filtered.Items as Av[])).toEqual(['p/1=old', 'p/2=old']);
    expect(filtered.ScannedCount).toBe(2);
    expect(filtered.ConsumedCapacity?.CapacityUnits).toBe(1);
    const count = await e.client.send(new ScanCommand({ TableName: T, Select: 'COUNT', FilterExpression: 'attribute_exists(extra_bytes)', ReturnConsumedCapacity: 'TOTAL' }));
    expect(count.Items).toBeUndefined();
    expect(count.Count).toBe(1);
    expect(count.ConsumedCapacity?.CapacityUnits).toBe(1);
    const strong = await queryP(e, { FilterExpression: 'v = :old', ExpressionAttributeValues: { ':p': { S: 'p' }, ':old': { S: 'old' } }, ReturnConsumedCapacity: 'TOTAL', ConsistentRead: true });
    expect(show(strong.Items as Av[])).toEqual(['p/1=old']);
    expect(strong.ConsumedCapacity?.CapacityUnits).toBe(1);
    clock.now += 100;
    const fresh = await queryP(e, { ReturnConsumedCapacity: 'TOTAL' });
    expect(fresh.ConsumedCapacity?.CapacityUnits).toBe(0.5);
  });

  test('seeded: with probability 0.5 each recent item is stale or not, the same for a seed; every item read is its current or its previous version', async () => {
    const view = async (seed: number) => {
      const { e } = await scenario({ seed, faults: { staleReads: { windowMs: 100, probability: 0.5 } } });
      return { q: show((await queryAll(e, { Limit: 2 })).items), s: show(await scanAll(e, { Limit: 2 })) };
    };
    const a = await view(7);
    expect(await view(7)).toEqual(a);
    const allowed = new Set([...stalePart, ...freshPart]);
    const views = [a, ...(await Promise.all([1, 2, 3, 4, 5, 6].map(view)))];
    for (const v of views) {
      expect(v.q.every((s) => allowed.has(s))).toBe(true);
      const keys = v.q.map((s) => s.split('=')[0]);
      expect(new Set(keys).size).toBe(keys.length);
      expect([...keys].sort()).toEqual(keys);
    }
    expect(new Set(views.map((v) => v.q.join())).size).toBeGreaterThan(1);
  });

  test('stale and failed reads never change stored data; a GSI read is left to gsiLag', async () => {
    const { e, clock } = await scenario({ faults: { staleReads: { windowMs: 100 } } });
    await e.client.send(new PutItemCommand({ TableName: T, Item: item('g', '1', 'x', { status: { S: 'DELETED' } }) }));
    await e.client.send(new DeleteItemCommand({ TableName: T, Key: key2('g', '1') }));
    const before = show(await scanAll(e, { ConsistentRead: true }));
    for (let i = 0; i < 3; i++) {
      await queryAll(e, { Limit: 1 });
      await scanAll(e, { Limit: 2 });
      await e.client.send(new GetItemCommand({ TableName: T, Key: key2('p', '4') }));
    }
    // A refused read (a start key outside the key condition) is refused whatever the fault.
    await expect(queryP(e, { ExclusiveStartKey: key2('other', '1') })).rejects.toThrow(/starting key/);
    expect(show(await scanAll(e, { ConsistentRead: true }))).toEqual(before);
    expect((await e.client.send(new GetItemCommand({ TableName: T, Key: key2('p', '4'), ConsistentRead: true }))).Item).toBeUndefined();
    // The GSI shows its current state: the item deleted within the window is not there.
    expect((await e.client.send(new QueryCommand({ TableName: T, IndexName: 'byStatus', KeyConditionExpression: '#s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: 'DELETED' } } }))).Count).toBe(0);
    clock.now += 100;
    expect(show(await scanAll(e))).toEqual(before);
  });

  test('a write while the fault is off leaves no previous version: switched back on, reads never go two versions back', async () => {
    const { e } = await setup({ faults: { staleReads: { windowMs: 100 } } });
    await e.client.send(new PutItemCommand({ TableName: T, Item: item('p', '1', 'v0') }));
    await e.client.send(new PutItemCommand({ TableName: T, Item: item('p', '1', 'v1') }));
    e.engine.faults.set({ staleReads: null });
    await e.client.send(new PutItemCommand({ TableName: T, Item: item('p', '1', 'v2') }));
    e.engine.faults.set({ staleReads: { windowMs: 100 } });
    expect(show((await queryP(e)).Items as Av[])).toEqual(['p/1=v2']);
    expect((await e.client.send(new GetItemCommand({ TableName: T, Key: key2('p', '1') }))).Item?.v).toEqual({ S: 'v2' });
  });

  test('a PartiQL SELECT runs as a Query or Scan and sees the same versions', async () => {
    const { e } = await scenario({ faults: { staleReads: { windowMs: 100 } } });
    const select = async (Statement: string, ConsistentRead: boolean) => show((await e.client.send(new ExecuteStatementCommand({ Statement, ConsistentRead }))).Items as Av[]);
    expect(await select(`SELECT * FROM "${T}" WHERE pk = 'p'`, false)).toEqual(stalePart);
    expect(await select(`SELECT * FROM "${T}" WHERE pk = 'p'`, true)).toEqual(freshPart);
    expect(await select(`SELECT * FROM "${T}"`, false)).toContain('solo/1=old');
    expect(await select(`SELECT * FROM "${T}"`, true)).not.toContain('solo/1=old');
  });

  test('any key schema: a number partition key with a hostile name, no sort key', async () => {
    const clock = { now: NOW };
    const e = engineUnderTest({ clock: () => clock.now, faults: { staleReads: { windowMs: 100 } } });
    const H = 'we"ird.#key [0]';
    await e.client.send(new CreateTableCommand({ TableName: 'hostile', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: H, AttributeType: 'N' }], KeySchema: [{ AttributeName: H, KeyType: 'HASH' }] }));
    for (let i = 0; i < 8; i++) await e.client.send(new PutItemCommand({ TableName: 'hostile', Item: { [H]: { N: String(i * 10 - 30) }, v: { S: 'old' } } }));
    const scanKeys = async (ConsistentRead: boolean) =>
      ((await e.client.send(new ScanCommand({ TableName: 'hostile', ConsistentRead }))).Items ?? []).map((i) => `${i[H]?.N}=${i.v?.S}`);
    const original = await scanKeys(true);
    clock.now += 1000;
    await e.client.send(new DeleteItemCommand({ TableName: 'hostile', Key: { [H]: { N: '-30' } } }));
    await e.client.send(new PutItemCommand({ TableName: 'hostile', Item: { [H]: { N: '10' }, v: { S: 'new' } } }));
    await e.client.send(new PutItemCommand({ TableName: 'hostile', Item: { [H]: { N: '1000' }, v: { S: 'new' } } }));
    expect(await scanKeys(false)).toEqual(original);
    expect(await scanKeys(true)).not.toEqual(original);
    const q = await e.client.send(new QueryCommand({ TableName: 'hostile', KeyConditionExpression: '#h = :h', ExpressionAttributeNames: { '#h': H }, ExpressionAttributeValues: { ':h': { N: '-30' } } }));
    expect(q.Items?.map((i) => i.v?.S)).toEqual(['old']);
  });
});

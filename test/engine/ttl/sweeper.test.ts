/**
 * The TTL sweeper (engine.ttl.sweep()), from AWS's documentation:
 * - https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/time-to-live-ttl-before-you-start.html
 *   (the attribute must be a top-level Number in epoch seconds, not more than five years in the
 *   past; other items are ignored)
 * - https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/howitworks-ttl.html
 *   (deleted some time after expiry, meanwhile still returned by reads; removed from indexes)
 * - https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/time-to-live-ttl-streams.html
 *   (the deletion's stream record: REMOVE, userIdentity type Service, principal dynamodb.amazonaws.com)
 */
import { GetItemCommand, PutItemCommand, QueryCommand, ScanCommand, UpdateItemCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import type { LambdaStreamRecord } from '../../../src/engine/streams';
import { DEFAULT_TTL_DELAY_MS } from '../../../src/engine/faults';
import { createTable, engineUnderTest, type EngineUnderTest } from '../docs/support';

const T = 'expiring';
const NOW = Date.UTC(2026, 11, 4, 12);
const DAY = 24 * 3600 * 1000;

async function setup(options: { ttlDelayMs?: number } = {}): Promise<{ e: EngineUnderTest; clock: { now: number } }> {
  const clock = { now: NOW };
  const e = engineUnderTest({ clock: () => clock.now, ...(options.ttlDelayMs !== undefined ? { faults: { ttlDelayMs: options.ttlDelayMs } } : {}) });
  await createTable(e.client, T, {
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    AttributeDefinitions: [{ AttributeName: 'status', AttributeType: 'S' }],
    GlobalSecondaryIndexes: [{ IndexName: 'byStatus', KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
  });
  await e.client.send(new UpdateTimeToLiveCommand({ TableName: T, TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } }));
  return { e, clock };
}

const secs = (ms: number) => String(Math.floor(ms / 1000));
const key = (pk: string) => ({ pk: { S: pk }, sk: { S: '1' } });
const put = (e: EngineUnderTest, pk: string, expires?: Record<string, unknown>) =>
  e.client.send(new PutItemCommand({ TableName: T, Item: { ...key(pk), status: { S: 'open' }, ...(expires ? { expires: expires as { N: string } } : {}) } }));
const exists = async (e: EngineUnderTest, pk: string) => (await e.client.send(new GetItemCommand({ TableName: T, Key: key(pk), ConsistentRead: true }))).Item !== undefined;

describe('TTL sweeper', () => {
  test('only top-level Numbers in epoch seconds, expired, not more than five years old, are deleted', async () => {
    const { e, clock } = await setup();
    await put(e, 'expired', { N: secs(NOW - 3600_000) });
    await put(e, 'decimal', { N: secs(NOW - 3600_000) + '.5' });
    await put(e, 'future', { N: secs(NOW + DAY) });
    await put(e, 'string', { S: secs(NOW - 3600_000) });
    await put(e, 'set', { NS: [secs(NOW - 3600_000)] });
    await put(e, 'millis', { N: String(NOW - 3600_000) }); // epoch ms: far in the future as seconds
    await put(e, 'ancient', { N: secs(NOW - 6 * 365 * DAY) });
    await put(e, 'four-years', { N: secs(NOW - 4 * 365 * DAY) });
    await put(e, 'huge', { N: '9'.repeat(38) });
    await put(e, 'none');
    await e.client.send(new PutItemCommand({ TableName: T, Item: { ...key('nested'), nested: { M: { expires: { N: secs(NOW - 3600_000) } } } } }));
    clock.now += DEFAULT_TTL_DELAY_MS;
    const result = e.engine.ttl.sweep();
    expect(result.deleted).toEqual({ [T]: 3 });
    const left = ((await e.client.send(new ScanCommand({ TableName: T }))).Items ?? []).map((i) => i.pk?.S).sort();
    expect(left).toEqual(['ancient', 'future', 'huge', 'millis', 'nested', 'none', 'set', 'string']);
  });

  test('an expired item is still read until the delay has passed; the delay is set at createEngine or at run time', async () => {
    const { e, clock } = await setup({ ttlDelayMs: 10 * 60_000 });
    await put(e, 'a', { N: secs(NOW) });
    clock.now += 10 * 60_000 - 1000;
    e.engine.ttl.sweep();
    expect(await exists(e, 'a')).toBe(true);
    clock.now += 1000;
    e.engine.ttl.sweep();
    expect(await exists(e, 'a')).toBe(false);

    e.engine.faults.set({ ttlDelayMs: 2 * DAY });
    await put(e, 'b', { N: secs(clock.now) });
    clock.now += DAY;
    e.engine.ttl.sweep();
    expect(await exists(e, 'b')).toBe(true);
    clock.now += DAY;
    e.engine.ttl.sweep();
    expect(await exists(e, 'b')).toBe(false);
    expect(() => e.engine.faults.set({ ttlDelayMs: -1 })).toThrow(/ttlDelayMs/);
  });

  test('the deletion leaves the indexes and is a REMOVE record from the DynamoDB service', async () => {
    const { e, clock } = await setup({ ttlDelayMs: 0 });
    const got: LambdaStreamRecord[] = [];
    const sub = e.engine.streams.subscribe(T, (r) => void got.push(r));
    await put(e, 'a', { N: secs(NOW - 1000) });
    const byStatus = async () => (await e.client.send(new QueryCommand({ TableName: T, IndexName: 'byStatus', KeyConditionExpression: '#s = :o', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':o': { S: 'open' } } }))).Count;
    expect(await byStatus()).toBe(1);
    clock.now += 1;
    e.engine.ttl.sweep();
    expect(await byStatus()).toBe(0);
    await sub.drained();
    expect(got.map((r) => r.eventName)).toEqual(['INSERT', 'REMOVE']);
    expect(got[1]?.userIdentity).toEqual({ type: 'Service', principalId: 'dynamodb.amazonaws.com' });
    expect(got[1]?.dynamodb.OldImage?.pk).toEqual({ S: 'a' });
  });

  test('an item whose TTL was pushed back before the sweep stays; TTL disabled: nothing is deleted', async () => {
    const { e, clock } = await setup({ ttlDelayMs: 0 });
    await put(e, 'kept', { N: secs(NOW - 1000) });
    await e.client.send(new UpdateItemCommand({ TableName: T, Key: key('kept'), UpdateExpression: 'SET expires = :e', ExpressionAttributeValues: { ':e': { N: secs(NOW + DAY) } } }));
    await put(e, 'off', { N: secs(NOW - 1000) });
    clock.now += 3600_000 + 1; // one hour: UpdateTimeToLive may change again
    await e.client.send(new UpdateTimeToLiveCommand({ TableName: T, TimeToLiveSpecification: { Enabled: false, AttributeName: 'expires' } }));
    expect(e.engine.ttl.sweep().deleted).toEqual({});
    expect(await exists(e, 'kept')).toBe(true);
    expect(await exists(e, 'off')).toBe(true);
  });

  test('a change listener that throws during a sweep neither stops it nor corrupts the table', async () => {
    const { e, clock } = await setup({ ttlDelayMs: 0 });
    for (let i = 0; i < 20; i++) await put(e, 'i' + i, { N: secs(NOW - 1000 - i) });
    await put(e, 'live', { N: secs(NOW + DAY) });
    e.engine.onChange(() => {
      throw new Error('listener broke');
    });
    clock.now += 1;
    expect(e.engine.ttl.sweep()).toEqual({ deleted: { [T]: 20 }, errors: 0 });
    const scan = await e.client.send(new ScanCommand({ TableName: T }));
    expect(scan.Items?.map((i) => i.pk?.S)).toEqual(['live']);
    const gsi = await e.client.send(new ScanCommand({ TableName: T, IndexName: 'byStatus' }));
    expect(gsi.Items?.map((i) => i.pk?.S)).toEqual(['live']);
  });

  test('start(ms) sweeps on an interval until stop(); a bad interval is refused', async () => {
    const { e, clock } = await setup({ ttlDelayMs: 0 });
    await put(e, 'a', { N: secs(NOW - 1000) });
    clock.now += 1;
    jest.useFakeTimers();
    try {
      expect(() => e.engine.ttl.start(0)).toThrow(/intervalMs/);
      e.engine.ttl.start(1000);
      jest.advanceTimersByTime(999);
      expect(e.engine.ttl.stats.deleted).toBe(0);
      jest.advanceTimersByTime(1);
      expect(e.engine.ttl.stats.deleted).toBe(1);
      e.engine.ttl.stop();
      await put(e, 'b', { N: secs(NOW - 1000) });
      jest.advanceTimersByTime(5000);
      expect(e.engine.ttl.stats.deleted).toBe(1);
    } finally {
      e.engine.ttl.stop();
      jest.useRealTimers();
    }
    expect(await exists(e, 'a')).toBe(false);
    expect(await exists(e, 'b')).toBe(true);
  });
});

/**
 * engine.streams.subscribe: in-process delivery of a table's stream records to a test's handler,
 * in order, in the shape a Lambda function receives them
 * (https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html), never blocking or failing a write.
 */
import { GetItemCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { GetRecordsCommand, GetShardIteratorCommand, ListStreamsCommand, DescribeStreamCommand } from '@aws-sdk/client-dynamodb-streams';
import type { LambdaStreamRecord, SubscriberFailure } from '../../../src/engine/streams';
import { createTable, engineUnderTest, type EngineUnderTest } from '../docs/support';

const T = 'subscribed';
const key = (pk: string) => ({ pk: { S: pk }, sk: { S: 'x' } });
const pkOf = (r: LambdaStreamRecord) => (r.dynamodb.Keys.pk as { S: string }).S;

async function setup(): Promise<EngineUnderTest> {
  const e = engineUnderTest();
  await createTable(e.client, T, { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } });
  return e;
}

const put = (e: EngineUnderTest, pk: string, extra: Record<string, { S: string }> = {}) =>
  e.client.send(new PutItemCommand({ TableName: T, Item: { ...key(pk), ...extra } }));

describe('engine.streams.subscribe', () => {
  test('delivers records in order, as Lambda receives them', async () => {
    const e = await setup();
    const got: LambdaStreamRecord[] = [];
    const sub = e.engine.streams.subscribe(T, (r) => {
      got.push(r);
    });
    for (const pk of ['a', 'b', 'c']) await put(e, pk);
    await e.client.send(new PutItemCommand({ TableName: T, Item: { ...key('a'), v: { S: '2' } } }));
    await sub.drained();
    expect(got.map((r) => [r.eventName, r.dynamodb.Keys.pk])).toEqual([
      ['INSERT', { S: 'a' }],
      ['INSERT', { S: 'b' }],
      ['INSERT', { S: 'c' }],
      ['MODIFY', { S: 'a' }],
    ]);
    const arn = (await e.streams.send(new ListStreamsCommand({ TableName: T }))).Streams?.[0]?.StreamArn;
    expect(got[0]).toMatchObject({ eventSource: 'aws:dynamodb', eventVersion: '1.1', awsRegion: 'us-east-1', eventSourceARN: arn });
    expect(got[3]?.dynamodb.OldImage).toEqual(key('a'));
    expect(sub.delivered).toBe(4);
  });

  test('LATEST (default) skips what was written before; TRIM_HORIZON delivers it first', async () => {
    const e = await setup();
    await put(e, 'before');
    const latest: string[] = [];
    const horizon: string[] = [];
    const s1 = e.engine.streams.subscribe(T, (r) => void latest.push(pkOf(r)));
    const s2 = e.engine.streams.subscribe(T, (r) => void horizon.push(pkOf(r)), { startingPosition: 'TRIM_HORIZON' });
    await put(e, 'after');
    await e.engine.streams.drained();
    expect(latest).toEqual(['after']);
    expect(horizon).toEqual(['before', 'after']);
    s1.unsubscribe();
    s2.unsubscribe();
    await put(e, 'gone');
    await e.engine.streams.drained();
    expect(latest).toEqual(['after']);
  });

  test('a handler that never returns blocks no write; records wait their turn in order', async () => {
    const e = await setup();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const seen: string[] = [];
    const sub = e.engine.streams.subscribe(T, async (r) => {
      seen.push(pkOf(r));
      if (seen.length === 1) await gate;
    });
    for (const pk of ['a', 'b', 'c']) await put(e, pk);
    expect((await e.client.send(new ScanCommand({ TableName: T }))).Count).toBe(3);
    expect(seen).toEqual(['a']);
    release();
    await sub.drained();
    expect(seen).toEqual(['a', 'b', 'c']);
  });

  test('a throwing handler gets the record again up to maxAttempts, then it is dropped and reported; data and stream untouched', async () => {
    const e = await setup();
    const attempts: string[] = [];
    const reported: SubscriberFailure[] = [];
    const sub = e.engine.streams.subscribe(
      T,
      (r) => {
        const pk = pkOf(r);
        attempts.push(pk);
        // The handler mutates what it got: nothing stored may change.
        (r.dynamodb.NewImage as Record<string, unknown>).pk = { S: 'mutated' };
        r.dynamodb.Keys.pk = { S: 'mutated' };
        if (pk === 'bad') throw new Error('handler failed');
        if (pk === 'flaky' && attempts.filter((x) => x === 'flaky').length < 2) throw new Error('once');
      },
      { maxAttempts: 3, onError: (f) => reported.push(f) },
    );
    await put(e, 'bad');
    await put(e, 'flaky');
    await put(e, 'good');
    await sub.drained();
    expect(attempts).toEqual(['bad', 'bad', 'bad', 'flaky', 'flaky', 'good']);
    expect(reported.map((f) => [f.attempts, f.dropped])).toEqual([[1, false], [2, false], [3, true], [1, false]]);
    expect(reported[2]?.error).toEqual(new Error('handler failed'));
    expect(sub.failures).toHaveLength(4);
    expect(sub.delivered).toBe(2);
    // The writes stand, and the stream still holds the records as written.
    expect((await e.client.send(new GetItemCommand({ TableName: T, Key: key('bad') }))).Item).toEqual(key('bad'));
    const arn = (await e.streams.send(new ListStreamsCommand({ TableName: T }))).Streams?.[0]?.StreamArn as string;
    const shard = (await e.streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription?.Shards?.[0]?.ShardId as string;
    const it = (await e.streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
    const recs = (await e.streams.send(new GetRecordsCommand({ ShardIterator: it }))).Records ?? [];
    expect(recs.map((r) => r.dynamodb?.Keys?.pk?.S)).toEqual(['bad', 'flaky', 'good']);
    expect(recs.map((r) => r.dynamodb?.NewImage?.pk?.S)).toEqual(['bad', 'flaky', 'good']);
  });

  test('a throwing onError changes nothing; without onError the failure is emitted as a process warning', async () => {
    const e = await setup();
    const sub = e.engine.streams.subscribe(T, () => { throw new Error('x'); }, { maxAttempts: 1, onError: () => { throw new Error('reporter broke'); } });
    await put(e, 'a');
    await put(e, 'b');
    await sub.drained();
    expect(sub.failures.map((f) => f.dropped)).toEqual([true, true]);
    sub.unsubscribe();
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const quiet = e.engine.streams.subscribe(T, () => { throw new Error('y'); }, { maxAttempts: 1 });
      await put(e, 'c');
      await quiet.drained();
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]?.[0])).toContain('dropped record');
    } finally {
      warn.mockRestore();
    }
  });

  test('bad subscriptions are refused with a clear error', async () => {
    const e = await setup();
    await createTable(e.client, 'no_stream');
    expect(() => e.engine.streams.subscribe('no_stream', () => undefined)).toThrow(/no enabled stream/);
    expect(() => e.engine.streams.subscribe('missing', () => undefined)).toThrow(/not found/);
    expect(() => e.engine.streams.subscribe(T, () => undefined, { maxAttempts: 0 })).toThrow(/maxAttempts/);
    expect(() => e.engine.streams.subscribe(T, () => undefined, { startingPosition: 'SOMEWHERE' as 'LATEST' })).toThrow(/startingPosition/);
  });
});

/**
 * The DynamoDB Streams API on the engine, through @aws-sdk/client-dynamodb-streams in process.
 * Follows AWS's Streams API reference and developer guide:
 * - https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html
 * - https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetShardIterator.html
 * - https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetRecords.html
 * - https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_DescribeStream.html
 * - https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_StreamRecord.html
 */
import { DeleteItemCommand, DescribeTableCommand, GetItemCommand, PutItemCommand, UpdateItemCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
  type _Record,
  type ShardIteratorType,
} from '@aws-sdk/client-dynamodb-streams';
import { createTable, engineUnderTest, rejection, type EngineUnderTest } from '../docs/support';

const START = Date.UTC(2026, 11, 4, 12, 0, 0);

function setup(table = 'streamed', viewType: 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES' = 'NEW_AND_OLD_IMAGES') {
  const clock = { now: START };
  const e = engineUnderTest({ clock: () => clock.now });
  const ready = createTable(e.client, table, { StreamSpecification: { StreamEnabled: true, StreamViewType: viewType } });
  return { e, clock, table, ready };
}

async function streamOf(e: EngineUnderTest, table: string): Promise<{ arn: string; shardId: string }> {
  const listed = await e.streams.send(new ListStreamsCommand({ TableName: table }));
  const arn = listed.Streams?.[listed.Streams.length - 1]?.StreamArn as string;
  const d = await e.streams.send(new DescribeStreamCommand({ StreamArn: arn }));
  return { arn, shardId: d.StreamDescription?.Shards?.[0]?.ShardId as string };
}

async function iterator(e: EngineUnderTest, arn: string, shardId: string, type: ShardIteratorType, seq?: string): Promise<string> {
  const r = await e.streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: type, ...(seq ? { SequenceNumber: seq } : {}) }));
  return r.ShardIterator as string;
}

async function readAll(e: EngineUnderTest, it: string | undefined, limit?: number): Promise<{ records: _Record[]; next?: string; pages: number }> {
  const records: _Record[] = [];
  let pages = 0;
  let next = it;
  while (next) {
    const page = await e.streams.send(new GetRecordsCommand({ ShardIterator: next, ...(limit ? { Limit: limit } : {}) }));
    pages++;
    records.push(...(page.Records ?? []));
    next = page.NextShardIterator;
    if ((page.Records ?? []).length === 0) break;
  }
  return { records, ...(next ? { next } : {}), pages };
}

const key = (pk: string) => ({ pk: { S: pk }, sk: { S: 'x' } });

describe('stream records (API_streams_StreamRecord.html)', () => {
  test.each([
    ['KEYS_ONLY', false, false],
    ['NEW_IMAGE', true, false],
    ['OLD_IMAGE', false, true],
    ['NEW_AND_OLD_IMAGES', true, true],
  ] as const)('%s: INSERT, MODIFY, REMOVE with the images the view type carries', async (viewType, hasNew, hasOld) => {
    const { e, clock, ready } = setup('view_' + viewType.toLowerCase(), viewType);
    await ready;
    const table = 'view_' + viewType.toLowerCase();
    await e.client.send(new PutItemCommand({ TableName: table, Item: { ...key('a'), v: { N: '1' } } }));
    clock.now += 2500;
    await e.client.send(new UpdateItemCommand({ TableName: table, Key: key('a'), UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { N: '2' } } }));
    await e.client.send(new DeleteItemCommand({ TableName: table, Key: key('a') }));
    const { arn, shardId } = await streamOf(e, table);
    const { records } = await readAll(e, await iterator(e, arn, shardId, 'TRIM_HORIZON'));

    expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
    for (const r of records) {
      expect(r).toMatchObject({ eventVersion: '1.1', eventSource: 'aws:dynamodb', awsRegion: 'us-east-1' });
      expect(r.eventID).toMatch(/^[0-9a-f]{32}$/);
      expect(r.dynamodb?.Keys).toEqual(key('a'));
      expect(r.dynamodb?.StreamViewType).toBe(viewType);
      expect(r.dynamodb?.SequenceNumber).toMatch(/^\d{21,40}$/);
      expect(r.dynamodb?.SizeBytes).toBeGreaterThan(0);
      expect(r.userIdentity).toBeUndefined();
    }
    // Engine clock, whole seconds.
    expect(records[0]?.dynamodb?.ApproximateCreationDateTime?.getTime()).toBe(Math.floor(START / 1000) * 1000);
    expect(records[1]?.dynamodb?.ApproximateCreationDateTime?.getTime()).toBe(Math.floor((START + 2500) / 1000) * 1000);
    const [ins, mod, rem] = records;
    expect(ins?.dynamodb?.NewImage).toEqual(hasNew ? { ...key('a'), v: { N: '1' } } : undefined);
    expect(ins?.dynamodb?.OldImage).toBeUndefined();
    expect(mod?.dynamodb?.NewImage).toEqual(hasNew ? { ...key('a'), v: { N: '2' } } : undefined);
    expect(mod?.dynamodb?.OldImage).toEqual(hasOld ? { ...key('a'), v: { N: '1' } } : undefined);
    expect(rem?.dynamodb?.NewImage).toBeUndefined();
    expect(rem?.dynamodb?.OldImage).toEqual(hasOld ? { ...key('a'), v: { N: '2' } } : undefined);
    // Sequence numbers increase (compared as numbers: they are decimal strings).
    const seqs = records.map((r) => BigInt(r.dynamodb?.SequenceNumber as string));
    expect([...seqs].sort((a, b) => (a < b ? -1 : 1))).toEqual(seqs);
    expect(new Set(seqs).size).toBe(3);
  });

  test('hostile names and values reach the record intact', async () => {
    const { e, table, ready } = setup('odd.name-_1');
    await ready;
    const item = { ...key('${x}\u0000"\''), __proto__: { S: 'p' }, constructor: { M: { toString: { S: '😀\uFFFF' } } } };
    await e.client.send(new PutItemCommand({ TableName: table, Item: item }));
    const { arn, shardId } = await streamOf(e, table);
    expect(arn).toContain(':table/odd.name-_1/stream/');
    const { records } = await readAll(e, await iterator(e, arn, shardId, 'TRIM_HORIZON'));
    expect(records[0]?.dynamodb?.NewImage).toEqual(item);
  });
});

describe('streams and shards (DescribeStream, ListStreams)', () => {
  test('the table reports its stream; DescribeStream shows one open shard', async () => {
    const { e, table, ready } = setup();
    await ready;
    const described = await e.client.send(new DescribeTableCommand({ TableName: table }));
    const { arn, shardId } = await streamOf(e, table);
    expect(described.Table?.LatestStreamArn).toBe(arn);
    expect(arn).toBe(`${described.Table?.TableArn}/stream/${described.Table?.LatestStreamLabel}`);
    // StreamLabel: an ISO 8601 timestamp of the engine clock.
    expect(described.Table?.LatestStreamLabel).toBe(new Date(START).toISOString().replace('Z', ''));
    const d = (await e.streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription;
    expect(d).toMatchObject({ StreamArn: arn, StreamStatus: 'ENABLED', StreamViewType: 'NEW_AND_OLD_IMAGES', TableName: table });
    expect(d?.KeySchema).toEqual([{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }]);
    expect(d?.CreationRequestDateTime?.getTime()).toBe(START);
    expect(d?.Shards).toHaveLength(1);
    expect(shardId).toMatch(/^shardId-\d{20}-[0-9a-f]{8}$/);
    expect(d?.Shards?.[0]?.SequenceNumberRange?.StartingSequenceNumber).toMatch(/^\d{21,}$/);
    expect(d?.Shards?.[0]?.SequenceNumberRange?.EndingSequenceNumber).toBeUndefined();
  });

  test('disabling the stream closes the shard: read to its end, no next iterator; re-enabling makes a new stream', async () => {
    const { e, clock, table, ready } = setup();
    await ready;
    await e.client.send(new PutItemCommand({ TableName: table, Item: key('a') }));
    const first = await streamOf(e, table);
    const latest = await iterator(e, first.arn, first.shardId, 'LATEST');
    clock.now += 1000;
    await e.client.send(new UpdateTableCommand({ TableName: table, StreamSpecification: { StreamEnabled: false } }));
    // Writes while the stream is off are not recorded anywhere.
    await e.client.send(new PutItemCommand({ TableName: table, Item: key('b') }));
    const d = (await e.streams.send(new DescribeStreamCommand({ StreamArn: first.arn }))).StreamDescription;
    expect(d?.StreamStatus).toBe('DISABLED');
    const range = d?.Shards?.[0]?.SequenceNumberRange;
    expect(BigInt(range?.EndingSequenceNumber as string)).toBeGreaterThanOrEqual(BigInt(range?.StartingSequenceNumber as string));
    const all = await readAll(e, await iterator(e, first.arn, first.shardId, 'TRIM_HORIZON'));
    expect(all.records.map((r) => r.dynamodb?.Keys?.pk?.S)).toEqual(['a']);
    expect(all.next).toBeUndefined();
    // An iterator taken at LATEST before the close also ends.
    const page = await e.streams.send(new GetRecordsCommand({ ShardIterator: latest }));
    expect(page.Records).toEqual([]);
    expect(page.NextShardIterator).toBeUndefined();

    clock.now += 1000;
    await e.client.send(new UpdateTableCommand({ TableName: table, StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } }));
    await e.client.send(new PutItemCommand({ TableName: table, Item: key('c') }));
    const second = await streamOf(e, table);
    expect(second.arn).not.toBe(first.arn);
    const listed = await e.streams.send(new ListStreamsCommand({ TableName: table }));
    expect(listed.Streams?.map((s) => s.StreamArn)).toEqual([first.arn, second.arn]);
    const again = await readAll(e, await iterator(e, second.arn, second.shardId, 'TRIM_HORIZON'));
    expect(again.records.map((r) => [r.dynamodb?.Keys?.pk?.S, r.dynamodb?.StreamViewType])).toEqual([['c', 'KEYS_ONLY']]);
    expect(again.next).toBeDefined();
  });

  test('ListStreams pages with Limit and LastEvaluatedStreamArn; a table filter', async () => {
    const clock = { now: START };
    const e = engineUnderTest({ clock: () => clock.now });
    for (const t of ['t_one', 't_two', 't_three']) {
      await createTable(e.client, t, { StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } });
      clock.now += 1;
    }
    await createTable(e.client, 't_plain');
    const p1 = await e.streams.send(new ListStreamsCommand({ Limit: 2 }));
    expect(p1.Streams?.map((s) => s.TableName)).toEqual(['t_one', 't_two']);
    const p2 = await e.streams.send(new ListStreamsCommand({ Limit: 2, ExclusiveStartStreamArn: p1.LastEvaluatedStreamArn }));
    expect(p2.Streams?.map((s) => s.TableName)).toEqual(['t_three']);
    expect(p2.LastEvaluatedStreamArn).toBeUndefined();
    expect((await e.streams.send(new ListStreamsCommand({ TableName: 't_plain' }))).Streams).toEqual([]);
  });
});

describe('shard iterators (API_streams_GetShardIterator.html)', () => {
  test('TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER and AFTER_SEQUENCE_NUMBER start where AWS says', async () => {
    const { e, table, ready } = setup();
    await ready;
    for (const pk of ['a', 'b', 'c']) await e.client.send(new PutItemCommand({ TableName: table, Item: key(pk) }));
    const { arn, shardId } = await streamOf(e, table);
    const all = (await readAll(e, await iterator(e, arn, shardId, 'TRIM_HORIZON'))).records;
    const seqB = all[1]?.dynamodb?.SequenceNumber as string;
    const pks = (rs: _Record[]) => rs.map((r) => r.dynamodb?.Keys?.pk?.S);
    expect(pks(all)).toEqual(['a', 'b', 'c']);
    expect(pks((await readAll(e, await iterator(e, arn, shardId, 'AT_SEQUENCE_NUMBER', seqB))).records)).toEqual(['b', 'c']);
    expect(pks((await readAll(e, await iterator(e, arn, shardId, 'AFTER_SEQUENCE_NUMBER', seqB))).records)).toEqual(['c']);
    const latest = await iterator(e, arn, shardId, 'LATEST');
    const empty = await e.streams.send(new GetRecordsCommand({ ShardIterator: latest }));
    expect(empty.Records).toEqual([]);
    expect(empty.NextShardIterator).toBeDefined();
    await e.client.send(new PutItemCommand({ TableName: table, Item: key('d') }));
    expect(pks((await readAll(e, empty.NextShardIterator)).records)).toEqual(['d']);
    expect(pks((await readAll(e, latest)).records)).toEqual(['d']);
  });

  test('Limit pages the records; each page hands the next iterator', async () => {
    const { e, table, ready } = setup();
    await ready;
    for (let i = 0; i < 7; i++) await e.client.send(new PutItemCommand({ TableName: table, Item: key('k' + i) }));
    const { arn, shardId } = await streamOf(e, table);
    const r = await readAll(e, await iterator(e, arn, shardId, 'TRIM_HORIZON'), 3);
    expect(r.records.map((x) => x.dynamodb?.Keys?.pk?.S)).toEqual(['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6']);
    expect(r.pages).toBe(4); // 3 + 3 + 1 + the empty page at the open end
  });

  test('records older than 24 hours are trimmed: TRIM_HORIZON moves on, an iterator behind the trim point gets TrimmedDataAccessException', async () => {
    const { e, clock, table, ready } = setup();
    await ready;
    await e.client.send(new PutItemCommand({ TableName: table, Item: key('old') }));
    const { arn, shardId } = await streamOf(e, table);
    const oldIt = await iterator(e, arn, shardId, 'TRIM_HORIZON');
    const oldSeq = (await readAll(e, oldIt)).records[0]?.dynamodb?.SequenceNumber as string;
    clock.now += 24 * 3600 * 1000 - 5 * 60 * 1000;
    // Taken 5 minutes before 'old' reaches 24 hours: it points at 'old'.
    const heldIt = await iterator(e, arn, shardId, 'TRIM_HORIZON');
    clock.now += 5 * 60 * 1000; // 'old' is now exactly 24 h old: trimmed
    await e.client.send(new PutItemCommand({ TableName: table, Item: key('new') }));
    expect((await readAll(e, await iterator(e, arn, shardId, 'TRIM_HORIZON'))).records.map((r) => r.dynamodb?.Keys?.pk?.S)).toEqual(['new']);
    const trimmedRead = await rejection(e.streams.send(new GetRecordsCommand({ ShardIterator: heldIt })));
    expect(trimmedRead.name).toBe('TrimmedDataAccessException');
    const trimmedAt = await rejection(e.streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: oldSeq })));
    expect(trimmedAt.name).toBe('TrimmedDataAccessException');
  });

  test('an iterator expires 15 minutes after it is returned', async () => {
    const { e, clock, table, ready } = setup();
    await ready;
    const { arn, shardId } = await streamOf(e, table);
    const it = await iterator(e, arn, shardId, 'TRIM_HORIZON');
    clock.now += 15 * 60 * 1000;
    await expect(e.streams.send(new GetRecordsCommand({ ShardIterator: it }))).resolves.toBeDefined();
    clock.now += 1;
    const err = await rejection(e.streams.send(new GetRecordsCommand({ ShardIterator: it })));
    expect(err.name).toBe('ExpiredIteratorException');
  });
});

describe('bad input gets the Streams API errors', () => {
  test('validation, unknown streams and shards, forged iterators', async () => {
    const { e, table, ready } = setup();
    await ready;
    await e.client.send(new PutItemCommand({ TableName: table, Item: key('a') }));
    const { arn, shardId } = await streamOf(e, table);
    const it = await iterator(e, arn, shardId, 'TRIM_HORIZON');
    const name = async (p: Promise<unknown>) => (await rejection(p)).name;
    expect(await name(e.streams.send(new GetRecordsCommand({ ShardIterator: it, Limit: 0 })))).toBe('ValidationException');
    expect(await name(e.streams.send(new GetRecordsCommand({ ShardIterator: it, Limit: 1001 })))).toBe('ValidationException');
    expect(await name(e.streams.send(new GetRecordsCommand({ ShardIterator: 'not-an-iterator' })))).toBe('ValidationException');
    expect(await name(e.streams.send(new GetRecordsCommand({ ShardIterator: arn + '|1|' + Buffer.from('["x","1e99",0]').toString('base64url') })))).toBe('ValidationException');
    expect(await name(e.streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'SIDEWAYS' as ShardIteratorType })))).toBe('ValidationException');
    expect(await name(e.streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER' })))).toBe('ValidationException');
    expect(await name(e.streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: '9'.repeat(30) })))).toBe('ValidationException');
    expect(await name(e.streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: 'shardId-00000000000000000000-00000000', ShardIteratorType: 'LATEST' })))).toBe('ResourceNotFoundException');
    const otherArn = arn.replace('/stream/', '/stream/1999-');
    expect(await name(e.streams.send(new DescribeStreamCommand({ StreamArn: otherArn })))).toBe('ResourceNotFoundException');
    expect(await name(e.streams.send(new GetShardIteratorCommand({ StreamArn: otherArn, ShardId: shardId, ShardIteratorType: 'LATEST' })))).toBe('ResourceNotFoundException');
    expect(await name(e.streams.send(new ListStreamsCommand({ Limit: 0 })))).toBe('ValidationException');
    // Nothing of this touched the table.
    expect((await e.client.send(new GetItemCommand({ TableName: table, Key: key('a') }))).Item).toEqual(key('a'));
  });
});

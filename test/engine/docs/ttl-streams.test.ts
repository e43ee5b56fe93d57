/**
 * TTL and its stream records, from AWS's documentation (dynalite has neither):
 * - https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/howitworks-ttl.html
 *   (expired items, epoch seconds in a Number attribute, deleted by a background process; until
 *   then still returned by reads)
 * - https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/time-to-live-ttl-streams.html and
 *   https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_Record.html
 *   (a TTL deletion is a REMOVE record whose userIdentity is type "Service", principalId
 *   "dynamodb.amazonaws.com"; a user's delete has no userIdentity)
 * Streams are read through the streams API on the same endpoint (DynamoDBStreams_20120810.*).
 */
import { DeleteItemCommand, GetItemCommand, PutItemCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand, ListStreamsCommand, type _Record } from '@aws-sdk/client-dynamodb-streams';
import { createTable, engineUnderTest, type EngineUnderTest } from './support';

const T = 'ttl_table';

/** The engine's TTL sweeper, as the engine exposes it (E4's module). */
function sweep(e: EngineUnderTest): void {
  const ttl = (e.engine as unknown as { ttl?: { sweep(): unknown } }).ttl;
  if (!ttl || typeof ttl.sweep !== 'function') throw new Error('the engine does not expose its TTL sweeper as engine.ttl.sweep()');
  ttl.sweep();
}

async function records(e: EngineUnderTest): Promise<_Record[]> {
  const streams = await e.streams.send(new ListStreamsCommand({ TableName: T }));
  const arn = streams.Streams?.[0]?.StreamArn;
  if (!arn) throw new Error('no stream');
  const described = await e.streams.send(new DescribeStreamCommand({ StreamArn: arn }));
  const out: _Record[] = [];
  for (const shard of described.StreamDescription?.Shards ?? []) {
    let it = (await e.streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
    for (let i = 0; it && i < 10; i++) {
      const page = await e.streams.send(new GetRecordsCommand({ ShardIterator: it }));
      out.push(...(page.Records ?? []));
      if ((page.Records ?? []).length === 0) break;
      it = page.NextShardIterator;
    }
  }
  return out;
}

describe('TTL (howitworks-ttl.html, time-to-live-ttl-streams.html)', () => {
  test('an expired item is still read until the sweeper deletes it; the deletion is a REMOVE record from the DynamoDB service', async () => {
    let now = Date.UTC(2026, 11, 4, 12);
    const e = engineUnderTest({ clock: () => now });
    await createTable(e.client, T, { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } });
    await e.client.send(new UpdateTimeToLiveCommand({ TableName: T, TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } }));
    const seconds = Math.floor(now / 1000);
    await e.client.send(new PutItemCommand({ TableName: T, Item: { pk: { S: 'old' }, sk: { S: '1' }, expires: { N: String(seconds - 60) } } }));
    await e.client.send(new PutItemCommand({ TableName: T, Item: { pk: { S: 'new' }, sk: { S: '1' }, expires: { N: String(seconds + 3600) } } }));
    await e.client.send(new PutItemCommand({ TableName: T, Item: { pk: { S: 'mine' }, sk: { S: '1' } } }));
    await e.client.send(new DeleteItemCommand({ TableName: T, Key: { pk: { S: 'mine' }, sk: { S: '1' } } }));
    const get = async (pk: string) => (await e.client.send(new GetItemCommand({ TableName: T, Key: { pk: { S: pk }, sk: { S: '1' } }, ConsistentRead: true }))).Item;
    expect(await get('old')).toBeDefined();

    now += 2 * 24 * 3600 * 1000; // past any sweeper delay; 'new' expires too, an hour after the start
    sweep(e);
    expect(await get('old')).toBeUndefined();
    expect(await get('new')).toBeUndefined();

    const removes = (await records(e)).filter((r) => r.eventName === 'REMOVE');
    const byKey = new Map(removes.map((r) => [r.dynamodb?.Keys?.pk?.S, r]));
    expect(byKey.get('old')?.userIdentity).toEqual({ Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' });
    expect(byKey.get('new')?.userIdentity).toEqual({ Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' });
    expect(byKey.get('old')?.dynamodb?.OldImage?.expires).toEqual({ N: String(seconds - 60) });
    // A user's own delete is not the service's.
    expect(byKey.get('mine')?.userIdentity).toBeUndefined();
  });
});

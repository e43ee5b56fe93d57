/**
 * Where the local consumer reads a table's stream: the engine in process (its stream store, woken on
 * each append, with the exact moment each record was written), or any endpoint's Streams API
 * through a client with the methods of @aws-sdk/client-dynamodb-streams' `DynamoDBStreams`
 * (polled, as Lambda polls a shard four times a second).
 */
import type { Engine } from '../../engine';
import { wakeableSleep } from '../batch/backoff';
import type { StreamRecord } from './stream-record';

/** A record read from a shard. */
export interface SourceRecord {
  record: StreamRecord;
  shardId: string;
  seq: bigint;
  /** When the write happened, ms on the `now()` clock of the source (for end-to-end lag). */
  writtenAt: number;
  /** Age of the record by the table's clock, ms (for maximumRecordAgeInSeconds). */
  age(): number;
}

export interface StreamSource {
  /** Reads every record now available after the positions already read; [] when none. */
  read(limit: number): Promise<SourceRecord[]>;
  /** Resolves when records may have arrived (an append, or the poll interval), on wake(), or after `ms`. */
  wait(ms: number): Promise<void>;
  /** Ends a wait now. */
  wake(): void;
  /** The clock `writtenAt` is on, ms. */
  now(): number;
  close(): void;
}

export interface SourcePosition {
  startingPosition: 'TRIM_HORIZON' | 'LATEST';
  /** Per shard, the last sequence number already handled: reading resumes after it. */
  checkpoint?: Readonly<Record<string, string>>;
}

const preciseNow = () => performance.timeOrigin + performance.now();

/** The engine's stream of `tableName`, in process. */
export function engineStreamSource(engine: Engine, tableName: string, position: SourcePosition): StreamSource {
  const store = engine.streams.store;
  // LATEST is "from now on": everything up to the next sequence number is behind us.
  const floor = position.startingPosition === 'LATEST' ? store.upcomingSequence - 1n : -1n;
  const after = new Map<string, bigint>();
  for (const [shard, seq] of Object.entries(position.checkpoint ?? {})) after.set(shard, BigInt(seq));
  const writtenAt = new Map<bigint, number>();
  const sleeper = wakeableSleep();
  const off = store.onAppend((stream, rec) => {
    if (stream.tableName !== tableName) return;
    writtenAt.set(rec.seq, preciseNow());
    sleeper.wake();
  });
  return {
    async read(limit) {
      const out: SourceRecord[] = [];
      for (const s of store.streamsOf(tableName)) {
        const shardId = s.shard.shardId;
        const from = after.get(shardId) ?? floor;
        for (const rec of s.shard.records) {
          if (out.length >= limit) break;
          if (rec.seq <= from) continue;
          const wire = JSON.parse(rec.json) as WireRecord;
          const at = writtenAt.get(rec.seq);
          writtenAt.delete(rec.seq);
          out.push({
            record: lambdaShape(wire, s.arn),
            shardId,
            seq: rec.seq,
            // A record written before the consumer started has only the engine clock's stamp.
            writtenAt: at ?? rec.at - engine.clock() + preciseNow(),
            age: () => engine.clock() - rec.at,
          });
          after.set(shardId, rec.seq);
        }
      }
      return Promise.resolve(out);
    },
    wait(ms) {
      return sleeper.sleep(ms);
    },
    wake() {
      sleeper.wake();
    },
    now: preciseNow,
    close() {
      off();
      sleeper.wake();
    },
  };
}

interface WireRecord {
  eventID: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  eventVersion: string;
  eventSource: string;
  awsRegion: string;
  dynamodb: NonNullable<StreamRecord['dynamodb']>;
  userIdentity?: { Type?: string; PrincipalId?: string };
}

/** The Streams API's record as Lambda hands it over: eventSourceARN, lowercase userIdentity, epoch-second dates. */
function lambdaShape(wire: WireRecord, streamArn: string): StreamRecord {
  const d = wire.dynamodb as NonNullable<StreamRecord['dynamodb']> & { ApproximateCreationDateTime?: number | Date };
  const created: unknown = d.ApproximateCreationDateTime;
  const out: StreamRecord = {
    eventID: wire.eventID,
    eventName: wire.eventName,
    eventVersion: wire.eventVersion,
    eventSource: wire.eventSource,
    awsRegion: wire.awsRegion,
    eventSourceARN: streamArn,
    dynamodb: { ...d, ApproximateCreationDateTime: created instanceof Date ? Math.floor(created.getTime() / 1000) : (created as number | undefined) },
  };
  if (wire.userIdentity) out.userIdentity = { type: wire.userIdentity.Type, principalId: wire.userIdentity.PrincipalId };
  return out;
}

/** The methods of @aws-sdk/client-dynamodb-streams' `DynamoDBStreams` the source calls. */
export interface StreamsApiClient {
  listStreams(input: { TableName?: string; ExclusiveStartStreamArn?: string }): Promise<{ Streams?: { StreamArn?: string }[]; LastEvaluatedStreamArn?: string }>;
  describeStream(input: { StreamArn: string }): Promise<{ StreamDescription?: { Shards?: { ShardId?: string }[] } }>;
  getShardIterator(input: { StreamArn: string; ShardId: string; ShardIteratorType: 'TRIM_HORIZON' | 'LATEST' | 'AFTER_SEQUENCE_NUMBER'; SequenceNumber?: string }): Promise<{ ShardIterator?: string }>;
  getRecords(input: { ShardIterator: string; Limit?: number }): Promise<{ Records?: unknown[]; NextShardIterator?: string }>;
}

/**
 * Any endpoint's Streams API (DynamoDB itself, the engine over HTTP): `new DynamoDBStreams(config)`.
 * Lag is measured from ApproximateCreationDateTime, which has whole seconds only.
 */
export function streamsApiSource(client: StreamsApiClient, tableName: string, position: SourcePosition & { pollIntervalMs?: number }): StreamSource {
  const poll = position.pollIntervalMs ?? 250;
  const shards = new Map<string, { arn: string; iterator?: string; last?: string; ended: boolean }>();
  for (const [shard, seq] of Object.entries(position.checkpoint ?? {})) shards.set(shard, { arn: '', last: seq, ended: false });
  let first = true;
  let closed = false;
  const sleeper = wakeableSleep();

  const discover = async () => {
    let start: string | undefined;
    do {
      const page = await client.listStreams({ TableName: tableName, ...(start ? { ExclusiveStartStreamArn: start } : {}) });
      for (const s of page.Streams ?? []) {
        if (!s.StreamArn) continue;
        const d = await client.describeStream({ StreamArn: s.StreamArn });
        for (const sh of d.StreamDescription?.Shards ?? []) {
          if (!sh.ShardId) continue;
          const known = shards.get(sh.ShardId);
          if (known) known.arn = s.StreamArn;
          else {
            const type = first && position.startingPosition === 'LATEST' ? 'LATEST' : 'TRIM_HORIZON';
            const it = await client.getShardIterator({ StreamArn: s.StreamArn, ShardId: sh.ShardId, ShardIteratorType: type });
            shards.set(sh.ShardId, { arn: s.StreamArn, iterator: it.ShardIterator, ended: false });
          }
        }
      }
      start = page.LastEvaluatedStreamArn;
    } while (start);
    first = false;
  };

  return {
    async read(limit) {
      await discover();
      const out: SourceRecord[] = [];
      for (const [shardId, sh] of shards) {
        if (sh.ended || !sh.arn || out.length >= limit) continue;
        if (!sh.iterator) {
          const it = await client.getShardIterator({ StreamArn: sh.arn, ShardId: shardId, ...(sh.last ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: sh.last } : { ShardIteratorType: 'TRIM_HORIZON' }) });
          sh.iterator = it.ShardIterator;
        }
        if (!sh.iterator) continue;
        let page: Awaited<ReturnType<StreamsApiClient['getRecords']>>;
        try {
          page = await client.getRecords({ ShardIterator: sh.iterator, Limit: Math.min(1000, limit - out.length) });
        } catch (error) {
          // An iterator lives 15 minutes: take a new one after the last record read.
          if ((error as { name?: string }).name === 'ExpiredIteratorException') {
            sh.iterator = undefined;
            continue;
          }
          throw error;
        }
        for (const raw of page.Records ?? []) {
          const record = lambdaShape(raw as WireRecord, sh.arn);
          const seq = record.dynamodb?.SequenceNumber ?? '0';
          const created = (record.dynamodb?.ApproximateCreationDateTime ?? 0) * 1000;
          out.push({ record, shardId, seq: BigInt(seq), writtenAt: created, age: () => Date.now() - created });
          sh.last = seq;
        }
        sh.iterator = page.NextShardIterator;
        if (!page.NextShardIterator) sh.ended = true;
      }
      return out;
    },
    wait(ms) {
      if (closed) return Promise.resolve();
      return sleeper.sleep(Math.min(ms, poll));
    },
    wake() {
      sleeper.wake();
    },
    now: () => Date.now(),
    close() {
      closed = true;
      sleeper.wake();
    },
  };
}

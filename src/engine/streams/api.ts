/**
 * The DynamoDB Streams API (X-Amz-Target: DynamoDBStreams_20120810.<Op>) as the AWS SDK v3 client
 * @aws-sdk/client-dynamodb-streams sends it: ListStreams, DescribeStream, GetShardIterator, GetRecords.
 * Parameters, constraints and errors follow the Streams API reference:
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Operations_Amazon_DynamoDB_Streams.html
 */
import { EngineError, validation } from '../errors';
import { validateRequest, type FieldSpec } from '../operations/validator';
import { indexAtOrAfter, RETENTION_MS, type StoredRecord, type StreamEntry, type StreamRecordWire, type StreamStore } from './store';

/** A shard iterator expires 15 minutes after it is returned. */
export const ITERATOR_TTL_MS = 15 * 60 * 1000;
/** GetRecords returns at most 1,000 records or 1 MB. */
const MAX_RECORDS = 1000;
const MAX_BYTES = 1024 * 1024;

const STREAM_ARN: FieldSpec = { type: 'String', lengthGreaterThanOrEqual: 37, lengthLessThanOrEqual: 1024 };
const SHARD_ID: FieldSpec = { type: 'String', lengthGreaterThanOrEqual: 28, lengthLessThanOrEqual: 65 };
const ITERATOR_TYPES = ['TRIM_HORIZON', 'LATEST', 'AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER'];

function streamNotFound(arn: string): EngineError {
  return new EngineError('ResourceNotFoundException', 'Requested resource not found: Stream: ' + arn + ' not found');
}

function shardNotFound(arn: string, shardId: string): EngineError {
  return new EngineError('ResourceNotFoundException', 'Requested resource not found: Shard: ' + shardId + ' in Stream: ' + arn + ' not found');
}

function trimmed(): EngineError {
  return new EngineError(
    'TrimmedDataAccessException',
    'The operation attempted to read past the oldest stream record in a shard: records older than 24 hours have been trimmed from the stream',
  );
}

export function listStreams(store: StreamStore, body: unknown): unknown {
  const data = validateRequest(body, {
    TableName: { type: 'String', regex: '[a-zA-Z0-9_.-]+', lengthGreaterThanOrEqual: 3, lengthLessThanOrEqual: 255 },
    Limit: { type: 'Integer', greaterThanOrEqual: 1 },
    ExclusiveStartStreamArn: STREAM_ARN,
  });
  const limit = Math.min((data.Limit as number | undefined) ?? 100, 100);
  let all = store.list();
  if (data.TableName !== undefined) all = all.filter((s) => s.tableName === data.TableName);
  let start = 0;
  if (data.ExclusiveStartStreamArn !== undefined) {
    const i = all.findIndex((s) => s.arn === data.ExclusiveStartStreamArn);
    start = i < 0 ? all.length : i + 1;
  }
  const page = all.slice(start, start + limit);
  const out: Record<string, unknown> = { Streams: page.map((s) => ({ StreamArn: s.arn, TableName: s.tableName, StreamLabel: s.label })) };
  if (start + limit < all.length && page.length) out.LastEvaluatedStreamArn = (page[page.length - 1] as StreamEntry).arn;
  return out;
}

export function describeStream(store: StreamStore, body: unknown): unknown {
  const data = validateRequest(body, {
    StreamArn: { ...STREAM_ARN, required: true, notNull: true },
    Limit: { type: 'Integer', greaterThanOrEqual: 1 },
    ExclusiveStartShardId: SHARD_ID,
    ShardFilter: {
      type: 'FieldStruct<ShardFilter>',
      children: { Type: { type: 'String', enum: ['CHILD_SHARDS'] }, ShardId: SHARD_ID },
    },
  });
  const arn = data.StreamArn as string;
  const s = store.get(arn);
  if (!s) throw streamNotFound(arn);
  const shard = s.shard;
  const range: Record<string, string> = { StartingSequenceNumber: shard.startingSeq.toString() };
  if (shard.endingSeq !== undefined) range.EndingSequenceNumber = shard.endingSeq.toString();
  let shards = [{ ShardId: shard.shardId, SequenceNumberRange: range }];
  // One shard per stream: it has no children, and nothing follows it.
  if (data.ShardFilter !== undefined) shards = [];
  if (data.ExclusiveStartShardId !== undefined) shards = shards.filter((x) => x.ShardId > (data.ExclusiveStartShardId as string));
  return {
    StreamDescription: {
      StreamArn: s.arn,
      StreamLabel: s.label,
      StreamStatus: s.status,
      StreamViewType: s.viewType,
      CreationRequestDateTime: s.createdAt / 1000,
      TableName: s.tableName,
      KeySchema: s.keySchema.map((k) => ({ ...k })),
      Shards: shards.slice(0, Math.min((data.Limit as number | undefined) ?? 100, 100)),
    },
  };
}

interface IteratorState {
  arn: string;
  shardId: string;
  /** Sequence number of the next record to read. */
  position: bigint;
  issuedAt: number;
}

/** arn|1|base64url(JSON): opaque to clients, self-contained, so no iterator table grows. */
function encodeIterator(it: IteratorState): string {
  const payload = Buffer.from(JSON.stringify([it.shardId, it.position.toString(), it.issuedAt]), 'utf8').toString('base64url');
  return it.arn + '|1|' + payload;
}

function decodeIterator(text: string): IteratorState {
  const bad = () => validation('Invalid ShardIterator');
  const cut = text.lastIndexOf('|1|');
  if (cut <= 0) throw bad();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text.slice(cut + 3), 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) throw bad();
  const [shardId, position, issuedAt] = parsed as unknown[];
  if (typeof shardId !== 'string' || typeof position !== 'string' || !/^\d{1,40}$/.test(position) || typeof issuedAt !== 'number' || !Number.isFinite(issuedAt)) {
    throw bad();
  }
  return { arn: text.slice(0, cut), shardId, position: BigInt(position), issuedAt };
}

function parseSequence(text: string): bigint {
  if (!/^\d{21,40}$/.test(text)) throw validation('Invalid SequenceNumber: ' + text + ' (expected 21 to 40 digits)');
  return BigInt(text);
}

export function getShardIterator(store: StreamStore, body: unknown): unknown {
  const data = validateRequest(body, {
    StreamArn: { ...STREAM_ARN, required: true, notNull: true },
    ShardId: { ...SHARD_ID, required: true, notNull: true },
    ShardIteratorType: { type: 'String', required: true, notNull: true, enum: ITERATOR_TYPES },
    SequenceNumber: { type: 'String', lengthGreaterThanOrEqual: 21, lengthLessThanOrEqual: 40 },
  });
  const arn = data.StreamArn as string;
  const s = store.get(arn);
  if (!s) throw streamNotFound(arn);
  if (s.shard.shardId !== data.ShardId) throw shardNotFound(arn, data.ShardId as string);
  const shard = s.shard;
  const type = data.ShardIteratorType as string;
  let position: bigint;
  if (type === 'TRIM_HORIZON') {
    const first = shard.records[0];
    position = first ? first.seq : shard.trimmedThrough >= shard.startingSeq ? shard.trimmedThrough + 1n : shard.startingSeq;
  } else if (type === 'LATEST') {
    position = shard.endingSeq !== undefined ? shard.endingSeq + 1n : store.upcomingSequence;
  } else {
    if (data.SequenceNumber === undefined) {
      throw validation('The parameter SequenceNumber is required for ShardIteratorType ' + type);
    }
    const seq = parseSequence(data.SequenceNumber as string);
    const last = shard.endingSeq ?? store.upcomingSequence - 1n;
    if (seq < shard.startingSeq || seq > last) {
      throw validation('Invalid SequenceNumber: ' + seq.toString() + ' is not in the range of shard ' + shard.shardId);
    }
    if (seq <= shard.trimmedThrough) throw trimmed();
    position = type === 'AT_SEQUENCE_NUMBER' ? seq : seq + 1n;
  }
  return { ShardIterator: encodeIterator({ arn, shardId: shard.shardId, position, issuedAt: store.now() }) };
}

export function getRecords(store: StreamStore, body: unknown): unknown {
  const data = validateRequest(body, {
    ShardIterator: { type: 'String', required: true, notNull: true, lengthGreaterThanOrEqual: 1, lengthLessThanOrEqual: 2048 },
    Limit: { type: 'Integer', greaterThanOrEqual: 1, lessThanOrEqual: MAX_RECORDS },
  });
  const it = decodeIterator(data.ShardIterator as string);
  const now = store.now();
  if (now - it.issuedAt > ITERATOR_TTL_MS) {
    throw new EngineError(
      'ExpiredIteratorException',
      'Iterator expired. The iterator was created at ' + new Date(it.issuedAt).toISOString() + ' and is valid for 15 minutes; it is now ' + new Date(now).toISOString(),
    );
  }
  const s = store.get(it.arn);
  if (!s) throw streamNotFound(it.arn);
  if (s.shard.shardId !== it.shardId) throw shardNotFound(it.arn, it.shardId);
  const shard = s.shard;
  // A record the iterator should still return was trimmed away.
  if (shard.trimmedThrough >= it.position) throw trimmed();
  const limit = (data.Limit as number | undefined) ?? MAX_RECORDS;
  const records: StreamRecordWire[] = [];
  let bytes = 0;
  let position = it.position;
  for (const r of recordsFrom(shard.records, it.position)) {
    if (records.length >= limit) break;
    if (records.length > 0 && bytes + r.size > MAX_BYTES) break;
    records.push(JSON.parse(r.json) as StreamRecordWire);
    bytes += r.size;
    position = r.seq + 1n;
  }
  const out: Record<string, unknown> = { Records: records };
  // A closed shard read to its end has no next iterator.
  const exhausted = shard.endingSeq !== undefined && position > shard.endingSeq;
  if (!exhausted) out.NextShardIterator = encodeIterator({ arn: it.arn, shardId: it.shardId, position, issuedAt: now });
  return out;
}

/** Records with seq >= position. */
function* recordsFrom(records: readonly StoredRecord[], position: bigint): Generator<StoredRecord> {
  for (let i = indexAtOrAfter(records, position); i < records.length; i++) yield records[i] as StoredRecord;
}

export { RETENTION_MS };

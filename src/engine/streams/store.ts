/**
 * DynamoDB Streams in the engine: one stream per enabling of a table's StreamSpecification, one
 * shard per stream (open while the stream is enabled, closed when it is disabled or the table is
 * deleted), records built from the engine's change events, kept 24 hours of engine clock.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_StreamRecord.html
 *
 * The table's stream settings (enabled, view type, label, ARN) are the table's own state (set by
 * CreateTable/UpdateTable); this store follows them: a stream it has not seen yet is opened on its
 * first use, a stream that is no longer the table's enabled one is closed when next looked at.
 */
import { createHash } from 'node:crypto';
import type { Item, KeySchemaElement } from '../types';
import { itemSize } from '../values/size';

export type StreamViewType = 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';

/** A change applied to an item (the engine's change event). */
export interface StreamChangeEvent {
  tableName: string;
  keys: Item;
  oldImage?: Item;
  newImage?: Item;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  userIdentity?: { type: string; principalId: string };
  at: number;
}

/** What the store reads of a table (the engine's table state has these members). */
export interface StreamTableView {
  name: string;
  keySchema: KeySchemaElement[];
  status?: string;
  stream: { enabled: boolean; viewType?: string; label?: string; arn?: string };
}

export interface StreamsHost {
  clock: () => number;
  region: string;
  tables: ReadonlyMap<string, StreamTableView>;
}

/** A record as GetRecords returns it (the Streams API's JSON form). */
export interface StreamRecordWire {
  eventID: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  eventVersion: '1.1';
  eventSource: 'aws:dynamodb';
  awsRegion: string;
  dynamodb: {
    /** Epoch seconds (engine clock). */
    ApproximateCreationDateTime: number;
    Keys: Item;
    NewImage?: Item;
    OldImage?: Item;
    SequenceNumber: string;
    SizeBytes: number;
    StreamViewType: StreamViewType;
  };
  userIdentity?: { PrincipalId: string; Type: string };
}

export interface StoredRecord {
  seq: bigint;
  at: number;
  size: number;
  /** The wire record, serialized: every reader gets its own copy, nobody can alter the stored one. */
  json: string;
}

/** Index of the first record with seq >= `seq` (records.length when none): a shard's records are in sequence order. */
export function indexAtOrAfter(records: readonly StoredRecord[], seq: bigint): number {
  let lo = 0;
  let hi = records.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((records[mid] as StoredRecord).seq < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface StreamShard {
  shardId: string;
  startingSeq: bigint;
  endingSeq?: bigint;
  records: StoredRecord[];
  /** Highest sequence number trimmed away (retention), or -1. */
  trimmedThrough: bigint;
}

export interface StreamEntry {
  arn: string;
  label: string;
  tableName: string;
  keySchema: KeySchemaElement[];
  viewType: StreamViewType;
  createdAt: number;
  status: 'ENABLED' | 'DISABLED';
  disabledAt?: number;
  shard: StreamShard;
}

/** 24 hours: records older than this are trimmed; a disabled stream disappears this long after. */
export const RETENTION_MS = 24 * 60 * 60 * 1000;
/** Sequence numbers have 21 digits or more, as AWS's do. */
const FIRST_SEQUENCE = 10n ** 20n;

const VIEW_TYPES: readonly string[] = ['KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES'];

export class StreamStore {
  private readonly streams = new Map<string, StreamEntry>();
  private nextSeq = FIRST_SEQUENCE;
  /** Listeners told of each appended record (the in-process subscriptions). */
  private readonly appendListeners = new Set<(stream: StreamEntry, record: StoredRecord) => void>();

  constructor(private readonly host: StreamsHost) {}

  now(): number {
    return this.host.clock();
  }

  get region(): string {
    return this.host.region;
  }

  /** The sequence number the next record will get. */
  get upcomingSequence(): bigint {
    return this.nextSeq;
  }

  onAppend(listener: (stream: StreamEntry, record: StoredRecord) => void): () => void {
    this.appendListeners.add(listener);
    return () => this.appendListeners.delete(listener);
  }

  private allocate(): bigint {
    const s = this.nextSeq;
    this.nextSeq += 1n;
    return s;
  }

  /** Brings the store in line with the tables' stream settings, trims and forgets expired data. */
  reconcile(): void {
    const now = this.now();
    for (const t of this.host.tables.values()) this.current(t);
    for (const s of [...this.streams.values()]) {
      if (s.status === 'ENABLED') {
        const t = this.host.tables.get(s.tableName);
        if (!t || t.status === 'DELETING' || !t.stream.enabled || t.stream.arn !== s.arn) this.close(s, now);
      }
      this.trim(s, now);
      if (s.status === 'DISABLED' && s.disabledAt !== undefined && now - s.disabledAt >= RETENTION_MS) this.streams.delete(s.arn);
    }
  }

  /** The open stream of a table, opening it on first sight; undefined when the table has none enabled. */
  current(t: StreamTableView): StreamEntry | undefined {
    if (t.status === 'DELETING' || !t.stream.enabled || !t.stream.arn || !t.stream.label) return undefined;
    const viewType = t.stream.viewType ?? 'NEW_AND_OLD_IMAGES';
    if (!VIEW_TYPES.includes(viewType)) return undefined;
    let s = this.streams.get(t.stream.arn);
    if (s && s.tableName === t.name && s.status === 'ENABLED') return s;
    const now = this.now();
    // Close any other open stream of this table (a re-enabled stream is a new stream).
    for (const other of this.streams.values()) if (other.tableName === t.name && other.status === 'ENABLED') this.close(other, now);
    const created = Date.parse(t.stream.label + 'Z');
    const createdAt = Number.isFinite(created) ? created : now;
    s = {
      arn: t.stream.arn,
      label: t.stream.label,
      tableName: t.name,
      keySchema: t.keySchema.map((k) => ({ AttributeName: k.AttributeName, KeyType: k.KeyType })),
      viewType: viewType as StreamViewType,
      createdAt,
      status: 'ENABLED',
      shard: {
        shardId: shardIdFor(t.stream.arn, createdAt),
        startingSeq: this.allocate(),
        records: [],
        trimmedThrough: -1n,
      },
    };
    this.streams.set(s.arn, s);
    return s;
  }

  private close(s: StreamEntry, now: number): void {
    s.status = 'DISABLED';
    s.disabledAt = now;
    const last = s.shard.records[s.shard.records.length - 1];
    s.shard.endingSeq = last ? last.seq : s.shard.trimmedThrough >= s.shard.startingSeq ? s.shard.trimmedThrough : s.shard.startingSeq;
  }

  trim(s: StreamEntry, now: number): void {
    const recs = s.shard.records;
    let n = 0;
    while (n < recs.length && now - (recs[n] as StoredRecord).at >= RETENTION_MS) n++;
    if (n > 0) {
      s.shard.trimmedThrough = (recs[n - 1] as StoredRecord).seq;
      recs.splice(0, n);
    }
  }

  get(arn: string): StreamEntry | undefined {
    this.reconcile();
    return this.streams.get(arn);
  }

  list(): StreamEntry[] {
    this.reconcile();
    return [...this.streams.values()].sort((a, b) => a.createdAt - b.createdAt || (a.arn < b.arn ? -1 : 1));
  }

  /** Every retained stream of a table, oldest first. */
  streamsOf(tableName: string): StreamEntry[] {
    return this.list().filter((s) => s.tableName === tableName);
  }

  /** The engine's change listener: appends a record to the table's open stream. */
  record(event: StreamChangeEvent): void {
    const t = this.host.tables.get(event.tableName);
    if (!t) return;
    const s = this.current(t);
    if (!s) return;
    const seq = this.allocate();
    const wire = buildRecord(s, event, seq, this.host.region);
    const rec: StoredRecord = { seq, at: event.at, size: wire.dynamodb.SizeBytes, json: JSON.stringify(wire) };
    s.shard.records.push(rec);
    this.trim(s, this.now());
    for (const l of this.appendListeners) l(s, rec);
  }
}

/** shardId-<20 digits>-<8 hex>, the form (and 28..65 length) of AWS's shard ids. */
function shardIdFor(arn: string, createdAt: number): string {
  const hex = createHash('sha256').update(arn).digest('hex').slice(0, 8);
  return 'shardId-' + String(Math.max(0, Math.floor(createdAt))).padStart(20, '0') + '-' + hex;
}

function copy(item: Item): Item {
  return JSON.parse(JSON.stringify(item)) as Item;
}

/**
 * A stream record as DynamoDB writes it: keys always, images by the stream's view type, the size of
 * what the record holds, the engine clock in epoch seconds, and the service identity of TTL deletions.
 */
export function buildRecord(s: StreamEntry, e: StreamChangeEvent, seq: bigint, region: string): StreamRecordWire {
  const keys = copy(e.keys);
  const dynamodb: StreamRecordWire['dynamodb'] = {
    ApproximateCreationDateTime: Math.floor(e.at / 1000),
    Keys: keys,
    SequenceNumber: seq.toString(),
    SizeBytes: 0,
    StreamViewType: s.viewType,
  };
  let size = itemSize(keys);
  if ((s.viewType === 'NEW_IMAGE' || s.viewType === 'NEW_AND_OLD_IMAGES') && e.newImage) {
    dynamodb.NewImage = copy(e.newImage);
    size += itemSize(e.newImage);
  }
  if ((s.viewType === 'OLD_IMAGE' || s.viewType === 'NEW_AND_OLD_IMAGES') && e.oldImage) {
    dynamodb.OldImage = copy(e.oldImage);
    size += itemSize(e.oldImage);
  }
  dynamodb.SizeBytes = size;
  const record: StreamRecordWire = {
    eventID: createHash('md5').update(s.arn + '/' + seq.toString()).digest('hex'),
    eventName: e.eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: region,
    dynamodb,
  };
  if (e.userIdentity) record.userIdentity = { PrincipalId: e.userIdentity.principalId, Type: e.userIdentity.type };
  return record;
}

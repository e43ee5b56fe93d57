/**
 * In-process stream subscriptions for tests: a handler receives a table's stream records in
 * sequence order, one at a time (an async handler is awaited before the next record), in the shape
 * a Lambda function receives them (`DynamoDBRecord` of @types/aws-lambda: lowercase userIdentity,
 * eventSourceARN).
 *
 * Delivery never blocks or fails the write: it starts on a later microtask, after the write has
 * returned. A handler that throws (or rejects) gets the same record again, up to `maxAttempts`
 * deliveries (default 3); then the record is dropped and the failure reported (onError, the
 * subscription's `failures`), and delivery goes on with the next record. Every delivery gets its own
 * copy of the record: a handler that mutates it changes nothing stored.
 */
import { EngineError } from '../errors';
import type { Item } from '../types';
import { indexAtOrAfter, type StoredRecord, type StreamEntry, type StreamRecordWire, type StreamStore, type StreamTableView } from './store';

/** A record as a Lambda function receives it from a DynamoDB stream. */
export interface LambdaStreamRecord {
  eventID: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  eventVersion: '1.1';
  eventSource: 'aws:dynamodb';
  awsRegion: string;
  eventSourceARN: string;
  dynamodb: {
    ApproximateCreationDateTime: number;
    Keys: Item;
    NewImage?: Item;
    OldImage?: Item;
    SequenceNumber: string;
    SizeBytes: number;
    StreamViewType: string;
  };
  userIdentity?: { type: string; principalId: string };
}

export type StreamHandler = (record: LambdaStreamRecord) => void | Promise<void>;

export interface SubscriberFailure {
  tableName: string;
  sequenceNumber: string;
  error: unknown;
  attempts: number;
  /** True when the record was given up (after maxAttempts); false for a failed attempt that will be retried. */
  dropped: boolean;
}

export interface SubscribeOptions {
  /** LATEST (default): records written from now on. TRIM_HORIZON: every retained record first. */
  startingPosition?: 'LATEST' | 'TRIM_HORIZON';
  /** Deliveries of one record before it is dropped (default 3, at least 1). */
  maxAttempts?: number;
  /** Told of every failed delivery; an onError that throws is ignored. */
  onError?: (failure: SubscriberFailure) => void;
}

export interface Subscription {
  /** Stops delivery (a record being delivered finishes). */
  unsubscribe(): void;
  /** Resolves once every record written so far has been delivered (or dropped). */
  drained(): Promise<void>;
  /** Records delivered successfully. */
  readonly delivered: number;
  /** Failed deliveries, in order. */
  readonly failures: readonly SubscriberFailure[];
}

export function toLambdaRecord(wire: StreamRecordWire, streamArn: string): LambdaStreamRecord {
  const out: LambdaStreamRecord = {
    eventID: wire.eventID,
    eventName: wire.eventName,
    eventVersion: wire.eventVersion,
    eventSource: wire.eventSource,
    awsRegion: wire.awsRegion,
    eventSourceARN: streamArn,
    dynamodb: wire.dynamodb,
  };
  if (wire.userIdentity) out.userIdentity = { type: wire.userIdentity.Type, principalId: wire.userIdentity.PrincipalId };
  return out;
}

export class StreamSubscription implements Subscription {
  private cursor: bigint;
  private running = false;
  private closed = false;
  private waiters: Array<() => void> = [];
  private readonly maxAttempts: number;
  private delivered_ = 0;
  private readonly failures_: SubscriberFailure[] = [];

  constructor(
    private readonly store: StreamStore,
    private readonly tableName: string,
    private readonly handler: StreamHandler,
    private readonly options: SubscribeOptions,
    private readonly report: (f: SubscriberFailure) => void,
    private readonly detach: () => void,
  ) {
    this.maxAttempts = options.maxAttempts ?? 3;
    this.cursor = options.startingPosition === 'TRIM_HORIZON' ? 0n : store.upcomingSequence;
    if (options.startingPosition === 'TRIM_HORIZON') this.kick();
  }

  get delivered(): number {
    return this.delivered_;
  }

  get failures(): readonly SubscriberFailure[] {
    return this.failures_;
  }

  unsubscribe(): void {
    this.closed = true;
    this.detach();
    this.release();
  }

  drained(): Promise<void> {
    if (this.closed || (!this.running && !this.next())) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.kick();
    });
  }

  /** Called for each appended record of any table. */
  notify(stream: StreamEntry): void {
    if (stream.tableName === this.tableName) this.kick();
  }

  private kick(): void {
    if (this.running || this.closed) return;
    this.running = true;
    queueMicrotask(() => {
      void this.pump();
    });
  }

  private next(): { stream: StreamEntry; record: StoredRecord } | undefined {
    for (const s of this.store.streamsOf(this.tableName)) {
      // The first record at or after the cursor. A record trimmed before delivery is skipped (the
      // subscriber was 24 hours behind).
      const r = s.shard.records[indexAtOrAfter(s.shard.records, this.cursor)];
      if (r) return { stream: s, record: r };
    }
    return undefined;
  }

  private async pump(): Promise<void> {
    try {
      for (;;) {
        if (this.closed) break;
        const n = this.next();
        if (!n) break;
        await this.deliver(n.stream, n.record);
        this.cursor = n.record.seq + 1n;
      }
    } finally {
      this.running = false;
      // A record appended while the last delivery was awaited starts a new round.
      if (!this.closed && this.next()) this.kick();
      else this.release();
    }
  }

  private async deliver(stream: StreamEntry, record: StoredRecord): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const copy = toLambdaRecord(JSON.parse(record.json) as StreamRecordWire, stream.arn);
      try {
        await this.handler(copy);
        this.delivered_++;
        return;
      } catch (error) {
        const dropped = attempt >= this.maxAttempts || this.closed;
        const failure: SubscriberFailure = { tableName: this.tableName, sequenceNumber: record.seq.toString(), error, attempts: attempt, dropped };
        this.failures_.push(failure);
        try {
          this.options.onError?.(failure);
          this.report(failure);
        } catch {
          // Reporting never stops delivery.
        }
        if (dropped) return;
      }
    }
  }

  private release(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const r of w) r();
  }
}

export function checkSubscribable(table: StreamTableView | undefined, tableName: string): void {
  if (!table) throw new EngineError('ResourceNotFoundException', 'Requested resource not found: Table: ' + tableName + ' not found');
  if (!table.stream.enabled) {
    throw new EngineError(
      'ValidationException',
      'Table ' + tableName + ' has no enabled stream: create or update it with StreamSpecification { StreamEnabled: true, StreamViewType }',
    );
  }
}

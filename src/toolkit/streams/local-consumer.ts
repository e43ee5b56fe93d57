/**
 * Runs a consumer on a table's stream the way Lambda's event source mapping runs its function:
 * batches of up to `batchSize` gathered for up to the batching window, one batch at a time per
 * lane (`parallelizationFactor` lanes per shard, records assigned by partition key, so each key's
 * records stay in order), a failed batch retried (from the lowest `batchItemFailures` entry, or
 * split in two with `bisectBatchOnFunctionError`) up to `maximumRetryAttempts`, records older than
 * `maximumRecordAgeInSeconds` and batches out of retries discarded to the on-failure list, and an
 * invocation that outlives `timeoutMs` failed as a Lambda timeout. The function invoked is the very
 * handler createStreamHandler makes for Lambda.
 */
import type { Engine } from '../../engine';
import { wakeableSleep, type WakeableSleep } from '../batch/backoff';
import type { IdempotencyOptions } from './idempotency';
import { createStreamHandler, type RecordReport } from './lambda-handler';
import { describe, type RoutableEntity, type StreamConsumer } from './router';
import { resolveStreamConsumerSettings, type ResolvedStreamConsumerSettings, type StreamConsumerSettings } from './settings';
import { partitionKeyOf, type StreamRecord } from './stream-record';
import { engineStreamSource, streamsApiSource, type SourceRecord, type StreamSource, type StreamsApiClient } from './stream-source';

export interface LocalConsumerOptions<Services> {
  /** The engine in process, or a Streams API client for any endpoint (`new DynamoDBStreams(config)`). */
  engine?: Engine;
  streamsClient?: StreamsApiClient;
  tableName: string;
  services: Services;
  idempotency?: IdempotencyOptions;
  /** Overrides of the consumer's settings for this run (e.g. a test's smaller batch). */
  settings?: Partial<Omit<StreamConsumerSettings, 'name'>>;
  /** The function timeout, ms (Lambda's default 3 seconds): an invocation still running then fails. */
  timeoutMs?: number;
  /** Resume after these positions (a previous run's `checkpoint()`), as a restarted mapping does. */
  checkpoint?: Readonly<Record<string, string>>;
  /**
   * Fault injection, called before each record's handlers with how many times that record was
   * delivered: throw to fail the record, throw `new StreamInvocationCrash()` to crash the whole
   * invocation mid-batch.
   */
  inject?: (record: StreamRecord, delivery: number) => void | Promise<void>;
  /** Wait before a failed batch is retried, ms (default 10 doubling to 1000). */
  retryDelayMs?: (retry: number) => number;
  /** Streams API polling interval, ms (default 250; the engine wakes the consumer on each write). */
  pollIntervalMs?: number;
}

/** Records that will not be delivered again: what Lambda sends to the on-failure destination. */
export interface DiscardedRecords {
  reason: 'retries-exhausted' | 'record-age';
  sequenceNumbers: string[];
  lastError?: string;
}

export interface HandlerStats {
  /** `entity.event`, or `unknown.<reason>`. */
  handler: string;
  records: number;
  failures: number;
  retries: number;
  duplicates: number;
  lagP50Ms: number | null;
  lagP99Ms: number | null;
}

export interface ConsumerStats {
  consumer: string;
  invocations: number;
  records: number;
  failures: number;
  retries: number;
  timeouts: number;
  crashes: number;
  bisections: number;
  discarded: number;
  duplicates: number;
  lagP50Ms: number | null;
  lagP99Ms: number | null;
  handlers: HandlerStats[];
}

export interface LocalStreamConsumer {
  /** Resolves once every record written so far (and every record its handlers wrote meanwhile) is handled or discarded. */
  drain(options?: { timeoutMs?: number }): Promise<void>;
  /** Stops at once: a batch in flight is abandoned unfinished, as a killed poller's is. */
  stop(): Promise<void>;
  /** Per shard, the last sequence number up to which every record is handled or discarded. */
  checkpoint(): Record<string, string>;
  stats(): ConsumerStats;
  readonly discarded: readonly DiscardedRecords[];
  /** Each failed invocation: what failed it. */
  readonly errors: readonly { sequenceNumbers: string[]; error: string; kind: 'error' | 'timeout' | 'crash' | 'partial' }[];
  readonly settings: ResolvedStreamConsumerSettings;
}

export class StreamDrainTimeout extends Error {
  override readonly name = 'StreamDrainTimeout';
}

export class HandlerTimeoutError extends Error {
  override readonly name = 'HandlerTimeoutError';
}

interface Entry extends SourceRecord {
  pk: string;
  deliveries: number;
  retries: number;
}

interface Lane {
  queue: Entry[];
  /** A bisected batch: at most this many records until the failed range is passed. */
  limit: number | undefined;
  bisectThrough: bigint | undefined;
  busy: boolean;
  /** Its loop sleeps here between batches; woken by a record for the lane and by stop(). */
  sleeper: WakeableSleep;
}

/** Starts a consumer on the stream; stop() it when done. */
export function startStreamConsumer<E extends Record<string, RoutableEntity>, Services>(
  consumer: StreamConsumer<E, Services>,
  options: LocalConsumerOptions<Services>,
): LocalStreamConsumer {
  const settings = resolveStreamConsumerSettings({ ...consumer.settings, ...options.settings, name: consumer.name });
  const timeoutMs = options.timeoutMs ?? 3000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new RangeError('timeoutMs must be a positive number of ms');
  const position = { startingPosition: settings.startingPosition, checkpoint: options.checkpoint };
  let source: StreamSource;
  if (options.engine) source = engineStreamSource(options.engine, options.tableName, position);
  else if (options.streamsClient) source = streamsApiSource(options.streamsClient, options.tableName, { ...position, pollIntervalMs: options.pollIntervalMs });
  else throw new TypeError('startStreamConsumer needs an engine or a streamsClient');
  const retryDelay = options.retryDelayMs ?? ((n: number) => Math.min(1000, 10 * 2 ** n));

  const lanes: Lane[] = Array.from({ length: settings.parallelizationFactor }, () => ({ queue: [], limit: undefined, bisectThrough: undefined, busy: false, sleeper: wakeableSleep() }));
  const outstanding = new Map<string, Set<bigint>>();
  const lastRead = new Map<string, bigint>();
  const done = new Map<string, bigint>(Object.entries(options.checkpoint ?? {}).map(([k, v]) => [k, BigInt(v)]));
  const discarded: DiscardedRecords[] = [];
  const errors: { sequenceNumbers: string[]; error: string; kind: 'error' | 'timeout' | 'crash' | 'partial' }[] = [];
  const counts = { invocations: 0, records: 0, failures: 0, retries: 0, timeouts: 0, crashes: 0, bisections: 0, discarded: 0, duplicates: 0 };
  const lags: number[] = [];
  const perHandler = new Map<string, { records: number; failures: number; retries: number; duplicates: number; lags: number[] }>();
  let stopped = false;
  let pollerWaiting = false;
  let emptyReads = 0;

  const handlerStat = (h: string) => {
    let s = perHandler.get(h);
    if (!s) perHandler.set(h, (s = { records: 0, failures: 0, retries: 0, duplicates: 0, lags: [] }));
    return s;
  };

  // Records of the invocations in flight, by sequence number (lanes invoke concurrently).
  const current = new Map<string, Entry>();
  let lastFailure = '';
  const onRecord = (r: RecordReport) => {
    const seq = r.record.dynamodb?.SequenceNumber;
    const entry = seq !== undefined ? current.get(seq) : undefined;
    for (const h of r.handlers) {
      const s = handlerStat(h);
      if (r.outcome === 'handled') {
        s.records++;
        if (entry) s.lags.push(source.now() - entry.writtenAt);
      } else if (r.outcome === 'failed') s.failures++;
      else if (r.outcome === 'duplicate') s.duplicates++;
      if (entry && entry.deliveries > 1 && r.outcome !== 'held-back') s.retries++;
    }
    if (r.outcome === 'handled' && entry) lags.push(source.now() - entry.writtenAt);
    if (r.outcome === 'failed') {
      counts.failures++;
      lastFailure = describe(r.error);
    }
    if (r.outcome === 'duplicate') counts.duplicates++;
  };

  const fn = createStreamHandler(consumer, {
    services: options.services,
    idempotency: options.idempotency,
    onRecord,
    beforeRecord: options.inject
      ? (record) => {
          const seq = record.dynamodb?.SequenceNumber;
          const entry = seq !== undefined ? current.get(seq) : undefined;
          return options.inject?.(record, entry?.deliveries ?? 1);
        }
      : undefined,
  });

  const finish = (entries: Entry[]) => {
    for (const e of entries) outstanding.get(e.shardId)?.delete(e.seq);
  };

  const discard = (lane: Lane, entries: Entry[], reason: DiscardedRecords['reason'], lastError?: string) => {
    if (entries.length === 0) return;
    const gone = new Set(entries);
    lane.queue = lane.queue.filter((e) => !gone.has(e));
    finish(entries);
    counts.discarded += entries.length;
    discarded.push({ reason, sequenceNumbers: entries.map((e) => e.seq.toString()), ...(lastError ? { lastError } : {}) });
  };

  type Outcome = { kind: 'ok' } | { kind: 'partial'; from: number } | { kind: 'error' | 'timeout' | 'crash'; error: string };

  const invoke = async (batch: Entry[]): Promise<Outcome> => {
    counts.invocations++;
    for (const e of batch) {
      e.deliveries++;
      current.set(e.seq.toString(), e);
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs).unref();
    });
    try {
      const result = await Promise.race([fn({ Records: batch.map((e) => structuredClone(e.record)) }), timeout]);
      if (result === 'timeout') {
        counts.timeouts++;
        return { kind: 'timeout', error: new HandlerTimeoutError(`the invocation did not settle within ${timeoutMs} ms`).message };
      }
      const ids = Array.isArray(result?.batchItemFailures) ? result.batchItemFailures.map((f) => f?.itemIdentifier) : [];
      if (ids.length === 0) return { kind: 'ok' };
      // Lambda retries from the lowest reported sequence number; an identifier it cannot find fails the batch.
      const positions = ids.map((id) => batch.findIndex((e) => e.seq.toString() === id));
      if (positions.some((p) => p < 0)) return { kind: 'error', error: `batchItemFailures names a record not in the batch: ${ids.join(', ')}` };
      return { kind: 'partial', from: Math.min(...positions) };
    } catch (error) {
      if (error instanceof Error && error.name === 'StreamInvocationCrash') {
        counts.crashes++;
        return { kind: 'crash', error: describe(error) };
      }
      return { kind: 'error', error: describe(error) };
    } finally {
      clearTimeout(timer);
      for (const e of batch) current.delete(e.seq.toString());
    }
  };

  const runLane = async (lane: Lane) => {
    while (!stopped) {
      if (lane.queue.length === 0) {
        lane.busy = false;
        await lane.sleeper.sleep(60_000);
        continue;
      }
      lane.busy = true;
      const windowMs = settings.maximumBatchingWindowInSeconds * 1000;
      if (windowMs > 0 && lane.queue.length < settings.batchSize) {
        const waited = source.now() - (lane.queue[0] as Entry).writtenAt;
        if (waited < windowMs) {
          await lane.sleeper.sleep(windowMs - waited);
          if (lane.queue.length < settings.batchSize && source.now() - (lane.queue[0] as Entry).writtenAt < windowMs) continue;
        }
      }
      if (settings.maximumRecordAgeInSeconds >= 0) {
        const old = lane.queue.filter((e) => e.age() > settings.maximumRecordAgeInSeconds * 1000);
        discard(lane, old, 'record-age');
        if (lane.queue.length === 0) continue;
      }
      const size = Math.min(settings.batchSize, lane.limit ?? settings.batchSize);
      const batch = lane.queue.slice(0, size);
      const outcome = await invoke(batch);
      if (stopped) return;
      if (outcome.kind === 'ok') {
        lane.queue.splice(0, batch.length);
        finish(batch);
        const last = (batch[batch.length - 1] as Entry).seq;
        if (lane.bisectThrough !== undefined && last >= lane.bisectThrough) {
          lane.limit = undefined;
          lane.bisectThrough = undefined;
        }
        continue;
      }
      const why = outcome.kind === 'partial' ? `partial batch failure: ${lastFailure}` : outcome.error;
      errors.push({ sequenceNumbers: batch.map((e) => e.seq.toString()), error: why, kind: outcome.kind });
      let failing = batch;
      if (outcome.kind === 'partial') {
        const handled = batch.slice(0, outcome.from);
        lane.queue.splice(0, handled.length);
        finish(handled);
        failing = batch.slice(outcome.from);
      } else if (settings.bisectBatchOnFunctionError && batch.length > 1) {
        // Split and retry each half; a split is not counted as a retry.
        counts.bisections++;
        lane.limit = Math.ceil(batch.length / 2);
        lane.bisectThrough = (batch[batch.length - 1] as Entry).seq;
        continue;
      }
      const head = failing[0] as Entry;
      head.retries++;
      if (settings.maximumRetryAttempts >= 0 && head.retries > settings.maximumRetryAttempts) {
        discard(lane, failing, 'retries-exhausted', why);
        continue;
      }
      counts.retries++;
      await lane.sleeper.sleep(retryDelay(head.retries - 1));
    }
  };

  const poller = async () => {
    while (!stopped) {
      let got: SourceRecord[] = [];
      try {
        got = await source.read(10_000);
      } catch (error) {
        errors.push({ sequenceNumbers: [], error: `reading the stream: ${describe(error)}`, kind: 'error' });
      }
      for (const r of got) {
        const pk = partitionKeyOf(r.record, consumer.keys.partitionKey) ?? '';
        const entry: Entry = { ...r, pk, deliveries: 0, retries: 0 };
        let set = outstanding.get(r.shardId);
        if (!set) outstanding.set(r.shardId, (set = new Set()));
        set.add(r.seq);
        lastRead.set(r.shardId, r.seq);
        counts.records++;
        const lane = lanes[laneOf(pk, lanes.length)] as Lane;
        lane.queue.push(entry);
        lane.busy = true;
        lane.sleeper.wake();
      }
      if (got.length === 0) {
        emptyReads++;
        pollerWaiting = true;
        await source.wait(60_000);
        pollerWaiting = false;
      }
    }
  };

  void poller();
  for (const lane of lanes) void runLane(lane);

  const idle = () => lanes.every((l) => l.queue.length === 0) && [...outstanding.values()].every((s) => s.size === 0);

  const checkpoint = (): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const [shard, read] of lastRead) {
      const open = outstanding.get(shard);
      let cp = read;
      if (open && open.size) {
        let min: bigint | undefined;
        for (const s of open) if (min === undefined || s < min) min = s;
        cp = (min as bigint) - 1n;
      }
      out[shard] = cp.toString();
    }
    for (const [shard, seq] of done) if (!(shard in out)) out[shard] = seq.toString();
    return out;
  };

  return {
    settings,
    discarded,
    errors,
    checkpoint,
    async drain(o = {}) {
      const limit = o.timeoutMs ?? 10_000;
      const deadline = Date.now() + limit;
      // Settled: the poller read the stream empty after `since`, and no lane holds a record.
      const settled = async (since: number) => {
        while (!stopped && !(emptyReads > since && pollerWaiting && idle())) {
          if (Date.now() > deadline) {
            const stuck = lanes.flatMap((l) => l.queue.map((e) => e.seq.toString()));
            throw new StreamDrainTimeout(
              `the stream was not drained within ${limit} ms: ${stuck.length} record(s) pending (${stuck.slice(0, 5).join(', ')}${stuck.length > 5 ? ', ...' : ''}); last error: ${errors.at(-1)?.error ?? 'none'}`,
            );
          }
          await new Promise<void>((resolve) => setTimeout(resolve, 2));
        }
      };
      for (;;) {
        const n = emptyReads;
        source.wake();
        await settled(n);
        if (stopped) return;
        // Once more: records the handlers wrote while the last ones were handled.
        const m = emptyReads;
        const read = counts.records;
        source.wake();
        await settled(m);
        if (stopped || counts.records === read) return;
      }
    },
    stop() {
      stopped = true;
      source.close();
      for (const l of lanes) l.sleeper.wake();
      return Promise.resolve();
    },
    stats() {
      return {
        consumer: consumer.name,
        ...counts,
        lagP50Ms: percentile(lags, 0.5),
        lagP99Ms: percentile(lags, 0.99),
        handlers: [...perHandler.entries()]
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([handler, s]) => ({ handler, records: s.records, failures: s.failures, retries: s.retries, duplicates: s.duplicates, lagP50Ms: percentile(s.lags, 0.5), lagP99Ms: percentile(s.lags, 0.99) })),
      };
    },
  };
}

function laneOf(pk: string, n: number): number {
  if (n === 1) return 0;
  let h = 2166136261;
  for (let i = 0; i < pk.length; i++) h = Math.imul(h ^ pk.charCodeAt(i), 16777619);
  return (h >>> 0) % n;
}

/** Nearest-rank percentile, ms rounded to 0.01; null without samples. */
function percentile(samples: readonly number[], p: number): number | null {
  if (samples.length === 0) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  const v = sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] as number;
  return Math.round(v * 100) / 100;
}

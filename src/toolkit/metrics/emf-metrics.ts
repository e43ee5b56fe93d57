import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { writeSync } from 'node:fs';
import { RequestRecorder, type RecordedRequest } from '../recorder/request-recorder';

export const EMF_DIMENSIONS = ['table', 'index', 'pattern', 'operation'] as const;

export interface EmfMetricsOptions {
  /** CloudWatch namespace. Default `SingleTableKit`. */
  namespace?: string;
  /**
   * Where flushed lines go. Default: standard output, written synchronously, so lines flushed at
   * exit are not lost (the CloudWatch agent or Lambda pick EMF lines up from there).
   */
  write?: (lines: readonly string[]) => void;
  /** Lines buffered before an automatic flush. Default 100. */
  maxBatch?: number;
  /** Flush on `beforeExit` and `exit`. Default true. */
  flushOnExit?: boolean;
  /**
   * `aggregate` (default): one line per pattern, table, index and operation per flush interval,
   * latencies as an EMF value array (up to 100 per line), requests, errors and units as sums.
   * `per-request`: one line per DynamoDB request (about 450 bytes each: costly at volume).
   */
  mode?: 'aggregate' | 'per-request';
  /** EmfAggregate mode: how often the aggregates are written. Default 60 000 ms (CloudWatch's 1-minute resolution). */
  flushIntervalMs?: number;
}

/** One aggregate: the requests of one pattern, table, index and operation in one interval. */
export interface EmfAggregate {
  dimensions: Record<(typeof EMF_DIMENSIONS)[number], string>;
  startedAt: number;
  latencies: number[];
  requests: number;
  errors: number;
  readUnits: number;
  writeUnits: number;
  items: number;
}

/** EMF allows at most 100 values per metric in one line. */
export const MAX_EMF_VALUES = 100;

const dimensionsOf = (request: RecordedRequest): EmfAggregate['dimensions'] => {
  // Dimension values must be non-empty strings, else CloudWatch rejects the whole line.
  const dimension = (value: string | undefined, fallback: string) => (value ? value : fallback);
  return {
    table: dimension(request.tables.join(','), 'unknown'),
    index: dimension(request.index, 'table'),
    pattern: dimension(request.pattern, 'none'),
    operation: dimension(request.operation, 'Unknown'),
  };
};

/**
 * One EMF line for the requests of one aggregate: Latency as a value array (CloudWatch computes
 * percentiles from it), Requests and Errors counts, units and items as sums.
 */
export function aggregateLine(aggregate: EmfAggregate, namespace: string): string {
  return JSON.stringify({
    _aws: {
      Timestamp: Math.trunc(aggregate.startedAt),
      CloudWatchMetrics: [
        {
          Namespace: namespace,
          Dimensions: [[...EMF_DIMENSIONS]],
          Metrics: [
            { Name: 'Latency', Unit: 'Milliseconds' },
            { Name: 'Requests', Unit: 'Count' },
            { Name: 'Errors', Unit: 'Count' },
            { Name: 'ReadCapacityUnits', Unit: 'Count' },
            { Name: 'WriteCapacityUnits', Unit: 'Count' },
            { Name: 'ItemsReturned', Unit: 'Count' },
          ],
        },
      ],
    },
    ...aggregate.dimensions,
    Latency: aggregate.latencies,
    Requests: aggregate.requests,
    Errors: aggregate.errors,
    ReadCapacityUnits: Math.round(aggregate.readUnits * 1000) / 1000,
    WriteCapacityUnits: Math.round(aggregate.writeUnits * 1000) / 1000,
    ItemsReturned: aggregate.items,
  });
}

/** One CloudWatch Embedded Metric Format line for one DynamoDB request. */
export function emfLine(request: RecordedRequest, namespace: string): string {
  const metrics: { Name: string; Unit: string }[] = [
    { Name: 'Latency', Unit: 'Milliseconds' },
    { Name: 'ReadCapacityUnits', Unit: 'Count' },
    { Name: 'WriteCapacityUnits', Unit: 'Count' },
  ];
  const values: Record<string, number> = {
    Latency: Math.round(request.durationMs * 1000) / 1000,
    ReadCapacityUnits: request.readUnits,
    WriteCapacityUnits: request.writeUnits,
  };
  // EMF requires every declared metric to be present: counts only where the operation has them.
  if (request.itemCount !== undefined) {
    metrics.push({ Name: 'ItemsReturned', Unit: 'Count' });
    values.ItemsReturned = request.itemCount;
  }
  if (request.scannedCount !== undefined) {
    metrics.push({ Name: 'ItemsScanned', Unit: 'Count' });
    values.ItemsScanned = request.scannedCount;
  }
  return JSON.stringify({
    _aws: {
      Timestamp: Math.trunc(request.startedAt),
      CloudWatchMetrics: [{ Namespace: namespace, Dimensions: [[...EMF_DIMENSIONS]], Metrics: metrics }],
    },
    ...dimensionsOf(request),
    ...values,
    ...(request.error ? { error: request.error } : {}),
  });
}

export interface SyncWriterOptions {
  /** Default fs.writeSync. */
  writeSync?: (fd: number, data: Buffer, offset: number) => number;
  /** Blocks the thread for ms without using the CPU. Default Atomics.wait on a private buffer. */
  sleep?: (ms: number) => void;
  /** Gives up (throws) once EAGAIN has lasted this long in total. Default 2 000 ms. */
  maxWaitMs?: number;
}

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * A synchronous line writer (so lines flushed in an 'exit' handler reach the output). writeSync
 * may write part of a batch, or refuse with EAGAIN while a non-blocking pipe is full: it writes
 * the rest after sleeping (1, 2, 4 … 64 ms), never spinning on the CPU, and gives up after
 * maxWaitMs so a reader that never drains cannot hang the process.
 */
export function syncLineWriter(fd: number, options: SyncWriterOptions = {}): (lines: readonly string[]) => void {
  const write = options.writeSync ?? ((f: number, data: Buffer, offset: number) => writeSync(f, data, offset));
  const sleep = options.sleep ?? sleepSync;
  const maxWaitMs = options.maxWaitMs ?? 2000;
  return (lines) => {
    const data = Buffer.from(`${lines.join('\n')}\n`);
    let offset = 0;
    let delay = 1;
    let waited = 0;
    while (offset < data.length) {
      try {
        offset += write(fd, data, offset);
        delay = 1;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
        if (waited >= maxWaitMs) throw new Error(`output stayed full (EAGAIN) for ${waited} ms; ${data.length - offset} bytes not written`);
        sleep(delay);
        waited += delay;
        delay = Math.min(delay * 2, 64);
      }
    }
  };
}

const stdoutLines = syncLineWriter(1);

/**
 * Emits EMF metrics for the DynamoDB requests a client sends (through a RequestRecorder that
 * keeps nothing in memory): by default aggregated per pattern, table, index and operation per
 * flush interval; per request as an option. `flush()` on demand, and at process exit. Generic:
 * any client.
 */
export class EmfMetrics {
  readonly namespace: string;
  private readonly buffer: string[] = [];
  private readonly write: (lines: readonly string[]) => void;
  private readonly maxBatch: number;
  private readonly recorder: RequestRecorder;
  private readonly onExit = () => this.flushSafely();
  private exitHooks = false;
  readonly mode: 'aggregate' | 'per-request';
  private readonly aggregates = new Map<string, EmfAggregate>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: EmfMetricsOptions = {}) {
    this.namespace = options.namespace ?? 'SingleTableKit';
    if (this.namespace.length < 1 || this.namespace.length > 255) throw new RangeError('namespace must be 1 to 255 characters');
    this.write = options.write ?? stdoutLines;
    this.maxBatch = options.maxBatch ?? 100;
    if (!Number.isInteger(this.maxBatch) || this.maxBatch < 1) throw new RangeError('maxBatch must be a positive integer');
    this.mode = options.mode ?? 'aggregate';
    const interval = options.flushIntervalMs ?? 60_000;
    if (!(interval >= 1000)) throw new RangeError('flushIntervalMs must be at least 1000');
    if (this.mode === 'aggregate') {
      this.timer = setInterval(() => this.flushSafely(), interval);
      // The interval must not keep a finished process alive; exit hooks flush the rest.
      this.timer.unref();
    }
    this.recorder = new RequestRecorder({ keep: false, onRequest: (r) => this.record(r) });
    if (options.flushOnExit ?? true) {
      process.on('beforeExit', this.onExit);
      process.on('exit', this.onExit);
      this.exitHooks = true;
    }
  }

  /** Starts emitting for every request this client sends. */
  attach(client: DynamoDBClient): this {
    this.recorder.attach(client);
    return this;
  }

  /** Stops emitting, flushes what is buffered and removes the exit hooks. */
  detach(): void {
    this.recorder.detach();
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    // Hooks first: a failing write in the flush below must not leave them registered.
    if (this.exitHooks) {
      process.off('beforeExit', this.onExit);
      process.off('exit', this.onExit);
      this.exitHooks = false;
    }
    this.flush();
  }

  /**
   * Buffers the line of one request. Runs inside the client's middleware: an automatic flush that
   * fails must not fail the DynamoDB request it measures, so it becomes a process warning.
   */
  record(request: RecordedRequest): void {
    if (this.mode === 'per-request') this.buffer.push(emfLine(request, this.namespace));
    else {
      const dimensions = dimensionsOf(request);
      const key = EMF_DIMENSIONS.map((d) => dimensions[d]).join('\u0000');
      let a = this.aggregates.get(key);
      if (!a) this.aggregates.set(key, (a = { dimensions, startedAt: request.startedAt, latencies: [], requests: 0, errors: 0, readUnits: 0, writeUnits: 0, items: 0 }));
      a.latencies.push(Math.round(request.durationMs * 1000) / 1000);
      a.requests += 1;
      if (request.error) a.errors += 1;
      a.readUnits += request.readUnits;
      a.writeUnits += request.writeUnits;
      a.items += request.itemCount ?? 0;
      // A line holds at most 100 values of a metric: a full aggregate becomes a line now.
      if (a.latencies.length >= MAX_EMF_VALUES) {
        this.aggregates.delete(key);
        this.buffer.push(aggregateLine(a, this.namespace));
      }
    }
    if (this.buffer.length >= this.maxBatch) this.flushSafely();
  }

  /** Lines waiting to be written (aggregates not yet full count as one line each). */
  get pending(): number {
    return this.buffer.length + this.aggregates.size;
  }

  /** Writes the buffered lines and open aggregates (nothing when there are none). Throws what `write` throws; the lines are then dropped. */
  flush(): void {
    for (const a of this.aggregates.values()) this.buffer.push(aggregateLine(a, this.namespace));
    this.aggregates.clear();
    if (this.buffer.length === 0) return;
    const lines = this.buffer.splice(0, this.buffer.length);
    this.write(lines);
  }

  private flushSafely(): void {
    const count = this.pending;
    try {
      this.flush();
    } catch (e) {
      process.emitWarning(`EmfMetrics dropped ${count} lines: ${(e as Error).message}`, 'EmfMetricsWarning');
    }
  }
}

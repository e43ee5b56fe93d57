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
  // Dimension values must be non-empty strings, else CloudWatch rejects the whole line.
  const dimension = (value: string | undefined, fallback: string) => (value ? value : fallback);
  return JSON.stringify({
    _aws: {
      Timestamp: Math.trunc(request.startedAt),
      CloudWatchMetrics: [{ Namespace: namespace, Dimensions: [[...EMF_DIMENSIONS]], Metrics: metrics }],
    },
    table: dimension(request.tables.join(','), 'unknown'),
    index: dimension(request.index, 'table'),
    pattern: dimension(request.pattern, 'none'),
    operation: dimension(request.operation, 'Unknown'),
    ...values,
    ...(request.error ? { error: request.error } : {}),
  });
}

// Synchronous, so that lines flushed in an 'exit' handler reach the output. writeSync may write
// part of a large batch, or refuse with EAGAIN when stdout is a non-blocking pipe: write the rest.
const stdoutLines = (lines: readonly string[]) => {
  const data = Buffer.from(`${lines.join('\n')}\n`);
  let offset = 0;
  while (offset < data.length) {
    try {
      offset += writeSync(1, data, offset);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
    }
  }
};

/**
 * Emits one EMF line per DynamoDB request a client sends (through a RequestRecorder that keeps
 * nothing in memory), batched; `flush()` on demand, and at process exit. Generic: any client.
 */
export class EmfMetrics {
  readonly namespace: string;
  private readonly buffer: string[] = [];
  private readonly write: (lines: readonly string[]) => void;
  private readonly maxBatch: number;
  private readonly recorder: RequestRecorder;
  private readonly onExit = () => this.flushSafely();
  private exitHooks = false;

  constructor(private readonly options: EmfMetricsOptions = {}) {
    this.namespace = options.namespace ?? 'SingleTableKit';
    if (this.namespace.length < 1 || this.namespace.length > 255) throw new RangeError('namespace must be 1 to 255 characters');
    this.write = options.write ?? stdoutLines;
    this.maxBatch = options.maxBatch ?? 100;
    if (!Number.isInteger(this.maxBatch) || this.maxBatch < 1) throw new RangeError('maxBatch must be a positive integer');
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
    this.buffer.push(emfLine(request, this.namespace));
    if (this.buffer.length >= this.maxBatch) this.flushSafely();
  }

  get pending(): number {
    return this.buffer.length;
  }

  /** Writes the buffered lines (nothing when none is buffered). Throws what `write` throws; the lines are then dropped. */
  flush(): void {
    if (this.buffer.length === 0) return;
    const lines = this.buffer.splice(0, this.buffer.length);
    this.write(lines);
  }

  private flushSafely(): void {
    const count = this.buffer.length;
    try {
      this.flush();
    } catch (e) {
      process.emitWarning(`EmfMetrics dropped ${count} lines: ${(e as Error).message}`, 'EmfMetricsWarning');
    }
  }
}

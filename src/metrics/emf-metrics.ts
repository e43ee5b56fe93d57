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
  return JSON.stringify({
    _aws: {
      Timestamp: Math.trunc(request.startedAt),
      CloudWatchMetrics: [{ Namespace: namespace, Dimensions: [[...EMF_DIMENSIONS]], Metrics: metrics }],
    },
    // Dimension values must be non-empty strings.
    table: request.tables.join(',') || 'unknown',
    index: request.index ?? 'table',
    pattern: request.pattern ?? 'none',
    operation: request.operation,
    ...values,
    ...(request.error ? { error: request.error } : {}),
  });
}

const stdoutLines = (lines: readonly string[]) => {
  writeSync(1, `${lines.join('\n')}\n`);
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
  private readonly onExit = () => this.flush();
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
    this.flush();
    if (this.exitHooks) {
      process.off('beforeExit', this.onExit);
      process.off('exit', this.onExit);
      this.exitHooks = false;
    }
  }

  record(request: RecordedRequest): void {
    this.buffer.push(emfLine(request, this.namespace));
    if (this.buffer.length >= this.maxBatch) this.flush();
  }

  get pending(): number {
    return this.buffer.length;
  }

  flush(): void {
    if (this.buffer.length === 0) return;
    const lines = this.buffer.splice(0, this.buffer.length);
    this.write(lines);
  }
}

/**
 * engine.streams: the DynamoDB Streams API operations and in-process subscriptions.
 * attachStreams() registers the DynamoDBStreams_20120810 operations on the engine and listens to
 * its change events; createEngine calls it once.
 */
import { describeStream, getRecords, getShardIterator, listStreams } from './api';
import { StreamStore, type StreamChangeEvent, type StreamsHost } from './store';
import {
  StreamSubscription,
  checkSubscribable,
  type StreamHandler,
  type SubscribeOptions,
  type SubscriberFailure,
  type Subscription,
} from './subscription';

export const STREAMS_SERVICE = 'DynamoDBStreams_20120810';

/** What attachStreams needs of the engine. */
export interface StreamsEngine {
  onChange(listener: (event: StreamChangeEvent) => void): () => void;
  registerOperations(service: string, operations: Record<string, (body: Record<string, unknown>) => unknown>): void;
}

export interface StreamsOptions {
  /** Told of every failed subscriber delivery not handled by the subscription's own onError. */
  onSubscriberError?: (failure: SubscriberFailure) => void;
}

export class Streams {
  readonly store: StreamStore;
  private readonly subscriptions = new Set<StreamSubscription>();

  constructor(
    private readonly host: StreamsHost,
    private readonly options: StreamsOptions = {},
  ) {
    this.store = new StreamStore(host);
    this.store.onAppend((stream) => {
      for (const s of this.subscriptions) s.notify(stream);
    });
  }

  /** The engine's change listener. */
  record(event: StreamChangeEvent): void {
    this.store.record(event);
  }

  /** The Streams API operations by name. */
  get operations(): Record<string, (body: Record<string, unknown>) => unknown> {
    return {
      ListStreams: (body) => listStreams(this.store, body),
      DescribeStream: (body) => describeStream(this.store, body),
      GetShardIterator: (body) => getShardIterator(this.store, body),
      GetRecords: (body) => getRecords(this.store, body),
    };
  }

  /**
   * Delivers the table's stream records to `handler`, in order, as a Lambda function receives them.
   * The table must have a stream enabled. See subscription.ts for the failure rules.
   */
  subscribe(tableName: string, handler: StreamHandler, options: SubscribeOptions = {}): Subscription {
    if (typeof handler !== 'function') throw new TypeError('subscribe: handler must be a function');
    const max = options.maxAttempts;
    if (max !== undefined && !(Number.isInteger(max) && max >= 1)) throw new RangeError('subscribe: maxAttempts must be an integer >= 1');
    const sp = options.startingPosition;
    if (sp !== undefined && sp !== 'LATEST' && sp !== 'TRIM_HORIZON') throw new RangeError("subscribe: startingPosition must be 'LATEST' or 'TRIM_HORIZON'");
    checkSubscribable(this.host.tables.get(tableName), tableName);
    // Open the stream now, so LATEST means "from now on".
    this.store.reconcile();
    const report = (f: SubscriberFailure) => {
      if (options.onError) return;
      if (this.options.onSubscriberError) this.options.onSubscriberError(f);
      else if (f.dropped) process.emitWarning(`stream subscriber on ${tableName} dropped record ${f.sequenceNumber} after ${f.attempts} attempts: ${String(f.error)}`);
    };
    const sub: StreamSubscription = new StreamSubscription(this.store, tableName, handler, options, report, () => this.subscriptions.delete(sub));
    this.subscriptions.add(sub);
    return sub;
  }

  /** Resolves once every subscription has delivered every record written so far. */
  async drained(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.drained()));
  }
}

/** Creates engine.streams: registers the Streams API and listens to the engine's changes. */
export function attachStreams(engine: StreamsEngine, host: StreamsHost, options: StreamsOptions = {}): Streams {
  const streams = new Streams(host, options);
  engine.onChange((e) => streams.record(e));
  engine.registerOperations(STREAMS_SERVICE, streams.operations);
  return streams;
}

export { RETENTION_MS, ITERATOR_TTL_MS } from './api';
export type { StreamChangeEvent, StreamRecordWire, StreamViewType, StreamsHost, StreamTableView } from './store';
export type { LambdaStreamRecord, StreamHandler, SubscribeOptions, SubscriberFailure, Subscription } from './subscription';

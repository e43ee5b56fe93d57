/**
 * A consumer as a Lambda function for a DynamoDB stream event source mapping: records are handled
 * in order; a record that fails is reported in `batchItemFailures`, and so is every later record
 * with the same partition key, which is not run (Lambda retries from the lowest reported sequence
 * number, and each partition key's changes must apply in order). Records of other partition keys
 * go on. With `reportBatchItemFailures: false` in the settings a failure fails the whole batch.
 */
import { IdempotencyStore, type IdempotencyOptions } from './idempotency';
import { describe, type RoutableEntity, type StreamConsumer } from './router';
import { resolveStreamConsumerSettings } from './settings';
import { partitionKeyOf, type StreamBatchResponse, type StreamEvent, type StreamRecord } from './stream-record';

/** What happened to one record in one invocation. */
export type RecordOutcome =
  /** Its handlers ran and succeeded. */
  | 'handled'
  /** Its handlers threw: reported. */
  | 'failed'
  /** Not run: an earlier record of its partition key failed in this batch; reported. */
  | 'held-back'
  /** Idempotency: its marker says it was handled before; not run again. */
  | 'duplicate';

export interface RecordReport {
  record: StreamRecord;
  outcome: RecordOutcome;
  /** `entity.event` of each handler the record reached (empty for records no handler wants). */
  handlers: string[];
  /** What the handler threw (any value, not only an Error). */
  error?: unknown;
}

export interface StreamHandlerOptions<Services> {
  services: Services;
  /** Markers in the model's table make each record's effect happen once across redeliveries. */
  idempotency?: IdempotencyOptions;
  /** Told of every record's outcome (for logs and metrics; the local consumer counts with it). */
  onRecord?: (report: RecordReport) => void;
  /**
   * Called before each record's handlers (fault injection in tests). What it throws fails the
   * record as a handler's error would, except a StreamInvocationCrash, which ends the invocation.
   */
  beforeRecord?: (record: StreamRecord) => void | Promise<void>;
}

/** Thrown by a `beforeRecord` hook to make the whole invocation fail, as a crashed function does. */
export class StreamInvocationCrash extends Error {
  override readonly name = 'StreamInvocationCrash';
}

/** The function's type: structurally @types/aws-lambda's DynamoDBStreamHandler (async form). */
export type StreamLambdaHandler = (event: StreamEvent, context?: unknown, callback?: unknown) => Promise<StreamBatchResponse>;

/** Every record failed in this batch, for a mapping without ReportBatchItemFailures. */
export class StreamBatchError extends Error {
  override readonly name = 'StreamBatchError';
  constructor(readonly failures: readonly RecordReport[]) {
    super(`${failures.length} stream record(s) failed: ${failures.map((f) => `${f.record.dynamodb?.SequenceNumber ?? '?'} (${f.outcome === 'failed' ? describe(f.error) : 'held back'})`).join(', ')}`);
  }
}

/** The Lambda handler of a consumer: `export const handler = createStreamHandler(consumer, { services })`. */
export function createStreamHandler<E extends Record<string, RoutableEntity>, Services>(consumer: StreamConsumer<E, Services>, options: StreamHandlerOptions<Services>): StreamLambdaHandler {
  const settings = resolveStreamConsumerSettings(consumer.settings);
  const store = options.idempotency ? new IdempotencyStore(options.idempotency, consumer.name, consumer.keys, consumer.ttlAttribute) : undefined;
  const report = (r: RecordReport) => {
    try {
      options.onRecord?.(r);
    } catch {
      // An observer never changes the outcome.
    }
  };

  const runOne = async (record: StreamRecord): Promise<RecordReport> => {
    const handlers = safeHandlers(consumer, record);
    const eventID = typeof record?.eventID === 'string' ? record.eventID : undefined;
    if (store && eventID !== undefined && handlers.length > 0) {
      const taken = await store.begin(eventID);
      if (taken === 'completed-before') return { record, outcome: 'duplicate', handlers };
      try {
        await options.beforeRecord?.(record);
        await consumer.handle(record, options.services);
      } catch (error) {
        // The next delivery must run it again; a marker left behind only delays that to its lease.
        await store.release(eventID).catch(() => undefined);
        throw error;
      }
      await store.complete(eventID);
      return { record, outcome: 'handled', handlers };
    }
    await options.beforeRecord?.(record);
    await consumer.handle(record, options.services);
    return { record, outcome: 'handled', handlers };
  };

  return async (event) => {
    const records: StreamRecord[] = Array.isArray(event?.Records) ? event.Records : [];
    const failed = new Set<string>();
    const failures: RecordReport[] = [];
    let blockAll = false;
    for (const record of records) {
      const pk = partitionKeyOf(record, consumer.keys.partitionKey);
      if (blockAll || (pk !== undefined && failed.has(pk))) {
        const r: RecordReport = { record, outcome: 'held-back', handlers: safeHandlers(consumer, record) };
        failures.push(r);
        report(r);
        continue;
      }
      let r: RecordReport;
      try {
        r = await runOne(record);
      } catch (error) {
        if (error instanceof StreamInvocationCrash) throw error;
        r = { record, outcome: 'failed', handlers: safeHandlers(consumer, record), error };
        failures.push(r);
        // A record without a partition key (malformed) holds back everything after it.
        if (pk === undefined) blockAll = true;
        else failed.add(pk);
      }
      report(r);
    }
    if (failures.length === 0) return { batchItemFailures: [] };
    const unreportable = failures.some((f) => typeof f.record?.dynamodb?.SequenceNumber !== 'string');
    // Without partial responses, or with a failure Lambda could not be told of by its sequence
    // number, the whole batch fails (Lambda then retries it, or bisects it).
    if (!settings.reportBatchItemFailures || unreportable) throw new StreamBatchError(failures);
    return { batchItemFailures: failures.map((f) => ({ itemIdentifier: f.record.dynamodb?.SequenceNumber as string })) };
  };
}

/** `entity.event` of each handler a record reaches (`unknown.<reason>` for an unroutable one). */
function safeHandlers<E extends Record<string, RoutableEntity>, S>(consumer: StreamConsumer<E, S>, record: StreamRecord): string[] {
  try {
    return consumer
      .route(record)
      .filter((r) => r.kind === 'unknown' || r.handled)
      .map((r) => (r.kind === 'change' ? `${r.change.entity}.${r.change.event === 'remove' && r.change.byTtl ? 'expire' : r.change.event}` : `unknown.${r.why.reason}`));
  } catch {
    return ['unknown.malformed-record'];
  }
}

/**
 * How a stream consumer is run: the settings of Lambda's DynamoDB event source mapping. The local
 * consumer (single-table-kit/testing) applies them, and the infrastructure exports write them, so
 * what is tested is what is deployed.
 */
/** The stream events a handler can take (`expire` is a TTL deletion). */
export const STREAM_EVENTS = ['insert', 'modify', 'remove', 'expire'] as const;
export type StreamEventName = (typeof STREAM_EVENTS)[number];

export interface StreamConsumerSettings {
  /** Names the consumer in reports and the Lambda function / mapping in exports: [A-Za-z0-9_-]{1,64}. */
  name: string;
  /** Records per batch, 1..10000 (Lambda's default 100). */
  batchSize?: number;
  /** Seconds to gather records before invoking, 0..300 (default 0). */
  maximumBatchingWindowInSeconds?: number;
  /** Retries of a failed batch, -1 (until the record expires) or 0..10000 (default -1). */
  maximumRetryAttempts?: number;
  /** Records older than this are discarded to the on-failure destination: -1 (never) or 60..604800 (default -1). */
  maximumRecordAgeInSeconds?: number;
  /** Split a failed batch in two and retry each half (default false). */
  bisectBatchOnFunctionError?: boolean;
  /** Concurrent batches per shard, 1..10 (default 1; ordering then holds per partition key). */
  parallelizationFactor?: number;
  /** Where a new consumer starts reading (default LATEST). */
  startingPosition?: 'TRIM_HORIZON' | 'LATEST';
  /** Where records that exhausted their retries go (default none: they are only reported). */
  onFailure?: 'sqs' | 'sns' | 'none';
  /** Partial batch responses (batchItemFailures); default true. */
  reportBatchItemFailures?: boolean;
}

/** Anything that declares a stream consumer: the local consumer and the exports read only `settings`. */
export interface StreamConsumerDeclaration {
  readonly settings: StreamConsumerSettings;
}

export type ResolvedStreamConsumerSettings = Required<StreamConsumerSettings>;

export class StreamSettingsError extends Error {
  override readonly name = 'StreamSettingsError';
  constructor(readonly field: keyof StreamConsumerSettings, readonly rule: string) {
    super(`stream consumer setting ${field}: ${rule}`);
  }
}

function whole(field: keyof StreamConsumerSettings, value: unknown, fallback: number, ok: (n: number) => boolean, rule: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || !ok(value)) throw new StreamSettingsError(field, rule);
  return value;
}

/** The settings with Lambda's defaults filled in, each checked against Lambda's own range. */
export function resolveStreamConsumerSettings(s: StreamConsumerSettings): ResolvedStreamConsumerSettings {
  if (typeof s?.name !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(s.name)) throw new StreamSettingsError('name', 'must be 1 to 64 letters, digits, _ or -');
  const startingPosition = s.startingPosition ?? 'LATEST';
  if (startingPosition !== 'TRIM_HORIZON' && startingPosition !== 'LATEST') throw new StreamSettingsError('startingPosition', 'must be TRIM_HORIZON or LATEST');
  const onFailure = s.onFailure ?? 'none';
  if (!['sqs', 'sns', 'none'].includes(onFailure)) throw new StreamSettingsError('onFailure', 'must be sqs, sns or none');
  for (const flag of ['bisectBatchOnFunctionError', 'reportBatchItemFailures'] as const) {
    if (s[flag] !== undefined && typeof s[flag] !== 'boolean') throw new StreamSettingsError(flag, 'must be true or false');
  }
  return {
    name: s.name,
    batchSize: whole('batchSize', s.batchSize, 100, (n) => n >= 1 && n <= 10_000, 'must be a whole number from 1 to 10000'),
    maximumBatchingWindowInSeconds: whole('maximumBatchingWindowInSeconds', s.maximumBatchingWindowInSeconds, 0, (n) => n >= 0 && n <= 300, 'must be a whole number from 0 to 300'),
    maximumRetryAttempts: whole('maximumRetryAttempts', s.maximumRetryAttempts, -1, (n) => n >= -1 && n <= 10_000, 'must be -1 or a whole number from 0 to 10000'),
    maximumRecordAgeInSeconds: whole('maximumRecordAgeInSeconds', s.maximumRecordAgeInSeconds, -1, (n) => n === -1 || (n >= 60 && n <= 604_800), 'must be -1 or a whole number from 60 to 604800'),
    bisectBatchOnFunctionError: s.bisectBatchOnFunctionError ?? false,
    parallelizationFactor: whole('parallelizationFactor', s.parallelizationFactor, 1, (n) => n >= 1 && n <= 10, 'must be a whole number from 1 to 10'),
    startingPosition,
    onFailure,
    reportBatchItemFailures: s.reportBatchItemFailures ?? true,
  };
}

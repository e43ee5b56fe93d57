import { ServiceError, UnavailableError } from './errors';

/** What kind of failure a DynamoDB or network error is, for services to map onto their codes. */
export type ErrorClass = 'throttled' | 'unavailable' | 'conditional' | 'validation' | 'unknown';

const THROTTLED = new Set(['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded']);
// Errors DynamoDB or the network raise when the service is overloaded or unreachable; the SDK has
// already retried them with backoff by the time they reach us.
const UNAVAILABLE = new Set([
  'InternalServerError',
  'ServiceUnavailable',
  'TransactionConflictException',
  'TransactionInProgressException',
  'TimeoutError',
  'RequestTimeout',
  'NetworkingError',
]);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
// The SDK sometimes hands the socket error over wrapped ("AWS SDK error wrapper for Error:
// connect ECONNREFUSED host:port"), with the code only in the message or the cause.
const NETWORK_MESSAGE = /\b(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH)\b/;

function isNetworkError(e: { code?: string; message?: string; cause?: unknown }): boolean {
  const cause = (e.cause ?? {}) as { code?: string };
  return NETWORK_CODES.has(e.code ?? '') || NETWORK_CODES.has(cause.code ?? '') || NETWORK_MESSAGE.test(e.message ?? '');
}

export function classifyError(error: unknown): ErrorClass {
  const e = (error ?? {}) as { name?: string; code?: string; message?: string; cause?: unknown; $metadata?: { httpStatusCode?: number } };
  const name = e.name ?? '';
  if (THROTTLED.has(name)) return 'throttled';
  if (UNAVAILABLE.has(name) || (e.$metadata?.httpStatusCode ?? 0) >= 500 || isNetworkError(e)) return 'unavailable';
  if (name === 'ConditionalCheckFailedException') return 'conditional';
  if (name === 'ValidationException') return 'validation';
  return 'unknown';
}

export function isConditionalCheckFailed(error: unknown): boolean {
  return classifyError(error) === 'conditional';
}

/**
 * Runs one request; a failure that the SDK's retries could not cure (throttling, 5xx, network)
 * becomes UnavailableError, whose message names the error but no endpoint, table or key.
 */
export function callDynamo<T>(fn: () => Promise<T>): Promise<T> {
  // A plain promise chain, not an async function: one promise and one tick fewer per request.
  try {
    return fn().catch(asServiceFailure);
  } catch (error) {
    return Promise.reject(asServiceFailure(error));
  }
}

function asServiceFailure(error: unknown): never {
  if (error instanceof ServiceError) throw error;
  const kind = classifyError(error);
  if (kind === 'throttled' || kind === 'unavailable') {
    throw new UnavailableError(`DynamoDB is unavailable (${(error as Error).name || 'network error'}): retry later`, { cause: error });
  }
  throw error;
}

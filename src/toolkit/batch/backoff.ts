export interface BackoffOptions {
  /** Attempts in all, the first included. Default 20: at a steady 30% unprocessed, 10,000 items
   * all get through with probability 1 − 10,000 × 0.3^20 ≈ 1 − 4·10⁻⁷. */
  maxAttempts?: number;
  /** First delay ceiling in ms. Default 50. */
  baseDelayMs?: number;
  /** Largest delay ceiling in ms. Default 5,000. */
  maxDelayMs?: number;
}

/** Exponential backoff with full jitter (AWS's recommendation): uniform in [0, min(max, base × 2^attempt)]. */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const ceiling = Math.min(options.maxDelayMs ?? 5000, (options.baseDelayMs ?? 50) * 2 ** attempt);
  return Math.random() * ceiling;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Batch work that stayed unprocessed after every attempt. Nothing else failed; retry later. */
export class BatchIncompleteError extends Error {
  override readonly name = 'BatchIncompleteError';
  readonly code = 'UNAVAILABLE';
  constructor(readonly unprocessed: number, readonly total: number, readonly attempts: number) {
    super(`${unprocessed} of ${total} batch requests were still unprocessed after ${attempts} attempts`);
  }
}

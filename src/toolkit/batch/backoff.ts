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

/** A sleep that ends after `ms` or at wake(), whichever comes first: a poll loop woken by new work or by stop. */
export interface WakeableSleep {
  sleep(ms: number): Promise<void>;
  /** Ends the sleep in progress now; nothing when none is. */
  wake(): void;
}

/** One sleeper for one loop (a sleep started while another is pending takes over wake()). Its timer never keeps the process alive. */
export function wakeableSleep(): WakeableSleep {
  let pending: (() => void) | undefined;
  return {
    sleep(ms) {
      return new Promise<void>((resolve) => {
        const timer = setTimeout(done, ms).unref();
        function done() {
          clearTimeout(timer);
          if (pending === done) pending = undefined;
          resolve();
        }
        pending = done;
      });
    },
    wake() {
      pending?.();
    },
  };
}

/** Batch work that stayed unprocessed after every attempt. Nothing else failed; retry later. */
export class BatchIncompleteError extends Error {
  override readonly name = 'BatchIncompleteError';
  readonly code = 'UNAVAILABLE';
  constructor(readonly unprocessed: number, readonly total: number, readonly attempts: number) {
    super(`${unprocessed} of ${total} batch requests were still unprocessed after ${attempts} attempts`);
  }
}

import { sleep } from '../batch/backoff';

/**
 * A token bucket in capacity units: callers wait for a positive balance, then pay what the
 * request actually consumed (DynamoDB's ConsumedCapacity), so the rate holds in units, not
 * requests. The burst is a fifth of a second of budget: over any 10 s window the spend stays
 * within the budget plus that burst (2%) plus the requests in flight when it ran out.
 */
export class CapacityBudget {
  private tokens: number;
  private last = Date.now();
  private spent = 0;

  constructor(readonly unitsPerSecond: number, private readonly burstSeconds = 0.2) {
    if (!(unitsPerSecond > 0) || !Number.isFinite(unitsPerSecond)) throw new RangeError(`a capacity budget must be a positive number of units per second, got ${unitsPerSecond}`);
    this.tokens = unitsPerSecond * burstSeconds;
  }

  private refill(): void {
    const now = Date.now();
    this.tokens = Math.min(this.unitsPerSecond * this.burstSeconds, this.tokens + ((now - this.last) / 1000) * this.unitsPerSecond);
    this.last = now;
  }

  /** Waits until the balance is positive. */
  async take(): Promise<void> {
    for (;;) {
      this.refill();
      if (this.tokens > 0) return;
      await sleep(Math.max(1, Math.ceil((-this.tokens / this.unitsPerSecond) * 1000)));
    }
  }

  /** Pays what a request consumed. */
  charge(units: number): void {
    this.refill();
    this.tokens -= units;
    this.spent += units;
  }

  /** Units the bucket lets through at once when full: one request larger than this overshoots by its excess. */
  get burst(): number {
    return this.unitsPerSecond * this.burstSeconds;
  }

  get total(): number {
    return this.spent;
  }
}

import { sleep } from '../batch/backoff';

/**
 * A token bucket in capacity units: callers wait for a positive balance and reserve what they
 * expect to spend before sending, then settle with what the request actually consumed
 * (DynamoDB's ConsumedCapacity), so the rate holds in units, not requests. Reserving first keeps
 * concurrent workers from all seeing the same positive balance and overspending it together (a
 * burst, then a silence as long to pay it back: a window above the budget, then one below). The
 * burst is a fifth of a second of budget: over any 10 s window the spend stays within the budget
 * plus that burst (2%) plus the excess of estimates over what was consumed.
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

  /** Waits until the balance is positive, then reserves `units` (what the request is expected to consume). */
  async take(units = 0): Promise<void> {
    checkUnits('take', units);
    for (;;) {
      this.refill();
      if (this.tokens > 0) {
        this.tokens -= units;
        return;
      }
      await sleep(Math.max(1, Math.ceil((-this.tokens / this.unitsPerSecond) * 1000)));
    }
  }

  /** Pays what a request consumed, less what take() reserved for it (a refused request that consumed nothing: charge(0, reserved)). */
  charge(units: number, reserved = 0): void {
    checkUnits('charge', units);
    checkUnits('charge (reserved)', reserved);
    this.refill();
    this.tokens -= units - reserved;
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

/** A NaN or infinite amount would poison the balance for good (every later take() would wait forever). */
function checkUnits(what: string, units: number): void {
  if (!(Number.isFinite(units) && units >= 0)) throw new RangeError(`CapacityBudget.${what}: units must be a finite number >= 0, got ${units}`);
}

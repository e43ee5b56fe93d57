/**
 * The TTL sweeper: deletes the items whose TTL attribute has expired, as DynamoDB's background
 * process does, each deletion a REMOVE stream record whose userIdentity is the DynamoDB service.
 *
 * Eligible, as AWS documents (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/time-to-live-ttl-before-you-start.html,
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/howitworks-ttl.html):
 * - TTL enabled on the table (UpdateTimeToLive) and the item has the attribute at top level;
 * - its value is a Number, in epoch seconds (any other type is ignored);
 * - it is not more than five years in the past (older values are ignored);
 * - it is at or before now minus the sweeper's delay (engine clock). AWS deletes "typically within
 *   a few days"; the engine waits `faults.ttlDelayMs` (default one minute) so a test can see an
 *   expired item still returned by reads, then advance its clock past the delay.
 * Expired items not yet swept are still returned by reads, queries and scans, as on AWS.
 * Deletions go through the same write path as DeleteItem (indexes, stream, change events) and
 * consume no capacity (TTL deletes are free). One item's failure skips that item only.
 */
import type { EngineCore } from '../engine';
import { applyWrite } from '../operations/common';
import type { TableState } from '../storage/table';
import type { Item } from '../types';

export const SERVICE_IDENTITY = { type: 'Service', principalId: 'dynamodb.amazonaws.com' } as const;
/** Five years of 365.25 days: TTL values older than this are not expired by DynamoDB. */
export const FIVE_YEARS_MS = 5 * 365.25 * 24 * 60 * 60 * 1000;

export interface SweepResult {
  /** Items deleted, per table. */
  deleted: Record<string, number>;
  /** Items that failed to delete (left untouched). */
  errors: number;
}

/** Epoch ms of an item's TTL value when it is eligible by type and age; undefined otherwise. */
export function ttlMillis(item: Item, attribute: string): number | undefined {
  if (!Object.prototype.hasOwnProperty.call(item, attribute)) return undefined;
  const v = item[attribute] as Record<string, unknown> | undefined;
  if (!v || typeof v.N !== 'string') return undefined;
  const seconds = Number(v.N);
  if (!Number.isFinite(seconds)) return undefined;
  return seconds * 1000;
}

export function isExpired(item: Item, attribute: string, now: number, delayMs: number): boolean {
  const at = ttlMillis(item, attribute);
  if (at === undefined) return false;
  if (at < now - FIVE_YEARS_MS) return false;
  return at <= now - delayMs;
}

export class TtlSweeper {
  private timer: ReturnType<typeof setInterval> | undefined;
  /** Sweeps run and items deleted since the engine started. */
  readonly stats = { sweeps: 0, deleted: 0, errors: 0 };

  constructor(
    private readonly core: EngineCore,
    private readonly delayMs: () => number,
  ) {}

  /** Deletes every eligible item of every table with TTL enabled, now (engine clock). */
  sweep(): SweepResult {
    const result: SweepResult = { deleted: {}, errors: 0 };
    this.stats.sweeps++;
    for (const name of [...this.core.tables.keys()]) {
      const table = this.core.findTable(name);
      if (!table || (table.status !== 'ACTIVE' && table.status !== 'UPDATING')) continue;
      if (table.ttl.status !== 'ENABLED' || table.ttl.attribute === undefined) continue;
      const n = this.sweepTable(table, table.ttl.attribute, result);
      if (n > 0) result.deleted[name] = n;
    }
    return result;
  }

  private sweepTable(table: TableState, attribute: string, result: SweepResult): number {
    const now = this.core.now();
    const delay = this.delayMs();
    const needle = JSON.stringify(attribute) + ':';
    // Collect first, delete after: never mutate a partition while iterating it.
    const due: Item[] = [];
    for (const p of table.store.scanOrder()) {
      for (const e of p.entries) {
        if (!e.json.includes(needle)) continue;
        const item = JSON.parse(e.json) as Item;
        if (isExpired(item, attribute, now, delay)) due.push(table.keyItem(item));
      }
    }
    let deleted = 0;
    for (const keyItem of due) {
      try {
        const key = table.keyOf(keyItem);
        // Re-read: the item may have changed since it was collected (only TTL decides).
        const current = table.getItem(key);
        if (!current || !isExpired(current, attribute, this.core.now(), delay)) continue;
        applyWrite(this.core, table, key, current, undefined, { userIdentity: { ...SERVICE_IDENTITY } });
        deleted++;
      } catch {
        result.errors++;
        this.stats.errors++;
      }
    }
    this.stats.deleted += deleted;
    return deleted;
  }

  /** Sweeps every intervalMs of real time until stop() (the timer never keeps the process alive). */
  start(intervalMs = 1000): void {
    if (!(Number.isFinite(intervalMs) && intervalMs > 0)) throw new RangeError('ttl.start: intervalMs must be a positive number');
    this.stop();
    this.timer = setInterval(() => {
      try {
        this.sweep();
      } catch {
        this.stats.errors++;
      }
    }, intervalMs);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}

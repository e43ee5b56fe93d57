/**
 * Storage-level fault modes, off by default, deterministic by seed:
 * - gsiLag: writes to global secondary indexes stay pending until `lagMs` of engine clock or
 *   `ops` later operations have passed (whichever comes first); index reads see the old state.
 * - staleReads: an eventually consistent GetItem/BatchGetItem/Query/Scan of a table may return the
 *   previous version of an item written less than `windowMs` ago, with the given probability
 *   (Query and Scan: operations/stale-view.ts).
 */
import { seededRandom } from '../faults/random';

export interface GsiLagOptions {
  /** Hold index writes for this many ms of engine clock. */
  lagMs?: number;
  /** ...or until this many later operations have run. */
  ops?: number;
}

export interface StaleReadOptions {
  windowMs: number;
  /** 0..1, default 1. */
  probability?: number;
}

export interface StorageFaultOptions {
  gsiLag?: GsiLagOptions | null;
  staleReads?: StaleReadOptions | null;
}

export class StorageFaults {
  gsiLag: GsiLagOptions | null = null;
  staleReads: StaleReadOptions | null = null;
  readonly random: () => number;

  constructor(seed: number, options?: StorageFaultOptions) {
    this.random = seededRandom(seed ^ 0x5eed);
    this.set(options ?? {});
  }

  set(options: StorageFaultOptions): void {
    if (options.gsiLag !== undefined) {
      const o = options.gsiLag;
      if (o && ((o.lagMs !== undefined && !(o.lagMs >= 0)) || (o.ops !== undefined && !(Number.isInteger(o.ops) && o.ops >= 0)))) {
        throw new RangeError('gsiLag: lagMs must be a number >= 0 and ops an integer >= 0');
      }
      this.gsiLag = o && (o.lagMs !== undefined || o.ops !== undefined) ? { ...o } : null;
    }
    if (options.staleReads !== undefined) {
      const o = options.staleReads;
      if (o && (!(o.windowMs >= 0) || (o.probability !== undefined && !(o.probability >= 0 && o.probability <= 1)))) {
        throw new RangeError('staleReads: windowMs must be >= 0 and probability within 0..1');
      }
      this.staleReads = o ? { ...o } : null;
    }
  }
}

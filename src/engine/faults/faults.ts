/**
 * The failures production has, on demand: every mode off by default, deterministic by seed and
 * engine clock, set at createEngine({ faults }) or at run time (engine.faults.set / clear).
 * The operations call the hooks below at one point each (see docs/engine.md, "Fault modes").
 */
import { EngineError } from '../errors';
import type { Item } from '../types';
import { StorageFaults, type GsiLagOptions, type StaleReadOptions } from '../storage/storage-faults';
import { itemKeyId } from './keys';
import { modeRandom } from './random';
import { ThroughputThrottle, type ThrottlingOptions, type ThroughputCharge, type ThroughputTable, type ThroughputTarget } from './throughput';

export interface TransactionConflictOptions {
  /** Each item of a TransactWriteItems / TransactGetItems conflicts with this probability (0..1), seeded. */
  probability?: number;
  /**
   * A committed TransactWriteItems keeps its items "in flight" this many ms of engine clock: a
   * write or transaction touching one of them within the window conflicts.
   */
  windowMs?: number;
}

export interface UnprocessedOptions {
  /** Each request of a BatchWriteItem (key of a BatchGetItem) is left unprocessed with this probability (0..1), seeded. */
  share?: number;
  /** Or exactly this many requests per call. */
  count?: number;
}

export interface FaultOptions {
  /** Throttling (true: AWS's limits). */
  throttling?: ThrottlingOptions | boolean | null;
  transactionConflicts?: TransactionConflictOptions | null;
  unprocessed?: UnprocessedOptions | null;
  /** GSI propagation lag (applied by storage). */
  gsiLag?: GsiLagOptions | null;
  /** Eventually consistent base-table reads returning the previous version (applied by storage). */
  staleReads?: StaleReadOptions | null;
  /** How long after its TTL an expired item becomes eligible for the sweeper (ms of engine clock). */
  ttlDelayMs?: number | null;
}

/** A snapshot of what is on. */
export interface FaultSettings {
  throttling: Required<ThrottlingOptions> | null;
  transactionConflicts: Required<TransactionConflictOptions> | null;
  unprocessed: UnprocessedOptions | null;
  gsiLag: GsiLagOptions | null;
  staleReads: StaleReadOptions | null;
  ttlDelayMs: number;
}

export interface FaultCounters {
  throttled: number;
  transactionConflicts: number;
  unprocessed: number;
}

export interface ItemRef {
  tableName: string;
  key: Item;
}

/**
 * The sweeper's default delay: one minute of engine clock. AWS deletes "typically within a few days"
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/howitworks-ttl.html); a test
 * that relies on the delay sets it, or advances the clock past it.
 */
export const DEFAULT_TTL_DELAY_MS = 60_000;

export const TRANSACTION_CONFLICT_MESSAGE = 'Transaction is ongoing for the item';

function fail(field: string, rule: string): never {
  throw new EngineError('ValidationException', `faults.${field}: ${rule}`);
}

function probability(field: string, v: unknown): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !(v >= 0 && v <= 1)) fail(field, 'must be a number from 0 to 1');
  return v;
}

function nonNegative(field: string, v: unknown, integer = false): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (integer && !Number.isInteger(v))) {
    fail(field, integer ? 'must be an integer >= 0' : 'must be a finite number >= 0');
  }
  return v;
}

function plainObject(field: string, v: unknown): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(field, 'must be an object, true/false or null');
  return v as Record<string, unknown>;
}

function onlyKeys(field: string, o: Record<string, unknown>, keys: readonly string[]): void {
  for (const k of Object.keys(o)) if (!keys.includes(k)) fail(field, `unknown option ${JSON.stringify(k)} (known: ${keys.join(', ')})`);
}

export class Faults {
  private readonly clock: () => number;
  private readonly seed: number;
  /** Storage applies GSI lag and stale reads; this object configures it. */
  readonly storage: StorageFaults;
  private throttle: ThroughputThrottle | null = null;
  private conflicts: Required<TransactionConflictOptions> | null = null;
  private unprocessedOptions: UnprocessedOptions | null = null;
  private ttlDelay = DEFAULT_TTL_DELAY_MS;
  private conflictRandom: () => number;
  private unprocessedRandom: () => number;
  /** Item key id -> engine-clock ms until which a transaction holds it. */
  private readonly held = new Map<string, number>();
  readonly counters: FaultCounters = { throttled: 0, transactionConflicts: 0, unprocessed: 0 };

  constructor(init: { clock: () => number; seed?: number; storage?: StorageFaults; options?: FaultOptions }) {
    this.clock = init.clock;
    this.seed = init.seed ?? 0;
    this.storage = init.storage ?? new StorageFaults(this.seed);
    this.conflictRandom = modeRandom(this.seed, 'transactionConflicts');
    this.unprocessedRandom = modeRandom(this.seed, 'unprocessed');
    if (init.options) this.set(init.options);
  }

  /**
   * Turns modes on or off: a key given replaces that mode (null or false turns it off), a key left
   * out keeps it. Invalid options throw ValidationException naming the field; nothing changes then.
   */
  set(options: FaultOptions): void {
    const o = plainObject('options', options) as FaultOptions;
    onlyKeys('options', o as Record<string, unknown>, ['throttling', 'transactionConflicts', 'unprocessed', 'gsiLag', 'staleReads', 'ttlDelayMs']);
    // Validate everything first, then apply: a bad option changes nothing.
    let throttling: ThrottlingOptions | null | undefined;
    if (o.throttling !== undefined) {
      if (o.throttling === null || o.throttling === false) throttling = null;
      else if (o.throttling === true) throttling = {};
      else {
        const t = plainObject('throttling', o.throttling);
        onlyKeys('throttling', t, ['partitionReadUnitsPerSecond', 'partitionWriteUnitsPerSecond', 'provisioned', 'burstSeconds']);
        nonNegative('throttling.partitionReadUnitsPerSecond', t.partitionReadUnitsPerSecond);
        nonNegative('throttling.partitionWriteUnitsPerSecond', t.partitionWriteUnitsPerSecond);
        nonNegative('throttling.burstSeconds', t.burstSeconds);
        if (t.provisioned !== undefined && typeof t.provisioned !== 'boolean') fail('throttling.provisioned', 'must be a boolean');
        throttling = { ...(t as ThrottlingOptions) };
      }
    }
    let conflicts: Required<TransactionConflictOptions> | null | undefined;
    if (o.transactionConflicts !== undefined) {
      if (o.transactionConflicts === null) conflicts = null;
      else {
        const c = plainObject('transactionConflicts', o.transactionConflicts);
        onlyKeys('transactionConflicts', c, ['probability', 'windowMs']);
        conflicts = {
          probability: probability('transactionConflicts.probability', c.probability) ?? 0,
          windowMs: nonNegative('transactionConflicts.windowMs', c.windowMs) ?? 0,
        };
      }
    }
    let unprocessed: UnprocessedOptions | null | undefined;
    if (o.unprocessed !== undefined) {
      if (o.unprocessed === null) unprocessed = null;
      else {
        const u = plainObject('unprocessed', o.unprocessed);
        onlyKeys('unprocessed', u, ['share', 'count']);
        const share = probability('unprocessed.share', u.share);
        const count = nonNegative('unprocessed.count', u.count, true);
        if (share !== undefined && count !== undefined) fail('unprocessed', 'give share or count, not both');
        unprocessed = share !== undefined ? { share } : count !== undefined ? { count } : null;
      }
    }
    const ttlDelay = o.ttlDelayMs === undefined ? undefined : o.ttlDelayMs === null ? DEFAULT_TTL_DELAY_MS : nonNegative('ttlDelayMs', o.ttlDelayMs);
    const storage: { gsiLag?: GsiLagOptions | null; staleReads?: StaleReadOptions | null } = {};
    if (o.gsiLag !== undefined) {
      if (o.gsiLag !== null) onlyKeys('gsiLag', plainObject('gsiLag', o.gsiLag), ['lagMs', 'ops']);
      storage.gsiLag = o.gsiLag;
    }
    if (o.staleReads !== undefined) {
      if (o.staleReads !== null) onlyKeys('staleReads', plainObject('staleReads', o.staleReads), ['windowMs', 'probability']);
      storage.staleReads = o.staleReads;
    }
    try {
      // Validate storage options on a scratch copy before touching the live one.
      new StorageFaults(0).set(storage);
    } catch (e) {
      fail(Object.keys(storage).join('/'), (e as Error).message);
    }

    if (throttling !== undefined) this.throttle = throttling === null ? null : new ThroughputThrottle(throttling);
    if (conflicts !== undefined) this.conflicts = conflicts;
    if (unprocessed !== undefined) this.unprocessedOptions = unprocessed;
    if (ttlDelay !== undefined) this.ttlDelay = ttlDelay;
    this.storage.set(storage);
  }

  /** Every mode off, items held by holdItems released, TTL delay back to its default. */
  clear(): void {
    this.throttle = null;
    this.conflicts = null;
    this.unprocessedOptions = null;
    this.ttlDelay = DEFAULT_TTL_DELAY_MS;
    this.held.clear();
    this.storage.set({ gsiLag: null, staleReads: null });
  }

  get settings(): FaultSettings {
    return {
      throttling: this.throttle ? { ...this.throttle.settings } : null,
      transactionConflicts: this.conflicts ? { ...this.conflicts } : null,
      unprocessed: this.unprocessedOptions ? { ...this.unprocessedOptions } : null,
      gsiLag: this.storage.gsiLag ? { ...this.storage.gsiLag } : null,
      staleReads: this.storage.staleReads ? { ...this.storage.staleReads } : null,
      ttlDelayMs: this.ttlDelay,
    };
  }

  // ---- transaction conflicts -------------------------------------------------------------------

  /**
   * Tests: hold these items as an in-flight transaction would for `ms` of engine clock. A
   * Put/Update/DeleteItem on one of them fails with TransactionConflictException, a
   * TransactWriteItems / TransactGetItems including one is canceled with reason TransactionConflict.
   * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html#transaction-conflict-handling
   */
  holdItems(items: readonly ItemRef[], ms: number): void {
    nonNegative('holdItems.ms', ms);
    if (!Array.isArray(items)) fail('holdItems.items', 'must be an array of { tableName, key }');
    const until = this.clock() + ms;
    const ids: string[] = [];
    items.forEach((ref, i) => {
      if (typeof ref !== 'object' || ref === null || typeof ref.tableName !== 'string' || typeof ref.key !== 'object' || ref.key === null) {
        fail(`holdItems.items[${i}]`, 'must be { tableName: string, key: Item }');
      }
      ids.push(itemKeyId(ref.tableName, ref.key));
    });
    for (const id of ids) this.held.set(id, Math.max(until, this.held.get(id) ?? 0));
  }

  /** Releases every held item. */
  releaseItems(): void {
    this.held.clear();
  }

  isHeld(tableName: string, key: Item): boolean {
    if (this.held.size === 0) return false;
    const id = itemKeyId(tableName, key);
    const until = this.held.get(id);
    if (until === undefined) return false;
    if (until <= this.clock()) {
      this.held.delete(id);
      return false;
    }
    return true;
  }

  /** Hook: PutItem / UpdateItem / DeleteItem, before anything is applied. */
  beforeWrite(tableName: string, key: Item): void {
    if (this.isHeld(tableName, key)) {
      this.counters.transactionConflicts++;
      throw new EngineError('TransactionConflictException', TRANSACTION_CONFLICT_MESSAGE);
    }
  }

  /**
   * Hook: which items of a TransactWriteItems / TransactGetItems conflict (held, or drawn by the
   * probability), in request order; undefined when none. Draws one number per item when a
   * probability is set, so a seed replays the same conflicts.
   */
  transactionConflicts(items: readonly ItemRef[]): boolean[] | undefined {
    const p = this.conflicts?.probability ?? 0;
    if (p === 0 && this.held.size === 0) return undefined;
    let any = false;
    const out = items.map((ref) => {
      const drawn = p > 0 && this.conflictRandom() < p;
      const c = this.isHeld(ref.tableName, ref.key) || drawn;
      any ||= c;
      return c;
    });
    if (!any) return undefined;
    this.counters.transactionConflicts++;
    return out;
  }

  /**
   * Hook: before a transaction is applied; throws TransactionCanceledException with positional
   * CancellationReasons when an item conflicts. (An operation that merges these with condition
   * failures uses transactionConflicts() and cancellationReason() instead.)
   */
  beforeTransaction(items: readonly ItemRef[]): void {
    const conflicts = this.transactionConflicts(items);
    if (!conflicts) return;
    throw transactionCanceled(conflicts.map((c) => (c ? cancellationReason() : { Code: 'None' })));
  }

  /** Hook: after a TransactWriteItems committed: its items stay held for the configured window. */
  afterTransactionCommit(items: readonly ItemRef[]): void {
    const w = this.conflicts?.windowMs ?? 0;
    if (w > 0) this.holdItems(items, w);
  }

  // ---- throttling ------------------------------------------------------------------------------

  get throttlingEnabled(): boolean {
    return this.throttle !== null;
  }

  /** Balance left in a bucket (diagnostics, tests); undefined when throttling is off or the bucket unused. */
  throughputBalance(tableName: string, kind: 'read' | 'write', target: ThroughputTarget = {}): number | undefined {
    return this.throttle?.balance(tableName, kind, target);
  }

  /** The throttling error when a partition or capacity the request lands on is exhausted; undefined: admitted. */
  admit(table: ThroughputTable, kind: 'read' | 'write', targets: readonly ThroughputTarget[]): EngineError | undefined {
    if (!this.throttle) return undefined;
    const err = this.throttle.admit(table, kind, targets, this.clock());
    if (err) this.counters.throttled++;
    return err;
  }

  /** Debits the units a request consumed (after it ran). */
  debit(table: ThroughputTable, kind: 'read' | 'write', charges: readonly ThroughputCharge[]): void {
    this.throttle?.debit(table, kind, charges, this.clock());
  }

  /** True when a mode that acts on requests is on (otherwise requests run untouched). */
  get actsOnRequests(): boolean {
    return this.throttle !== null || this.conflicts !== null || this.unprocessedOptions !== null || this.held.size > 0;
  }

  /** Hook: a table was deleted: forget its buckets (a re-created table starts fresh). */
  tableDeleted(tableName: string): void {
    this.throttle?.reset(tableName);
  }

  // ---- batches ---------------------------------------------------------------------------------

  /**
   * Hook: which of a batch's n requests (BatchWriteItem requests, BatchGetItem keys, in request
   * order) to leave unprocessed; undefined when none. At least one request is always processed, so
   * a client's retry loop always progresses.
   */
  unprocessed(n: number): boolean[] | undefined {
    const u = this.unprocessedOptions;
    if (!u || n <= 1) return undefined;
    let mask: boolean[];
    if (u.count !== undefined) {
      const k = Math.min(u.count, n - 1);
      if (k === 0) return undefined;
      // k distinct positions, drawn by a seeded partial shuffle.
      const idx = Array.from({ length: n }, (_, i) => i);
      for (let i = 0; i < k; i++) {
        const j = i + Math.floor(this.unprocessedRandom() * (n - i));
        [idx[i], idx[j]] = [idx[j] as number, idx[i] as number];
      }
      mask = new Array<boolean>(n).fill(false);
      for (let i = 0; i < k; i++) mask[idx[i] as number] = true;
    } else {
      const share = u.share ?? 0;
      if (share === 0) return undefined;
      mask = Array.from({ length: n }, () => this.unprocessedRandom() < share);
      if (mask.every(Boolean)) mask[Math.floor(this.unprocessedRandom() * n)] = false;
    }
    const count = mask.filter(Boolean).length;
    if (count === 0) return undefined;
    this.counters.unprocessed += count;
    return mask;
  }

  // ---- TTL ---------------------------------------------------------------------------------------

  /** The sweeper's delay after an item's TTL before it may delete it (ms of engine clock). */
  get ttlDelayMs(): number {
    return this.ttlDelay;
  }
}

/** DynamoDB's reason for a conflicting item of a transaction. */
export function cancellationReason(): { Code: string; Message: string } {
  return { Code: 'TransactionConflict', Message: TRANSACTION_CONFLICT_MESSAGE };
}

/**
 * TransactionCanceledException with DynamoDB's message, which lists the reason codes in request order.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
 */
export function transactionCanceled(reasons: ReadonlyArray<{ Code: string; Message?: string; Item?: Item }>): EngineError {
  return new EngineError(
    'TransactionCanceledException',
    'Transaction cancelled, please refer cancellation reasons for specific reasons [' + reasons.map((r) => r.Code).join(', ') + ']',
    400,
    { CancellationReasons: reasons },
  );
}

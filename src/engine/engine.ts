/**
 * The engine: tables in memory, DynamoDB's operations by name, change events, clock and seed.
 */
import { randomUUID } from 'node:crypto';
import { EngineError } from './errors';
import type { Item } from './types';
import { StorageFaults, type StorageFaultOptions } from './storage/storage-faults';
import type { TableState } from './storage/table';
import { OPERATIONS, type Operation } from './operations';
import { attachStreams, type Streams } from './streams';
import { attachFaults, type Faults, type FaultOptions } from './faults';
import { attachTtl, type TtlSweeper } from './ttl';

/** A change applied to an item (streams and TTL consume these). */
export interface ChangeEvent {
  tableName: string;
  keys: Item;
  oldImage?: Item;
  newImage?: Item;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  userIdentity?: { type: 'Service'; principalId: 'dynamodb.amazonaws.com' };
  /** Engine clock, ms. */
  at: number;
}
export type ChangeListener = (event: ChangeEvent) => void;

export interface EngineOptions {
  /** Engine clock in ms (default Date.now): TTL, token windows, delays and lag read it. */
  clock?: () => number;
  /** Seed of every random decision (fault modes). Default 1. */
  seed?: number;
  /** Region and account in ARNs. */
  region?: string;
  accountId?: string;
  /** A new table stays CREATING this many ms of engine clock (default 0: ACTIVE at once). */
  createTableMs?: number;
  /** A deleted table stays DELETING this long (default 0: gone at once). */
  deleteTableMs?: number;
  /** A GSI added by UpdateTable stays CREATING (Backfilling) this long (default 0). */
  indexBackfillMs?: number;
  /** Fault modes (throttling, transaction conflicts, unprocessed batch items, GSI lag, stale reads, TTL delay); off by default. */
  faults?: FaultOptions;
}

/** Handler of one operation of another API (the streams API registers here). */
export type ExtensionOperation = (body: Record<string, unknown>) => unknown;

export interface Engine {
  /** Runs one operation. target: `DynamoDB_20120810.PutItem` or just `PutItem`. Throws EngineError. */
  handle(target: string, body: unknown): Promise<unknown>;
  /** Same, synchronously (the in-process path needs no event-loop turn). */
  handleSync(target: string, body: unknown): unknown;
  /** Subscribes to every applied write; returns the unsubscribe function. */
  onChange(listener: ChangeListener): () => void;
  /** Adds the operations of another API (e.g. DynamoDBStreams_20120810). */
  registerOperations(service: string, operations: Record<string, ExtensionOperation>): void;
  /** Switches storage faults at run time. */
  setFaults(faults: StorageFaultOptions): void;
  /** Counters: listener errors, internal errors, requests. */
  readonly stats: EngineStats;
  readonly clock: () => number;
  readonly seed: number;
  /** Internal state for the engine's own modules (streams, TTL). */
  readonly core: EngineCore;
  /** The streams API and in-process stream subscriptions. */
  readonly streams: Streams;
  /** Fault modes at run time: set({...}), clear(), holdItems(...). */
  readonly faults: Faults;
  /** The TTL sweeper: sweep() deletes expired items now (engine clock). */
  readonly ttl: TtlSweeper;
  close(): Promise<void>;
}

export interface EngineStats {
  requests: number;
  listenerErrors: number;
  internalErrors: number;
}

export class EngineCore {
  readonly tables = new Map<string, TableState>();
  readonly listeners = new Set<ChangeListener>();
  readonly faults: StorageFaults;
  readonly tokens = new Map<string, { fingerprint: string; at: number; response: unknown }>();
  readonly region: string;
  readonly accountId: string;
  opCounter = 0;
  /** Parsed read expressions by request text (see operations/query.ts); bounded. */
  readonly parseCache = new Map<string, unknown>();
  closed = false;
  readonly stats: EngineStats = { requests: 0, listenerErrors: 0, internalErrors: 0 };

  constructor(
    readonly clock: () => number,
    readonly seed: number,
    readonly options: EngineOptions,
  ) {
    this.faults = new StorageFaults(seed, options.faults);
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '000000000000';
  }

  now(): number {
    return this.clock();
  }

  tableArn(name: string): string {
    return `arn:aws:dynamodb:${this.region}:${this.accountId}:table/${name}`;
  }

  newId(): string {
    return randomUUID();
  }

  /** Applies due time-based transitions (CREATING -> ACTIVE, index backfill, DELETING -> gone). */
  settle(table: TableState): void {
    const now = this.now();
    if (table.status === 'CREATING' && table.activeAt !== undefined && now >= table.activeAt) {
      table.status = 'ACTIVE';
      table.activeAt = undefined;
    }
    if (table.status === 'DELETING' && table.activeAt !== undefined && now >= table.activeAt) {
      this.tables.delete(table.name);
      return;
    }
    for (const index of table.indexes) {
      if (index.status === 'CREATING' && index.activeAt !== undefined && now >= index.activeAt) {
        index.status = 'ACTIVE';
        index.backfilling = false;
        index.activeAt = undefined;
      }
    }
    if (table.status === 'UPDATING' && table.indexes.every((i) => i.status === 'ACTIVE')) table.status = 'ACTIVE';
    if (table.ttl.status === 'ENABLING') table.ttl.status = 'ENABLED';
    if (table.ttl.status === 'DISABLING') table.ttl.status = 'DISABLED';
  }

  /** The table, whatever its status; undefined when absent. */
  findTable(name: string): TableState | undefined {
    const t = this.tables.get(name);
    if (t) this.settle(t);
    return this.tables.get(name);
  }

  /** The table for an item operation: absent or not ACTIVE/UPDATING answers ResourceNotFoundException. */
  activeTable(name: string): TableState {
    const t = this.findTable(name);
    if (!t || t.status === 'CREATING' || t.status === 'DELETING') {
      throw new EngineError('ResourceNotFoundException', 'Requested resource not found');
    }
    return t;
  }

  emit(event: ChangeEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        // A listener never changes the write or the caller's answer.
        this.stats.listenerErrors++;
      }
    }
  }
}

export function createEngine(options: EngineOptions = {}): Engine {
  const clock = options.clock ?? Date.now;
  const seed = options.seed ?? 1;
  const core = new EngineCore(clock, seed, options);
  const extensions = new Map<string, Record<string, ExtensionOperation>>();

  const attached = attachFaults(
    {
      onChange: (listener) => {
        core.listeners.add(listener);
        return () => void core.listeners.delete(listener);
      },
    },
    { clock, seed, tables: core.tables, storage: core.faults },
    options.faults,
  );
  const faultRunner = attached.runner;
  const handleSync = (target: string, body: unknown): unknown => {
    if (core.closed) throw new EngineError('InternalServerError', 'The engine is closed', 500);
    core.stats.requests++;
    core.opCounter++;
    const dot = target.lastIndexOf('.');
    const service = dot >= 0 ? target.slice(0, dot) : 'DynamoDB_20120810';
    const name = dot >= 0 ? target.slice(dot + 1) : target;
    if (service === 'DynamoDB_20120810') {
      const op: Operation | undefined = Object.prototype.hasOwnProperty.call(OPERATIONS, name) ? OPERATIONS[name] : undefined;
      if (!op) throw new EngineError('UnknownOperationException', '');
      return faultRunner.run(name, body ?? {}, (b) => op(core, b));
    }
    const ext = extensions.get(service);
    const fn = ext && Object.prototype.hasOwnProperty.call(ext, name) ? ext[name] : undefined;
    if (!fn) throw new EngineError('UnknownOperationException', '');
    return fn((body ?? {}) as Record<string, unknown>);
  };

  const engine: Engine = {
    handleSync,
    handle: (target, body) => {
      try {
        return Promise.resolve(handleSync(target, body));
      } catch (e) {
        return Promise.reject(e instanceof Error ? e : new Error(String(e)));
      }
    },
    onChange(listener) {
      core.listeners.add(listener);
      return () => {
        core.listeners.delete(listener);
      };
    },
    registerOperations(service, operations) {
      extensions.set(service, { ...(extensions.get(service) ?? {}), ...operations });
    },
    setFaults(faults) {
      core.faults.set(faults);
    },
    get stats() {
      return core.stats;
    },
    clock,
    seed,
    core,
    close() {
      core.closed = true;
      core.listeners.clear();
      return Promise.resolve();
    },
    streams: undefined as unknown as Streams,
    faults: undefined as unknown as Faults,
    ttl: undefined as unknown as TtlSweeper,
  };
  (engine as { streams: Streams }).streams = attachStreams(engine, { clock, region: core.region, tables: core.tables });
  (engine as { faults: Faults }).faults = attached.faults;
  (engine as { ttl: TtlSweeper }).ttl = attachTtl(core, () => attached.faults.ttlDelayMs);
  return engine;
}

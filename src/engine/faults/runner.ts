/**
 * Applies the request-level fault modes around one operation, so the operations themselves stay
 * unaware of them: the dispatcher runs every DynamoDB operation through FaultRunner.run.
 * - Put/Update/DeleteItem on an item an in-flight transaction holds: TransactionConflictException.
 *   TransactWriteItems / TransactGetItems with such an item (or one drawn by the seeded
 *   probability): TransactionCanceledException, reason TransactionConflict, in request order.
 *   https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html#transaction-conflict-handling
 * - Throttling: a request whose partitions (table and GSIs) or provisioned capacity are exhausted
 *   is refused before it runs; after it runs, the units it consumed are debited. A batch leaves the
 *   refused requests in UnprocessedItems / UnprocessedKeys (and fails with the throttling error only
 *   when none could be processed); a transaction is canceled with reason ThrottlingError.
 *   https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html
 * - Unprocessed: a seeded share (or count) of a batch's requests is left unprocessed. These are
 *   picked before the operation validates the remaining requests: under this mode, an invalid
 *   request among the unprocessed ones is answered by the retry that sends it.
 * With no request-level mode on, run() calls the operation and nothing else.
 */
import { EngineError } from '../errors';
import type { TableState } from '../storage/table';
import type { Item } from '../types';
import { cancellationReason, transactionCanceled, TRANSACTION_CONFLICT_MESSAGE, type Faults, type ItemRef } from './faults';
import {
  asItem,
  changeCharges,
  consumedByTable,
  isObject,
  itemTargets,
  keyOf,
  queryTarget,
  readCharges,
  storedItem,
  throughputTable,
  withIndexesCapacity,
  type ChangeLike,
} from './requests';
import { itemKeyId } from './keys';
import type { ThroughputCharge, ThroughputTarget } from './throughput';

type Exec = (body: Record<string, unknown>) => unknown;

const THROTTLING_REASON = {
  Code: 'ThrottlingError',
  Message: 'Throughput exceeds the current capacity of your table or index. DynamoDB is automatically scaling your table or index so please try again shortly.',
};

interface BatchEntry {
  tableName: string;
  /** The request as sent (a WriteRequest, or a key). */
  request: unknown;
  table?: TableState;
  key?: Item;
  targets: ThroughputTarget[];
}

export class FaultRunner {
  private capture: ChangeLike[] | null = null;

  constructor(
    readonly faults: Faults,
    private readonly tables: ReadonlyMap<string, TableState>,
  ) {}

  /** The engine's change listener: records the changes of the operation running now. */
  observe(event: ChangeLike): void {
    this.capture?.push(event);
  }

  run(operation: string, rawBody: unknown, exec: Exec): unknown {
    if (!this.faults.actsOnRequests || !isObject(rawBody)) return exec(rawBody as Record<string, unknown>);
    const body = rawBody;
    switch (operation) {
      case 'PutItem':
      case 'UpdateItem':
      case 'DeleteItem':
        return this.singleWrite(operation, body, exec);
      case 'GetItem':
      case 'Query':
      case 'Scan':
        return this.read(operation, body, exec);
      case 'BatchWriteItem':
        return this.batchWrite(body, exec);
      case 'BatchGetItem':
        return this.batchGet(body, exec);
      case 'TransactWriteItems':
        return this.transactWrite(body, exec);
      case 'TransactGetItems':
        return this.transactGet(body, exec);
      case 'DeleteTable': {
        const out = exec(body);
        if (typeof body.TableName === 'string') this.faults.tableDeleted(body.TableName);
        return out;
      }
      default:
        return exec(body);
    }
  }

  private table(name: unknown): TableState | undefined {
    return typeof name === 'string' ? this.tables.get(name) : undefined;
  }

  /** Runs exec, returning its answer and the changes it applied. */
  private captured(exec: () => unknown): { out: unknown; changes: ChangeLike[] } {
    const prev = this.capture;
    const changes: ChangeLike[] = [];
    this.capture = changes;
    try {
      return { out: exec(), changes };
    } finally {
      this.capture = prev;
    }
  }

  private debitChanges(changes: readonly ChangeLike[], transactional: boolean): void {
    for (const c of changes) {
      const t = this.tables.get(c.tableName);
      if (t) this.faults.debit(throughputTable(t), 'write', changeCharges(t, c, transactional));
    }
  }

  private singleWrite(operation: string, body: Record<string, unknown>, exec: Exec): unknown {
    const table = this.table(body.TableName);
    const item = operation === 'PutItem' ? asItem(body.Item) : undefined;
    const key = table ? (operation === 'PutItem' ? keyOf(table, item) : keyOf(table, asItem(body.Key))) : undefined;
    if (!table || !key) return exec(body);
    this.faults.beforeWrite(table.name, key);
    if (!this.faults.throttlingEnabled) return exec(body);
    const stored = storedItem(table, key);
    const targets = [...itemTargets(table, item ?? key), ...itemTargets(table, stored)];
    const tt = throughputTable(table);
    const err = this.faults.admit(tt, 'write', targets);
    if (err) throw err;
    // A write that changes nothing (a failed condition, deleting a missing item, an update to the
    // same values) still consumes write capacity, on the stored item's size.
    const unchanged: ChangeLike = { tableName: table.name, keys: key, ...(stored ? { oldImage: stored } : {}) };
    let result: { out: unknown; changes: ChangeLike[] };
    try {
      result = this.captured(() => exec(body));
    } catch (e) {
      if (e instanceof EngineError && e.type === 'ConditionalCheckFailedException') this.debitChanges([unchanged], false);
      throw e;
    }
    this.debitChanges(result.changes.length ? result.changes : [unchanged], false);
    return result.out;
  }

  private read(operation: string, body: Record<string, unknown>, exec: Exec): unknown {
    const table = this.table(body.TableName);
    if (!table || !this.faults.throttlingEnabled) return exec(body);
    let target: ThroughputTarget;
    if (operation === 'GetItem') {
      const key = keyOf(table, asItem(body.Key));
      target = itemTargets(table, key)[0] ?? {};
    } else if (operation === 'Query') target = queryTarget(table, body);
    else {
      const index = typeof body.IndexName === 'string' ? table.index(body.IndexName) : undefined;
      target = index?.global ? { index: index.name } : {};
    }
    const tt = throughputTable(table);
    const err = this.faults.admit(tt, 'read', [target]);
    if (err) throw err;
    const cap = withIndexesCapacity(body);
    if (!cap) return exec(body);
    const out = exec(cap.body);
    this.faults.debit(tt, 'read', readCharges(consumedByTable(out).get(table.name), target));
    return cap.restore(out);
  }

  private entriesOf(requestItems: Record<string, unknown>, kind: 'write' | 'get'): BatchEntry[] | undefined {
    const entries: BatchEntry[] = [];
    for (const [tableName, v] of Object.entries(requestItems)) {
      const table = this.table(tableName);
      const list = kind === 'write' ? v : isObject(v) ? v.Keys : undefined;
      if (!Array.isArray(list)) return undefined;
      for (const request of list) {
        let item: Item | undefined;
        let key: Item | undefined;
        if (kind === 'write') {
          if (!isObject(request)) return undefined;
          const put = isObject(request.PutRequest) ? asItem(request.PutRequest.Item) : undefined;
          const del = isObject(request.DeleteRequest) ? asItem(request.DeleteRequest.Key) : undefined;
          item = put;
          key = table ? keyOf(table, put ?? del) : undefined;
        } else key = table ? keyOf(table, asItem(request)) : undefined;
        const targets = table && key ? [...itemTargets(table, item ?? key), ...(kind === 'write' ? itemTargets(table, storedItem(table, key)) : [])] : [];
        entries.push({ tableName, request, ...(table ? { table } : {}), ...(key ? { key } : {}), targets });
      }
    }
    return entries;
  }

  /** Which entries to leave unprocessed: the seeded share, held items (writes), throttled partitions. */
  private pickUnprocessed(entries: BatchEntry[], kind: 'read' | 'write'): { mask: boolean[]; throttled?: EngineError } {
    const mask = this.faults.unprocessed(entries.length) ?? entries.map(() => false);
    let throttled: EngineError | undefined;
    entries.forEach((e, i) => {
      if (mask[i] || !e.table || !e.key) return;
      if (kind === 'write' && this.faults.isHeld(e.tableName, e.key)) mask[i] = true;
      else {
        const err = this.faults.admit(throughputTable(e.table), kind, e.targets);
        if (err) {
          mask[i] = true;
          throttled ??= err;
        }
      }
    });
    return throttled ? { mask, throttled } : { mask };
  }

  private batchWrite(body: Record<string, unknown>, exec: Exec): unknown {
    if (!isObject(body.RequestItems)) return exec(body);
    const entries = this.entriesOf(body.RequestItems, 'write');
    if (!entries || entries.length === 0 || entries.length > 25) return exec(body);
    const { mask, throttled } = this.pickUnprocessed(entries, 'write');
    if (!mask.some(Boolean)) {
      const { out, changes } = this.captured(() => exec(body));
      this.debitChanges(changes, false);
      return out;
    }
    // Nothing processable: DynamoDB answers the throttling error itself.
    if (mask.every(Boolean) && throttled) throw throttled;
    const kept: Record<string, unknown[]> = {};
    const left: Record<string, unknown[]> = {};
    entries.forEach((e, i) => ((mask[i] ? left : kept)[e.tableName] ??= []).push(e.request));
    if (Object.keys(kept).length === 0) return { UnprocessedItems: left };
    const { out, changes } = this.captured(() => exec({ ...body, RequestItems: kept }));
    this.debitChanges(changes, false);
    return mergeUnprocessed(out, 'UnprocessedItems', left, (a, b) => [...(a as unknown[]), ...(b as unknown[])]);
  }

  private batchGet(body: Record<string, unknown>, exec: Exec): unknown {
    if (!isObject(body.RequestItems)) return exec(body);
    const requestItems = body.RequestItems;
    const entries = this.entriesOf(requestItems, 'get');
    if (!entries || entries.length === 0 || entries.length > 100) return exec(body);
    const { mask, throttled } = this.pickUnprocessed(entries, 'read');
    if (mask.every(Boolean) && throttled) throw throttled;
    const kept: Record<string, Record<string, unknown>> = {};
    const left: Record<string, Record<string, unknown>> = {};
    entries.forEach((e, i) => {
      const into = mask[i] ? left : kept;
      const spec = requestItems[e.tableName] as Record<string, unknown>;
      into[e.tableName] ??= { ...spec, Keys: [] };
      (into[e.tableName]?.Keys as unknown[]).push(e.request);
    });
    const cap = withIndexesCapacity(body);
    const run = (b: Record<string, unknown>) => (cap ? exec({ ...b, ReturnConsumedCapacity: 'INDEXES' }) : exec(b));
    const out = Object.keys(kept).length === 0 ? { Responses: {} } : run({ ...body, RequestItems: kept });
    // Units per table, spread over the keys read in it.
    const consumed = consumedByTable(out);
    for (const [tableName, c] of consumed) {
      const t = this.tables.get(tableName);
      const read = entries.filter((e, i) => !mask[i] && e.tableName === tableName);
      const total = typeof c.CapacityUnits === 'number' ? c.CapacityUnits : 0;
      if (t && read.length) this.faults.debit(throughputTable(t), 'read', read.map((e) => ({ ...(e.targets[0] ?? {}), units: total / read.length })));
    }
    const restored = cap ? cap.restore(out) : out;
    if (!mask.some(Boolean)) return restored;
    return mergeUnprocessed(restored, 'UnprocessedKeys', left, (a, b) => ({
      ...(a as Record<string, unknown>),
      Keys: [...((a as Record<string, unknown>).Keys as unknown[]), ...((b as Record<string, unknown>).Keys as unknown[])],
    }));
  }

  private transactItems(body: Record<string, unknown>, kinds: readonly string[]): Array<ItemRef & { table: TableState; item?: Item }> | undefined {
    if (!Array.isArray(body.TransactItems)) return undefined;
    const out: Array<ItemRef & { table: TableState; item?: Item }> = [];
    for (const ti of body.TransactItems) {
      if (!isObject(ti)) return undefined;
      const kind = kinds.find((k) => isObject(ti[k]));
      if (!kind) return undefined;
      const action = ti[kind] as Record<string, unknown>;
      const table = this.table(action.TableName);
      if (!table) return undefined;
      const item = kind === 'Put' ? asItem(action.Item) : undefined;
      const key = keyOf(table, item ?? asItem(action.Key));
      if (!key) return undefined;
      out.push({ tableName: table.name, key, table, ...(item ? { item } : {}) });
    }
    // Two actions on one item: the operation refuses the request (ValidationException) itself.
    if (new Set(out.map((r) => itemKeyId(r.tableName, r.key))).size !== out.length) return undefined;
    return out;
  }

  private transactWrite(body: Record<string, unknown>, exec: Exec): unknown {
    const items = this.transactItems(body, ['Put', 'Update', 'Delete', 'ConditionCheck']);
    if (!items || items.length === 0 || items.length > 100) return exec(body);
    const conflicts = this.faults.transactionConflicts(items);
    const throttled = items.map((r) => !!this.faults.admit(throughputTable(r.table), 'write', [...itemTargets(r.table, r.item ?? r.key), ...itemTargets(r.table, storedItem(r.table, r.key))]));
    if (conflicts || throttled.some(Boolean)) {
      throw transactionCanceled(items.map((_, i) => (conflicts?.[i] ? cancellationReason() : throttled[i] ? { ...THROTTLING_REASON } : { Code: 'None' })));
    }
    const { out, changes } = this.captured(() => exec(body));
    this.debitChanges(changes, true);
    this.faults.afterTransactionCommit(items.map((r) => ({ tableName: r.tableName, key: r.key })));
    return out;
  }

  private transactGet(body: Record<string, unknown>, exec: Exec): unknown {
    const items = this.transactItems(body, ['Get']);
    if (!items || items.length === 0 || items.length > 100) return exec(body);
    const conflicts = this.faults.transactionConflicts(items);
    const throttled = items.map((r) => !!this.faults.admit(throughputTable(r.table), 'read', itemTargets(r.table, r.key).slice(0, 1)));
    if (conflicts || throttled.some(Boolean)) {
      throw transactionCanceled(items.map((_, i) => (conflicts?.[i] ? cancellationReason() : throttled[i] ? { ...THROTTLING_REASON } : { Code: 'None' })));
    }
    if (!this.faults.throttlingEnabled) return exec(body);
    const cap = withIndexesCapacity(body);
    if (!cap) return exec(body);
    const out = exec(cap.body);
    for (const [tableName, c] of consumedByTable(out)) {
      const t = this.tables.get(tableName);
      const read = items.filter((r) => r.tableName === tableName);
      const total = typeof c.CapacityUnits === 'number' ? c.CapacityUnits : 0;
      if (t && read.length) this.faults.debit(throughputTable(t), 'read', read.map((r): ThroughputCharge => ({ ...(itemTargets(t, r.key)[0] ?? {}), units: total / read.length })));
    }
    return cap.restore(out);
  }
}

function mergeUnprocessed(out: unknown, field: string, left: Record<string, unknown>, join: (a: unknown, b: unknown) => unknown): unknown {
  const o = isObject(out) ? { ...out } : {};
  const prev = isObject(o[field]) ? { ...(o[field] as Record<string, unknown>) } : {};
  for (const [t, v] of Object.entries(left)) prev[t] = prev[t] === undefined ? v : join(prev[t], v);
  o[field] = prev;
  return o;
}

export { TRANSACTION_CONFLICT_MESSAGE };

import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import { performance } from 'node:perf_hooks';
import { computeUnits, type ComputedUnits, type MeasuredRequest } from '../capacity/compute-units';
import type { TableLayout } from '../capacity/table-layout';
import { analyzeStatement, type PartiqlKeySchema, type StatementAccess } from '../partiql/analyze-statement';
import { measureAfter, measureBefore, SIDE_REQUESTS } from './measure-stored-items';
import { patternOf } from './pattern-label';

/** One PartiQL statement of a request, as the recorder analysed it. */
export interface RecordedStatement {
  kind: 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE';
  table: string;
  /** The index a SELECT reads; undefined for the base table. */
  index: string | undefined;
  /** Key lookup, Query or Scan for a SELECT; `write` otherwise (see analyzeStatement). */
  access: StatementAccess;
  /** Why a SELECT scans, when it does. */
  reason: string | undefined;
}

/** One request a client sent, as seen by the recorder middleware. */
export interface RecordedRequest {
  /** DynamoDB operation, e.g. `Query`, `TransactWriteItems`. */
  operation: string;
  /** Tables the request touched (one, except for batch and transaction requests). */
  tables: string[];
  /** Index name for Query/Scan on a secondary index; `undefined` for the base table. */
  index: string | undefined;
  /** KeyConditionExpression with `#names` resolved, values left as `:placeholders`. */
  keyCondition: string | undefined;
  /** FilterExpression with `#names` resolved. */
  filter: string | undefined;
  /**
   * Partition-key attributes (table or index key fields, e.g. `pk`, `gsi1pk`) and their values
   * that the request addresses: the Key of a Get/Update/Delete, the key fields of a Put's item,
   * index keys an Update sets, the partition value of a Query. For hot-partition analysis.
   */
  partitions: { field: string; value: string }[];
  /** Primary keys (table key fields only) of the items a write or a Get addresses. */
  itemKeys: Record<string, string>[];
  /**
   * Primary keys (table key fields only) of the items a read returned: a Query's or Scan's Items,
   * a GetItem's Item, a BatchGetItem's or TransactGetItems' Responses. Which items a call read,
   * for showing a pattern on the data. Items whose answer lacks a key field (a projection that
   * leaves it out) are not listed. Optional only so hand-made records stay valid; the recorder
   * always sets it.
   */
  returnedKeys?: Record<string, string>[];
  /**
   * The statements of an ExecuteStatement, BatchExecuteStatement or ExecuteTransaction, in order
   * (undefined for other operations; a statement that does not parse is left out).
   */
  partiql?: RecordedStatement[];
  /** Whether a read asked for strong consistency. */
  consistentRead: boolean;
  /** Limit sent with a Query or Scan. */
  limit: number | undefined;
  /** Access-pattern label of the request (see forPattern / labelCommand). */
  pattern: string | undefined;
  /** Consumed capacity as returned by DynamoDB (asked for with INDEXES). */
  consumedCapacity: ConsumedCapacity[];
  /**
   * Total read and write units across table and indexes: computed by DynamoDB's rules when the
   * recorder measures (see RecorderOptions.measureUnits), else as DynamoDB reported them.
   */
  readUnits: number;
  writeUnits: number;
  /** Units as DynamoDB reported them (ConsumedCapacity); a cross-check when units are computed. */
  reportedUnits?: { readUnits: number; writeUnits: number };
  /** Units computed by DynamoDB's rules, per index (`table` = base table), when measured. */
  computedUnits?: ComputedUnits;
  /** Stored item images and read sizes the computed units come from. */
  measured?: MeasuredRequest;
  /** Count and ScannedCount for Query/Scan; Responses count for batch gets; 1/0 for GetItem. */
  itemCount: number | undefined;
  scannedCount: number | undefined;
  /** Wall time from the recorder's middleware to the response, retries included. */
  durationMs: number;
  /** Error name when the request failed (after the SDK's retries). */
  error: string | undefined;
  /** When the request started (epoch ms). */
  startedAt: number;
}

export interface RecorderOptions {
  /** Ask DynamoDB for ConsumedCapacity with INDEXES on every request that supports it. Default true. */
  captureCapacity?: boolean;
  /**
   * Called for every request as it completes (e.g. a metrics sink). An observer: whatever it
   * throws (or a promise it returns rejects with) goes to `onObserverError`, never to the caller
   * of the request, whose result or error stays DynamoDB's.
   */
  onRequest?: (request: RecordedRequest) => void;
  /**
   * Receives what `onRequest` or `isPartitionField` threw while a request was recorded. Default:
   * a process warning (`process.emitWarning`, type RequestRecorderObserverError), printed once
   * per recorder by Node on stderr. What this function throws is dropped.
   */
  onObserverError?: (error: unknown) => void;
  /** Keep requests in memory for requests()/capture(). Default true; false for long-running sinks. */
  keep?: boolean;
  /** Which attribute names are partition keys. Default: `pk` and `gsi<N>pk`. */
  isPartitionField?: (attributeName: string) => boolean;
  /** The table's key attributes, to read a Put's item key. Default `['pk', 'sk']`. */
  tableKeyFields?: readonly string[];
  /**
   * Compute every request's units by DynamoDB's rules for this table layout, measuring the stored
   * items with side requests outside the measured one (see measure-stored-items.ts). For analysis
   * on DynamoDB Local, whose TransactWriteItems capacity is wrong; it adds requests, so leave it
   * off in production, where DynamoDB's own ConsumedCapacity is right.
   */
  measureUnits?: TableLayout;
  /**
   * Key attributes of the table and its indexes, to tell whether a PartiQL SELECT is a key lookup,
   * a Query or a Scan. Default: the table's from tableKeyFields, no index known (a SELECT on an
   * index is then recorded as a scan whose reason says the index is unknown).
   */
  partiqlKeys?: PartiqlKeySchema;
}

const MEASURED_OPERATIONS = new Set([
  'GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan',
  'BatchGetItem', 'BatchWriteItem', 'TransactGetItems', 'TransactWriteItems',
]);

const CAPACITY_OPERATIONS = new Set([
  'GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan',
  'BatchGetItem', 'BatchWriteItem', 'TransactGetItems', 'TransactWriteItems',
  'ExecuteStatement', 'BatchExecuteStatement', 'ExecuteTransaction',
]);

/** The PartiQL statements a request carries, in order (empty for other operations). */
function statementsOf(input: Input): Input[] {
  if (typeof input.Statement === 'string') return [input];
  if (Array.isArray(input.Statements)) return input.Statements as Input[];
  if (Array.isArray(input.TransactStatements)) return input.TransactStatements as Input[];
  return [];
}

function recordStatements(operation: string, input: Input, keys: PartiqlKeySchema): RecordedStatement[] | undefined {
  if (operation !== 'ExecuteStatement' && operation !== 'BatchExecuteStatement' && operation !== 'ExecuteTransaction') return undefined;
  const out: RecordedStatement[] = [];
  for (const s of statementsOf(input)) {
    if (typeof s.Statement !== 'string') continue;
    try {
      const a = analyzeStatement(s.Statement, keys);
      out.push({ kind: a.kind, table: a.table, index: a.index, access: a.access, reason: a.reason });
    } catch {
      // DynamoDB refuses it too; the record keeps the request's error.
    }
  }
  return out;
}

/** A request that writes: by its operation, or a PartiQL request whose statements are all writes. */
export function isWriteRequest(request: Pick<RecordedRequest, 'operation' | 'partiql'>): boolean {
  if (request.partiql?.length) return request.partiql.every((s) => s.kind !== 'SELECT');
  return /^(Put|Update|Delete)Item$|^BatchWriteItem$|^TransactWriteItems$/.test(request.operation);
}

type Input = Record<string, unknown>;

function resolveNames(expression: unknown, names: unknown): string | undefined {
  if (typeof expression !== 'string') return undefined;
  const map = (names ?? {}) as Record<string, string>;
  return expression.replace(/#[A-Za-z0-9_]+/g, (token) => map[token] ?? token);
}

function tablesOf(input: Input, statements: RecordedStatement[] | undefined): string[] {
  if (statements) return [...new Set(statements.map((s) => s.table))];
  if (typeof input.TableName === 'string') return [input.TableName];
  if (input.RequestItems && typeof input.RequestItems === 'object') return Object.keys(input.RequestItems);
  if (Array.isArray(input.TransactItems)) {
    const names = new Set<string>();
    for (const action of input.TransactItems as Input[]) {
      for (const body of Object.values(action)) {
        const table = (body as Input | undefined)?.TableName;
        if (typeof table === 'string') names.add(table);
      }
    }
    return [...names];
  }
  return [];
}

// Attribute names that hold partition keys: `pk`, `gsi1pk`, … (single-table convention), or any
// name the caller passes. Sort keys are left out: throughput limits apply per partition.
const DEFAULT_PARTITION_FIELD = /^(pk|gsi\d+pk)$/i;

function stringAt(values: unknown, name: string): string | undefined {
  const v = (values as Record<string, unknown> | undefined)?.[name];
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && typeof (v as { S?: unknown }).S === 'string') return (v as { S: string }).S;
  return undefined;
}

function partitionsOf(input: Input, isPartitionField: (name: string) => boolean): { field: string; value: string }[] {
  const out: { field: string; value: string }[] = [];
  const fromObject = (obj: unknown) => {
    for (const field of Object.keys((obj as Record<string, unknown>) ?? {})) {
      const value = stringAt(obj, field);
      if (value !== undefined && isPartitionField(field)) out.push({ field, value });
    }
  };
  const fromRequest = (req: Input) => {
    fromObject(req.Key);
    fromObject(req.Item);
    const names = (req.ExpressionAttributeNames ?? {}) as Record<string, string>;
    // Update SET #gsi1pk = :v and Query #pk = :pk: resolve each `#name = :value` pair.
    for (const expression of [req.UpdateExpression, req.KeyConditionExpression]) {
      if (typeof expression !== 'string') continue;
      for (const m of expression.matchAll(/(#[A-Za-z0-9_]+)\s*=\s*(:[A-Za-z0-9_]+)/g)) {
        const field = names[m[1] as string] ?? (m[1] as string);
        const value = stringAt(req.ExpressionAttributeValues, m[2] as string);
        if (value !== undefined && isPartitionField(field)) out.push({ field, value });
      }
    }
  };
  fromRequest(input);
  if (Array.isArray(input.TransactItems)) for (const action of input.TransactItems as Input[]) for (const body of Object.values(action)) fromRequest(body as Input);
  if (input.RequestItems && typeof input.RequestItems === 'object') {
    for (const entry of Object.values(input.RequestItems as Record<string, unknown>)) {
      if (Array.isArray(entry)) for (const w of entry as Input[]) fromRequest(((w.PutRequest ?? w.DeleteRequest) as Input) ?? {});
      else for (const key of ((entry as Input).Keys as unknown[]) ?? []) fromObject(key);
    }
  }
  const seen = new Set<string>();
  return out.filter((p) => !seen.has(`${p.field}=${p.value}`) && seen.add(`${p.field}=${p.value}`));
}

function itemKeysOf(input: Input, keyFields: readonly string[]): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  const pick = (obj: unknown) => {
    if (!obj || typeof obj !== 'object') return;
    const key: Record<string, string> = {};
    for (const f of keyFields) {
      const v = stringAt(obj, f);
      if (v !== undefined) key[f] = v;
    }
    if (Object.keys(key).length) out.push(key);
  };
  const fromRequest = (req: Input) => {
    pick(req.Key);
    pick(req.Item);
  };
  fromRequest(input);
  if (Array.isArray(input.TransactItems)) for (const action of input.TransactItems as Input[]) for (const body of Object.values(action)) fromRequest(body as Input);
  if (input.RequestItems && typeof input.RequestItems === 'object') {
    for (const entry of Object.values(input.RequestItems as Record<string, unknown>)) {
      if (Array.isArray(entry)) for (const w of entry as Input[]) fromRequest(((w.PutRequest ?? w.DeleteRequest) as Input) ?? {});
      else for (const key of ((entry as Input).Keys as unknown[]) ?? []) pick(key);
    }
  }
  return out;
}

function returnedKeysOf(operation: string, output: Input | undefined, keyFields: readonly string[]): Record<string, string>[] {
  if (!output) return [];
  let items: unknown[] = [];
  if (operation === 'Query' || operation === 'Scan' || operation === 'ExecuteStatement') items = Array.isArray(output.Items) ? output.Items : [];
  else if ((operation === 'BatchExecuteStatement' || operation === 'ExecuteTransaction') && Array.isArray(output.Responses)) items = (output.Responses as Input[]).map((r) => r.Item).filter(Boolean);
  else if (operation === 'GetItem') items = output.Item ? [output.Item] : [];
  else if (operation === 'BatchGetItem' && output.Responses) items = Object.values(output.Responses as Record<string, unknown[]>).flat();
  else if (operation === 'TransactGetItems' && Array.isArray(output.Responses)) items = (output.Responses as Input[]).map((r) => r.Item).filter(Boolean);
  const out: Record<string, string>[] = [];
  for (const item of items) {
    const key: Record<string, string> = {};
    for (const f of keyFields) {
      const v = stringAt(item, f);
      if (v === undefined) break;
      key[f] = v;
    }
    if (Object.keys(key).length === keyFields.length) out.push(key);
  }
  return out;
}

function units(capacity: ConsumedCapacity[]): { readUnits: number; writeUnits: number } {
  let readUnits = 0;
  let writeUnits = 0;
  for (const c of capacity) {
    // CapacityUnits is the total; Read/Write split is present with INDEXES on most operations.
    if (c.ReadCapacityUnits !== undefined || c.WriteCapacityUnits !== undefined) {
      readUnits += c.ReadCapacityUnits ?? 0;
      writeUnits += c.WriteCapacityUnits ?? 0;
    } else {
      // Older answers give only CapacityUnits; attribute them by nothing we can know: count as read.
      readUnits += c.CapacityUnits ?? 0;
    }
  }
  return { readUnits, writeUnits };
}

function itemCountOf(operation: string, output: Input): { itemCount?: number; scannedCount?: number } {
  if (operation === 'Query' || operation === 'Scan') {
    return { itemCount: output.Count as number | undefined, scannedCount: output.ScannedCount as number | undefined };
  }
  if (operation === 'GetItem') return { itemCount: output.Item ? 1 : 0 };
  if (operation === 'ExecuteStatement') return Array.isArray(output.Items) ? { itemCount: output.Items.length } : {};
  if ((operation === 'BatchExecuteStatement' || operation === 'ExecuteTransaction') && Array.isArray(output.Responses)) {
    return { itemCount: (output.Responses as Input[]).filter((r) => r.Item).length };
  }
  if (operation === 'BatchGetItem' && output.Responses) {
    let n = 0;
    for (const items of Object.values(output.Responses as Record<string, unknown[]>)) n += items.length;
    return { itemCount: n };
  }
  if (operation === 'TransactGetItems' && Array.isArray(output.Responses)) {
    return { itemCount: (output.Responses as Input[]).filter((r) => r.Item).length };
  }
  return {};
}

function splitCapacity(operation: string, output: Input | undefined, statements: RecordedStatement[] | undefined) {
  const raw = output?.ConsumedCapacity;
  const list: ConsumedCapacity[] = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw as ConsumedCapacity];
  const totals = units(list);
  // Writes report CapacityUnits without a Read/Write split on some operations: attribute them to writes.
  const isWrite = isWriteRequest({ operation, ...(statements ? { partiql: statements } : {}) });
  if (isWrite && totals.writeUnits === 0 && totals.readUnits > 0 && list.every((c) => c.WriteCapacityUnits === undefined)) {
    return { list, readUnits: 0, writeUnits: totals.readUnits };
  }
  return { list, ...totals };
}

const MIDDLEWARE_NAME = 'singleTableKitRequestRecorder';
// Each recorder gets its own middleware name, so a metrics sink and a test's recorder can share a client.
let recorders = 0;

/**
 * Records every request a DynamoDB client sends: SDK middleware, so it sees ElectroDB's requests,
 * DocumentClient requests and raw client requests alike. Knows nothing of any model.
 */
export class RequestRecorder {
  private readonly log: RecordedRequest[] = [];
  private attachedTo: DynamoDBClient | undefined;
  private readonly middlewareName = `${MIDDLEWARE_NAME}${(recorders += 1)}`;

  private layout: TableLayout | undefined;

  constructor(private readonly options: RecorderOptions = {}) {
    this.layout = options.measureUnits;
  }

  /** Starts (a layout) or stops (undefined) computing units by DynamoDB's rules; e.g. after seeding. */
  measureUnits(layout: TableLayout | undefined): this {
    this.layout = layout;
    return this;
  }

  /** Creates a recorder and adds it to the client's middleware stack. */
  static attach(client: DynamoDBClient, options: RecorderOptions = {}): RequestRecorder {
    const recorder = new RequestRecorder(options);
    recorder.attach(client);
    return recorder;
  }

  attach(client: DynamoDBClient): this {
    if (this.attachedTo) throw new Error('RequestRecorder is already attached to a client');
    const captureCapacity = this.options.captureCapacity ?? true;
    const isPartitionField = this.options.isPartitionField ?? ((name: string) => DEFAULT_PARTITION_FIELD.test(name));
    const tableKeyFields = this.options.tableKeyFields ?? ['pk', 'sk'];
    const partiqlKeys: PartiqlKeySchema = this.options.partiqlKeys ?? { table: { hash: tableKeyFields[0] ?? 'pk', ...(tableKeyFields[1] ? { range: tableKeyFields[1] } : {}) }, indexes: {} };
    client.middlewareStack.add(
      (next, context) => async (args) => {
        // The recorders' own measuring requests are not the application's: never recorded.
        if (SIDE_REQUESTS.has(args.input as object)) return next(args);
        const operation = String(context.commandName ?? 'Unknown').replace(/Command$/, '');
        const input = args.input as Input;
        if (captureCapacity && CAPACITY_OPERATIONS.has(operation) && input.ReturnConsumedCapacity === undefined) {
          input.ReturnConsumedCapacity = 'INDEXES';
        }
        const layout = this.layout;
        const measuring = layout !== undefined && MEASURED_OPERATIONS.has(operation);
        const written = measuring ? await measureBefore(client, operation, input, layout).catch(() => undefined) : undefined;
        const startedAt = Date.now();
        const start = performance.now();
        let output: Input | undefined;
        let error: string | undefined;
        try {
          const result = await next(args);
          output = result.output as unknown as Input;
          return result;
        } catch (e) {
          error = (e as Error).name ?? 'Error';
          throw e;
        } finally {
          const durationMs = performance.now() - start;
          // Recording observes the request: nothing thrown here (an onRequest sink, an
          // isPartitionField callback) may replace its result or error, as a throw in `finally` would.
          try {
            const statements = recordStatements(operation, input, partiqlKeys);
            const capacity = splitCapacity(operation, output, statements);
            const counts = output ? itemCountOf(operation, output) : {};
            let measured: MeasuredRequest | undefined;
            let computed: ComputedUnits | undefined;
            if (measuring && written) {
              measured = await measureAfter(client, operation, input, layout, written).catch(() => undefined);
              if (measured) computed = computeUnits(operation, measured, layout, error !== undefined);
            }
            this.push({
              operation,
              tables: tablesOf(input, statements),
              index: typeof input.IndexName === 'string' ? input.IndexName : operation === 'ExecuteStatement' ? statements?.[0]?.index : undefined,
              keyCondition: resolveNames(input.KeyConditionExpression, input.ExpressionAttributeNames),
              filter: resolveNames(input.FilterExpression, input.ExpressionAttributeNames),
              partitions: partitionsOf(input, isPartitionField),
              itemKeys: itemKeysOf(input, tableKeyFields),
              returnedKeys: returnedKeysOf(operation, output, tableKeyFields),
              ...(statements ? { partiql: statements } : {}),
              consistentRead: input.ConsistentRead === true || statementsOf(input).some((st) => st.ConsistentRead === true),
              limit: typeof input.Limit === 'number' ? input.Limit : undefined,
              pattern: patternOf(context),
              consumedCapacity: capacity.list,
              readUnits: computed?.readUnits ?? capacity.readUnits,
              writeUnits: computed?.writeUnits ?? capacity.writeUnits,
              reportedUnits: { readUnits: capacity.readUnits, writeUnits: capacity.writeUnits },
              computedUnits: computed,
              measured,
              itemCount: counts.itemCount,
              scannedCount: counts.scannedCount,
              durationMs,
              error,
              startedAt,
            });
          } catch (observerError) {
            this.reportObserverError(observerError);
          }
        }
      },
      // initialize: before serialization and retries, so one logical request is one record
      // and the duration covers the whole round trip a caller waits for.
      { step: 'initialize', name: this.middlewareName, priority: 'high' },
    );
    this.attachedTo = client;
    return this;
  }

  detach(): void {
    this.attachedTo?.middlewareStack.remove(this.middlewareName);
    this.attachedTo = undefined;
  }

  private push(request: RecordedRequest): void {
    if (this.options.keep ?? true) this.log.push(request);
    const returned: unknown = this.options.onRequest?.(request);
    if (returned instanceof Promise) returned.catch((error: unknown) => this.reportObserverError(error));
  }

  private warned = false;

  private reportObserverError(error: unknown): void {
    const report = this.options.onObserverError;
    if (report) {
      try {
        report(error);
      } catch {
        // The report of a failed observer must not fail the request either.
      }
      return;
    }
    if (this.warned) return;
    this.warned = true;
    const message = error instanceof Error ? error.message : String(error);
    process.emitWarning(`a request recorder observer threw (the request's outcome is unchanged): ${message}`, { type: 'RequestRecorderObserverError' });
  }

  /** Everything recorded since the last clear(). */
  requests(): readonly RecordedRequest[] {
    return this.log;
  }

  clear(): void {
    this.log.length = 0;
  }

  /**
   * Runs fn and returns its result with the requests recorded meanwhile: exactly the requests it
   * made when nothing else uses the client concurrently.
   */
  async capture<T>(fn: () => Promise<T>): Promise<{ result: T; requests: RecordedRequest[] }> {
    const from = this.log.length;
    const result = await fn();
    return { result, requests: this.log.slice(from) };
  }
}

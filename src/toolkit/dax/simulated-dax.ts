import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type AttributeValue,
  type BatchGetItemCommandInput,
  type BatchWriteItemCommandInput,
  type DeleteItemCommandInput,
  type DynamoDBClient,
  type GetItemCommandInput,
  type KeysAndAttributes,
  type PutItemCommandInput,
  type QueryCommandInput,
  type ScanCommandInput,
  type TransactGetItemsCommandInput,
  type TransactWriteItemsCommandInput,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import type { DaxOperations } from './dax-client';

/*
 * A DAX cluster reproduced in process around any DynamoDB client, for tests of what DAX does to
 * a model's reads. Each behaviour is DAX's as the DynamoDB Developer Guide describes it:
 * - "DAX and DynamoDB consistency models" (DAX.consistency): the item cache serves GetItem and
 *   BatchGetItem, the query cache Query and Scan, each with its own TTL; a write through DAX
 *   updates the item cache once DynamoDB accepts it, and leaves the query cache as it is until
 *   the entry's TTL; strongly consistent reads are passed to DynamoDB and their results not
 *   cached; negative caching: a read that finds nothing is cached as such (item and query
 *   cache) until its TTL or a write of that item through DAX; a write that goes straight to
 *   DynamoDB (write-around) leaves DAX's entries as they were until their TTL.
 * - "DAX: How it works" (DAX.concepts): on a miss DAX reads DynamoDB eventually consistently
 *   and caches the result; the query cache keys a result set by the request's parameters.
 * - "Using transactional APIs with DAX" (transaction-apis): TransactGetItems passes through
 *   without caching; after a TransactWriteItems DAX reads the written items with
 *   TransactGetItems in the background to fill its item cache (extra read units), done here
 *   before the write returns so tests are deterministic.
 * - The TTLs default to 5 minutes, the default of a DAX parameter group (record-ttl-millis,
 *   query-ttl-millis).
 * Not reproduced: several nodes and the replication lag between them, LRU eviction when a
 * node's memory is full, the cache-size limits.
 */

export const DEFAULT_DAX_TTL_MS = 5 * 60 * 1000;

export interface SimulatedDaxOptions {
  /** Item cache TTL (record-ttl-millis). Default 5 minutes. */
  itemTtlMs?: number;
  /** Query cache TTL (query-ttl-millis). Default 5 minutes. */
  queryTtlMs?: number;
  /** The clock the TTLs run on (epoch ms): a test clock makes expiry deterministic. Default Date.now. */
  now?: () => number;
}

/** How each request was served: counts since the DAX was made (or reset). */
export interface DaxCacheStats {
  itemCache: { hits: number; misses: number };
  queryCache: { hits: number; misses: number };
  /** Reads passed to DynamoDB uncached: strongly consistent reads and TransactGetItems. */
  passedThrough: number;
  /** Writes sent to DynamoDB through the cache. */
  writes: number;
}

export interface SimulatedDax extends DaxOperations {
  stats(): DaxCacheStats;
  /** Empties both caches (a new cluster) and zeroes the counts. */
  reset(): void;
}

type AttributeMap = Record<string, AttributeValue>;
type Sender = Pick<DynamoDBClient, 'send'>;

interface Entry<T> {
  value: T;
  expiresAt: number;
}

/** Canonical text of a JSON-like value: object keys sorted, bytes as base64. */
function canonical(value: unknown): string {
  if (value instanceof Uint8Array) return JSON.stringify({ $bytes: Buffer.from(value).toString('base64') });
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

function pick(item: AttributeMap, names: readonly string[]): AttributeMap | undefined {
  const out: AttributeMap = {};
  for (const n of names) {
    const v = item[n];
    if (v === undefined) return undefined;
    out[n] = v;
  }
  return out;
}

/** A number as DynamoDB answers it once stored: "1.50" -> "1.5", "1e2" -> "100", "-0" -> "0". */
function storedNumber(text: string): string {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!m) return text;
  const [, sign, int = '', frac = '', exp = '0'] = m;
  let digits = (int + frac).replace(/^0+/, '');
  let e = Number(exp) - frac.length;
  if (digits === '') return '0';
  while (digits.endsWith('0')) {
    digits = digits.slice(0, -1);
    e += 1;
  }
  let out: string;
  if (e >= 0) out = digits + '0'.repeat(e);
  else {
    const point = digits.length + e;
    out = point > 0 ? `${digits.slice(0, point)}.${digits.slice(point)}` : `0.${'0'.repeat(-point)}${digits}`;
  }
  return sign === '-' ? `-${out}` : out;
}

/** An item as DynamoDB stores it (numbers normalized), for what a write through DAX caches. */
function storedImage(value: AttributeValue): AttributeValue {
  if (value.N !== undefined) return { N: storedNumber(value.N) };
  if (value.NS !== undefined) return { NS: value.NS.map(storedNumber) };
  if (value.M !== undefined) return { M: storedItem(value.M) };
  if (value.L !== undefined) return { L: value.L.map(storedImage) };
  return value;
}

function storedItem(item: AttributeMap): AttributeMap {
  return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, storedImage(v)]));
}

function without<T extends object>(input: T, ...names: string[]): T {
  const out = { ...input } as Record<string, unknown>;
  for (const n of names) delete out[n];
  return out as T;
}

/** The parameters of a GetItem that choose what it returns, besides the key. */
function projectionOf(input: { ProjectionExpression?: string; ExpressionAttributeNames?: Record<string, string>; AttributesToGet?: string[] }): string {
  return input.ProjectionExpression === undefined && input.AttributesToGet === undefined
    ? ''
    : canonical({ p: input.ProjectionExpression, n: input.ExpressionAttributeNames, a: input.AttributesToGet });
}

/**
 * A simulated DAX cluster in front of `client` (any DynamoDB client: the embedded engine's, a
 * recorded one): pass it to daxClient() to get a client the model's services use as they would
 * a real cluster's. Deterministic with `now`.
 */
export function simulateDax(client: Sender, options: SimulatedDaxOptions = {}): SimulatedDax {
  const itemTtl = options.itemTtlMs ?? DEFAULT_DAX_TTL_MS;
  const queryTtl = options.queryTtlMs ?? DEFAULT_DAX_TTL_MS;
  for (const [name, ttl] of [['itemTtlMs', itemTtl], ['queryTtlMs', queryTtl]] as const) {
    if (!(Number.isFinite(ttl) && ttl >= 0)) throw new RangeError(`simulateDax: ${name} must be a number of milliseconds >= 0, got ${String(ttl)}`);
  }
  const now = options.now ?? Date.now;
  // table|key -> projection -> entry (undefined value: the item does not exist, a negative entry)
  const items = new Map<string, Map<string, Entry<AttributeMap | undefined>>>();
  const queries = new Map<string, Entry<object>>();
  const keyNames = new Map<string, Promise<string[]>>();
  let stats: DaxCacheStats = fresh();

  function fresh(): DaxCacheStats {
    return { itemCache: { hits: 0, misses: 0 }, queryCache: { hits: 0, misses: 0 }, passedThrough: 0, writes: 0 };
  }

  const itemKey = (table: string, key: AttributeMap) => `${table}|${canonical(key)}`;

  function readItem(table: string, key: AttributeMap, projection: string): Entry<AttributeMap | undefined> | undefined {
    const entry = items.get(itemKey(table, key))?.get(projection);
    if (entry && entry.expiresAt > now()) return entry;
    return undefined;
  }

  function cacheItem(table: string, key: AttributeMap, projection: string, value: AttributeMap | undefined): void {
    const k = itemKey(table, key);
    const byProjection = items.get(k) ?? new Map<string, Entry<AttributeMap | undefined>>();
    byProjection.set(projection, { value: value === undefined ? undefined : structuredClone(value), expiresAt: now() + itemTtl });
    items.set(k, byProjection);
  }

  /** A write through DAX: the item's entries are replaced by the written image (undefined: deleted or unknown). */
  function writeThrough(table: string, key: AttributeMap, image: AttributeMap | undefined, known: boolean): void {
    items.delete(itemKey(table, key));
    if (known) cacheItem(table, key, '', image);
  }

  /** The table's key attributes (DAX learns them from DescribeTable too); read once per table. */
  function tableKeyNames(table: string): Promise<string[]> {
    let names = keyNames.get(table);
    if (!names) {
      names = client.send(new DescribeTableCommand({ TableName: table })).then((out) => (out.Table?.KeySchema ?? []).map((k) => k.AttributeName as string));
      // A failed look-up is not kept: the next write asks again.
      names.catch(() => keyNames.delete(table));
      keyNames.set(table, names);
    }
    return names;
  }

  async function keyOfItem(table: string, item: AttributeMap): Promise<AttributeMap | undefined> {
    return pick(item, await tableKeyNames(table));
  }

  const dax: SimulatedDax = {
    stats: () => structuredClone(stats),
    reset() {
      items.clear();
      queries.clear();
      stats = fresh();
    },

    async getItem(input: GetItemCommandInput) {
      const table = input.TableName as string;
      const key = input.Key as AttributeMap;
      if (input.ConsistentRead) {
        stats.passedThrough += 1;
        return client.send(new GetItemCommand(input));
      }
      const projection = projectionOf(input);
      const hit = readItem(table, key, projection);
      if (hit) {
        stats.itemCache.hits += 1;
        return hit.value === undefined ? {} : { Item: structuredClone(hit.value) };
      }
      stats.itemCache.misses += 1;
      const out = await client.send(new GetItemCommand({ ...input, ConsistentRead: false }));
      cacheItem(table, key, projection, out.Item);
      return out;
    },

    async query(input: QueryCommandInput) {
      return cachedListing(input, (i) => client.send(new QueryCommand(i)));
    },

    async scan(input: ScanCommandInput) {
      return cachedListing(input, (i) => client.send(new ScanCommand(i)));
    },

    async batchGetItem(input: BatchGetItemCommandInput) {
      const requestItems = input.RequestItems ?? {};
      const responses: Record<string, AttributeMap[]> = {};
      const toFetch: Record<string, KeysAndAttributes> = {};
      // Where a fetched item goes in the cache: its table's requested key names and projection.
      const fetchedKeys: Record<string, { names: string[]; projection: string; keys: AttributeMap[]; cache: boolean }> = {};
      for (const [table, request] of Object.entries(requestItems)) {
        const keys = request.Keys ?? [];
        if (request.ConsistentRead) {
          stats.passedThrough += 1;
          toFetch[table] = request;
          fetchedKeys[table] = { names: [], projection: '', keys, cache: false };
          continue;
        }
        const projection = projectionOf(request);
        const misses: AttributeMap[] = [];
        for (const key of keys) {
          const hit = readItem(table, key, projection);
          if (hit) {
            stats.itemCache.hits += 1;
            if (hit.value !== undefined) (responses[table] ??= []).push(structuredClone(hit.value));
          } else {
            stats.itemCache.misses += 1;
            misses.push(key);
          }
        }
        if (misses.length > 0) {
          toFetch[table] = { ...request, Keys: misses };
          fetchedKeys[table] = { names: Object.keys(keys[0] ?? {}), projection, keys: misses, cache: true };
        }
      }
      if (Object.keys(toFetch).length === 0) return { Responses: responses, UnprocessedKeys: {} };
      const out = await client.send(new BatchGetItemCommand({ ...input, RequestItems: toFetch }));
      for (const [table, fetched] of Object.entries(out.Responses ?? {})) {
        (responses[table] ??= []).push(...fetched);
        const plan = fetchedKeys[table];
        if (!plan?.cache) continue;
        const found = new Set<string>();
        const located = fetched.map((item) => pick(item, plan.names));
        // A projection without the key attributes: which key each item answers is unknown, so nothing of this table is cached.
        if (located.some((k) => k === undefined)) continue;
        fetched.forEach((item, i) => {
          const key = located[i] as AttributeMap;
          found.add(canonical(key));
          cacheItem(table, key, plan.projection, item);
        });
        const unprocessed = new Set((out.UnprocessedKeys?.[table]?.Keys ?? []).map(canonical));
        for (const key of plan.keys) {
          const c = canonical(key);
          if (!found.has(c) && !unprocessed.has(c)) cacheItem(table, key, plan.projection, undefined);
        }
      }
      // A table all of whose fetched keys were missing has no Responses entry: all negative.
      for (const [table, plan] of Object.entries(fetchedKeys)) {
        if (!plan.cache || out.Responses?.[table] !== undefined) continue;
        const unprocessed = new Set((out.UnprocessedKeys?.[table]?.Keys ?? []).map(canonical));
        for (const key of plan.keys) if (!unprocessed.has(canonical(key))) cacheItem(table, key, plan.projection, undefined);
      }
      return { ...out, Responses: responses };
    },

    async transactGetItems(input: TransactGetItemsCommandInput) {
      stats.passedThrough += 1;
      return client.send(new TransactGetItemsCommand(input));
    },

    async putItem(input: PutItemCommandInput) {
      stats.writes += 1;
      const out = await client.send(new PutItemCommand(input));
      const table = input.TableName as string;
      const key = await keyOfItem(table, input.Item as AttributeMap);
      if (key) writeThrough(table, key, storedItem(input.Item as AttributeMap), true);
      return out;
    },

    async updateItem(input: UpdateItemCommandInput) {
      stats.writes += 1;
      const table = input.TableName as string;
      const key = input.Key as AttributeMap;
      const wants = input.ReturnValues ?? 'NONE';
      if (wants === 'NONE' || wants === 'ALL_NEW') {
        // The whole new image is what the item cache keeps; the caller gets what it asked for.
        const out = await client.send(new UpdateItemCommand({ ...input, ReturnValues: 'ALL_NEW' }));
        writeThrough(table, key, out.Attributes, true);
        return wants === 'NONE' ? without(out, 'Attributes') : out;
      }
      // Old or partial images do not give the new item: its entries are dropped, the next read fetches it.
      const out = await client.send(new UpdateItemCommand(input));
      writeThrough(table, key, undefined, false);
      return out;
    },

    async deleteItem(input: DeleteItemCommandInput) {
      stats.writes += 1;
      const out = await client.send(new DeleteItemCommand(input));
      writeThrough(input.TableName as string, input.Key as AttributeMap, undefined, true);
      return out;
    },

    async batchWriteItem(input: BatchWriteItemCommandInput) {
      stats.writes += 1;
      const out = await client.send(new BatchWriteItemCommand(input));
      for (const [table, requests] of Object.entries(input.RequestItems ?? {})) {
        const unprocessed = new Set((out.UnprocessedItems?.[table] ?? []).map(canonical));
        for (const request of requests) {
          if (unprocessed.has(canonical(request))) continue;
          if (request.PutRequest?.Item) {
            const key = await keyOfItem(table, request.PutRequest.Item);
            if (key) writeThrough(table, key, storedItem(request.PutRequest.Item), true);
          } else if (request.DeleteRequest?.Key) {
            writeThrough(table, request.DeleteRequest.Key, undefined, true);
          }
        }
      }
      return out;
    },

    async transactWriteItems(input: TransactWriteItemsCommandInput) {
      stats.writes += 1;
      const out = await client.send(new TransactWriteItemsCommand(input));
      const written: { table: string; key: AttributeMap }[] = [];
      for (const t of input.TransactItems ?? []) {
        if (t.Put?.Item) {
          const key = await keyOfItem(t.Put.TableName as string, t.Put.Item);
          if (key) written.push({ table: t.Put.TableName as string, key });
        } else if (t.Update?.Key) written.push({ table: t.Update.TableName as string, key: t.Update.Key });
        else if (t.Delete?.Key) written.push({ table: t.Delete.TableName as string, key: t.Delete.Key });
      }
      // DAX refills its item cache by reading the written items transactionally (at most 100 a request).
      for (let i = 0; i < written.length; i += 100) {
        const chunk = written.slice(i, i + 100);
        const read = await client.send(new TransactGetItemsCommand({ TransactItems: chunk.map((w) => ({ Get: { TableName: w.table, Key: w.key } })) }));
        chunk.forEach((w, j) => writeThrough(w.table, w.key, read.Responses?.[j]?.Item, true));
      }
      return out;
    },
  };

  async function cachedListing<I extends QueryCommandInput | ScanCommandInput, O extends object>(input: I, send: (i: I) => Promise<O>): Promise<Partial<O>> {
    if (input.ConsistentRead) {
      stats.passedThrough += 1;
      return send(input);
    }
    // The result set is keyed by every parameter that shapes it; asking for capacity does not.
    const key = canonical(without(input, 'ReturnConsumedCapacity'));
    const hit = queries.get(key);
    if (hit && hit.expiresAt > now()) {
      stats.queryCache.hits += 1;
      // A hit reads nothing from DynamoDB: no consumed capacity to report.
      return structuredClone(without(hit.value, 'ConsumedCapacity', '$metadata')) as Partial<O>;
    }
    stats.queryCache.misses += 1;
    const out = await send({ ...input, ConsistentRead: false });
    queries.set(key, { value: structuredClone(without(out, '$metadata')), expiresAt: now() + queryTtl });
    return out;
  }

  return dax;
}

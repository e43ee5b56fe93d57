import { randomUUID } from 'node:crypto';
import {
  DeleteCommand,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DeleteCommandInput,
  type DynamoDBDocumentClient,
  type GetCommandInput,
  type QueryCommandInput,
  type TransactWriteCommandInput,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { createModel } from '../entities';
import { CursorError, decodeCursor, decodeShardedCursor, encodeCursor, encodeShardedCursor, type CursorScope, type ShardPosition } from '../cursor/page-cursor';
import { ServiceError, UnavailableError, ValidationError } from './errors';
import type { ParamsTemplates } from './params-templates';
import { LIMITS } from './validation';

export type Model = ReturnType<typeof createModel>;

/** What every access pattern needs: the ElectroDB model, the client, the clock and the id source. */
export interface Context {
  model: Model;
  doc: DynamoDBDocumentClient;
  table: string;
  now: () => Date;
  newId: () => string;
  /** Retries of a transaction that DynamoDB cancelled for a conflict with another transaction. */
  conflictRetries: number;
  /** Signs page cursors when set (HMAC-SHA256); cursors are always bound to their listing. */
  cursorSecret: string | undefined;
  /** Shards of the user status index; must match the data (see USER_STATUS_SHARDS). */
  userStatusShards: number;
  /** Requests ElectroDB built once per pattern variant, filled in per call. */
  templates: ParamsTemplates;
}

/** One page of a listing; pass `cursor` back to continue, `null` when there is no more. */
export interface Page<T> {
  items: T[];
  cursor: string | null;
}

// Errors DynamoDB or the network raise when the service is overloaded or unreachable; the SDK has
// already retried them with backoff by the time they reach us.
const UNAVAILABLE_NAMES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TransactionConflictException',
  'TransactionInProgressException',
  'TimeoutError',
  'RequestTimeout',
  'NetworkingError',
]);

function isUnavailable(error: unknown): boolean {
  const e = error as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  return (
    UNAVAILABLE_NAMES.has(e.name ?? '') ||
    (e.$metadata?.httpStatusCode ?? 0) >= 500 ||
    ['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE'].includes(e.code ?? '')
  );
}

/** Sends one request; failures that retries could not cure become UnavailableError. */
export async function send<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof ServiceError) throw error;
    if (isUnavailable(error)) {
      throw new UnavailableError(`DynamoDB is unavailable: ${(error as Error).name}: ${(error as Error).message}`, { cause: error });
    }
    throw error;
  }
}

/** Copies only an entity's own attributes: the key fields and ElectroDB's markers stay private. */
export function shaper<T>(entity: { schema: { attributes: Record<string, unknown> } }): (raw: Record<string, unknown>) => T {
  const names = Object.keys(entity.schema.attributes);
  return (raw) => {
    const out: Record<string, unknown> = {};
    for (const name of names) {
      const value = raw[name];
      if (value !== undefined) out[name] = value;
    }
    return out as T;
  };
}

/** The ElectroDB entity name an item belongs to. */
export function entityOf(raw: Record<string, unknown>): string | undefined {
  return raw.__edb_e__ as string | undefined;
}

export async function getItem(ctx: Context, params: GetCommandInput): Promise<Record<string, unknown> | undefined> {
  const out = await send(() => ctx.doc.send(new GetCommand(params)));
  return out.Item;
}

export async function updateItem(ctx: Context, params: UpdateCommandInput): Promise<Record<string, unknown> | undefined> {
  const out = await send(() => ctx.doc.send(new UpdateCommand(params)));
  return out.Attributes;
}

export async function deleteItem(ctx: Context, params: DeleteCommandInput): Promise<Record<string, unknown> | undefined> {
  const out = await send(() => ctx.doc.send(new DeleteCommand(params)));
  return out.Attributes;
}

export function isConditionalCheckFailed(error: unknown): boolean {
  return (error as { name?: string }).name === 'ConditionalCheckFailedException';
}

const ENTITY_FILTER = /^[(\s]*#__edb_e__ = :__edb_e___\w+ AND #__edb_v__ = :__edb_v___\w+[)\s]*(OR[(\s]*#__edb_e__ = :__edb_e___\w+ AND #__edb_v__ = :__edb_v___\w+[)\s]*)*$/;

/**
 * ElectroDB filters a collection query on its entity markers. In this model the collection's
 * sort-key prefix already admits only its members, and the service dispatches on the marker
 * itself, so the filter only costs DynamoDB work: drop it when it is nothing but that.
 */
export function withoutEntityFilter(built: object): QueryCommandInput {
  // ElectroDB types collection params loosely; they are a Query input.
  const params = built as QueryCommandInput;
  if (!params.FilterExpression || !ENTITY_FILTER.test(params.FilterExpression)) return params;
  const names = { ...params.ExpressionAttributeNames };
  delete names['#__edb_e__'];
  delete names['#__edb_v__'];
  const values = Object.fromEntries(Object.entries(params.ExpressionAttributeValues ?? {}).filter(([k]) => !k.startsWith(':__edb_')));
  const { FilterExpression: _filter, ...rest } = params;
  return { ...rest, ExpressionAttributeNames: names, ExpressionAttributeValues: values };
}

/** Derives what a cursor must satisfy from the query ElectroDB built: same partition, same range. */
function cursorScope(pattern: string, params: QueryCommandInput): CursorScope {
  const names = params.ExpressionAttributeNames ?? {};
  const values = (params.ExpressionAttributeValues ?? {}) as Record<string, string>;
  const pkField = names['#pk'] as string;
  const skField = names['#sk1'];
  const condition = params.KeyConditionExpression ?? '';
  const keyFields = ['pk', 'sk', pkField, ...(skField ? [skField] : [])];
  const scope: CursorScope = { pattern, keyFields, partition: { field: pkField, value: values[':pk'] as string } };
  if (skField) {
    if (condition.includes('begins_with')) scope.range = { field: skField, beginsWith: values[':sk1'] };
    else if (condition.includes('BETWEEN')) scope.range = { field: skField, from: values[':sk1'], to: values[':sk2'] };
  }
  return scope;
}

export interface PageRequest {
  limit?: number;
  cursor?: string | null;
}

/**
 * Sends ONE Query for one page: Limit = page size, ExclusiveStartKey from the caller's cursor
 * (checked against this query's partition and range), and a cursor for the next page.
 */
export async function queryPage(
  ctx: Context,
  pattern: string,
  params: QueryCommandInput,
  page: PageRequest,
): Promise<{ raw: Record<string, unknown>[]; cursor: string | null }> {
  let start: Record<string, string> | undefined;
  if (page.cursor) {
    try {
      start = decodeCursor(page.cursor, cursorScope(pattern, params), ctx.cursorSecret);
    } catch (error) {
      asCursorError(error);
    }
  }
  const out = await send(() =>
    ctx.doc.send(new QueryCommand({ ...params, Limit: page.limit ?? LIMITS.pageSize.default, ExclusiveStartKey: start })),
  );
  return { raw: out.Items ?? [], cursor: out.LastEvaluatedKey ? encodeCursor(pattern, out.LastEvaluatedKey, ctx.cursorSecret) : null };
}

/** One Query for a read that is not paged (a lookup, a collection's first items): no cursor to check or make. */
export async function queryOnce(ctx: Context, params: QueryCommandInput, limit: number): Promise<Record<string, unknown>[]> {
  const out = await send(() => ctx.doc.send(new QueryCommand({ ...params, Limit: limit })));
  return out.Items ?? [];
}

function asCursorError(error: unknown): never {
  if (error instanceof CursorError) throw new ValidationError([{ field: 'cursor', rule: error.rule }]);
  throw error;
}

/**
 * One page of a listing spread over shards (write sharding): one Query per shard not yet
 * exhausted, run in parallel, merged by `compare`, cut at the page size. The cursor keeps, per
 * shard, the key of the last item this page returned from it, so no item is skipped or repeated.
 */
export async function queryShardedPage(
  ctx: Context,
  pattern: string,
  shardParams: readonly QueryCommandInput[],
  page: PageRequest,
  compare: (a: Record<string, unknown>, b: Record<string, unknown>) => number,
): Promise<{ raw: Record<string, unknown>[]; cursor: string | null }> {
  const scopes = shardParams.map((p) => cursorScope(pattern, p));
  let positions: ShardPosition[] = shardParams.map(() => null);
  if (page.cursor) {
    try {
      positions = decodeShardedCursor(page.cursor, scopes, ctx.cursorSecret);
    } catch (error) {
      asCursorError(error);
    }
  }
  const limit = page.limit ?? LIMITS.pageSize.default;
  const results = await Promise.all(
    shardParams.map(async (params, shard) => {
      const position = positions[shard];
      if (position === 'done') return { shard, items: [] as Record<string, unknown>[], more: false };
      const out = await send(() => ctx.doc.send(new QueryCommand({ ...params, Limit: limit, ExclusiveStartKey: position ?? undefined })));
      return { shard, items: out.Items ?? [], more: out.LastEvaluatedKey !== undefined };
    }),
  );
  const merged = results.flatMap((r) => r.items.map((item) => ({ item, shard: r.shard }))).sort((a, b) => compare(a.item, b.item));
  const taken = merged.slice(0, limit);
  const next = [...positions];
  for (const r of results) {
    if (positions[r.shard] === 'done') continue;
    const fromShard = taken.filter((t) => t.shard === r.shard);
    const last = fromShard[fromShard.length - 1];
    const consumedAll = fromShard.length === r.items.length;
    if (consumedAll && !r.more) next[r.shard] = 'done';
    else if (last) next[r.shard] = keyOf(last.item, scopes[r.shard] as CursorScope);
  }
  const cursor = next.every((p) => p === 'done') ? null : encodeShardedCursor(pattern, next, ctx.cursorSecret);
  return { raw: taken.map((t) => t.item), cursor };
}

function keyOf(item: Record<string, unknown>, scope: CursorScope): Record<string, string> {
  return Object.fromEntries([...new Set(scope.keyFields)].map((f) => [f, String(item[f])]));
}

/** Follows every page of a query: for bounded sets (a user's sessions, an order's items). */
export async function queryAll(ctx: Context, params: QueryCommandInput): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await send(() => ctx.doc.send(new QueryCommand({ ...params, ExclusiveStartKey: start })));
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

/**
 * A transaction DynamoDB cancelled: one reason code per action, in order. The access patterns
 * turn the reasons they expect into their own errors; any other cancellation reaches the caller
 * as this typed error (code TRANSACTION_CANCELLED), never as a raw SDK exception.
 */
export class TransactionCancelled extends ServiceError {
  constructor(readonly reasons: readonly string[]) {
    super('TRANSACTION_CANCELLED', `transaction cancelled: ${reasons.join(', ')}`);
  }
  /** True when action `index` failed its condition. */
  failed(index: number): boolean {
    return this.reasons[index] === 'ConditionalCheckFailed';
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Sends a TransactWriteItems with a ClientRequestToken, so that a retry of the same call is
 * applied at most once (DynamoDB keeps tokens 10 minutes). Cancellations for a conflicting
 * transaction are retried with backoff and full jitter (the SDK does not retry them); a failed
 * condition throws TransactionCancelled for the caller to turn into its own error.
 */
export async function transactWrite(ctx: Context, params: { TransactItems?: object[]; ClientRequestToken?: string }): Promise<void> {
  // ElectroDB's own TransactWriteCommandInput type is looser than lib-dynamodb's; the shape is the same.
  const input = { ...params, ClientRequestToken: params.ClientRequestToken ?? randomUUID() } as TransactWriteCommandInput;
  for (let attempt = 0; ; attempt += 1) {
    try {
      await send(() => ctx.doc.send(new TransactWriteCommand(input)));
      return;
    } catch (error) {
      const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
      const name = (error as { name?: string }).name;
      const codes = reasons?.map((r) => r.Code ?? 'None') ?? [];
      const conflict =
        (name === 'TransactionCanceledException' && codes.includes('TransactionConflict') && !codes.includes('ConditionalCheckFailed')) ||
        (error instanceof UnavailableError && (error.cause as { name?: string })?.name === 'TransactionConflictException');
      if (conflict) {
        if (attempt + 1 >= ctx.conflictRetries) {
          throw new UnavailableError(`transaction kept conflicting with other transactions after ${attempt + 1} attempts`, { cause: error });
        }
        await sleep(Math.random() * Math.min(1000, 20 * 2 ** attempt));
        continue;
      }
      if (name === 'TransactionCanceledException') throw new TransactionCancelled(codes);
      throw error;
    }
  }
}

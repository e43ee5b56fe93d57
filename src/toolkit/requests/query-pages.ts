import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { CursorError, decodeCursor, decodeShardedCursor, encodeCursor, encodeShardedCursor, type CursorKey, type CursorScope, type ShardPosition } from '../cursor/page-cursor';
import { callDynamo } from './classify-error';
import { ValidationError } from './errors';
import { DEFAULT_PAGE_SIZE, type PageRequest, type RequestContext } from './request-context';

type Raw = Record<string, unknown>;

/**
 * What a cursor must satisfy, from the query ElectroDB built (it names the partition key `#pk`,
 * sort-key conditions `#sk1` with values `:sk1`/`:sk2`): same partition, same range.
 */
function cursorScope(ctx: RequestContext, pattern: string, params: QueryCommandInput): CursorScope {
  const names = params.ExpressionAttributeNames ?? {};
  const values = (params.ExpressionAttributeValues ?? {}) as Record<string, string | number>;
  const pkField = names['#pk'];
  if (!pkField) throw new Error(`${pattern}: a paged query needs ElectroDB's key names (#pk); got ${params.KeyConditionExpression ?? 'no key condition'}`);
  const skField = names['#sk1'];
  const condition = params.KeyConditionExpression ?? '';
  const keyFields = [...(ctx.tableKeyFields ?? ['pk', 'sk']), pkField, ...(skField ? [skField] : [])];
  const scope: CursorScope = { pattern, keyFields, partition: { field: pkField, value: values[':pk'] as string | number } };
  if (skField) {
    if (condition.includes('begins_with')) scope.range = { field: skField, beginsWith: String(values[':sk1']) };
    else if (condition.includes('BETWEEN')) scope.range = { field: skField, from: values[':sk1'], to: values[':sk2'] };
    else if (/>=?\s*:sk1/.test(condition)) scope.range = { field: skField, from: values[':sk1'] };
    else if (/<=?\s*:sk1/.test(condition)) scope.range = { field: skField, to: values[':sk1'] };
  }
  return scope;
}

/** The setting that names the table's key attributes is wrong: the caller's configuration, not the cursor. */
export class TableKeyFieldsError extends Error {
  override readonly name = 'TableKeyFieldsError';
}

/**
 * Checks, on every page that continues, that the key DynamoDB returned has exactly the fields a
 * cursor must have: otherwise `tableKeyFields` does not name the table's key attributes and every
 * cursor would be refused as "does not match this listing's keys".
 */
function checkKeyFields(ctx: RequestContext, pattern: string, scope: CursorScope, key: Record<string, unknown>): void {
  const expected = new Set(scope.keyFields);
  const got = Object.keys(key);
  if (got.length === expected.size && got.every((f) => expected.has(f))) return;
  const setting = ctx.tableKeyFields ?? ['pk', 'sk'];
  throw new TableKeyFieldsError(
    `${pattern}: RequestContext.tableKeyFields is ${JSON.stringify(setting)}${ctx.tableKeyFields ? '' : ' (the default)'}, but the key DynamoDB ` +
      `returned to continue this listing holds ${JSON.stringify(got.sort())}: set tableKeyFields to the table's own key attributes ` +
      '(its KeySchema, e.g. what deriveTableDefinition gives), or no cursor of this listing can be accepted'
  );
}

function asValidationError(error: unknown): never {
  if (error instanceof CursorError) throw new ValidationError([{ field: 'cursor', rule: error.rule }]);
  throw error;
}

/**
 * The Query input: a copy of params with the page's Limit and start. Copied with Object.assign
 * and only the fields that are set: the SDK walks this object, and an object built by spread
 * (with an undefined ExclusiveStartKey) measured ~8 µs slower per page in process.
 */
function queryInput(params: QueryCommandInput, limit: number | undefined, start: Record<string, unknown> | undefined): QueryCommandInput {
  const input = Object.assign({}, params);
  if (limit !== undefined) input.Limit = limit;
  if (start !== undefined) input.ExclusiveStartKey = start;
  return input;
}

/**
 * One page of a listing, ONE Query: Limit = page size, ExclusiveStartKey from the caller's cursor
 * (refused unless it came from this pattern, lies in this query's partition and range and, with
 * a secret, is signed), and a cursor for the next page (`null` at the end).
 */
export async function queryPage(ctx: RequestContext, pattern: string, params: QueryCommandInput, page: PageRequest = {}): Promise<{ raw: Raw[]; cursor: string | null }> {
  let start: CursorKey | undefined;
  const scope = cursorScope(ctx, pattern, params);
  if (page.cursor) {
    try {
      start = decodeCursor(page.cursor, scope, ctx.cursorSecret);
    } catch (error) {
      asValidationError(error);
    }
  }
  const limit = page.limit ?? ctx.defaultPageSize ?? DEFAULT_PAGE_SIZE;
  const out = await callDynamo(() => ctx.doc.send(new QueryCommand(queryInput(params, limit, start))));
  if (out.LastEvaluatedKey) checkKeyFields(ctx, pattern, scope, out.LastEvaluatedKey);
  return { raw: out.Items ?? [], cursor: out.LastEvaluatedKey ? encodeCursor(pattern, out.LastEvaluatedKey, ctx.cursorSecret) : null };
}

/** One Query for a read that is not paged (a lookup, a collection's first items): no cursor. */
export async function queryOnce(ctx: RequestContext, params: QueryCommandInput, limit: number): Promise<Raw[]> {
  const out = await callDynamo(() => ctx.doc.send(new QueryCommand(queryInput(params, limit, undefined))));
  return out.Items ?? [];
}

/** Follows every page of a query: for bounded sets (a user's sessions, an order's items). */
export async function queryAll(ctx: RequestContext, params: QueryCommandInput): Promise<Raw[]> {
  const items: Raw[] = [];
  let start: Raw | undefined;
  do {
    const out = await callDynamo(() => ctx.doc.send(new QueryCommand(queryInput(params, undefined, start))));
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

function keyOf(ctx: RequestContext, pattern: string, item: Raw, scope: CursorScope): CursorKey {
  const key: CursorKey = {};
  for (const f of new Set(scope.keyFields)) {
    const value = item[f];
    // A number key field stays a number (ExclusiveStartKey must carry the key's own type).
    if (typeof value === 'string' || typeof value === 'number') key[f] = value;
  }
  checkKeyFields(ctx, pattern, scope, key);
  return key;
}

/**
 * One page of a listing spread over shards (write sharding): one Query per shard not yet
 * exhausted, in parallel, merged by `compare`, cut at the page size. The cursor keeps, per shard,
 * the key of the last item this page returned from it, so no item is skipped or repeated as long
 * as `compare` orders items exactly as each shard's sort key does (make ties impossible: the sort
 * key must be total).
 */
export async function queryShardedPage(
  ctx: RequestContext,
  pattern: string,
  shardParams: readonly QueryCommandInput[],
  page: PageRequest,
  compare: (a: Raw, b: Raw) => number,
): Promise<{ raw: Raw[]; cursor: string | null }> {
  const scopes = shardParams.map((p) => cursorScope(ctx, pattern, p));
  let positions: ShardPosition[] = shardParams.map(() => null);
  if (page.cursor) {
    try {
      positions = decodeShardedCursor(page.cursor, scopes, ctx.cursorSecret);
    } catch (error) {
      asValidationError(error);
    }
  }
  const limit = page.limit ?? ctx.defaultPageSize ?? DEFAULT_PAGE_SIZE;
  const results = await Promise.all(
    shardParams.map(async (params, shard) => {
      const position = positions[shard];
      if (position === 'done') return { shard, items: [] as Raw[], more: false };
      const out = await callDynamo(() => ctx.doc.send(new QueryCommand(queryInput(params, limit, position ?? undefined))));
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
    else if (last) next[r.shard] = keyOf(ctx, pattern, last.item, scopes[r.shard] as CursorScope);
  }
  const cursor = next.every((p) => p === 'done') ? null : encodeShardedCursor(pattern, next, ctx.cursorSecret);
  return { raw: taken.map((t) => t.item), cursor };
}

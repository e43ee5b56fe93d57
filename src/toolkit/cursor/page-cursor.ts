import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Page cursors that can only continue the listing they came from. A cursor wraps DynamoDB's
 * LastEvaluatedKey with the pattern's name; decoding checks that the key has exactly the index's
 * key fields and that it lies inside the partition (and sort-key range) of the query it is given
 * to. A cursor from another pattern, another partition or another tenant is refused, so a cursor
 * can never be used to read someone else's items. With a secret, cursors are also signed
 * (HMAC-SHA256), so any edit at all is refused; use one secret across every instance that serves
 * the same listings.
 */

/** A LastEvaluatedKey: strings, or numbers for number key fields (ElectroDB `cast: 'number'`). */
export type CursorKey = Record<string, string | number>;

export interface CursorScope {
  /** Access-pattern name the cursor belongs to. */
  pattern: string;
  /** Every attribute of a LastEvaluatedKey for this query (table and index key fields). */
  keyFields: readonly string[];
  /** The query's partition key field and value: the cursor must point inside it. */
  partition: { field: string; value: string | number };
  /** The query's sort-key condition, when it has one. */
  range?: { field: string; beginsWith?: string; from?: string | number; to?: string | number };
}

export class CursorError extends Error {
  override readonly name = 'CursorError';
  constructor(readonly rule: string) {
    super(`cursor ${rule}`);
  }
}

const MAX_CURSOR_LENGTH = 8192;

const sign = (payload: string, secret: string) => createHmac('sha256', secret).update(payload).digest('base64url');

export function encodeCursor(pattern: string, key: Record<string, unknown>, secret?: string): string {
  const payload = Buffer.from(JSON.stringify({ v: 1, p: pattern, k: key }), 'utf8').toString('base64url');
  return secret ? `${payload}.${sign(payload, secret)}` : payload;
}

/** Where each shard of a scatter-gather listing stands: a start key, `null` (from the top) or done. */
export type ShardPosition = CursorKey | null | 'done';

export function encodeShardedCursor(pattern: string, positions: readonly ShardPosition[], secret?: string): string {
  return encodeCursor(pattern, { shards: positions }, secret);
}

/** Decodes a scatter-gather cursor; every shard's key must lie in that shard's own scope. */
export function decodeShardedCursor(cursor: string, scopes: readonly CursorScope[], secret?: string): ShardPosition[] {
  const raw = decodePayload(cursor, scopes[0]?.pattern ?? '', secret);
  const shards = (raw as { shards?: unknown }).shards;
  if (!Array.isArray(shards) || shards.length !== scopes.length) throw new CursorError('does not match this listing\'s shards');
  return shards.map((position, i) => {
    if (position === null || position === 'done') return position;
    if (typeof position !== 'object') throw new CursorError('is malformed');
    return checkKey(position as Record<string, unknown>, scopes[i] as CursorScope);
  });
}

export function decodeCursor(cursor: string, scope: CursorScope, secret?: string): CursorKey {
  return checkKey(decodePayload(cursor, scope.pattern, secret), scope);
}

function decodePayload(cursor: string, pattern: string, secret?: string): Record<string, unknown> {
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)?$/.test(cursor)) {
    throw new CursorError('is malformed: pass back the cursor a previous page returned, unchanged');
  }
  const [payload, signature] = cursor.split('.') as [string, string | undefined];
  if (secret) {
    const expected = Buffer.from(sign(payload, secret));
    const given = Buffer.from(signature ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new CursorError('has been altered or was not issued here: pass back the cursor a previous page returned, unchanged');
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw new CursorError('is malformed: pass back the cursor a previous page returned, unchanged');
  }
  if (typeof parsed !== 'object' || parsed === null) throw new CursorError('is malformed');
  const { v, p, k } = parsed as { v?: unknown; p?: unknown; k?: unknown };
  if (v !== 1 || typeof k !== 'object' || k === null || Array.isArray(k)) throw new CursorError('is malformed');
  if (p !== pattern) throw new CursorError(`belongs to another listing (${String(p)}), not ${pattern}`);
  return k as Record<string, unknown>;
}

function checkKey(key: Record<string, unknown>, scope: CursorScope): CursorKey {
  const fields = Object.keys(key).sort();
  const expected = [...new Set(scope.keyFields)].sort();
  if (fields.length !== expected.length || fields.some((f, i) => f !== expected[i])) {
    throw new CursorError('does not match this listing\'s keys');
  }
  for (const f of fields) {
    const value = key[f];
    const valid = typeof value === 'string' ? value.length > 0 && value.length <= 2048 : typeof value === 'number' && Number.isFinite(value);
    if (!valid) throw new CursorError('has an invalid key value');
  }
  const typed = key as CursorKey;
  if (typed[scope.partition.field] !== scope.partition.value) {
    throw new CursorError('belongs to another partition: it cannot continue this listing');
  }
  const r = scope.range;
  if (r) {
    const sk = typed[r.field] as string | number;
    const outside =
      (r.beginsWith !== undefined && (typeof sk !== 'string' || !sk.startsWith(r.beginsWith))) ||
      (r.from !== undefined && !(compareKeys(sk, r.from) >= 0)) ||
      (r.to !== undefined && !(compareKeys(sk, r.to) <= 0));
    if (outside) throw new CursorError('lies outside this listing\'s range');
  }
  return typed;
}

/**
 * Orders two key values as DynamoDB does: numbers by value, strings by their UTF-8 bytes (not
 * JavaScript's UTF-16 order, where '\uFFFF' sorts after '😀'). NaN when the types differ.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html (ScanIndexForward)
 */
export function compareKeys(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
  return Number.NaN;
}

/**
 * A cursor over an opaque continuation token (PartiQL's NextToken), bound to its listing and to
 * the request it continues (`request`: a fingerprint of the statement and its parameters).
 */
export function encodeTokenCursor(pattern: string, request: string, token: string, secret?: string): string {
  return encodeCursor(pattern, { r: request, t: token }, secret);
}

export function decodeTokenCursor(cursor: string, pattern: string, request: string, secret?: string): string {
  const k = decodePayload(cursor, pattern, secret);
  if (typeof k.t !== 'string' || k.t.length === 0) throw new CursorError('is malformed');
  if (k.r !== request) throw new CursorError('belongs to another statement or other parameters: it cannot continue this listing');
  return k.t;
}

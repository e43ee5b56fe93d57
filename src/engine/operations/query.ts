/**
 * Query: one partition of the table or an index, a binary-searched slice of its sorted entries.
 * Validation order and texts follow dynalite's validations/query.js and actions/query.js (Apache-2.0).
 */
import type { EngineCore } from '../engine';
import { EngineError, validation } from '../errors';
import { parseCondition, parseKeyCondition, parseProjection, type Condition, type KeyCondition, type Projection } from '../expressions';
import { canonical, compareCodePoints, sortable } from '../storage/keys';
import { compareEntry, lowerIndex, type Entry } from '../storage/ordered-store';
import type { IndexState, KeyDef, TableState } from '../storage/table';
import { makeScope, newMeter } from './common';
import { attributesProjection, filterCondition, legacyKeyCondition, validateAttributesToGet, validateConditions } from './legacy';
import { checkKeyPaths, checkSelect, checkSelectOnIndex, checkStartKeyValues, conditionPaths, readPage, resolveIndex, startPosition } from './read-page';
import { ghostEntries, staleChoices, staleWalk } from './stale-view';
import {
  ATTR_MAP,
  ATTRIBUTES_TO_GET,
  CONDITIONS,
  INDEX_NAME,
  NAMES_MAP,
  RETURN_CONSUMED,
  STRING,
  TABLE_NAME,
  validateExpressionParams,
  validateRequest,
  type FieldSpec,
} from './validator';

const SCHEMA: Record<string, FieldSpec | string> = {
  Select: { type: 'String', enum: ['SPECIFIC_ATTRIBUTES', 'COUNT', 'ALL_ATTRIBUTES', 'ALL_PROJECTED_ATTRIBUTES'] },
  IndexName: INDEX_NAME,
  ReturnConsumedCapacity: RETURN_CONSUMED,
  QueryFilter: CONDITIONS,
  TableName: TABLE_NAME,
  ConditionalOperator: { type: 'String', enum: ['OR', 'AND'] },
  AttributesToGet: ATTRIBUTES_TO_GET,
  Limit: { type: 'Integer', greaterThanOrEqual: 1 },
  KeyConditions: CONDITIONS,
  ExclusiveStartKey: ATTR_MAP,
  ConsistentRead: 'Boolean',
  ScanIndexForward: 'Boolean',
  KeyConditionExpression: STRING,
  FilterExpression: STRING,
  ProjectionExpression: STRING,
  ExpressionAttributeValues: ATTR_MAP,
  ExpressionAttributeNames: NAMES_MAP,
};

function keyTypes(hash: KeyDef, range: KeyDef | undefined): Record<string, 'S' | 'N' | 'B'> {
  const types: Record<string, 'S' | 'N' | 'B'> = { [hash.name]: hash.type };
  if (range) types[range.name] = range.type;
  return types;
}

function scalar(v: unknown, def: KeyDef): string {
  return sortable((v as Record<string, string>)[def.type] as string, def.type);
}

/** [lo, hi) of the entries matching the sort-key condition. */
function bounds(entries: Entry[], cond: KeyCondition['range'], def: KeyDef | undefined): [number, number] {
  if (!cond || !def) return [0, entries.length];
  const v = scalar(cond.values[0], def);
  const lb = (x: string) => lowerIndex(entries, (e) => compareCodePoints(e.k, x) < 0);
  const ub = (x: string) => lowerIndex(entries, (e) => compareCodePoints(e.k, x) <= 0);
  switch (cond.op) {
    case '=':
      return [lb(v), ub(v)];
    case '<':
      return [0, lb(v)];
    case '<=':
      return [0, ub(v)];
    case '>':
      return [ub(v), entries.length];
    case '>=':
      return [lb(v), entries.length];
    case 'BETWEEN':
      return [lb(v), ub(scalar(cond.values[1], def))];
    case 'begins_with': {
      const lo = lb(v);
      return [lo, lowerIndex(entries, (e) => e.k.startsWith(v), lo)];
    }
  }
  return [0, entries.length];
}

export function query(core: EngineCore, body: unknown): unknown {
  const data = validateRequest(body, SCHEMA);
  validateExpressionParams(data, ['ProjectionExpression', 'FilterExpression', 'KeyConditionExpression'], ['AttributesToGet', 'QueryFilter', 'ConditionalOperator', 'KeyConditions']);
  validateConditions(data.QueryFilter);
  validateAttributesToGet(data.AttributesToGet);
  const esk = checkStartKeyValues(data);
  if (data.KeyConditionExpression === undefined && data.KeyConditions === undefined) throw validation('Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
  let filter: Condition | undefined;
  let projection: Projection | undefined;
  let kc: KeyCondition;
  let table: TableState;
  let index: IndexState | undefined;
  if (data.KeyConditionExpression !== undefined) {
    const scope = makeScope(data);
    // The same expressions with the same names and values parse to the same trees (read-only: a
    // Query never stores or returns a parsed value), so a repeated Query skips the parser.
    const cacheKey = JSON.stringify([data.TableName, data.IndexName ?? '', data.KeyConditionExpression, data.FilterExpression ?? null, data.ProjectionExpression ?? null, data.ExpressionAttributeNames ?? null, data.ExpressionAttributeValues ?? null]);
    const cached = core.parseCache.get(cacheKey) as { tableId: string; kc: KeyCondition; filter?: Condition; projection?: Projection } | undefined;
    filter = cached?.filter;
    projection = cached?.projection;
    if (!cached) {
      // DynamoDB's order (dynalite, verified): every expression's syntax, then unused names/values,
      // before the table, the index and the key schema. The key condition is read here as a plain
      // condition for its syntax; its key-schema meaning is checked once the table is known.
      try {
        parseCondition(data.KeyConditionExpression as string, scope, 'ConditionExpression');
      } catch (e) {
        if (e instanceof EngineError) throw new EngineError(e.type, e.message.replace('Invalid ConditionExpression', 'Invalid KeyConditionExpression'), e.status, e.extra);
        throw e;
      }
      if (data.FilterExpression !== undefined) filter = parseCondition(data.FilterExpression as string, scope, 'FilterExpression');
      if (data.ProjectionExpression !== undefined) projection = parseProjection(data.ProjectionExpression as string, scope);
      scope.assertAllUsed();
    }
    table = core.activeTable(data.TableName as string);
    index = resolveIndex(core, table, data, 'Query');
    const { hash, range } = index ?? table;
    if (cached && cached.tableId === table.id) kc = cached.kc;
    else {
      kc = parseKeyCondition(data.KeyConditionExpression as string, scope, { hash: hash.name, ...(range ? { range: range.name } : {}) }, keyTypes(hash, range));
      if (core.parseCache.size >= 1000) core.parseCache.delete(core.parseCache.keys().next().value as string);
      core.parseCache.set(cacheKey, { tableId: table.id, kc, ...(filter ? { filter } : {}), ...(projection ? { projection } : {}) });
    }
  } else {
    // KeyConditions (legacy), possibly with FilterExpression / ProjectionExpression beside it.
    validateConditions(data.KeyConditions);
    const count = Object.keys(data.KeyConditions as object).length;
    if (count !== 1 && count !== 2) throw validation('Conditions can be of length 1 or 2 only');
    const scope = makeScope(data);
    filter = data.FilterExpression !== undefined ? parseCondition(data.FilterExpression as string, scope, 'FilterExpression') : filterCondition(data.QueryFilter, data.ConditionalOperator);
    projection = data.ProjectionExpression !== undefined ? parseProjection(data.ProjectionExpression as string, scope) : attributesProjection(data.AttributesToGet);
    scope.assertAllUsed();
    table = core.activeTable(data.TableName as string);
    index = resolveIndex(core, table, data, 'Query');
    const { hash, range } = index ?? table;
    kc = legacyKeyCondition(data.KeyConditions, { hash: hash.name, ...(range ? { range: range.name } : {}) }, keyTypes(hash, range));
  }
  const hash = index ? index.hash : table.hash;
  const range = index ? index.range : table.range;
  checkSelect(data, 'Query');

  const store = index ? index.store : table.store;
  const hashValue = (kc.hash.value as Record<string, string>)[hash.type] as string;
  const partition = store.partition(canonical(hashValue, hash.type));
  const entries = partition?.entries ?? [];
  const forward = data.ScanIndexForward !== false;
  let probe: { k: string; t: string } | undefined;
  if (esk) {
    const pos = startPosition(table, index, esk, false);
    const eskHash = (esk[hash.name] as Record<string, string>)[hash.type];
    if (kc.range && range) {
      const v = pos.k;
      const r = kc.range;
      const a = scalar(r.values[0], range);
      const inRange =
        r.op === '=' ? v === a
        : r.op === '<' ? compareCodePoints(v, a) < 0
        : r.op === '<=' ? compareCodePoints(v, a) <= 0
        : r.op === '>' ? compareCodePoints(v, a) > 0
        : r.op === '>=' ? compareCodePoints(v, a) >= 0
        : r.op === 'BETWEEN' ? compareCodePoints(v, a) >= 0 && compareCodePoints(v, scalar(r.values[1], range)) <= 0
        : v.startsWith(a);
      if (!inRange) throw validation('The provided starting key does not match the range key predicate');
      if (eskHash !== hashValue && sortable(String(eskHash), hash.type) !== sortable(hashValue, hash.type)) throw validation('The query can return at most one row and cannot be restarted');
    } else if (eskHash !== hashValue && sortable(String(eskHash), hash.type) !== sortable(hashValue, hash.type)) {
      throw validation('The provided starting key is outside query boundaries based on provided conditions');
    }
    probe = { k: pos.k, t: pos.t };
  }
  /** [lo, hi) of sorted entries within the key condition and after ExclusiveStartKey. */
  const slice = (arr: Entry[]): [number, number] => {
    let [l, h] = bounds(arr, kc.range, range);
    const p = probe;
    if (p && forward) l = Math.max(l, lowerIndex(arr, (e) => compareEntry(e, p) <= 0));
    else if (p) h = Math.min(h, lowerIndex(arr, (e) => compareEntry(e, p) < 0));
    return [l, h];
  };
  const [lo, hi] = slice(entries);
  if (projection) checkKeyPaths(table, projection.paths);
  const filterPaths = conditionPaths(filter);
  const keyNames = new Set([hash.name, ...(range ? [range.name] : [])]);
  for (const p of filterPaths) {
    if (keyNames.has(String(p[0]))) throw validation((data.QueryFilter !== undefined ? 'QueryFilter' : 'Filter Expression') + ' can only contain non-primary key attributes: Primary key attribute: ' + String(p[0]));
  }
  checkSelectOnIndex(data, index);
  checkKeyPaths(table, filterPaths);
  const select = (data.Select as string | undefined) ?? (index && projection === undefined ? 'ALL_PROJECTED_ATTRIBUTES' : projection !== undefined ? 'SPECIFIC_ATTRIBUTES' : 'ALL_ATTRIBUTES');
  function* walk(): Iterable<Entry> {
    if (forward) for (let i = lo; i < hi; i++) yield entries[i] as Entry;
    else for (let i = hi - 1; i >= lo; i--) yield entries[i] as Entry;
  }
  const consistent = data.ConsistentRead === true;
  let source: Iterable<Entry> = walk();
  // Stale reads apply to the base table only (a GSI has the gsiLag fault).
  const partitionId = canonical(hashValue, hash.type);
  const chosen = index ? undefined : staleChoices(core, table, consistent, partitionId);
  if (chosen) {
    const ghosts = ghostEntries(table, chosen).get(partitionId)?.entries ?? [];
    const [glo, ghi] = slice(ghosts);
    const cut = ghosts.slice(glo, ghi);
    if (!forward) cut.reverse();
    source = staleWalk(partitionId, source, cut, chosen, forward);
  }
  const meter = newMeter();
  const out = readPage(core, { table, index, limit: data.Limit as number | undefined, filter, projection, select, consistent, meter }, source);
  const cc = meter.render(table.name, data.ReturnConsumedCapacity as never);
  if (cc) out.ConsumedCapacity = cc;
  return out;
}

/**
 * Scan, and parallel Scan: partitions in dynalite's order (md5 prefix), a segment being a range of
 * the 4096 prefix buckets, so every item is in exactly one segment and the order matches dynalite's.
 * Validation order and texts follow dynalite's validations/scan.js and actions/scan.js (Apache-2.0).
 */
import type { EngineCore } from '../engine';
import { validation } from '../errors';
import { parseCondition, parseProjection, type Condition, type Projection } from '../expressions';
import { hashPrefix } from '../storage/keys';
import { compareEntry, comparePartition, lowerIndex, type Entry, type Partition } from '../storage/ordered-store';
import { makeScope, newMeter } from './common';
import { checkKeyPaths, checkSelect, checkSelectOnIndex, checkStartKeyValues, conditionPaths, readPage, resolveIndex, startPosition } from './read-page';
import { ghostEntries, staleChoices, staleWalk } from './stale-view';
import { attributesProjection, filterCondition, validateAttributesToGet, validateConditions } from './legacy';
import { ATTR_MAP, ATTRIBUTES_TO_GET, CONDITIONS, INDEX_NAME, NAMES_MAP, RETURN_CONSUMED, STRING, TABLE_NAME, validateExpressionParams, validateRequest, type FieldSpec } from './validator';

const SCHEMA: Record<string, FieldSpec | string> = {
  ReturnConsumedCapacity: RETURN_CONSUMED,
  AttributesToGet: ATTRIBUTES_TO_GET,
  ExclusiveStartKey: ATTR_MAP,
  ScanFilter: CONDITIONS,
  TableName: TABLE_NAME,
  Limit: { type: 'Integer', greaterThanOrEqual: 1 },
  TotalSegments: { type: 'Integer', greaterThanOrEqual: 1, lessThanOrEqual: 1000000 },
  Select: { type: 'String', enum: ['SPECIFIC_ATTRIBUTES', 'COUNT', 'ALL_ATTRIBUTES', 'ALL_PROJECTED_ATTRIBUTES'] },
  Segment: { type: 'Integer', greaterThanOrEqual: 0, lessThanOrEqual: 999999 },
  ConditionalOperator: { type: 'String', enum: ['OR', 'AND'] },
  FilterExpression: STRING,
  ExpressionAttributeValues: ATTR_MAP,
  ExpressionAttributeNames: NAMES_MAP,
  ProjectionExpression: STRING,
  IndexName: INDEX_NAME,
  ConsistentRead: 'Boolean',
};

export function scan(core: EngineCore, body: unknown): unknown {
  const data = validateRequest(body, SCHEMA);
  validateExpressionParams(data, ['ProjectionExpression', 'FilterExpression'], ['AttributesToGet', 'ScanFilter', 'ConditionalOperator']);
  validateAttributesToGet(data.AttributesToGet);
  validateConditions(data.ScanFilter);
  const esk = checkStartKeyValues(data);
  const segment = data.Segment as number | undefined;
  const total = data.TotalSegments as number | undefined;
  if (segment !== undefined && segment > 0 && total === undefined) {
    throw validation('The TotalSegments parameter is required but was not present in the request when Segment parameter is present');
  }
  if (total !== undefined) {
    if (segment === undefined) throw validation('The Segment parameter is required but was not present in the request when parameter TotalSegments is present');
    if (segment >= total) throw validation('The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: ' + segment + ' is not less than TotalSegments: ' + total);
  }
  const scope = makeScope(data);
  let filter: Condition | undefined = filterCondition(data.ScanFilter, data.ConditionalOperator);
  let projection: Projection | undefined = attributesProjection(data.AttributesToGet);
  if (data.FilterExpression !== undefined) filter = parseCondition(data.FilterExpression as string, scope, 'FilterExpression');
  if (data.ProjectionExpression !== undefined) projection = parseProjection(data.ProjectionExpression as string, scope);
  scope.assertAllUsed();
  checkSelect(data, 'Scan');
  const table = core.activeTable(data.TableName as string);
  const index = resolveIndex(core, table, data, 'Scan');
  const store = index ? index.store : table.store;

  let loBucket = 0;
  let hiBucket = 4095;
  if (total !== undefined && total > 1 && segment !== undefined) {
    loBucket = Math.ceil((4096 * segment) / total);
    hiBucket = Math.ceil((4096 * (segment + 1)) / total) - 1;
  }
  const consistent = data.ConsistentRead === true;
  let parts = store.scanOrder();
  // Stale reads apply to the base table only (a GSI has the gsiLag fault). Items deleted within
  // the window may be seen again, in partitions the store may no longer have.
  const chosen = index ? undefined : staleChoices(core, table, consistent);
  const ghosts = chosen ? ghostEntries(table, chosen) : undefined;
  if (ghosts?.size) {
    const extra = [...ghosts].filter(([id]) => !store.partition(id)).map(([, g]): Partition => ({ ...table.partitionMaker(table.hash, g.hash)(), entries: [] }));
    if (extra.length) parts = [...parts, ...extra].sort(comparePartition);
  }
  let pi = lowerIndex(parts, (p) => p.bucket < loBucket);
  let startEntry: { k: string; t: string } | undefined;
  if (esk) {
    const pos = startPosition(table, index, esk, true);
    const def = index ? index.hash : table.hash;
    const prefix = hashPrefix(pos.hashValue, def.type);
    const bucket = parseInt(prefix.slice(0, 3), 16);
    if (total !== undefined && total > 1 && (bucket < loBucket || bucket > hiBucket)) {
      throw validation('The provided starting key is invalid: Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. TotalSegments: ' + total + ' Segment: ' + String(segment));
    }
    const probe = { prefix, sortKey: sortKeyOf(pos.hashValue, def.type) };
    pi = lowerIndex(parts, (p) => comparePartition(p, probe) < 0);
    const p = parts[pi];
    if (p && comparePartition(p, probe) === 0) startEntry = { k: pos.k, t: pos.t };
  }
  checkSelectOnIndex(data, index);
  if (projection) checkKeyPaths(table, projection.paths);
  checkKeyPaths(table, conditionPaths(filter));
  function* walk(): Iterable<Entry> {
    for (let i = pi; i < parts.length; i++) {
      const p = parts[i] as Partition;
      if (p.bucket > hiBucket) return;
      let j = 0;
      const s = i === pi ? startEntry : undefined;
      if (s) j = lowerIndex(p.entries, (e) => compareEntry(e, s) <= 0);
      if (!chosen) {
        // Copy-on-read is unnecessary: the engine is synchronous, nothing changes during a page.
        for (; j < p.entries.length; j++) yield p.entries[j] as Entry;
        continue;
      }
      let g = ghosts?.get(p.id)?.entries ?? [];
      if (s) g = g.filter((e) => compareEntry(e, s) > 0);
      yield* staleWalk(p.id, rest(p.entries, j), g, chosen, true);
    }
  }
  const select = (data.Select as string | undefined) ?? (index && projection === undefined ? 'ALL_PROJECTED_ATTRIBUTES' : projection !== undefined ? 'SPECIFIC_ATTRIBUTES' : 'ALL_ATTRIBUTES');
  const meter = newMeter();
  const out = readPage(core, { table, index, limit: data.Limit as number | undefined, filter, projection, select, consistent, meter }, walk());
  const cc = meter.render(table.name, data.ReturnConsumedCapacity as never);
  if (cc) out.ConsumedCapacity = cc;
  return out;
}

function* rest(entries: readonly Entry[], from: number): Generator<Entry> {
  for (let j = from; j < entries.length; j++) yield entries[j] as Entry;
}

import { sortable } from '../storage/keys';
function sortKeyOf(value: string, type: 'S' | 'N' | 'B'): string {
  return sortable(value, type);
}

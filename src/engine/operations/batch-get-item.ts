/**
 * BatchGetItem: up to 100 keys, no duplicates; answers stop at 16 MB, the rest is returned in
 * UnprocessedKeys. Texts follow dynalite's validations/batchGetItem.js (Apache-2.0).
 */
import type { EngineCore } from '../engine';
import { validation } from '../errors';
import { applyProjection, parseProjection, type Projection } from '../expressions';
import type { TableState } from '../storage/table';
import type { Item } from '../types';
import { itemSize } from '../values/size';
import { chargeRead, keyString, makeScope, newMeter, normalizeKey, readItem, validateKey } from './common';
import { attributesProjection, validateAttributesToGet } from './legacy';
import { RETURN_CONSUMED, validateExpressionParams, validateRequest, type FieldSpec } from './validator';

const SCHEMA: Record<string, FieldSpec | string> = {
  ReturnConsumedCapacity: RETURN_CONSUMED,
  RequestItems: {
    type: 'Map<KeysAndAttributes>',
    notNull: true,
    lengthGreaterThanOrEqual: 1,
    keys: { lengthLessThanOrEqual: 255, lengthGreaterThanOrEqual: 3, regex: '[a-zA-Z0-9_.-]+' },
    children: {
      type: 'ValueStruct<KeysAndAttributes>',
      children: {
        Keys: { type: 'List', notNull: true, lengthGreaterThanOrEqual: 1, lengthLessThanOrEqual: 100, children: { type: 'ParameterizedMap', children: 'AttrStruct<ValueStruct>' } },
        AttributesToGet: { type: 'List', lengthGreaterThanOrEqual: 1, lengthLessThanOrEqual: 255, children: 'String' },
        ConsistentRead: 'Boolean',
        ProjectionExpression: { type: 'String' },
        ExpressionAttributeNames: { type: 'Map<java.lang.String>', children: 'String' },
      },
    },
  },
};

const MAX_RESPONSE = 16 * 1024 * 1024;

interface TableRequest {
  name: string;
  keys: Item[];
  raw: Record<string, unknown>;
  projection?: Projection;
  consistent: boolean;
}

export function batchGetItem(core: EngineCore, body: unknown): unknown {
  const data = validateRequest(body, SCHEMA);
  const requestItems = data.RequestItems as Record<string, Record<string, unknown>>;
  const requests: TableRequest[] = [];
  let count = 0;
  for (const name of Object.keys(requestItems)) {
    const t = requestItems[name] as Record<string, unknown>;
    validateExpressionParams(t, ['ProjectionExpression'], ['AttributesToGet']);
    validateAttributesToGet(t.AttributesToGet);
    const scope = makeScope(t);
    let projection: Projection | undefined = attributesProjection(t.AttributesToGet);
    if (t.ProjectionExpression !== undefined) projection = parseProjection(t.ProjectionExpression as string, scope);
    scope.assertAllUsed();
    const seen = new Set<string>();
    const keys: Item[] = [];
    for (const raw of t.Keys as unknown[]) {
      const key = normalizeKey(raw);
      const sig = Object.keys(key)
        .sort()
        .map((n) => n + '=' + JSON.stringify(key[n]))
        .join('/');
      if (seen.has(sig)) throw validation('Provided list of item keys contains duplicates');
      seen.add(sig);
      keys.push(key);
      if (++count > 100) throw validation('Too many items requested for the BatchGetItem call');
    }
    requests.push({ name, keys, raw: t, ...(projection ? { projection } : {}), consistent: t.ConsistentRead === true });
  }
  const tables = new Map<string, TableState>();
  for (const r of requests) {
    const table = core.activeTable(r.name);
    for (const k of r.keys) validateKey(table, k);
    tables.set(r.name, table);
  }
  const meter = newMeter();
  const responses: Record<string, Item[]> = {};
  const unprocessed: Record<string, Record<string, unknown>> = {};
  let bytes = 0;
  for (const r of requests) {
    const table = tables.get(r.name) as TableState;
    responses[r.name] = [];
    meter.touch(r.name);
    for (const k of r.keys) {
      if (bytes > MAX_RESPONSE) {
        const u = (unprocessed[r.name] ??= { ...stripKeys(r.raw), Keys: [] });
        (u.Keys as Item[]).push(k);
        continue;
      }
      const key = table.keyOf(k);
      void keyString;
      const item = readItem(core, table, key, r.consistent);
      chargeRead(meter, table, item, r.consistent ? 'strong' : 'eventual');
      if (item) {
        bytes += itemSize(item);
        (responses[r.name] as Item[]).push(r.projection ? applyProjection(item, r.projection) : item);
      }
    }
  }
  const out: Record<string, unknown> = { Responses: responses, UnprocessedKeys: unprocessed };
  const cc = meter.renderAll(data.ReturnConsumedCapacity as never);
  if (cc) out.ConsumedCapacity = cc;
  return out;
}

function stripKeys(raw: Record<string, unknown>): Record<string, unknown> {
  const { Keys: _k, ...rest } = raw;
  void _k;
  return rest;
}

/**
 * BatchWriteItem: up to 25 puts/deletes, never the same item twice; each write is applied as a
 * Put or Delete (no conditions). Texts follow dynalite's validations/batchWriteItem.js and
 * actions/batchWriteItem.js (Apache-2.0). The engine never throttles, so UnprocessedItems is empty.
 */
import type { EngineCore } from '../engine';
import { EngineError, validation } from '../errors';
import type { TableKey, TableState } from '../storage/table';
import type { Item } from '../types';
import { itemSize } from '../values/size';
import { applyWrite, itemCollectionMetrics, keyString, MAX_ITEM_SIZE, newMeter, normalizeItem, normalizeKey, validateItemKeys, validateKey } from './common';
import { RETURN_CONSUMED, RETURN_METRICS, validateRequest, type FieldSpec } from './validator';

const SCHEMA: Record<string, FieldSpec | string> = {
  ReturnConsumedCapacity: RETURN_CONSUMED,
  ReturnItemCollectionMetrics: RETURN_METRICS,
  RequestItems: {
    type: 'Map<java.util.List<com.amazonaws.dynamodb.v20120810.WriteRequest>>',
    notNull: true,
    lengthGreaterThanOrEqual: 1,
    keys: { lengthLessThanOrEqual: 255, lengthGreaterThanOrEqual: 3, regex: '[a-zA-Z0-9_.-]+' },
    values: { lengthLessThanOrEqual: 25, lengthGreaterThanOrEqual: 1 },
    children: {
      type: 'ParameterizedList',
      children: {
        type: 'ValueStruct<WriteRequest>',
        children: {
          DeleteRequest: { type: 'FieldStruct<DeleteRequest>', children: { Key: { type: 'Map<AttributeValue>', notNull: true, children: 'AttrStruct<ValueStruct>' } } },
          PutRequest: { type: 'FieldStruct<PutRequest>', children: { Item: { type: 'Map<AttributeValue>', notNull: true, children: 'AttrStruct<ValueStruct>' } } },
        },
      },
    },
  },
};

interface Write {
  table: TableState;
  key: TableKey;
  item?: Item;
}

export function batchWriteItem(core: EngineCore, body: unknown): unknown {
  const data = validateRequest(body, SCHEMA);
  const requestItems = data.RequestItems as Record<string, Array<Record<string, Record<string, unknown>>>>;
  let total = 0;
  const parsed: Array<{ name: string; puts: Array<{ item?: Item; key?: Item }> }> = [];
  for (const name of Object.keys(requestItems)) {
    const reqs = requestItems[name] as Array<Record<string, Record<string, unknown>>>;
    if (reqs.some((r) => !Object.keys(r).length)) throw validation('Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes');
    const list: Array<{ item?: Item; key?: Item }> = [];
    for (const r of reqs) {
      total++;
      if (r.PutRequest && r.DeleteRequest) throw validation('Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes');
      if (r.PutRequest) {
        const item = normalizeItem(r.PutRequest.Item);
        if (itemSize(item) > MAX_ITEM_SIZE) throw validation('Item size has exceeded the maximum allowed size');
        list.push({ item });
      } else if (r.DeleteRequest) list.push({ key: normalizeKey(r.DeleteRequest.Key) });
    }
    parsed.push({ name, puts: list });
  }
  if (total > 25) throw validation('Too many items requested for the BatchWriteItem call');
  const writes: Write[] = [];
  for (const p of parsed) {
    const table = core.activeTable(p.name);
    const seen = new Set<string>();
    for (const w of p.puts) {
      try {
        if (w.item) validateItemKeys(table, w.item);
        else validateKey(table, w.key as Item);
      } catch (e) {
        if (e instanceof EngineError && /Missing the key|Type mismatch for key/.test(e.message)) throw validation('The provided key element does not match the schema');
        throw e;
      }
      const key = table.keyOf((w.item ?? w.key) as Item);
      const ks = keyString(key);
      if (seen.has(ks)) throw validation('Provided list of item keys contains duplicates');
      seen.add(ks);
      writes.push({ table, key, ...(w.item ? { item: w.item } : {}) });
    }
  }
  const meter = newMeter();
  const metrics: Record<string, unknown[]> = {};
  for (const w of writes) {
    meter.touch(w.table.name);
    const old = w.table.getItem(w.key);
    applyWrite(core, w.table, w.key, old, w.item, { meter, eventName: w.item ? 'put' : 'delete' });
    const icm = itemCollectionMetrics(w.table, w.key, data.ReturnItemCollectionMetrics);
    if (icm) (metrics[w.table.name] ??= []).push(icm);
  }
  const out: Record<string, unknown> = { UnprocessedItems: {} };
  const cc = meter.renderAll(data.ReturnConsumedCapacity as never);
  if (cc) out.ConsumedCapacity = cc;
  if (data.ReturnItemCollectionMetrics === 'SIZE') out.ItemCollectionMetrics = metrics;
  return out;
}

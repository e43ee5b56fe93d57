/**
 * Helpers shared by the item operations: key checks with DynamoDB's messages (as dynalite,
 * Apache-2.0, recorded them in db/index.js), the write path (table, indexes, capacity, change
 * event) and ReturnValues.
 */
import { CapacityMeter } from '../capacity/consumed';
import { itemWriteUnits, readUnits, type ItemImage } from '../capacity/unit-rules';
import type { EngineCore } from '../engine';
import { EngineError, validation } from '../errors';
import type { AttributeValue, Item, KeySchemaElement } from '../types';
import { valuesEqual } from '../values/compare';
import { itemSize } from '../values/size';
import { attributeValueError, validateAttributeValue, validateItem } from '../values/validate';
import { ExpressionScope } from '../expressions';
import type { IndexState, KeyDef, TableKey, TableState } from '../storage/table';

export const MAX_ITEM_SIZE = 400 * 1024;

export function typeOf(value: AttributeValue | undefined): string | undefined {
  return value ? Object.keys(value)[0] : undefined;
}

function keyDefs(table: TableState, keySchema?: KeySchemaElement[]): KeyDef[] {
  const schema = keySchema ?? table.keySchema;
  return schema.map((k) => ({
    name: k.AttributeName,
    type: (table.attributeDefinitions.find((d) => d.AttributeName === k.AttributeName)?.AttributeType ?? 'S'),
  }));
}

export function checkKeySize(value: string, type: string, isHash: boolean): void {
  if (type === 'N') return;
  const bytes = type === 'B' ? Buffer.from(value, 'base64').length : Buffer.byteLength(value, 'utf8');
  if (isHash && bytes > 2048) throw validation('One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes');
  if (!isHash && bytes > 1024) throw validation('One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes');
}

function checkKeyPiece(key: Item, def: KeyDef, isHash: boolean): void {
  const v = key[def.name] as Record<string, unknown> | undefined;
  if (!v || typeof v[def.type] !== 'string') throw validation('The provided key element does not match the schema');
  const s = v[def.type] as string;
  if (s === '' && (def.type === 'S' || def.type === 'B')) {
    throw validation(
      'One or more parameter values were invalid: The AttributeValue for a key attribute cannot contain an empty ' + (def.type === 'S' ? 'string' : 'binary') + ' value. Key: ' + def.name,
    );
  }
  checkKeySize(s, def.type, isHash);
}

/** A Key parameter: normalised values, exactly the key attributes with the schema's types. */
export function normalizeKey(raw: unknown): Item {
  const out: Item = Object.create(null) as Item;
  for (const [n, v] of Object.entries((raw ?? {}) as Record<string, unknown>)) {
    if (v === null || v === undefined) continue;
    out[n] = validateAttributeValue(v);
  }
  return out;
}

export function validateKey(table: TableState, key: Item, keySchema?: KeySchemaElement[]): void {
  const defs = keyDefs(table, keySchema);
  if (defs.length !== Object.keys(key).length) throw validation('The provided key element does not match the schema');
  defs.forEach((d, i) => checkKeyPiece(key, d, i === 0));
}

/** An item's key and index-key attributes against the table (Put, and the result of an Update). */
export function validateItemKeys(table: TableState, item: Item, forUpdate = false): void {
  keyDefs(table).forEach((d, i) => {
    const v = item[d.name];
    if (!v) throw validation('One or more parameter values were invalid: Missing the key ' + d.name + ' in the item');
    const s = (v as Record<string, unknown>)[d.type];
    if (typeof s !== 'string') {
      throw validation('One or more parameter values were invalid: Type mismatch for key ' + d.name + ' expected: ' + d.type + ' actual: ' + String(typeOf(v)));
    }
    if (s === '' && (d.type === 'S' || d.type === 'B')) {
      throw validation(
        'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ' + (d.type === 'S' ? 'string' : 'binary') + ' value. Key: ' + d.name,
      );
    }
    checkKeySize(s, d.type, i === 0);
  });
  for (const index of table.indexes) {
    for (const d of [index.hash, ...(index.range ? [index.range] : [])]) {
      const v = item[d.name];
      if (!v) continue;
      const s = (v as Record<string, unknown>)[d.type];
      if (typeof s !== 'string') {
        throw validation(
          'One or more parameter values were invalid: Type mismatch for Index Key ' + d.name + ' Expected: ' + d.type + ' Actual: ' + String(typeOf(v)) + ' IndexName: ' + index.name,
        );
      }
      if (s === '' && (d.type === 'S' || d.type === 'B')) {
        throw validation(
          'One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty ' +
            (d.type === 'S' ? 'string' : 'binary') +
            ' value. IndexName: ' +
            index.name +
            ', IndexKey: ' +
            d.name,
        );
      }
    }
  }
  if (itemSize(item) > MAX_ITEM_SIZE) {
    throw validation(forUpdate ? 'Item size to update has exceeded the maximum allowed size' : 'Item size has exceeded the maximum allowed size');
  }
}

export function keyString(key: TableKey): string {
  return key.id + '\u0000' + key.k;
}

/** Applies due GSI writes held by the lag fault. */
export function flushIndex(core: EngineCore, index: IndexState): void {
  if (!index.pending.length) return;
  const now = core.now();
  // Lag switched off: whatever it still holds is applied now, in order.
  const draining = !core.faults.gsiLag;
  while (index.pending.length) {
    const head = index.pending[0] as { dueAt: number; dueOp: number; apply: () => void };
    if (!draining && head.dueAt > now && head.dueOp > core.opCounter) break;
    index.pending.shift();
    head.apply();
  }
}

export function flushAllIndexes(core: EngineCore, table: TableState): void {
  for (const i of table.indexes) flushIndex(core, i);
}

export interface WriteOutcome {
  units: number;
  byIndex: Record<string, number>;
}

/**
 * Applies one item write: the table store, every index (a moved index key is a delete and a put),
 * capacity into the meter, the change event. newItem undefined: delete.
 */
export function applyWrite(
  core: EngineCore,
  table: TableState,
  key: TableKey,
  oldItem: Item | undefined,
  newItem: Item | undefined,
  opts: { meter?: CapacityMeter; transactional?: boolean; eventName?: 'put' | 'update' | 'delete'; userIdentity?: ChangeIdentity },
): WriteOutcome {
  if (!oldItem && !newItem) {
    // Deleting a missing item still costs a write.
    const u = itemWriteUnits({ table: {}, transactional: opts.transactional });
    opts.meter?.add(table.name, 'write', u.byIndex.table ?? 0);
    return { units: u.total, byIndex: u.byIndex };
  }
  const now = core.now();
  const oldEntry = table.getEntry(key);
  if (core.faults.staleReads) {
    table.recent.set(keyString(key), { json: oldEntry?.json, size: oldEntry?.size ?? 0, at: now, id: key.id, hash: key.hash, k: key.k });
    if (table.recent.size > 10000) {
      const cutoff = now - core.faults.staleReads.windowMs;
      for (const [k, v] of table.recent) if (v.at < cutoff) table.recent.delete(k);
    }
  } else if (table.recent.size) {
    // A write while the fault is off leaves no previous version: one recorded earlier is two
    // versions old now and must not be read as the previous one if the fault is switched back on.
    table.recent.delete(keyString(key));
  }
  let newSize = 0;
  if (newItem) {
    const json = JSON.stringify(newItem);
    newSize = itemSize(newItem);
    table.store.put(key.id, table.partitionMaker(table.hash, key.hash), { k: key.k, t: '', json, size: newSize });
  } else table.store.delete(key.id, key.k);

  const images: Record<string, ItemImage> = {};
  for (const index of table.indexes) {
    const before = table.indexEntry(index, oldItem);
    const after = table.indexEntry(index, newItem);
    if (!before && !after) continue;
    const moved = !!before && !!after && (before.id !== after.id || before.entry.k !== after.entry.k);
    if (before && after && !moved && before.entry.json === after.entry.json) continue;
    images[index.name] = { before: before?.entry.size, after: after?.entry.size, keyChanged: moved };
    const apply = () => {
      if (before && (!after || moved)) index.store.delete(before.id, before.entry.k, before.entry.t);
      if (after) index.store.put(after.id, table.partitionMaker(index.hash, after.hashValue), after.entry);
    };
    const lag = index.global ? core.faults.gsiLag : null;
    if (lag) {
      index.pending.push({ dueAt: now + (lag.lagMs ?? Infinity), dueOp: core.opCounter + (lag.ops ?? Infinity), apply });
    } else {
      // Writes held before the lag was switched off go first, so the index ends at the newest image.
      flushIndex(core, index);
      apply();
    }
  }
  const tableImage: ItemImage = { before: oldEntry?.size, after: newItem ? newSize : undefined };
  const units = itemWriteUnits({ table: tableImage, indexes: images, transactional: opts.transactional });
  if (opts.meter) {
    for (const [name, u] of Object.entries(units.byIndex)) {
      if (name === 'table') opts.meter.add(table.name, 'write', u);
      else {
        const idx = table.index(name) as IndexState;
        opts.meter.add(table.name, 'write', u, { name, global: idx.global });
      }
    }
  }
  const keys = table.keyItem((newItem ?? oldItem) as Item);
  const eventName = !newItem ? 'REMOVE' : oldItem ? 'MODIFY' : 'INSERT';
  const skip = opts.eventName === 'update' && oldItem && newItem && valuesEqual({ M: oldItem }, { M: newItem });
  if (!skip && core.listeners.size) {
    core.emit({
      tableName: table.name,
      keys,
      ...(oldItem ? { oldImage: oldItem } : {}),
      ...(newItem ? { newImage: newItem } : {}),
      eventName,
      ...(opts.userIdentity ? { userIdentity: opts.userIdentity } : {}),
      at: now,
    });
  }
  return { units: units.total, byIndex: units.byIndex };
}

export type ChangeIdentity = { type: 'Service'; principalId: 'dynamodb.amazonaws.com' };

/** Reads the current item for an eventually consistent read, honouring the stale-read fault. */
export function readItem(core: EngineCore, table: TableState, key: TableKey, consistent: boolean): Item | undefined {
  const stale = core.faults.staleReads;
  if (!consistent && stale) {
    const r = table.recent.get(keyString(key));
    if (r && core.now() - r.at < stale.windowMs && core.faults.random() < (stale.probability ?? 1)) {
      return r.json === undefined ? undefined : (JSON.parse(r.json) as Item);
    }
  }
  return table.getItem(key);
}

/** Charges a failed conditional write (the table only, on the stored item's size). */
export function chargeFailedWrite(meter: CapacityMeter, table: TableState, oldItem: Item | undefined, transactional = false): void {
  meter.add(table.name, 'write', itemWriteUnits({ table: { before: oldItem ? itemSize(oldItem) : undefined }, transactional }).total);
}

export function chargeRead(meter: CapacityMeter, table: TableState, item: Item | undefined, consistency: 'eventual' | 'strong' | 'transactional'): void {
  meter.add(table.name, 'read', readUnits(item ? itemSize(item) : 0, consistency));
}

export function pickAttributes(item: Item, names: readonly string[]): Item {
  const out: Item = {};
  for (const n of names) if (Object.prototype.hasOwnProperty.call(item, n)) out[n] = item[n] as AttributeValue;
  return out;
}

/** ItemCollectionMetrics for tables with local secondary indexes. */
export function itemCollectionMetrics(table: TableState, key: TableKey, requested: unknown): Record<string, unknown> | undefined {
  if (requested !== 'SIZE' || !table.indexes.some((i) => !i.global)) return undefined;
  let bytes = 0;
  for (const e of table.store.partition(key.id)?.entries ?? []) bytes += e.size;
  for (const i of table.indexes) if (!i.global) for (const e of i.store.partition(key.id)?.entries ?? []) bytes += e.size;
  const gb = bytes / 1024 ** 3;
  const lo = Math.floor(gb);
  return { ItemCollectionKey: { [table.hash.name]: { [table.hash.type]: key.hash } }, SizeEstimateRangeGB: [lo, lo + 1] };
}

export function conditionFailed(returnOld: unknown, oldItem: Item | undefined): EngineError {
  return new EngineError(
    'ConditionalCheckFailedException',
    'The conditional request failed',
    400,
    returnOld === 'ALL_OLD' && oldItem ? { Item: oldItem } : undefined,
  );
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function newMeter(): CapacityMeter {
  return new CapacityMeter();
}

/**
 * The expression scope of a request, after DynamoDB's checks of the names and values maps
 * (dynalite validations/index.js validateExpressions): not empty, keys of the form #x / :x,
 * values valid (and normalised).
 */
export function makeScope(data: Record<string, unknown>): ExpressionScope {
  const names = data.ExpressionAttributeNames as Record<string, string> | undefined;
  const rawValues = data.ExpressionAttributeValues as Record<string, unknown> | undefined;
  if (names !== undefined) {
    if (!Object.keys(names).length) throw validation('ExpressionAttributeNames must not be empty');
    for (const k of Object.keys(names)) if (!/^#[0-9a-zA-Z_]+$/.test(k)) throw validation('ExpressionAttributeNames contains invalid key: Syntax error; key: "' + k + '"');
  }
  let values: Record<string, AttributeValue> | undefined;
  if (rawValues !== undefined) {
    if (!Object.keys(rawValues).length) throw validation('ExpressionAttributeValues must not be empty');
    for (const k of Object.keys(rawValues)) if (!/^:[0-9a-zA-Z_]+$/.test(k)) throw validation('ExpressionAttributeValues contains invalid key: Syntax error; key: "' + k + '"');
    values = Object.create(null) as Record<string, AttributeValue>;
    for (const k of Object.keys(rawValues)) {
      const msg = attributeValueError(rawValues[k]);
      if (msg !== undefined) throw validation('ExpressionAttributeValues contains invalid value: ' + msg + ' for key ' + k);
      values[k] = validateAttributeValue(rawValues[k]);
    }
  }
  return new ExpressionScope({ ...(names ? { names } : {}), ...(values ? { values } : {}) });
}

/** Validates every attribute value of an item and normalises it. */
export function normalizeItem(raw: unknown): Item {
  return validateItem(raw);
}

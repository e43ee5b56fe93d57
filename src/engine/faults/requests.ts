/**
 * What a request touches, read from its wire body before it runs: the items (for transaction
 * conflicts) and the partitions (for throttling); and the units it consumed, after it ran, from
 * its change events (writes, with the engine's unit rules) or its ConsumedCapacity (reads).
 * Anything unexpected in a body yields nothing here: the operation itself answers bad input.
 */
import { writeUnits } from '../capacity/unit-rules';
import { ExpressionScope, parseKeyCondition } from '../expressions';
import type { IndexState, TableState } from '../storage/table';
import type { AttributeValue, Item } from '../types';
import { itemSize } from '../values/size';
import type { ThroughputCharge, ThroughputTable, ThroughputTarget } from './throughput';

export interface ChangeLike {
  tableName: string;
  keys: Item;
  oldImage?: Item;
  newImage?: Item;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function asItem(v: unknown): Item | undefined {
  return isObject(v) ? (v as Item) : undefined;
}

/** The key attributes of an item (or key) for a table; undefined when one is missing. */
export function keyOf(table: TableState, item: Item | undefined): Item | undefined {
  if (!item) return undefined;
  const out: Item = {};
  for (const n of table.keyNames) {
    const v = item[n];
    if (!isObject(v)) return undefined;
    out[n] = v;
  }
  return out;
}

export function throughputTable(table: TableState): ThroughputTable {
  const indexes: Record<string, { readCapacityUnits?: number; writeCapacityUnits?: number }> = {};
  for (const i of table.indexes) {
    if (i.global && i.throughput) indexes[i.name] = { readCapacityUnits: i.throughput.ReadCapacityUnits, writeCapacityUnits: i.throughput.WriteCapacityUnits };
  }
  return {
    tableName: table.name,
    tableArn: table.arn,
    billingMode: table.billingMode,
    readCapacityUnits: table.throughput.ReadCapacityUnits,
    writeCapacityUnits: table.throughput.WriteCapacityUnits,
    indexes,
  };
}

function hashValue(def: { name: string; type: string }, item: Item | undefined): AttributeValue | undefined {
  const v = item?.[def.name] as Record<string, unknown> | undefined;
  return v && typeof v[def.type] === 'string' ? (v as AttributeValue) : undefined;
}

/** Partitions an item lands on: its table partition and the partition of each GSI it is in. */
export function itemTargets(table: TableState, item: Item | undefined): ThroughputTarget[] {
  const out: ThroughputTarget[] = [];
  const pk = hashValue(table.hash, item);
  if (pk) out.push({ partitionKey: pk });
  for (const i of table.indexes) {
    if (!i.global) continue;
    const v = hashValue(i.hash, item);
    if (v) out.push({ index: i.name, partitionKey: v });
  }
  return out;
}

/** The stored item for a key (undefined when absent or the key is malformed). */
export function storedItem(table: TableState, key: Item | undefined): Item | undefined {
  if (!key) return undefined;
  try {
    return table.getItem(table.keyOf(key));
  } catch {
    return undefined;
  }
}

/** Write units per partition of one applied change, by the engine's unit rules. */
export function changeCharges(table: TableState, e: ChangeLike, transactional: boolean): ThroughputCharge[] {
  const out: ThroughputCharge[] = [];
  const pk = hashValue(table.hash, e.keys);
  const before = e.oldImage ? itemSize(e.oldImage) : 0;
  const after = e.newImage ? itemSize(e.newImage) : 0;
  out.push({ ...(pk ? { partitionKey: pk } : {}), units: writeUnits(Math.max(before, after), transactional) });
  for (const index of table.indexes) indexCharges(table, index, e, transactional, pk, out);
  return out;
}

function indexCharges(table: TableState, index: IndexState, e: ChangeLike, transactional: boolean, basePk: AttributeValue | undefined, out: ThroughputCharge[]): void {
  const b = table.indexEntry(index, e.oldImage);
  const a = table.indexEntry(index, e.newImage);
  if (!b && !a) return;
  const moved = !!b && !!a && (b.id !== a.id || b.entry.k !== a.entry.k);
  if (b && a && !moved && b.entry.json === a.entry.json) return;
  // LSIs live in the table's partitions and draw on the table's capacity.
  const target = (entry: { hashValue: string }): ThroughputTarget =>
    index.global ? { index: index.name, partitionKey: { [index.hash.type]: entry.hashValue } as AttributeValue } : basePk ? { partitionKey: basePk } : {};
  if (moved && a && b) {
    out.push({ ...target(b), units: writeUnits(b.entry.size, transactional) });
    out.push({ ...target(a), units: writeUnits(a.entry.size, transactional) });
  } else {
    const e2 = (a ?? b) as { hashValue: string; entry: { size: number } };
    out.push({ ...target(e2), units: writeUnits(Math.max(a?.entry.size ?? 0, b?.entry.size ?? 0), transactional) });
  }
}

/** The partition a Query reads: the hash key value of its key condition (undefined when unreadable). */
export function queryTarget(table: TableState, body: Record<string, unknown>): ThroughputTarget {
  const indexName = typeof body.IndexName === 'string' ? body.IndexName : undefined;
  const index = indexName === undefined ? undefined : table.index(indexName);
  const hash = index ? index.hash : table.hash;
  const range = index ? index.range : table.range;
  const base: ThroughputTarget = index?.global ? { index: index.name } : {};
  let value: AttributeValue | undefined;
  try {
    if (typeof body.KeyConditionExpression === 'string') {
      const names = isObject(body.ExpressionAttributeNames) ? (body.ExpressionAttributeNames as Record<string, string>) : undefined;
      const values = isObject(body.ExpressionAttributeValues) ? (body.ExpressionAttributeValues as Record<string, AttributeValue>) : undefined;
      const types: Record<string, 'S' | 'N' | 'B'> = { [hash.name]: hash.type };
      if (range) types[range.name] = range.type;
      const kc = parseKeyCondition(body.KeyConditionExpression, new ExpressionScope({ ...(names ? { names } : {}), ...(values ? { values } : {}) }), range ? { hash: hash.name, range: range.name } : { hash: hash.name }, types);
      value = kc.hash.value;
    } else if (isObject(body.KeyConditions)) {
      const c = body.KeyConditions[hash.name];
      if (isObject(c) && c.ComparisonOperator === 'EQ' && Array.isArray(c.AttributeValueList)) value = asItem(c.AttributeValueList[0]) as AttributeValue | undefined;
    }
  } catch {
    value = undefined;
  }
  return value ? { ...base, partitionKey: value } : base;
}

/** Read units by target from a ConsumedCapacity (INDEXES form) of one table, for a read at `target`. */
export function readCharges(consumed: unknown, target: ThroughputTarget): ThroughputCharge[] {
  if (!isObject(consumed)) return [];
  const out: ThroughputCharge[] = [];
  const units = (v: unknown) => (isObject(v) && typeof v.CapacityUnits === 'number' ? v.CapacityUnits : 0);
  const basePk = target.index === undefined ? target.partitionKey : undefined;
  const t = units(consumed.Table);
  if (t > 0) out.push({ ...(basePk ? { partitionKey: basePk } : {}), units: t });
  if (isObject(consumed.LocalSecondaryIndexes)) {
    for (const v of Object.values(consumed.LocalSecondaryIndexes)) if (units(v) > 0) out.push({ ...(basePk ? { partitionKey: basePk } : {}), units: units(v) });
  }
  if (isObject(consumed.GlobalSecondaryIndexes)) {
    for (const [name, v] of Object.entries(consumed.GlobalSecondaryIndexes)) {
      if (units(v) > 0) out.push({ index: name, ...(target.index === name && target.partitionKey ? { partitionKey: target.partitionKey } : {}), units: units(v) });
    }
  }
  return out;
}

/** Asks the operation for ConsumedCapacity INDEXES (the throttle needs it), answering the caller as it asked. */
export function withIndexesCapacity(body: Record<string, unknown>): { body: Record<string, unknown>; restore: (out: unknown) => unknown } | undefined {
  const asked = body.ReturnConsumedCapacity;
  if (asked !== undefined && asked !== 'NONE' && asked !== 'TOTAL' && asked !== 'INDEXES') return undefined;
  const restore = (out: unknown): unknown => {
    if (!isObject(out) || asked === 'INDEXES') return out;
    if (asked === undefined || asked === 'NONE') {
      const { ConsumedCapacity: _drop, ...rest } = out;
      return rest;
    }
    const strip = (c: unknown) => {
      if (!isObject(c)) return c;
      const { Table: _t, GlobalSecondaryIndexes: _g, LocalSecondaryIndexes: _l, ...rest } = c;
      return rest;
    };
    const cc = out.ConsumedCapacity;
    return { ...out, ConsumedCapacity: Array.isArray(cc) ? cc.map(strip) : strip(cc) };
  };
  return { body: { ...body, ReturnConsumedCapacity: 'INDEXES' }, restore };
}

/** ConsumedCapacity entries by table name (single object or list). */
export function consumedByTable(out: unknown): Map<string, Record<string, unknown>> {
  const m = new Map<string, Record<string, unknown>>();
  if (!isObject(out)) return m;
  const cc = out.ConsumedCapacity;
  for (const c of Array.isArray(cc) ? cc : [cc]) if (isObject(c) && typeof c.TableName === 'string') m.set(c.TableName, c);
  return m;
}

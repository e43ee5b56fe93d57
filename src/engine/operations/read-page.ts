/**
 * The page reader shared by Query and Scan: walks ordered entries, stops at Limit or once 1 MB
 * has been read (both counted before the filter, as DynamoDB), then filters, projects, and
 * charges the summed size of what it read (rounded once).
 */
import { queryReadUnits } from '../capacity/unit-rules';
import type { CapacityMeter } from '../capacity/consumed';
import type { EngineCore } from '../engine';
import { EngineError, validation } from '../errors';
import { applyProjection, evaluateCondition, type Condition, type Path, type Projection } from '../expressions';
import type { Cond, Operand } from '../expressions/condition';
import type { Entry } from '../storage/ordered-store';
import type { IndexState, TableState } from '../storage/table';
import type { AttributeValue, Item } from '../types';
import { attributeValueError } from '../values/validate';
import { itemSize } from '../values/size';
import { checkKeySize, flushIndex, pickAttributes } from './common';
import { setRawItems } from './raw-items';

export const PAGE_BYTES = 1024 * 1024;

export interface PageSpec {
  table: TableState;
  index?: IndexState;
  limit?: number;
  filter?: Condition;
  projection?: Projection;
  select: string;
  consistent: boolean;
  meter: CapacityMeter;
}

/** Resolves IndexName with DynamoDB's checks. */
export function resolveIndex(core: EngineCore, table: TableState, data: Record<string, unknown>, op: 'Query' | 'Scan'): IndexState | undefined {
  const name = data.IndexName as string | undefined;
  if (name === undefined) return undefined;
  const index = table.index(name);
  if (!index) throw validation('The table does not have the specified index: ' + name);
  if (index.global && data.ConsistentRead === true) throw validation('Consistent reads are not supported on global secondary indexes');
  if (index.status === 'CREATING' && index.backfilling) {
    throw validation('Cannot read from backfilling global secondary index: ' + name);
  }
  flushIndex(core, index);
  void op;
  return index;
}

export function checkSelectOnIndex(data: Record<string, unknown>, index: IndexState | undefined): void {
  if (index && data.Select === 'ALL_ATTRIBUTES' && index.global && index.projection.ProjectionType !== 'ALL') {
    throw validation('One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index ' + index.name + ' because its projection type is not ALL');
  }
}

/** Every document path a condition reads. */
export function conditionPaths(cond: Condition | undefined): Path[] {
  const out: Path[] = [];
  const operand = (o: Operand): void => {
    if (o.k === 'path') out.push(o.path);
    else if (o.k === 'size') operand(o.arg);
    else if (o.k === 'call') o.args.forEach(operand);
  };
  const walk = (c: Cond): void => {
    switch (c.k) {
      case 'and':
      case 'or':
        walk(c.a);
        walk(c.b);
        break;
      case 'not':
        walk(c.a);
        break;
      case 'cmp':
        operand(c.a);
        operand(c.b);
        break;
      case 'between':
        [c.a, c.lo, c.hi].forEach(operand);
        break;
      case 'in':
        [c.a, ...c.list].forEach(operand);
        break;
      case 'fn':
        c.args.forEach(operand);
        break;
    }
  };
  if (cond) walk(cond.tree);
  return out;
}

/** Key attributes are scalars: a nested path into one is refused (dynalite's validateKeyPaths, verified on DynamoDB). */
export function checkKeyPaths(table: TableState, paths: Path[]): void {
  const nested = new Set(paths.filter((p) => p.length > 1).map((p) => String(p[0])));
  if (!nested.size) return;
  for (const k of table.keyNames) {
    if (nested.has(k)) throw validation("Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: " + k);
  }
  for (const i of table.indexes) {
    for (const k of [i.hash.name, ...(i.range ? [i.range.name] : [])]) {
      if (nested.has(k)) throw validation("Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: IndexKey: " + k);
    }
  }
}

/** Select vs ProjectionExpression vs IndexName (messages captured from DynamoDB by other emulators). */
export function checkSelect(data: Record<string, unknown>, op: 'Query' | 'Scan'): void {
  const select = data.Select as string | undefined;
  const wrap = (m: string) => (op === 'Query' ? '1 validation error detected: ' + m : m);
  if (select !== undefined && select !== 'SPECIFIC_ATTRIBUTES' && data.ProjectionExpression !== undefined) {
    throw validation(wrap('Cannot specify the ProjectionExpression when choosing to get ' + (select === 'COUNT' ? 'only the Count' : select)));
  }
  if (select === 'SPECIFIC_ATTRIBUTES' && data.ProjectionExpression === undefined && data.AttributesToGet === undefined) {
    throw validation(wrap('Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES'));
  }
  if (select === 'ALL_PROJECTED_ATTRIBUTES' && data.IndexName === undefined) {
    throw validation(wrap('ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName'));
  }
}

/** ExclusiveStartKey attribute values (dynalite: some messages get the "starting key" prefix). */
export function checkStartKeyValues(data: Record<string, unknown>): Item | undefined {
  const esk = data.ExclusiveStartKey as Record<string, unknown> | undefined;
  if (!esk) return undefined;
  for (const k of Object.keys(esk)) {
    const msg = attributeValueError(esk[k]);
    if (msg) {
      const plain = /contains duplicates|number set|numeric value|significant digits|number with magnitude/.test(msg);
      throw validation((plain ? '' : 'The provided starting key is invalid: ') + msg);
    }
  }
  return esk as Item;
}

/** Validates ExclusiveStartKey against the table (and index) key schema; returns its position. */
export function startPosition(table: TableState, index: IndexState | undefined, esk: Item, isScan: boolean): { id: string; k: string; t: string; hashValue: string } {
  const names = new Set(table.keyNames);
  if (index) {
    names.add(index.hash.name);
    if (index.range) names.add(index.range.name);
  }
  if (Object.keys(esk).length !== names.size) {
    throw validation(isScan && !index ? 'The provided starting key is invalid: The provided key element does not match the schema' : 'The provided starting key is invalid');
  }
  const check = (def: { name: string; type: string }, isHash: boolean, prefix: string) => {
    const v = esk[def.name] as Record<string, unknown> | undefined;
    if (!v) throw validation('The provided starting key is invalid');
    if (typeof v[def.type] !== 'string') throw validation(prefix + 'The provided key element does not match the schema');
    const s = v[def.type] as string;
    if (s === '' && (def.type === 'S' || def.type === 'B')) {
      throw validation(prefix + 'One or more parameter values were invalid: The AttributeValue for a key attribute cannot contain an empty ' + (def.type === 'S' ? 'string' : 'binary') + ' value. Key: ' + def.name);
    }
    try {
      checkKeySize(s, def.type, isHash);
    } catch (e) {
      if (e instanceof EngineError) throw validation(prefix + e.message);
      throw e;
    }
  };
  if (index) {
    check(index.hash, true, '');
    if (index.range) check(index.range, false, '');
  }
  check(table.hash, true, 'The provided starting key is invalid: ');
  if (table.range) check(table.range, false, 'The provided starting key is invalid: ');
  const tk = table.keyOf(esk);
  if (!index) return { id: tk.id, k: tk.k, t: '', hashValue: tk.hash };
  const e = table.indexEntry(index, esk);
  if (!e) throw validation('The provided starting key is invalid');
  return { id: e.id, k: e.entry.k, t: e.entry.t, hashValue: e.hashValue };
}

export interface PageResult {
  out: Record<string, unknown>;
}

/** Reads entries from the iterator with DynamoDB's page rules and builds the response. */
export function readPage(core: EngineCore, spec: PageSpec, entries: Iterable<Entry>): Record<string, unknown> {
  const { table, index } = spec;
  const scanned: Item[] = [];
  const sizes: number[] = [];
  const tableSizes: number[] = [];
  let bytes = 0;
  // The last entry read, parsed only if the page needs its LastEvaluatedKey.
  let last: Entry | undefined;
  let more = false;
  const fetchFromTable = !!index && !index.global && spec.select === 'ALL_ATTRIBUTES' && index.projection.ProjectionType !== 'ALL';
  // Items returned as stored: kept as their JSON text (see raw-items.ts).
  const asStored = !spec.filter && !spec.projection && !fetchFromTable && spec.select !== 'COUNT';
  const jsons: string[] = [];
  let scannedCount = 0;
  for (const e of entries) {
    if ((spec.limit !== undefined && scannedCount >= spec.limit) || bytes >= PAGE_BYTES) {
      more = true;
      break;
    }
    scannedCount++;
    sizes.push(e.size);
    bytes += e.size;
    last = e;
    if (asStored) {
      jsons.push(e.json);
      continue;
    }
    let item = JSON.parse(e.json) as Item;
    if (fetchFromTable) {
      const full = table.getItem(table.keyOf(item));
      if (full) {
        tableSizes.push(itemSize(full));
        item = full;
      }
    }
    scanned.push(item);
  }
  let items = spec.filter ? scanned.filter((it) => evaluateCondition(spec.filter as Condition, it)) : scanned;
  if (spec.projection) items = items.map((it) => applyProjection(it, spec.projection as Projection));
  const out: Record<string, unknown> = {};
  if (asStored) setRawItems(out, jsons);
  else if (spec.select !== 'COUNT') out.Items = items;
  out.Count = asStored ? jsons.length : items.length;
  out.ScannedCount = scannedCount;
  if ((more || (spec.limit !== undefined && scannedCount >= spec.limit) || bytes >= PAGE_BYTES) && last) {
    const names = [...table.keyNames];
    if (index) for (const n of [index.hash.name, ...(index.range ? [index.range.name] : [])]) if (!names.includes(n)) names.push(n);
    out.LastEvaluatedKey = pickAttributes(JSON.parse(last.json) as Item, names) as Record<string, AttributeValue>;
  }
  const consistency = spec.consistent ? 'strong' : 'eventual';
  if (index) {
    spec.meter.add(table.name, 'read', queryReadUnits(sizes, consistency), { name: index.name, global: index.global });
    if (fetchFromTable) spec.meter.add(table.name, 'read', queryReadUnits(tableSizes, consistency));
  } else spec.meter.add(table.name, 'read', queryReadUnits(sizes, consistency));
  void core;
  return out;
}

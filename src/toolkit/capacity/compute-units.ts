import { isDeepStrictEqual } from 'node:util';
import { queryReadUnits, readUnits, writeUnits, type ReadConsistency } from '../cost/unit-rules';
import { itemSize, type AttributeMap } from './item-size';
import { inIndex, projectToIndex, type TableLayout } from './table-layout';

/** One item a write request touched, with its stored image before and after the request. */
export interface MeasuredWrite {
  action: 'Put' | 'Update' | 'Delete' | 'ConditionCheck';
  table: string;
  /** Stored item before the request (undefined: absent). */
  before?: AttributeMap;
  /** Stored item after the request (undefined: absent). */
  after?: AttributeMap;
}

/** What a read request read, measured: single items (each rounded) or one page (summed, then rounded). */
export interface MeasuredRead {
  kind: 'item' | 'page';
  table: string;
  /** `table` or the GSI name. */
  index: string;
  consistency: ReadConsistency;
  /** Size in bytes of each item (or index entry) read; 0 for a missing item. */
  sizes: number[];
}

/** The stored sizes a request's units depend on, measured outside the request by the recorder. */
export interface MeasuredRequest {
  writes: MeasuredWrite[];
  reads: MeasuredRead[];
}

export interface UnitsByIndex {
  readUnits: number;
  writeUnits: number;
}

export interface ComputedUnits {
  readUnits: number;
  writeUnits: number;
  /** `table` = the base table. */
  byIndex: Record<string, UnitsByIndex>;
}

const keyOf = (item: AttributeMap | undefined, keys: readonly string[]) => keys.map((k) => JSON.stringify(item?.[k] ?? null)).join('|');

/**
 * Units of one request by DynamoDB's rules, from the sizes the recorder measured:
 * - Reads: 4 KB blocks; eventually consistent half, strong 1, transactional 2. Get, BatchGet and
 *   TransactGet round each item; a Query or Scan page sums the items it read before any filter,
 *   then rounds. A missing item still costs one block.
 * - Writes: 1 KB blocks, on the larger of the stored item before and after; transactional 2.
 *   A GSI is written only where the item is (or was) in it (it has the index's key attributes):
 *   a new entry is a put, a removed one a delete, a changed index key a delete and a put, a
 *   changed projected entry one write of the larger entry, an unchanged entry nothing. An index
 *   entry's size counts only the attributes the index projects.
 * - ConditionCheck in TransactWriteItems: the developer guide ("Capacity management for
 *   transactions", https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html)
 *   says DynamoDB "performs two underlying reads or writes of every item in the transaction: one
 *   to prepare the transaction and one to commit the transaction", and that capacity is consumed
 *   even when a transaction does not succeed. A checked item is an item of the transaction and
 *   TransactWriteItems is a write: 2 write units per KB of the checked item, on the table only
 *   (nothing is written to an index).
 * - A failed write (condition failed, transaction cancelled) is charged on the table only, per
 *   item, by the stored item's size: no index entry changes.
 */
export function computeUnits(operation: string, measured: MeasuredRequest, layout: TableLayout, failed = false): ComputedUnits {
  const byIndex: Record<string, UnitsByIndex> = {};
  const add = (index: string, kind: keyof UnitsByIndex, units: number) => {
    if (units <= 0) return;
    const slot = (byIndex[index] ??= { readUnits: 0, writeUnits: 0 });
    slot[kind] += units;
  };
  const transactional = operation === 'TransactWriteItems';
  for (const w of measured.writes) {
    const before = itemSize(w.before);
    const after = itemSize(w.after);
    if (failed || w.action === 'ConditionCheck') {
      add('table', 'writeUnits', writeUnits(before, transactional));
      continue;
    }
    add('table', 'writeUnits', writeUnits(Math.max(before, after), transactional));
    for (const index of layout.indexes) {
      const was = inIndex(w.before, index) ? projectToIndex(w.before as AttributeMap, index, layout.keys) : undefined;
      const is = inIndex(w.after, index) ? projectToIndex(w.after as AttributeMap, index, layout.keys) : undefined;
      let units = 0;
      if (was && !is) units = writeUnits(itemSize(was), transactional);
      else if (!was && is) units = writeUnits(itemSize(is), transactional);
      else if (was && is) {
        if (keyOf(was, index.keys) !== keyOf(is, index.keys)) units = writeUnits(itemSize(was), transactional) + writeUnits(itemSize(is), transactional);
        else if (!isDeepStrictEqual(was, is)) units = writeUnits(Math.max(itemSize(was), itemSize(is)), transactional);
      }
      add(index.name, 'writeUnits', units);
    }
  }
  for (const r of measured.reads) {
    if (r.kind === 'page') add(r.index, 'readUnits', queryReadUnits(r.sizes, r.consistency === 'transactional' ? 'strong' : r.consistency));
    else for (const size of r.sizes) add(r.index, 'readUnits', readUnits(size, r.consistency));
  }
  const total = (kind: keyof UnitsByIndex) => Object.values(byIndex).reduce((a, u) => a + u[kind], 0);
  return { readUnits: total('readUnits'), writeUnits: total('writeUnits'), byIndex };
}

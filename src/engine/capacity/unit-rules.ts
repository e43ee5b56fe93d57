/*
 * Capacity units as DynamoDB charges them (the same formulas DynamoDB Local reports):
 * reads per 4 KB (eventually consistent half, transactional double), writes per 1 KB
 * (transactional double), sizes rounded up, every index an item is written to costs an index
 * write, and an index key change costs a delete and a put.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html
 * Moved here from src/toolkit/cost/unit-rules.ts: this is the one implementation.
 */

export type ReadConsistency = 'eventual' | 'strong' | 'transactional';

const READ_FACTOR: Record<ReadConsistency, number> = { eventual: 0.5, strong: 1, transactional: 2 };
const READ_BLOCK = 4096;
const WRITE_BLOCK = 1024;

function blocks(bytes: number, size: number): number {
  if (!Number.isFinite(bytes) || bytes < 0) throw new RangeError(`item size must be a non-negative number of bytes, got ${bytes}`);
  // A missing or empty item still costs one block.
  return Math.max(1, Math.ceil(bytes / size));
}

/** Units of one GetItem (or one item of a BatchGetItem / TransactGetItems). */
export function readUnits(itemBytes: number, consistency: ReadConsistency = 'eventual'): number {
  return blocks(itemBytes, READ_BLOCK) * READ_FACTOR[consistency];
}

/** Units of one Query or Scan page: the sizes of the items read are summed, then rounded. */
export function queryReadUnits(itemBytes: readonly number[], consistency: Exclude<ReadConsistency, 'transactional'> = 'eventual'): number {
  return blocks(itemBytes.reduce((a, b) => a + b, 0), READ_BLOCK) * READ_FACTOR[consistency];
}

/** Units of writing one item of this size once (Put, Update or Delete). */
export function writeUnits(itemBytes: number, transactional = false): number {
  return blocks(itemBytes, WRITE_BLOCK) * (transactional ? 2 : 1);
}

/** An item's image in the table or in one index, before and after a write (undefined: absent). */
export interface ItemImage {
  /** Size in bytes before the write (in an index: the projected size); undefined when absent. */
  before?: number;
  /** Size in bytes after the write; undefined when the write removes it. */
  after?: number;
  /** For an index: the write changes the index key, so the entry moves (a delete and a put). */
  keyChanged?: boolean;
}

/** Units one write of one item consumes, in the table and in each index it touches. */
export function itemWriteUnits(write: { table: ItemImage; indexes?: Record<string, ItemImage>; transactional?: boolean }): {
  total: number;
  byIndex: Record<string, number>;
} {
  const t = write.transactional ?? false;
  const byIndex: Record<string, number> = {};
  // The table is charged on the larger of the old and new item.
  byIndex.table = writeUnits(Math.max(write.table.before ?? 0, write.table.after ?? 0), t);
  for (const [name, image] of Object.entries(write.indexes ?? {})) {
    const { before, after, keyChanged } = image;
    let units = 0;
    if (before === undefined && after !== undefined) units = writeUnits(after, t);
    else if (before !== undefined && after === undefined) units = writeUnits(before, t);
    else if (before !== undefined && after !== undefined) {
      units = keyChanged ? writeUnits(before, t) + writeUnits(after, t) : writeUnits(Math.max(before, after), t);
    }
    if (units > 0) byIndex[name] = units;
  }
  return { total: Object.values(byIndex).reduce((a, b) => a + b, 0), byIndex };
}

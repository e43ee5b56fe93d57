import { capacityByIndex } from '../capacity/measure-capacity';
import { UnknownPatternError } from '../cost/cost-model';
import type { PatternMeasurement } from '../measurement/measure-patterns';

/** DynamoDB's per-partition throughput limits. */
export const PARTITION_LIMITS = { readUnitsPerSecond: 3000, writeUnitsPerSecond: 1000 } as const;

export interface IndexKeyFields {
  /** `table` or the GSI name. */
  index: string;
  partitionKey: string;
  /** The table's own key fields, to find an item by its primary key. */
}

export interface PartitionLoad {
  index: string;
  partition: string;
  items: number;
  itemShare: number;
  readUnitsPerSecond: number;
  writeUnitsPerSecond: number;
  readShare: number;
  writeShare: number;
  /** max(read / 3,000, write / 1,000): above 1 the partition would throttle. */
  utilization: number;
  hot: boolean;
}

export interface PartitionReport {
  partitions: PartitionLoad[];
  hot: PartitionLoad[];
}

type Item = Record<string, unknown>;
export const UNKNOWN_PARTITION = '(item no longer stored)';

/**
 * Where the load lands: each partition key value's share of items, and of read and write units
 * per second under a traffic profile (requests per second per pattern), from pattern calls
 * recorded on a seeded table. A call's units on an index are split over the partitions it
 * addressed there; an index write the request does not name (an update of an attribute projected
 * into a GSI) goes to the item's current partition in that index, looked up in `items`.
 * Generic: any table's items, any index layout, any measured patterns.
 */
export function analyzePartitions(input: {
  /** Every item of the table (a snapshot after the measured calls). */
  items: readonly Item[];
  indexes: readonly IndexKeyFields[];
  tableKeyFields: readonly string[];
  measurements: readonly PatternMeasurement[];
  /** Requests per second per pattern (use the peak rate to find throttling). */
  requestsPerSecond: Readonly<Record<string, number>>;
  limits?: { readUnitsPerSecond: number; writeUnitsPerSecond: number };
}): PartitionReport {
  const limits = input.limits ?? PARTITION_LIMITS;
  // A misspelt pattern would carry no load and hide the partition it heats: refuse it.
  const measured = new Set(input.measurements.map((m) => m.pattern));
  for (const pattern of Object.keys(input.requestsPerSecond)) {
    if (!measured.has(pattern)) throw new UnknownPatternError(pattern);
  }
  const fieldOf = new Map(input.indexes.map((i) => [i.index, i.partitionKey]));
  const itemByKey = new Map(input.items.map((item) => [input.tableKeyFields.map((f) => String(item[f])).join('\u0000'), item]));
  const loads = new Map<string, { index: string; partition: string; items: number; read: number; write: number }>();
  const slot = (index: string, partition: string) => {
    const key = `${index}\u0000${partition}`;
    let s = loads.get(key);
    if (!s) loads.set(key, (s = { index, partition, items: 0, read: 0, write: 0 }));
    return s;
  };
  for (const item of input.items) {
    for (const { index, partitionKey } of input.indexes) {
      const value = item[partitionKey];
      if (typeof value === 'string') slot(index, value).items += 1;
    }
  }
  for (const m of input.measurements) {
    const rate = input.requestsPerSecond[m.pattern] ?? 0;
    if (rate <= 0 || m.calls.length === 0) continue;
    const perCall = rate / m.calls.length;
    for (const call of m.calls) {
      for (const r of call.requests) {
        for (const [index, units] of Object.entries(capacityByIndex(r))) {
          const field = fieldOf.get(index);
          if (!field) continue;
          let partitions = r.partitions.filter((p) => p.field === field).map((p) => p.value);
          if (partitions.length === 0) {
            partitions = r.itemKeys.map((k) => {
              const stored = itemByKey.get(input.tableKeyFields.map((f) => k[f]).join('\u0000'));
              const value = stored?.[field];
              return typeof value === 'string' ? value : UNKNOWN_PARTITION;
            });
          }
          if (partitions.length === 0) partitions = [UNKNOWN_PARTITION];
          for (const p of partitions) {
            const s = slot(index, p);
            s.read += (units.readUnits * perCall) / partitions.length;
            s.write += (units.writeUnits * perCall) / partitions.length;
          }
        }
      }
    }
  }
  const totals = new Map<string, { items: number; read: number; write: number }>();
  for (const s of loads.values()) {
    const t = totals.get(s.index) ?? { items: 0, read: 0, write: 0 };
    totals.set(s.index, { items: t.items + s.items, read: t.read + s.read, write: t.write + s.write });
  }
  const share = (part: number, whole: number) => (whole > 0 ? part / whole : 0);
  const partitions = [...loads.values()]
    .map((s): PartitionLoad => {
      const t = totals.get(s.index) ?? { items: 0, read: 0, write: 0 };
      const utilization = Math.max(s.read / limits.readUnitsPerSecond, s.write / limits.writeUnitsPerSecond);
      return {
        index: s.index,
        partition: s.partition,
        items: s.items,
        itemShare: share(s.items, t.items),
        readUnitsPerSecond: s.read,
        writeUnitsPerSecond: s.write,
        readShare: share(s.read, t.read),
        writeShare: share(s.write, t.write),
        utilization,
        hot: utilization > 1,
      };
    })
    .sort((a, b) => b.utilization - a.utilization || b.items - a.items);
  return { partitions, hot: partitions.filter((p) => p.hot) };
}

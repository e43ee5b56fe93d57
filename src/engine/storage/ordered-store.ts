/**
 * An ordered store: a Map from the partition key's canonical string to a partition whose entries
 * stay sorted by their sort key (binary search insert/lookup), so a Query touches one partition
 * and a log-time slice of it whatever the table's size. Items are kept as JSON strings (parsed
 * on read): about 1 byte per character of the wire form instead of several per V8 object field.
 * Partitions are also kept, lazily sorted, in dynalite's scan order (see keys.ts).
 */
import { compareCodePoints } from './keys';

export interface Entry {
  /** Sortable sort-key string ('' without a sort key). */
  k: string;
  /** Tie-break within an index (dynalite's hash of the table key, then the table key); '' in a table. */
  t: string;
  /** The stored item (or projected index entry) as JSON. */
  json: string;
  /** Its size by DynamoDB's rules. */
  size: number;
}

export interface Partition {
  /** Canonical partition key. */
  id: string;
  /** dynalite's 6-hex-digit hash prefix. */
  prefix: string;
  /** Sortable partition key string. */
  sortKey: string;
  /** Bucket 0..4095 for parallel scan segments (first 3 hex digits of the prefix). */
  bucket: number;
  entries: Entry[];
}

export function compareEntry(a: { k: string; t: string }, b: { k: string; t: string }): number {
  const c = compareCodePoints(a.k, b.k);
  if (c !== 0) return c;
  return a.t === b.t ? 0 : a.t < b.t ? -1 : 1;
}

export function comparePartition(a: { prefix: string; sortKey: string }, b: { prefix: string; sortKey: string }): number {
  if (a.prefix !== b.prefix) return a.prefix < b.prefix ? -1 : 1;
  return compareCodePoints(a.sortKey, b.sortKey);
}

/** First index i with !before(entries[i]) (entries partitioned by the predicate). */
export function lowerIndex<T>(arr: readonly T[], before: (e: T) => boolean, lo = 0, hi = arr.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(arr[mid] as T)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class OrderedStore {
  readonly partitions = new Map<string, Partition>();
  private sorted: Partition[] | null = [];
  itemCount = 0;
  bytes = 0;

  partition(id: string): Partition | undefined {
    return this.partitions.get(id);
  }

  get(id: string, k: string, t = ''): Entry | undefined {
    const p = this.partitions.get(id);
    if (!p) return undefined;
    const probe = { k, t };
    const i = lowerIndex(p.entries, (e) => compareEntry(e, probe) < 0);
    const e = p.entries[i];
    return e && e.k === k && e.t === t ? e : undefined;
  }

  /** Inserts or replaces; returns the replaced entry. */
  put(id: string, make: () => Omit<Partition, 'entries'>, entry: Entry): Entry | undefined {
    let p = this.partitions.get(id);
    if (!p) {
      p = { ...make(), entries: [] };
      this.partitions.set(id, p);
      this.sorted = null;
    }
    const i = lowerIndex(p.entries, (e) => compareEntry(e, entry) < 0);
    const old = p.entries[i];
    if (old && old.k === entry.k && old.t === entry.t) {
      p.entries[i] = entry;
      this.bytes += entry.size - old.size;
      return old;
    }
    p.entries.splice(i, 0, entry);
    this.itemCount++;
    this.bytes += entry.size;
    return undefined;
  }

  delete(id: string, k: string, t = ''): Entry | undefined {
    const p = this.partitions.get(id);
    if (!p) return undefined;
    const probe = { k, t };
    const i = lowerIndex(p.entries, (e) => compareEntry(e, probe) < 0);
    const old = p.entries[i];
    if (!old || old.k !== k || old.t !== t) return undefined;
    p.entries.splice(i, 1);
    this.itemCount--;
    this.bytes -= old.size;
    if (p.entries.length === 0) {
      this.partitions.delete(id);
      this.sorted = null;
    }
    return old;
  }

  /** Partitions in scan order (sorted again only after partitions were added or removed). */
  scanOrder(): Partition[] {
    if (!this.sorted) this.sorted = [...this.partitions.values()].sort(comparePartition);
    return this.sorted;
  }

  clear(): void {
    this.partitions.clear();
    this.sorted = [];
    this.itemCount = 0;
    this.bytes = 0;
  }
}

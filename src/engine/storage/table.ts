/**
 * One table's state: its definition (as DescribeTable reports it), its ordered item store, and
 * one ordered store per secondary index holding projected entries.
 */
import type { AttributeDefinition, AttributeValue, Item, KeySchemaElement, ScalarAttributeType } from '../types';
import { itemSize } from '../values/size';
import { canonical, hashPrefix, scalarOf, sortable } from './keys';
import { OrderedStore, type Entry, type Partition } from './ordered-store';

export interface KeyDef {
  name: string;
  type: ScalarAttributeType;
}

export interface ProjectionDef {
  ProjectionType: 'ALL' | 'KEYS_ONLY' | 'INCLUDE';
  NonKeyAttributes?: string[];
}

export interface ThroughputState {
  ReadCapacityUnits: number;
  WriteCapacityUnits: number;
  LastIncreaseDateTime?: number;
  LastDecreaseDateTime?: number;
  NumberOfDecreasesToday: number;
}

interface PendingIndexWrite {
  dueAt: number;
  dueOp: number;
  apply: () => void;
}

export interface IndexState {
  name: string;
  global: boolean;
  hash: KeyDef;
  range?: KeyDef;
  keySchema: KeySchemaElement[];
  projection: ProjectionDef;
  store: OrderedStore;
  status: 'CREATING' | 'ACTIVE' | 'UPDATING' | 'DELETING';
  backfilling: boolean;
  /** Engine-clock time at which a CREATING index becomes ACTIVE. */
  activeAt?: number;
  throughput?: ThroughputState;
  warmThroughput?: undefined;
  arn: string;
  pending: PendingIndexWrite[];
}

export interface StreamState {
  enabled: boolean;
  viewType?: string;
  label?: string;
  arn?: string;
}

export interface TableKey {
  /** Canonical partition key. */
  id: string;
  /** Sortable sort key ('' without one). */
  k: string;
  hash: string;
  range?: string;
}

/**
 * The version an item had before its last write (json undefined: there was no item), kept with
 * its position (partition id, hash value, sort key) so a stale Query/Scan can place a deleted item.
 */
export interface RecentVersion {
  json: string | undefined;
  size: number;
  at: number;
  id: string;
  hash: string;
  k: string;
}

export class TableState {
  readonly store = new OrderedStore();
  status: 'CREATING' | 'ACTIVE' | 'UPDATING' | 'DELETING' = 'ACTIVE';
  activeAt?: number;
  billingMode: 'PROVISIONED' | 'PAY_PER_REQUEST' = 'PROVISIONED';
  lastPayPerRequestAt?: number;
  throughput: ThroughputState = { ReadCapacityUnits: 0, WriteCapacityUnits: 0, NumberOfDecreasesToday: 0 };
  stream: StreamState = { enabled: false };
  /** Every stream this table has had (ARNs stay describable after a stream is disabled). */
  tags = new Map<string, string>();
  ttl: { attribute?: string; status: 'ENABLED' | 'DISABLED' | 'ENABLING' | 'DISABLING' } = { status: 'DISABLED' };
  indexes: IndexState[] = [];
  deletionProtection = false;
  tableClass?: string;
  /** Previous versions of recently written items, for the stale-read fault. */
  readonly recent = new Map<string, RecentVersion>();

  constructor(
    readonly name: string,
    readonly arn: string,
    readonly id: string,
    readonly createdAt: number,
    readonly hash: KeyDef,
    readonly range: KeyDef | undefined,
    public attributeDefinitions: AttributeDefinition[],
    readonly keySchema: KeySchemaElement[],
  ) {}

  get keyNames(): string[] {
    return this.range ? [this.hash.name, this.range.name] : [this.hash.name];
  }

  index(name: string): IndexState | undefined {
    return this.indexes.find((i) => i.name === name);
  }

  /** The key of an item whose key attributes were validated. */
  keyOf(item: Item): TableKey {
    const hash = scalarOf(item[this.hash.name], this.hash.type) as string;
    const range = this.range ? (scalarOf(item[this.range.name], this.range.type) as string) : undefined;
    return {
      id: canonical(hash, this.hash.type),
      k: this.range && range !== undefined ? sortable(range, this.range.type) : '',
      hash,
      ...(range !== undefined ? { range } : {}),
    };
  }

  keyItem(item: Item): Item {
    const out: Item = {};
    for (const n of this.keyNames) out[n] = item[n] as AttributeValue;
    return out;
  }

  partitionMaker(def: KeyDef, value: string): () => Omit<Partition, 'entries'> {
    return () => {
      const prefix = hashPrefix(value, def.type);
      return { id: canonical(value, def.type), prefix, sortKey: sortable(value, def.type), bucket: parseInt(prefix.slice(0, 3), 16) };
    };
  }

  getEntry(key: TableKey): Entry | undefined {
    return this.store.get(key.id, key.k);
  }

  getItem(key: TableKey): Item | undefined {
    const e = this.store.get(key.id, key.k);
    return e ? (JSON.parse(e.json) as Item) : undefined;
  }

  /** The entry an item has in an index, or undefined when the item lacks the index's key attributes. */
  indexEntry(index: IndexState, item: Item | undefined): { id: string; hashValue: string; entry: Entry; projected: Item } | undefined {
    if (!item) return undefined;
    const h = scalarOf(item[index.hash.name], index.hash.type);
    if (h === undefined) return undefined;
    let r: string | undefined;
    if (index.range) {
      r = scalarOf(item[index.range.name], index.range.type);
      if (r === undefined) return undefined;
    }
    const projected = this.project(index, item);
    const tk = this.keyOf(item);
    const t =
      hashPrefix(tk.hash, this.hash.type, tk.range, this.range?.type) + '/' + sortable(tk.hash, this.hash.type) + '/' + (this.range && tk.range !== undefined ? sortable(tk.range, this.range.type) : '');
    const json = JSON.stringify(projected);
    return {
      id: canonical(h, index.hash.type),
      hashValue: h,
      entry: { k: index.range && r !== undefined ? sortable(r, index.range.type) : '', t, json, size: itemSize(projected) },
      projected,
    };
  }

  project(index: IndexState, item: Item): Item {
    if (index.projection.ProjectionType === 'ALL') return item;
    const out: Item = {};
    const names = new Set([...this.keyNames, index.hash.name, ...(index.range ? [index.range.name] : [])]);
    if (index.projection.ProjectionType === 'INCLUDE') for (const n of index.projection.NonKeyAttributes ?? []) names.add(n);
    for (const n of names) if (Object.prototype.hasOwnProperty.call(item, n)) out[n] = item[n] as AttributeValue;
    return out;
  }

  /** Attributes an index projects (undefined: all). */
  projectedNames(index: IndexState): Set<string> | undefined {
    if (index.projection.ProjectionType === 'ALL') return undefined;
    const names = new Set([...this.keyNames, index.hash.name, ...(index.range ? [index.range.name] : [])]);
    if (index.projection.ProjectionType === 'INCLUDE') for (const n of index.projection.NonKeyAttributes ?? []) names.add(n);
    return names;
  }

  get itemCount(): number {
    return this.store.itemCount;
  }
}

export { type Entry, type Partition, OrderedStore };

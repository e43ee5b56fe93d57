import type { Analysis } from '../analysis/run-analysis';
import { capacityOf } from '../capacity/measure-capacity';
import { estimateCost, type PatternCost } from '../cost/cost-model';
import type { PriceTable } from '../cost/prices';
import { peakRates, type TrafficProfile } from '../cost/traffic-profile';
import { analyzePartitions, PARTITION_LIMITS, type PartitionLoad } from '../hot-partitions/analyze-partitions';
import { modelTable, type Model } from '../model/define-model';
import type { RecordedRequest } from '../recorder/request-recorder';

/** What the page of a model is made from: the model, one run of it, and optionally a traffic profile. */
export interface ModelViewInput {
  model: Model;
  /** What `runAnalysis(model, …)` returned: the recorded calls and the table after them. */
  analysis: Analysis;
  /** With a profile: monthly cost per pattern and partition loads (at each pattern's peak rate). */
  profile?: TrafficProfile;
  prices?: PriceTable;
  /** Attribute that names an item's entity; default ElectroDB's `__edb_e__`. */
  entityAttribute?: string;
  /** Rows per page of the item grid; default 100. */
  pageSize?: number;
}

/** One index as the page shows it: `table` or a GSI, its key attributes and projection. */
export interface ViewFacet {
  name: string;
  partitionKey: string;
  sortKey: string | undefined;
  projection: 'ALL' | 'KEYS_ONLY' | 'INCLUDE';
  /** Attributes the facet shows besides its keys and the table keys (INCLUDE's list); all for ALL. */
  includes: string[] | null;
  /** Indexes into `items` of the items in this index (a sparse GSI holds fewer), by partition then sort key. */
  rows: number[];
  /**
   * Load per partition key value under the profile (only partitions with load), as [value, load]
   * pairs: a value is data (`constructor`, `__proto__`), never an object's key.
   */
  loads: [string, { utilization: number; readUnitsPerSecond: number; writeUnitsPerSecond: number; hot: boolean }][];
}

export interface ViewRequest {
  operation: string;
  index: string;
  keyCondition: string | undefined;
  filter: string | undefined;
  partitions: string[];
  readUnits: number;
  writeUnits: number;
  itemCount: number | undefined;
  error: string | undefined;
  /** Items (indexes into `items`) the request returned, and those it wrote. */
  read: number[];
  written: number[];
  /** Keys it read or wrote that are not in the table after the run (deleted since). */
  gone: number;
}

export interface ViewPattern {
  name: string;
  kind: 'read' | 'write';
  description: string;
  entities: string[];
  declared: { operation: string; index: string; key: string; purpose: string | undefined }[];
  readUnitsPerCall: number;
  writeUnitsPerCall: number;
  calls: { requests: ViewRequest[] }[];
  cost: { requestsPerSecond: number; peakRequestsPerSecond: number; onDemand: number; provisioned: number; share: number } | null;
  /** The partition under the most load (whole profile) among those this pattern sends load to. */
  hottest: { index: string; partition: string; utilization: number; hot: boolean; readShare: number; writeShare: number } | null;
}

export interface ModelViewData {
  model: string;
  entityAttribute: string;
  tableKeyFields: string[];
  entities: string[];
  /** Every item after the run, values made JSON-safe (sets as arrays, binary as a note). */
  items: { key: Record<string, string>; entity: number; attributes: Record<string, unknown> }[];
  facets: ViewFacet[];
  patterns: ViewPattern[];
  profile: { description: string | undefined; hot: { index: string; partition: string; utilization: number }[]; limits: typeof PARTITION_LIMITS } | null;
  pageSize: number;
}

/** DynamoDB orders string keys by their UTF-8 bytes, not by UTF-16 code units as `<` does. */
function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function plain(value: unknown): unknown {
  if (value instanceof Set) return [...value].map(plain);
  if (value instanceof Uint8Array) return `(binary, ${value.byteLength} bytes)`;
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

const WRITE = /^(Put|Update|Delete)Item$|^BatchWriteItem$|^TransactWriteItems$/;

/**
 * The data behind the page, computed once in Node: facets with their rows already in DynamoDB's
 * order, each recorded request resolved to the items it read and wrote, cost and loads.
 */
export function buildModelViewData(input: ModelViewInput): ModelViewData {
  const { model, analysis } = input;
  const entityAttribute = input.entityAttribute ?? '__edb_e__';
  const definition = modelTable(model, 'view');
  const keyFields = analysis.tableKeyFields;
  const keyOf = (k: Record<string, unknown>) => keyFields.map((f) => String(k[f])).join('\u0000');

  const entities = model.entities.map((e) => e.schema.model.entity);
  const entityIndex = (name: unknown) => {
    const n = typeof name === 'string' ? name : '(no entity)';
    let i = entities.indexOf(n);
    if (i < 0) i = entities.push(n) - 1;
    return i;
  };
  const items = analysis.items.map((item) => ({
    key: Object.fromEntries(keyFields.map((f) => [f, String(item[f])])),
    entity: entityIndex(item[entityAttribute]),
    attributes: plain(item) as Record<string, unknown>,
  }));
  const byKey = new Map(analysis.items.map((item, i) => [keyOf(item), i]));

  // Partition loads under the whole profile, and under each pattern alone (its share of a partition).
  const rates = input.profile ? peakRates(input.profile) : null;
  const partitionsFor = (requestsPerSecond: Record<string, number>) => analyzePartitions({ ...analysis, requestsPerSecond }).partitions;
  const loads = rates ? partitionsFor(rates) : [];
  const loadKey = (p: Pick<PartitionLoad, 'index' | 'partition'>) => `${p.index}\u0000${p.partition}`;
  const loadByKey = new Map(loads.map((p) => [loadKey(p), p]));

  const hash = (schema: { AttributeName?: string; KeyType?: string }[] | undefined, type: string) => schema?.find((k) => k.KeyType === type)?.AttributeName;
  const indexDefs = [
    { name: 'table', schema: definition.input.KeySchema, projection: undefined },
    ...(definition.input.GlobalSecondaryIndexes ?? []).map((g) => ({ name: g.IndexName ?? '', schema: g.KeySchema, projection: g.Projection })),
  ];
  const facets: ViewFacet[] = indexDefs.map(({ name, schema, projection }) => {
    const partitionKey = hash(schema, 'HASH') ?? '';
    const sortKey = hash(schema, 'RANGE');
    // A GSI holds only the items that carry its key attributes (a sparse index holds fewer).
    const rows = analysis.items.map((_, i) => i).filter((i) => {
      const item = analysis.items[i] as Record<string, unknown>;
      return typeof item[partitionKey] === 'string' && (sortKey === undefined || typeof item[sortKey] === 'string');
    });
    const str = (i: number, f: string | undefined) => (f === undefined ? '' : String((analysis.items[i] as Record<string, unknown>)[f]));
    rows.sort((a, b) => compareBytes(str(a, partitionKey), str(b, partitionKey)) || compareBytes(str(a, sortKey), str(b, sortKey)));
    const type = (projection?.ProjectionType ?? 'ALL') as ViewFacet['projection'];
    const facetLoads: ViewFacet['loads'] = [];
    for (const p of loads) {
      if (p.index !== name || (p.readUnitsPerSecond === 0 && p.writeUnitsPerSecond === 0)) continue;
      facetLoads.push([p.partition, { utilization: p.utilization, readUnitsPerSecond: p.readUnitsPerSecond, writeUnitsPerSecond: p.writeUnitsPerSecond, hot: p.hot }]);
    }
    return {
      name,
      partitionKey,
      sortKey,
      projection: type,
      includes: type === 'ALL' ? null : type === 'INCLUDE' ? [...(projection?.NonKeyAttributes ?? [])] : [],
      rows,
      loads: facetLoads,
    };
  });

  const costs = new Map<string, PatternCost>();
  if (input.profile) {
    const units = analysis.measurements.map((m) => capacityOf(m, model.catalog.find((p) => p.name === m.pattern)?.kind ?? 'read'));
    for (const row of estimateCost(input.profile, units, { prices: input.prices }).patterns) costs.set(row.pattern, row);
  }

  const resolve = (keys: readonly Record<string, string>[] | undefined, gone: { n: number }) => {
    const out: number[] = [];
    for (const k of keys ?? []) {
      const i = byKey.get(keyOf(k));
      if (i === undefined) gone.n += 1;
      else out.push(i);
    }
    return [...new Set(out)];
  };
  const viewRequest = (r: RecordedRequest): ViewRequest => {
    const gone = { n: 0 };
    const write = WRITE.test(r.operation);
    return {
      operation: r.operation,
      index: r.index ?? 'table',
      keyCondition: r.keyCondition,
      filter: r.filter,
      partitions: r.partitions.map((p) => `${p.field} = ${p.value}`),
      readUnits: r.readUnits,
      writeUnits: r.writeUnits,
      itemCount: r.itemCount,
      error: r.error,
      // A read is the items it returned; a write the items it addressed.
      read: write ? [] : resolve(r.returnedKeys, gone),
      written: write ? resolve(r.itemKeys, gone) : [],
      gone: gone.n,
    };
  };

  const patterns: ViewPattern[] = model.catalog.map((declaration) => {
    const measurement = analysis.measurements.find((m) => m.pattern === declaration.name);
    const capacity = measurement ? capacityOf(measurement, declaration.kind) : undefined;
    const cost = costs.get(declaration.name);
    let hottest: ViewPattern['hottest'] = null;
    if (rates && measurement && (rates[declaration.name] ?? 0) > 0) {
      for (const own of partitionsFor({ [declaration.name]: rates[declaration.name] as number })) {
        if (own.readUnitsPerSecond === 0 && own.writeUnitsPerSecond === 0) continue;
        const whole = loadByKey.get(loadKey(own));
        if (!whole || (hottest && hottest.utilization >= whole.utilization)) continue;
        hottest = {
          index: own.index,
          partition: own.partition,
          utilization: whole.utilization,
          hot: whole.hot,
          readShare: own.readUnitsPerSecond / PARTITION_LIMITS.readUnitsPerSecond,
          writeShare: own.writeUnitsPerSecond / PARTITION_LIMITS.writeUnitsPerSecond,
        };
      }
    }
    return {
      name: declaration.name,
      kind: declaration.kind,
      description: declaration.description,
      entities: [...declaration.entities],
      declared: [...declaration.requests, ...(declaration.alternatives ?? []).flatMap((a) => a.requests)].map((r) => ({ operation: r.operation, index: r.index, key: r.key, purpose: r.purpose })),
      readUnitsPerCall: capacity?.readUnitsPerCall ?? 0,
      writeUnitsPerCall: capacity?.writeUnitsPerCall ?? 0,
      calls: (measurement?.calls ?? []).map((c) => ({ requests: c.requests.map(viewRequest) })),
      cost: cost
        ? { requestsPerSecond: cost.requestsPerSecond, peakRequestsPerSecond: cost.peakRequestsPerSecond, onDemand: cost.monthly.onDemand, provisioned: cost.monthly.provisioned, share: cost.share }
        : null,
      hottest,
    };
  });

  return {
    model: model.name,
    entityAttribute,
    tableKeyFields: [...keyFields],
    entities,
    items,
    facets,
    patterns,
    profile: input.profile
      ? { description: input.profile.description, hot: loads.filter((p) => p.hot).map((p) => ({ index: p.index, partition: p.partition, utilization: p.utilization })), limits: PARTITION_LIMITS }
      : null,
    pageSize: input.pageSize ?? 100,
  };
}

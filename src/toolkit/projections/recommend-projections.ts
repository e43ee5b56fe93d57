import { convertToAttr } from '@aws-sdk/util-dynamodb';
import type { Analysis } from '../analysis/run-analysis';
import { capacityOf } from '../capacity/measure-capacity';
import { computeUnits } from '../capacity/compute-units';
import { itemSize, type AttributeMap } from '../capacity/item-size';
import { inIndex, projectToIndex, type TableLayout } from '../capacity/table-layout';
import type { Catalog } from '../catalog/types';
import { estimateCost, type PatternUnits } from '../cost/cost-model';
import { US_EAST_1_STANDARD, type PriceTable } from '../cost/prices';
import type { TrafficProfile } from '../cost/traffic-profile';
import type { EntityIndexSource, IndexProjection } from '../table/derive-table-definition';

/** ElectroDB's entity and version identifiers: a query needs them on the index to parse items (and its collection filters test them). */
export const ELECTRODB_IDENTIFIERS = ['__edb_e__', '__edb_v__'] as const;

export interface ProjectionRecommendation {
  index: string;
  current: IndexProjection;
  /** Patterns whose requests read this index. */
  patterns: string[];
  /** Non-key attributes (stored names) those patterns' results and filters use. */
  attributesRead: string[];
  /** Non-key attributes the index's items carry. */
  attributesStored: string[];
  /** The cheapest projection that carries every attribute read. */
  recommended: IndexProjection;
  /** Monthly savings under the profile if the index projected `recommended` instead of `current`. */
  monthly: { writeOnDemand: number; writeProvisioned: number; storage: number };
}

export interface ProjectionReport {
  recommendations: ProjectionRecommendation[];
  /** The projections to put in the model's `table.projections` (only indexes where it pays). */
  projections: Record<string, IndexProjection>;
  notes: string[];
}

const KEYWORDS = new Set(['and', 'or', 'not', 'between', 'in', 'attribute_exists', 'attribute_not_exists', 'attribute_type', 'begins_with', 'contains', 'size']);
/** Attribute names a resolved filter expression tests. */
export function filterAttributes(filter: string | undefined): string[] {
  if (!filter) return [];
  return [...new Set([...filter.matchAll(/(?<![:\w])([A-Za-z_][\w]*)/g)].map((m) => m[1] as string).filter((w) => !KEYWORDS.has(w.toLowerCase())))];
}

/** Attribute name → stored field name, from the ElectroDB entities' schemas (`field` renames). */
function fieldNames(entities: readonly EntityIndexSource[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of entities) {
    const attributes = (e.schema as { attributes?: Record<string, { field?: string } | string> }).attributes ?? {};
    for (const [name, def] of Object.entries(attributes)) out.set(name, typeof def === 'object' && def.field ? def.field : name);
  }
  return out;
}

const toMap = (item: Record<string, unknown>): AttributeMap =>
  Object.fromEntries(Object.entries(item).filter(([, v]) => v !== undefined).map(([k, v]) => [k, convertToAttr(v, { removeUndefinedValues: true })]));
const withProjection = (layout: TableLayout, index: string, projection: IndexProjection): TableLayout => ({
  ...layout,
  indexes: layout.indexes.map((i) => (i.name === index ? { ...i, projection } : i)),
});
const GB = 2 ** 30;

/**
 * For each GSI: which attributes the patterns that read it actually use (the attributes of the
 * items their calls returned, mapped to stored names, plus attributes their filters test, plus
 * ElectroDB's identifiers when the items carry them), the cheapest projection carrying them, and
 * what it saves a month under a traffic profile: index writes recomputed from the recorded item
 * images with the narrower projection, and index storage from the table snapshot scaled to the
 * profile's item counts. Read savings (smaller index entries read) are not counted. Generic: any
 * model's analysis.
 */
export function recommendProjections(input: {
  analysis: Analysis;
  entities: readonly EntityIndexSource[];
  catalog: Catalog;
  profile?: TrafficProfile;
  prices?: PriceTable;
  targetUtilization?: number;
  /** A narrower projection "pays" when it saves at least this much a month in both modes. Default $1. */
  minMonthlySavings?: number;
}): ProjectionReport {
  const { analysis } = input;
  const layout = analysis.layout;
  const prices = input.prices ?? US_EAST_1_STANDARD;
  const fields = fieldNames(input.entities);
  const kindOf = (pattern: string) => input.catalog.find((p) => p.name === pattern)?.kind ?? 'read';
  const notes: string[] = [];
  const unitsWith = (l: TableLayout): PatternUnits[] =>
    analysis.measurements.map((m) => {
      const base = capacityOf(m, kindOf(m.pattern));
      const calls = m.calls.length || 1;
      let written = 0;
      for (const c of m.calls) for (const r of c.requests) written += r.measured ? computeUnits(r.operation, r.measured, l, r.error !== undefined).writeUnits : r.writeUnits;
      return { pattern: m.pattern, readUnitsPerCall: base.readUnitsPerCall, writeUnitsPerCall: written / calls };
    });
  const profile = input.profile;
  const costOf = (l: TableLayout) => (profile ? estimateCost({ ...profile, patterns: Object.fromEntries(Object.entries(profile.patterns).map(([k, v]) => [k, { ...v, readUnitsPerCall: undefined, writeUnitsPerCall: undefined }])) }, unitsWith(l), { prices, targetUtilization: input.targetUtilization }).totals : undefined);
  const baseline = costOf(layout);
  if (!profile) notes.push('No profile: savings are 0; give --profile to price them.');
  notes.push('Attributes read are those seen in the measured calls\' results: an optional attribute the seed never sets is not seen. Run your pattern tests on the narrower projection before adopting it.');

  const stored = analysis.items.map(toMap);
  const entityOf = (item: AttributeMap) => item.__edb_e__?.S ?? '(unknown entity)';
  const snapshotCount = new Map<string, number>();
  for (const item of stored) snapshotCount.set(entityOf(item), (snapshotCount.get(entityOf(item)) ?? 0) + 1);
  const scale = (entity: string) => {
    const profiled = profile?.storage?.items?.[entity]?.count;
    return profiled === undefined ? 1 : profiled / (snapshotCount.get(entity) ?? 1);
  };

  const recommendations = layout.indexes.map((index): ProjectionRecommendation => {
    const keys = new Set([...layout.keys, ...index.keys]);
    const inThis = stored.filter((item) => inIndex(item, index));
    const attributesStored = [...new Set(inThis.flatMap((i) => Object.keys(i)))].filter((a) => !keys.has(a)).sort();
    const patterns = new Set<string>();
    const read = new Set<string>();
    for (const m of analysis.measurements) {
      for (const call of m.calls) {
        const onIndex = call.requests.filter((r) => r.index === index.name);
        if (onIndex.length === 0) continue;
        patterns.add(m.pattern);
        for (const a of call.resultAttributes ?? []) read.add(fields.get(a) ?? a);
        for (const r of onIndex) for (const a of filterAttributes(r.filter)) read.add(a);
      }
    }
    for (const id of ELECTRODB_IDENTIFIERS) if (patterns.size && attributesStored.includes(id)) read.add(id);
    const attributesRead = attributesStored.filter((a) => read.has(a));
    const recommended: IndexProjection =
      attributesRead.length === 0 ? { type: 'KEYS_ONLY' } : attributesRead.length === attributesStored.length ? { type: 'ALL' } : { type: 'INCLUDE', attributes: attributesRead };
    const candidate = withProjection(layout, index.name, recommended);
    const after = costOf(candidate);
    let storageBytes = 0;
    for (const item of inThis) {
      const now = itemSize(projectToIndex(item, index, layout.keys));
      const then = itemSize(projectToIndex(item, candidate.indexes.find((i) => i.name === index.name) ?? index, layout.keys));
      storageBytes += (now - then) * scale(entityOf(item));
    }
    return {
      index: index.name,
      current: index.projection,
      patterns: [...patterns].sort(),
      attributesRead,
      attributesStored,
      recommended,
      monthly: {
        writeOnDemand: baseline && after ? baseline.onDemand - after.onDemand : 0,
        writeProvisioned: baseline && after ? baseline.provisioned - after.provisioned : 0,
        storage: (storageBytes / GB) * prices.storageGbMonth,
      },
    };
  });
  const floor = input.minMonthlySavings ?? 1;
  const pays = (r: ProjectionRecommendation) =>
    JSON.stringify(r.recommended) !== JSON.stringify(r.current) && r.monthly.writeOnDemand + r.monthly.storage >= floor && r.monthly.writeProvisioned + r.monthly.storage >= floor;
  return { recommendations, projections: Object.fromEntries(recommendations.filter(pays).map((r) => [r.index, r.recommended])), notes };
}

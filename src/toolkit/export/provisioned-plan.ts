import { estimateCost, type PatternUnits } from '../cost/cost-model';
import type { TrafficProfile } from '../cost/traffic-profile';
import type { StreamWorkModel } from '../cost/stream-work';
import type { TableDefinition } from '../table/derive-table-definition';

/** Units one call of a pattern consumes; `byIndex` (as `capacityOf` measures it) splits them per index. */
export interface ExportPatternUnits extends PatternUnits {
  byIndex?: Record<string, { readUnits: number; writeUnits: number }>;
}

/** Auto-scaling bounds of one dimension: capacity follows traffic between min and max. */
export interface ScalingRange {
  min: number;
  max: number;
}

/** Provisioned capacity for the table (`index: 'table'`) or one GSI. */
export interface IndexCapacityPlan {
  index: string;
  read: ScalingRange;
  write: ScalingRange;
}

export interface ProvisionedPlan {
  /** Auto-scaling target, 0.2-0.9 (DynamoDB's range). */
  targetUtilization: number;
  /** The table first, then each GSI of the definition. */
  indexes: IndexCapacityPlan[];
}

export interface ProvisionedPlanOptions {
  /** Multiplies the peak capacity for the auto-scaling maximum. Default 1 (the cost model's peak). */
  headroom?: number;
  targetUtilization?: number;
  /** The model: the calls its stream consumers make (the cost model's stream-driven rows) need capacity too. */
  model?: StreamWorkModel;
}

export class ExportError extends Error {
  override readonly name = 'ExportError';
}

/**
 * Provisioned capacity from a traffic profile, with the cost model's figures: per index, the
 * auto-scaling maximum is the capacity the daily peak needs at the target utilization and the
 * minimum what the off-peak rate needs (at least 1). Units per call come from `units` (measured
 * with capacityOf, or given) or from the profile; with `byIndex` each index gets its own share,
 * without it every GSI is sized like the table (an item write may reach each of them).
 */
export function provisionedPlan(definition: TableDefinition, profile: TrafficProfile, units: readonly ExportPatternUnits[], options: ProvisionedPlanOptions = {}): ProvisionedPlan {
  const report = estimateCost(profile, units, { targetUtilization: options.targetUtilization, model: options.model });
  const u = report.targetUtilization;
  const headroom = options.headroom ?? 1;
  if (!(headroom >= 1 && Number.isFinite(headroom))) throw new ExportError(`headroom: must be a finite number of at least 1, got ${headroom}`);
  const byName = new Map(units.map((x) => [x.pattern, x]));
  const names = ['table', ...(definition.input.GlobalSecondaryIndexes ?? []).map((g) => g.IndexName ?? '')];
  const need = new Map(names.map((n) => [n, { peakRead: 0, peakWrite: 0, offRead: 0, offWrite: 0 }]));
  for (const row of report.patterns) {
    const split = byName.get(row.pattern)?.byIndex;
    for (const name of names) {
      const slot = need.get(name) as { peakRead: number; peakWrite: number; offRead: number; offWrite: number };
      const r = split ? (split[name]?.readUnits ?? 0) : row.readUnitsPerCall;
      const w = split ? (split[name]?.writeUnits ?? 0) : row.writeUnitsPerCall;
      slot.peakRead += (row.peakRequestsPerSecond * r) / u;
      slot.peakWrite += (row.peakRequestsPerSecond * w) / u;
      slot.offRead += (row.offPeakRequestsPerSecond * r) / u;
      slot.offWrite += (row.offPeakRequestsPerSecond * w) / u;
    }
  }
  const range = (index: string, kind: string, off: number, peak: number): ScalingRange => {
    const min = Math.max(1, Math.ceil(off - 1e-9));
    const max = Math.max(min, Math.ceil(peak * headroom - 1e-9));
    // Capacity is a whole number DynamoDB takes: never Infinity, NaN or beyond exact integers.
    if (!Number.isSafeInteger(max)) throw new ExportError(`${index === 'table' ? 'table' : `index ${index}`}: ${kind} capacity ${max} is not a whole number DynamoDB can take; the profile's rates or units per call are too large`);
    return { min, max };
  };
  return {
    targetUtilization: u,
    indexes: names.map((index) => {
      const n = need.get(index) as { peakRead: number; peakWrite: number; offRead: number; offWrite: number };
      return { index, read: range(index, 'read', n.offRead, n.peakRead), write: range(index, 'write', n.offWrite, n.peakWrite) };
    }),
  };
}

/** The definition switched to provisioned capacity at each index's auto-scaling minimum. */
export function withProvisionedPlan(definition: TableDefinition, plan: ProvisionedPlan): TableDefinition {
  const of = (index: string) => {
    const p = plan.indexes.find((x) => x.index === index);
    if (!p) throw new ExportError(`provisioned plan has no capacity for index "${index}"`);
    return { ReadCapacityUnits: p.read.min, WriteCapacityUnits: p.write.min };
  };
  const { input } = definition;
  return {
    ...definition,
    input: {
      ...input,
      BillingMode: 'PROVISIONED',
      ProvisionedThroughput: of('table'),
      ...(input.GlobalSecondaryIndexes
        ? { GlobalSecondaryIndexes: input.GlobalSecondaryIndexes.map((g) => ({ ...g, ProvisionedThroughput: of(g.IndexName ?? '') })) }
        : {}),
    },
  };
}

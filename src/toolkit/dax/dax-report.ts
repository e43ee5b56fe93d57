import type { AccessPatternDeclaration, Catalog, DeclaredRequest, DynamoOperation } from '../catalog/types';
import { HOURS_PER_MONTH, UnknownPatternError } from '../cost/cost-model';
import { US_EAST_1_STANDARD, type PriceTable } from '../cost/prices';
import type { TrafficProfile } from '../cost/traffic-profile';
import type { PatternMeasurement } from '../measurement/measure-patterns';

/** How DAX handles one declared request (docs/dax.md gives the AWS pages each comes from). */
export type DaxService = 'item cache' | 'query cache' | 'passed through' | 'write-through' | 'refused';

export interface DaxRequestServing {
  operation: DynamoOperation;
  index: string;
  service: DaxService;
  why: string;
}

export interface DaxPatternServing {
  pattern: string;
  kind: 'read' | 'write';
  /**
   * `cached`: every read can be served by a DAX cache; `partly cached`: some; `not cached`: none
   * (strongly consistent or transactional reads); `write-through`: a write pattern; `refused`:
   * a request DAX does not serve (PartiQL): the pattern cannot run through DAX at all.
   */
  verdict: 'cached' | 'partly cached' | 'not cached' | 'write-through' | 'refused';
  /** The caches its reads use. */
  caches: ('item' | 'query')[];
  requests: DaxRequestServing[];
  /** What to mind when running the pattern through DAX. */
  warnings: string[];
}

const READS: readonly DynamoOperation[] = ['GetItem', 'BatchGetItem', 'Query', 'Scan'];
const PARTIQL: readonly DynamoOperation[] = ['ExecuteStatement', 'BatchExecuteStatement', 'ExecuteTransaction'];

function serving(r: DeclaredRequest): DaxRequestServing {
  const base = { operation: r.operation, index: r.index };
  if (PARTIQL.includes(r.operation)) return { ...base, service: 'refused', why: 'DAX does not serve PartiQL' };
  if (r.operation === 'TransactGetItems') return { ...base, service: 'passed through', why: 'transactional reads go to DynamoDB, uncached' };
  if (r.operation === 'TransactWriteItems') {
    return { ...base, service: 'write-through', why: 'item cache refilled by a TransactGetItems DAX sends after the write (extra read units); query cache unchanged' };
  }
  if (READS.includes(r.operation)) {
    const cache = r.operation === 'GetItem' || r.operation === 'BatchGetItem' ? 'item cache' : 'query cache';
    const consistency = r.consistency ?? 'eventual';
    if (consistency === 'strong') return { ...base, service: 'passed through', why: 'strongly consistent: DynamoDB answers, nothing cached' };
    return { ...base, service: cache, why: consistency === 'either' ? 'when sent eventually consistent (strong ones pass through)' : 'eventually consistent' };
  }
  return { ...base, service: 'write-through', why: 'item cache updated with the write; query cache entries stay until their TTL' };
}

function requestsOf(p: AccessPatternDeclaration): readonly DeclaredRequest[] {
  return [...p.requests, ...(p.alternatives ?? []).flatMap((a) => a.requests)];
}

/** Per catalog pattern: whether DAX would serve it, from which cache, and what to mind. */
export function daxServing(catalog: Catalog): DaxPatternServing[] {
  return catalog.map((p) => {
    const requests = requestsOf(p).map(serving);
    const reads = requests.filter((r) => READS.includes(r.operation) || r.operation === 'TransactGetItems');
    const cachedReads = reads.filter((r) => r.service === 'item cache' || r.service === 'query cache');
    const caches = [...new Set(cachedReads.map((r) => (r.service === 'item cache' ? 'item' : 'query') as 'item' | 'query'))].sort();
    const warnings: string[] = [];
    let verdict: DaxPatternServing['verdict'];
    if (requests.some((r) => r.service === 'refused')) {
      verdict = 'refused';
      warnings.push('sends PartiQL, which DAX refuses: run this pattern with a DynamoDB client');
    } else if (p.kind === 'write') {
      verdict = 'write-through';
      if (cachedReads.length > 0) warnings.push('reads through a DAX cache before it writes: it may decide on a stale item or listing (make that read strongly consistent, or condition the write)');
    } else {
      verdict = reads.length === 0 || cachedReads.length === 0 ? 'not cached' : cachedReads.length === reads.length ? 'cached' : 'partly cached';
    }
    return { pattern: p.name, kind: p.kind, verdict, caches, requests, warnings };
  });
}

/** What one call of a pattern reads, and how much of it DAX could serve from a cache. */
export interface DaxPatternReads {
  pattern: string;
  readUnitsPerCall: number;
  /** Read units of the eventually consistent GetItem, BatchGetItem, Query and Scan requests. */
  cacheableReadUnitsPerCall: number;
}

const CACHEABLE = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan']);

/** From measured calls (runAnalysis): read units per call, and those a DAX cache could serve. */
export function daxReadsOf(measurement: PatternMeasurement): DaxPatternReads {
  const calls = Math.max(1, measurement.calls.length);
  let total = 0;
  let cacheable = 0;
  for (const call of measurement.calls) {
    for (const r of call.requests) {
      total += r.readUnits;
      if (CACHEABLE.has(r.operation) && !r.consistentRead && r.error === undefined) cacheable += r.readUnits;
    }
  }
  return { pattern: measurement.pattern, readUnitsPerCall: total / calls, cacheableReadUnitsPerCall: cacheable / calls };
}

export interface DaxCluster {
  /** A node type the prices list, e.g. `dax.r5.large`. */
  nodeType: string;
  /** Nodes in the cluster; AWS recommends at least 3 (one per Availability Zone) for production. */
  nodes: number;
}

/** Share of cacheable reads DAX answers from a cache, when none is given. */
export const DEFAULT_DAX_HIT_RATIO = 0.8;
export const DEFAULT_DAX_CLUSTER: DaxCluster = { nodeType: 'dax.r5.large', nodes: 3 };

export interface DaxCostOptions {
  prices?: PriceTable;
  /** Share (0-1) of cacheable reads served from a cache. Default 0.8: an assumption, measure yours (ItemCacheHits / QueryCacheHits). */
  hitRatio?: number;
  cluster?: DaxCluster;
  /** Provisioned capacity's target utilization. Default the profile's, else 0.7. */
  targetUtilization?: number;
}

export interface DaxPatternSaving extends DaxPatternReads {
  requestsPerSecond: number;
  /** Read units per second DynamoDB no longer serves: rate × cacheable units × hit ratio. */
  savedReadUnitsPerSecond: number;
  savedMonthly: { onDemand: number; provisioned: number };
}

export class DaxPriceError extends Error {
  override readonly name = 'DaxPriceError';
}

export interface DaxCostReport {
  hitRatio: number;
  targetUtilization: number;
  cluster: DaxCluster & { nodeHour: number; monthly: number; priceSource: string; priceDate: string };
  patterns: DaxPatternSaving[];
  totals: { savedReadUnitsPerSecond: number; savedMonthly: { onDemand: number; provisioned: number } };
  /** Savings minus the cluster's cost, per capacity mode (negative: DAX costs more than it saves). */
  net: { onDemand: number; provisioned: number };
  /** The hit ratio at which the savings pay for the cluster; null when even 100% does not. */
  breakEvenHitRatio: { onDemand: number | null; provisioned: number | null };
  summary: string;
}

const usd = (x: number) => `$${x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/**
 * A DAX cluster's monthly cost against the read capacity it saves under a traffic profile: every
 * profiled pattern's cacheable read units × rate × hit ratio are no longer billed by DynamoDB
 * (on-demand: per request; provisioned: capacity at the target utilization). Writes cost the
 * same with or without DAX (they go through to DynamoDB), and a TransactWriteItems through DAX
 * adds a TransactGetItems: neither is credited here. Month = 730 h.
 */
export function estimateDaxSavings(profile: TrafficProfile, reads: readonly DaxPatternReads[], options: DaxCostOptions = {}): DaxCostReport {
  const prices = options.prices ?? US_EAST_1_STANDARD;
  const hitRatio = options.hitRatio ?? DEFAULT_DAX_HIT_RATIO;
  if (!(hitRatio >= 0 && hitRatio <= 1)) throw new RangeError(`hitRatio must be a number from 0 to 1, got ${hitRatio}`);
  const cluster = options.cluster ?? DEFAULT_DAX_CLUSTER;
  if (!Number.isInteger(cluster.nodes) || cluster.nodes < 1 || cluster.nodes > 11) throw new RangeError(`nodes must be a whole number from 1 to 11 (a primary and up to 10 replicas), got ${cluster.nodes}`);
  const nodeHour = prices.dax?.nodeHour[cluster.nodeType];
  if (nodeHour === undefined || !Object.hasOwn(prices.dax?.nodeHour ?? {}, cluster.nodeType)) {
    throw new DaxPriceError(`dax.nodeHour: no price for node type ${JSON.stringify(cluster.nodeType)} (priced: ${Object.keys(prices.dax?.nodeHour ?? {}).join(', ') || 'none'}); add it to a price file`);
  }
  const u = options.targetUtilization ?? profile.targetUtilization ?? 0.7;
  const perRead = prices.onDemand.readRequestUnitsPerMillion / 1e6;
  const byName = new Map(reads.map((r) => [r.pattern, r]));
  const patterns: DaxPatternSaving[] = Object.entries(profile.patterns).map(([pattern, traffic]) => {
    const measured = byName.get(pattern);
    const given = traffic.readUnitsPerCall;
    // A pattern only planned (units given in the profile, nothing measured) is credited nothing: which of its reads DAX could serve is unknown.
    if (!measured && given === undefined) throw new UnknownPatternError(pattern);
    const r = measured ?? { pattern, readUnitsPerCall: given ?? 0, cacheableReadUnitsPerCall: 0 };
    const saved = traffic.requestsPerSecond * r.cacheableReadUnitsPerCall * hitRatio;
    return {
      ...r,
      requestsPerSecond: traffic.requestsPerSecond,
      savedReadUnitsPerSecond: saved,
      savedMonthly: { onDemand: saved * HOURS_PER_MONTH * 3600 * perRead, provisioned: (saved / u) * HOURS_PER_MONTH * prices.provisioned.readCapacityUnitHour },
    };
  });
  const sum = (f: (p: DaxPatternSaving) => number) => patterns.reduce((a, p) => a + f(p), 0);
  const totals = { savedReadUnitsPerSecond: sum((p) => p.savedReadUnitsPerSecond), savedMonthly: { onDemand: sum((p) => p.savedMonthly.onDemand), provisioned: sum((p) => p.savedMonthly.provisioned) } };
  const monthly = nodeHour * cluster.nodes * HOURS_PER_MONTH;
  const breakEven = (savedAtRatio: number) => {
    if (hitRatio === 0 || savedAtRatio === 0) return null;
    const ratio = monthly / (savedAtRatio / hitRatio);
    return ratio <= 1 ? ratio : null;
  };
  const net = { onDemand: totals.savedMonthly.onDemand - monthly, provisioned: totals.savedMonthly.provisioned - monthly };
  const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
  const verdict = (mode: string, n: number, be: number | null) =>
    n >= 0 ? `With ${mode} capacity the cluster saves ${usd(n)} a month more than it costs.` : `With ${mode} capacity it costs ${usd(-n)} a month more than the reads it saves${be === null ? ' at any hit ratio' : `; it pays from a ${pct(be)} hit ratio`}.`;
  const breakEvenHitRatio = { onDemand: breakEven(totals.savedMonthly.onDemand), provisioned: breakEven(totals.savedMonthly.provisioned) };
  const summary = [
    `${cluster.nodes} × ${cluster.nodeType} at $${nodeHour}/node-hour = ${usd(monthly)} a month; at hit ratio ${pct(hitRatio)} it saves ${totals.savedReadUnitsPerSecond.toFixed(1)} read units/s.`,
    verdict('on-demand', net.onDemand, breakEvenHitRatio.onDemand),
    verdict('provisioned', net.provisioned, breakEvenHitRatio.provisioned),
  ].join(' ');
  return {
    hitRatio,
    targetUtilization: u,
    cluster: { ...cluster, nodeHour, monthly, priceSource: prices.dax?.source ?? '', priceDate: prices.dax?.effectiveDate ?? '' },
    patterns,
    totals,
    net,
    breakEvenHitRatio,
    summary,
  };
}

import { US_EAST_1_STANDARD, type PriceTable } from './prices';
import type { TrafficProfile } from './traffic-profile';
import { RECORDS_PER_GET_RECORDS, streamDrivenRates, StreamRateError, type StreamDrivenRate, type StreamReadCost, type StreamReader, type StreamWorkModel } from './stream-work';

/** What one call of a pattern consumes (measured on DynamoDB Local, or given). */
export interface PatternUnits {
  pattern: string;
  readUnitsPerCall: number;
  writeUnitsPerCall: number;
}

export const HOURS_PER_MONTH = 730;
const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;
const DAYS_PER_MONTH = HOURS_PER_MONTH / 24;
/** DynamoDB adds 100 bytes of overhead to every stored item and index entry. */
export const ITEM_OVERHEAD_BYTES = 100;
const GB = 2 ** 30;

export interface MonthlyCost {
  onDemand: number;
  /** Auto-scaling: capacity follows the daily peak and off-peak levels at the target utilization. */
  provisioned: number;
  /** Capacity held at peak / utilization all day (traffic too spiky for auto-scaling to follow). */
  provisionedAtPeak: number;
}

export interface PatternCost extends PatternUnits {
  requestsPerSecond: number;
  peakRequestsPerSecond: number;
  peakHoursPerDay: number;
  /** Rate outside the peak hours, derived from the daily average. */
  offPeakRequestsPerSecond: number;
  /** Capacity to provision at peak for this pattern: units/s at peak / target utilization. */
  peakProvisioned: { readCapacityUnits: number; writeCapacityUnits: number };
  monthly: MonthlyCost;
  /** This pattern's share of the throughput cost in the cheaper mode. */
  share: number;
  /** Set on a stream-driven row: the calls the consumer makes (its callers' calls are the pattern's other row). */
  trigger?: { stream: string; source: StreamDrivenRate['source']; from: string[] };
}

export interface StorageCost {
  items: { name: string; count: number; bytes: number; gb: number; monthly: number }[];
  gb: number;
  monthly: number;
}

export interface CostReport {
  prices: PriceTable;
  targetUtilization: number;
  hoursPerMonth: number;
  patterns: PatternCost[];
  storage: StorageCost;
  /** Throughput only (stream-driven rows included); storage and stream reads are billed the same in both modes. */
  totals: MonthlyCost;
  /** Reads of the table's stream by each consumer of the model (none without `options.model`). */
  streamReads: { consumers: StreamReadCost[]; monthly: number };
  recommendation: {
    cheaper: 'on-demand' | 'provisioned';
    monthlySavings: number;
    /** Provisioned is cheaper while consumed / provisioned capacity averages above this. */
    breakEvenUtilization: number;
    /** Peak-hour capacity over average consumption, weighted by price, for this profile. */
    peakToAverage: number;
    /** With capacity held at peak, on-demand is cheaper once peak-to-average exceeds this; null without provisioned cost (no bound). */
    breakEvenPeakToAverage: number | null;
    summary: string;
  };
}

export interface CostOptions {
  prices?: PriceTable;
  /** Overrides the profile's targetUtilization; default 0.7 (DynamoDB auto-scaling's default). */
  targetUtilization?: number;
  /**
   * The model (its catalog and stream consumers): adds a stream-driven row for every pattern a
   * consumer triggers, at the rate derived from the profile (or given in its `streams`), and the
   * consumers' stream reads.
   */
  model?: StreamWorkModel;
}

/** Thrown when the profile names a pattern there are no units for. */
export class UnknownPatternError extends Error {
  override readonly name = 'UnknownPatternError';
  constructor(readonly pattern: string) {
    super(
      `patterns.${pattern}: the model's catalog has no access pattern of that name, and the profile does not give both readUnitsPerCall and writeUnitsPerCall ` +
        '(a pattern the model does not have yet needs both)',
    );
  }
}

/** Thrown when a profile's (or a price table's) figures would make a cost that is not a finite number. */
export class CostOverflowError extends RangeError {
  override readonly name = 'CostOverflowError';
  constructor(readonly field: string) {
    super(`${field}: the figures overflow (the cost is not a finite number); lower the rates, units per call or prices`);
  }
}

/** Every number of a report row is finite, else the error names what produced it. */
function assertFiniteFigures(value: unknown, field: string): void {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new CostOverflowError(field);
  } else if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) assertFiniteFigures(v, field);
  }
}

const money = (x: number) => `$${x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const percent = (x: number) => `${(x * 100).toFixed(1)}%`;

/**
 * Monthly cost of a traffic profile on on-demand and provisioned capacity, per pattern and in
 * total, from units per call. Month = 730 hours. Provisioned sums per-pattern capacity, as if the
 * patterns peaked together, and ignores rounding to whole units and the 1-unit minimum per index.
 */
export function estimateCost(profile: TrafficProfile, units: readonly PatternUnits[], options: CostOptions = {}): CostReport {
  const prices = options.prices ?? US_EAST_1_STANDARD;
  const u = options.targetUtilization ?? profile.targetUtilization ?? 0.7;
  if (!(u > 0 && u <= 1)) throw new RangeError(`targetUtilization must be in (0, 1], got ${u}`);
  const byName = new Map(units.map((x) => [x.pattern, x]));
  const odRead = prices.onDemand.readRequestUnitsPerMillion / 1e6;
  const odWrite = prices.onDemand.writeRequestUnitsPerMillion / 1e6;
  const pRead = prices.provisioned.readCapacityUnitHour;
  const pWrite = prices.provisioned.writeCapacityUnitHour;

  type Rate = { requestsPerSecond: number; peakRequestsPerSecond?: number; peakHoursPerDay?: number };
  const rowOf = (pattern: string, traffic: Rate, r: number, w: number): PatternCost => {
    const avg = traffic.requestsPerSecond;
    const peak = traffic.peakRequestsPerSecond ?? avg;
    const hours = traffic.peakHoursPerDay ?? 0;
    const offPeak = hours >= 24 || hours <= 0 ? peak : (avg * 24 - peak * hours) / (24 - hours);
    // Capacity-hours per month for one unit per call: the peak level for its hours, the rest off-peak.
    const trackedHours = ((peak * hours + offPeak * (24 - hours)) / u) * DAYS_PER_MONTH;
    const heldHours = (peak / u) * HOURS_PER_MONTH;
    const monthly: MonthlyCost = {
      onDemand: avg * SECONDS_PER_MONTH * (r * odRead + w * odWrite),
      provisioned: trackedHours * (r * pRead + w * pWrite),
      provisionedAtPeak: heldHours * (r * pRead + w * pWrite),
    };
    return {
      pattern,
      readUnitsPerCall: r,
      writeUnitsPerCall: w,
      requestsPerSecond: avg,
      peakRequestsPerSecond: peak,
      peakHoursPerDay: hours,
      offPeakRequestsPerSecond: offPeak,
      peakProvisioned: { readCapacityUnits: (peak * r) / u, writeCapacityUnits: (peak * w) / u },
      monthly,
      share: 0,
    };
  };
  const unitsOf = (pattern: string) => {
    const given = profile.patterns[pattern];
    const measured = byName.get(pattern);
    const r = given?.readUnitsPerCall ?? measured?.readUnitsPerCall;
    const w = given?.writeUnitsPerCall ?? measured?.writeUnitsPerCall;
    if (r === undefined || w === undefined) throw new UnknownPatternError(pattern);
    return { r, w };
  };
  const rows = Object.entries(profile.patterns).map(([pattern, traffic]) => {
    const { r, w } = unitsOf(pattern);
    return rowOf(pattern, traffic, r, w);
  });
  const streamRates = options.model ? streamDrivenRates(options.model, profile) : [];
  for (const rate of streamRates) {
    const { r, w } = unitsOf(rate.pattern);
    rows.push({ ...rowOf(rate.pattern, rate, r, w), trigger: { stream: rate.consumer, source: rate.source, from: rate.from } });
  }
  const streamReads = streamReadCosts(options.model, profile, streamRates, prices);

  const sum = (key: keyof MonthlyCost) => rows.reduce((a, row) => a + row.monthly[key], 0);
  const totals: MonthlyCost = { onDemand: sum('onDemand'), provisioned: sum('provisioned'), provisionedAtPeak: sum('provisionedAtPeak') };
  const cheaper = totals.provisioned < totals.onDemand ? 'provisioned' : 'on-demand';
  const key = cheaper === 'provisioned' ? 'provisioned' : 'onDemand';
  for (const row of rows) row.share = totals[key] > 0 ? row.monthly[key] / totals[key] : 0;

  // Provisioned cost scales with 1/utilization: it equals on-demand at utilization = provisioned(u=1) / on-demand.
  const provisionedAtFull = totals.provisioned * u;
  const breakEvenUtilization = totals.onDemand > 0 ? provisionedAtFull / totals.onDemand : 0;
  const peakToAverage = totals.provisioned > 0 ? totals.provisionedAtPeak / totals.provisioned : 1;
  const breakEvenPeakToAverage = breakEvenUtilization > 0 ? u / breakEvenUtilization : null;
  const storage = storageCost(profile, prices);
  for (const row of rows) assertFiniteFigures(row, row.trigger ? `streams.${row.trigger.stream} (${row.pattern}, stream-driven)` : `patterns.${row.pattern}`);
  for (const c of streamReads.consumers) assertFiniteFigures(c, `streams.${c.consumer}`);
  for (const item of storage.items) assertFiniteFigures(item, `storage.items.${item.name}`);
  assertFiniteFigures([totals, storage.gb, storage.monthly, breakEvenUtilization, peakToAverage, breakEvenPeakToAverage, other(totals, cheaper)], 'patterns (their sum)');

  const otherCost = other(totals, cheaper);
  const summary = [
    cheaper === 'provisioned'
      ? `Provisioned capacity with auto-scaling at ${percent(u)} target utilization is cheaper: ${money(totals.provisioned)} vs ${money(totals.onDemand)} on-demand a month.`
      : `On-demand is cheaper: ${money(totals.onDemand)} vs ${money(totals.provisioned)} provisioned at ${percent(u)} target utilization a month.`,
    `The answer flips when provisioned capacity is used ${percent(breakEvenUtilization)} on average (consumed / provisioned).`,
    `Held at peak all day (traffic too spiky for auto-scaling), provisioned costs ${money(totals.provisionedAtPeak)} a month; on-demand wins once peak-to-average exceeds ${breakEvenPeakToAverage === null ? '(no bound)' : breakEvenPeakToAverage.toFixed(2)} (this profile: ${peakToAverage.toFixed(2)}).`,
    `Storage adds ${money(storage.monthly)} a month in either mode.`,
    ...(streamReads.consumers.length ? [`Stream reads add ${money(streamReads.monthly)} a month in either mode.`] : []),
  ].join(' ');

  return {
    prices,
    targetUtilization: u,
    hoursPerMonth: HOURS_PER_MONTH,
    patterns: rows,
    storage,
    totals,
    streamReads,
    recommendation: { cheaper, monthlySavings: otherCost - totals[key], breakEvenUtilization, peakToAverage, breakEvenPeakToAverage, summary },
  };
}

const other = (totals: MonthlyCost, cheaper: 'provisioned' | 'on-demand') => (cheaper === 'provisioned' ? totals.onDemand : totals.provisioned);

/** Storage: every item and index entry stored with DynamoDB's 100-byte overhead. */
export function storageCost(profile: TrafficProfile, prices: PriceTable = US_EAST_1_STANDARD): StorageCost {
  const items = Object.entries(profile.storage?.items ?? {}).map(([name, s]) => {
    const bytes = s.count * (s.averageBytes + ITEM_OVERHEAD_BYTES) + s.count * s.indexEntriesPerItem * ((s.indexEntryBytes ?? s.averageBytes) + ITEM_OVERHEAD_BYTES);
    return { name, count: s.count, bytes, gb: bytes / GB, monthly: (bytes / GB) * prices.storageGbMonth };
  });
  const gb = items.reduce((a, i) => a + i.gb, 0);
  return { items, gb, monthly: gb * prices.storageGbMonth };
}

/**
 * What each consumer's reads of the stream cost: nothing for a Lambda trigger (the default);
 * for a `streams-api` reader one stream read request unit per GetRecords call, at the profile's
 * getRecordsPerSecond or one call a second (one shard polled at the Kinesis adapter's 1 s idle
 * interval), more when its records exceed 1,000 a second (GetRecords' limit).
 */
function streamReadCosts(model: StreamWorkModel | undefined, profile: TrafficProfile, rates: readonly StreamDrivenRate[], prices: PriceTable): CostReport['streamReads'] {
  const consumers = (model?.streamConsumers ?? []).map((c): StreamReadCost => {
    const consumer = c.settings.name;
    const settings = profile.streams?.[consumer];
    const reader: StreamReader = settings?.reader ?? 'lambda';
    const records = rates.filter((r) => r.consumer === consumer).reduce((a, r) => a + r.requestsPerSecond, 0);
    if (reader === 'lambda') {
      return { consumer, reader, getRecordsPerSecond: 0, monthly: 0, reason: 'a Lambda trigger: GetRecords calls by Lambda are not charged' };
    }
    if (prices.streams === undefined) throw new StreamRateError('prices.streams', `the price table has no stream read price (needed for ${consumer}, a streams-api reader)`);
    const price = prices.streams.readRequestUnitsPer100k;
    const given = settings?.getRecordsPerSecond;
    const calls = given ?? Math.max(1, records / RECORDS_PER_GET_RECORDS);
    const basis =
      given !== undefined ? `${given} GetRecords/s (profile)` : records > RECORDS_PER_GET_RECORDS ? `${calls.toFixed(2)} GetRecords/s (${records} records/s, 1,000 a call)` : '1 GetRecords/s (one shard polled each second)';
    return { consumer, reader, getRecordsPerSecond: calls, monthly: (calls * SECONDS_PER_MONTH * price) / 100_000, reason: `read through the Streams API: ${basis} × $${price} per 100,000 stream read request units` };
  });
  return { consumers, monthly: consumers.reduce((a, c) => a + c.monthly, 0) };
}

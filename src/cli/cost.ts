import {
  capacityOf,
  estimateCost,
  metricsIngestionCost,
  runAnalysis,
  UnknownPatternError,
  type CostReport,
  type Model,
  type PatternMeasurement,
  type PriceTable,
  type TrafficProfile,
} from '../toolkit';
import { jsonOutput } from './json-output';
import { terminalText } from './terminal';
import { renderTable } from './render-table';

export interface CostCommandOptions {
  profile: TrafficProfile;
  prices?: PriceTable;
  targetUtilization?: number;
  size: number;
  iterations: number;
  json: boolean;
}

const usd = (x: number) => (x >= 100 ? `$${Math.round(x).toLocaleString('en-US')}` : `$${x.toFixed(2)}`);
const units = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(2));
const rate = (avg: number, peak: number) => (peak > avg ? `${avg} / ${peak}` : String(avg));

/** The cost table for people: one row per pattern, totals, storage and the recommendation. */
export function renderCostReport(report: CostReport): string {
  const rows: string[][] = report.patterns.map((p) => [
    p.trigger ? `${p.pattern} ← stream ${p.trigger.stream}` : p.pattern,
    units(p.readUnitsPerCall),
    units(p.writeUnitsPerCall),
    rate(p.requestsPerSecond, p.peakRequestsPerSecond),
    usd(p.monthly.onDemand),
    usd(p.monthly.provisioned),
    `${(p.share * 100).toFixed(1)}%`,
  ]);
  rows.push(['Total (throughput)', '', '', '', usd(report.totals.onDemand), usd(report.totals.provisioned), '100%']);
  rows.push([`Storage (${report.storage.gb.toFixed(1)} GB)`, '', '', '', usd(report.storage.monthly), usd(report.storage.monthly), '']);
  for (const c of report.streamReads.consumers) rows.push([`Stream reads: ${c.consumer} (${c.reader})`, '', '', c.getRecordsPerSecond ? units(c.getRecordsPerSecond) : '', usd(c.monthly), usd(c.monthly), '']);
  const table = renderTable(
    ['Pattern', 'RCU/call', 'WCU/call', 'Req/s (avg / peak)', 'On-demand /mo', `Provisioned @${Math.round(report.targetUtilization * 100)}% /mo`, 'Share'],
    rows,
    ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
  );
  const p = report.prices;
  const streamRows = report.patterns.filter((r) => r.trigger);
  return [
    table,
    ...streamRows.map((r) =>
      terminalText(
        `${r.pattern} ← stream ${r.trigger?.stream}: the consumer's calls, ${r.trigger?.source === 'profile' ? 'at the profile\'s streams.' + r.trigger.stream + '.recordsPerSecond' : `one per call of ${r.trigger?.from.join(', ') || '(no profiled pattern writes what it handles)'} (each counted as one record it handles)`}.`,
      ),
    ),
    ...report.streamReads.consumers.map((c) => terminalText(`Stream reads of ${c.consumer}: ${usd(c.monthly)} a month, ${c.reason}.`)),
    terminalText(`Prices: ${p.region} ${p.tableClass}, effective ${p.effectiveDate}; month = ${report.hoursPerMonth} h.`),
    // One finding per line for people; JSON keeps the summary as one string.
    ...report.recommendation.summary.split(/(?<=\.) (?=[A-Z])/),
  ].join('\n');
}

type MetricsReport = ReturnType<typeof metricsIngestionCost>;

/** DynamoDB requests per second of each profiled pattern, split by (table, index, operation). */
export function metricsTraffic(profile: TrafficProfile, measurements: readonly PatternMeasurement[]): Parameters<typeof metricsIngestionCost>[0] {
  return Object.entries(profile.patterns).flatMap(([pattern, traffic]) => {
    const m = measurements.find((x) => x.pattern === pattern);
    const requests = m?.calls.flatMap((c) => c.requests) ?? [];
    if (!m || m.calls.length === 0 || requests.length === 0) return [];
    const groups = new Map<string, { table: string; index: string | undefined; operation: string; share: number }>();
    for (const r of requests) {
      const key = `${r.tables.join(',')}|${r.index ?? ''}|${r.operation}`;
      const g = groups.get(key) ?? { table: r.tables.join(','), index: r.index, operation: r.operation, share: 0 };
      g.share += 1 / requests.length;
      groups.set(key, g);
    }
    return [{ pattern, requestsPerSecond: traffic.requestsPerSecond * (requests.length / m.calls.length), groups: [...groups.values()] }];
  });
}

/** The log-ingestion cost of each metrics mode, beside the table's. */
export function renderMetricsCost(metrics: MetricsReport, table: CostReport): string {
  const tableCost = Math.min(table.totals.onDemand, table.totals.provisioned) + table.storage.monthly;
  const p = metrics.prices;
  return [
    `Metrics (EMF lines, CloudWatch Logs ingestion at $${p.ingestionPerGb}/GB, ${p.region}, price of ${p.effectiveDate}), beside the table's ${usd(tableCost)} a month:`,
    `  per request: ${usd(metrics.perRequest.monthly)} a month (${metrics.perRequest.gbPerMonth.toFixed(0)} GB);`,
    `  aggregated per pattern every ${metrics.flushIntervalSeconds} s (EmfMetrics default): ${usd(metrics.aggregate.monthly)} a month (${metrics.aggregate.gbPerMonth.toFixed(2)} GB).`,
  ].join('\n');
}

/** `cost`: measures every pattern's units (by DynamoDB's rules) on the engine, then prices the traffic profile. */
export async function runCost(model: Model, options: CostCommandOptions): Promise<number> {
  checkProfilePatterns(model, options.profile.patterns);
  const analysis = await runAnalysis(model, { size: options.size, iterations: options.iterations });
  const measured = analysis.measurements.map((m) => capacityOf(m, model.catalog.find((p) => p.name === m.pattern)?.kind ?? 'read'));
  const report = estimateCost(options.profile, measured, { prices: options.prices, targetUtilization: options.targetUtilization, model });
  const metrics = metricsIngestionCost(metricsTraffic(modelPatternsOnly(model, options.profile), analysis.measurements));
  process.stdout.write(
    options.json ? jsonOutput({ model: model.name, ...report, metrics }) : `Model: ${terminalText(model.name)}\n${renderCostReport(report)}\n${renderMetricsCost(metrics, report)}\n`,
  );
  return 0;
}

/**
 * Refuses a profile naming a pattern the model's catalog lacks, before any measuring, unless the
 * profile gives that pattern's units per call (a pattern planned, not built yet).
 */
type GivenUnits = { readUnitsPerCall?: number; writeUnitsPerCall?: number };
export function checkProfilePatterns(model: Model, patterns: Readonly<Record<string, GivenUnits>> | readonly string[]): void {
  const known = new Set(model.catalog.map((p) => p.name));
  const entries: [string, GivenUnits][] = Array.isArray(patterns) ? patterns.map((name: string): [string, GivenUnits] => [name, {}]) : Object.entries(patterns as Record<string, GivenUnits>);
  for (const [name, p] of entries) {
    if (known.has(name)) continue;
    if (p.readUnitsPerCall === undefined || p.writeUnitsPerCall === undefined) throw new UnknownPatternError(name);
  }
}

/** The profile's patterns the model has (planned ones, with units given, have nothing to measure or locate). */
export function modelPatternsOnly(model: Model, profile: TrafficProfile): TrafficProfile {
  const known = new Set(model.catalog.map((p) => p.name));
  return { ...profile, patterns: Object.fromEntries(Object.entries(profile.patterns).filter(([name]) => known.has(name))) };
}

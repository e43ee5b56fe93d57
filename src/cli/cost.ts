import { estimateCost, UnknownPatternError, type CostReport, type Model, type PriceTable, type TrafficProfile } from '../toolkit';
import { measureModelCapacity } from './capacity';
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
    p.pattern,
    units(p.readUnitsPerCall),
    units(p.writeUnitsPerCall),
    rate(p.requestsPerSecond, p.peakRequestsPerSecond),
    usd(p.monthly.onDemand),
    usd(p.monthly.provisioned),
    `${(p.share * 100).toFixed(1)}%`,
  ]);
  rows.push(['Total (throughput)', '', '', '', usd(report.totals.onDemand), usd(report.totals.provisioned), '100%']);
  rows.push([`Storage (${report.storage.gb.toFixed(1)} GB)`, '', '', '', usd(report.storage.monthly), usd(report.storage.monthly), '']);
  const table = renderTable(
    ['Pattern', 'RCU/call', 'WCU/call', 'Req/s (avg / peak)', 'On-demand /mo', `Provisioned @${Math.round(report.targetUtilization * 100)}% /mo`, 'Share'],
    rows,
    ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
  );
  const p = report.prices;
  return [
    table,
    `Prices: ${p.region} ${p.tableClass}, effective ${p.effectiveDate}; month = ${report.hoursPerMonth} h.`,
    // One finding per line for people; JSON keeps the summary as one string.
    ...report.recommendation.summary.split(/(?<=\.) (?=[A-Z])/),
  ].join('\n');
}

/** `cost`: measures every pattern's units on DynamoDB Local, then prices the traffic profile. */
export async function runCost(model: Model, options: CostCommandOptions): Promise<number> {
  checkProfilePatterns(model, Object.keys(options.profile.patterns));
  const measured = await measureModelCapacity(model, { size: options.size, iterations: options.iterations });
  const report = estimateCost(options.profile, measured, { prices: options.prices, targetUtilization: options.targetUtilization });
  process.stdout.write(options.json ? `${JSON.stringify({ model: model.name, ...report }, null, 2)}\n` : `Model: ${model.name}\n${renderCostReport(report)}\n`);
  return 0;
}

/** Refuses a profile naming a pattern the model's catalog lacks, before any measuring. */
export function checkProfilePatterns(model: Model, names: readonly string[]): void {
  const known = new Set(model.catalog.map((p) => p.name));
  for (const name of names) if (!known.has(name)) throw new UnknownPatternError(name);
}

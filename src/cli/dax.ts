import { daxReadsOf, daxServing, estimateDaxSavings, runAnalysis, type DaxCluster, type DaxCostReport, type DaxPatternServing, type Model, type PriceTable, type TrafficProfile } from '../toolkit';
import { checkProfilePatterns, modelPatternsOnly } from './cost';
import { jsonOutput } from './json-output';
import { renderTable } from './render-table';
import { terminalText } from './terminal';

export interface DaxCommandOptions {
  profile?: TrafficProfile;
  prices?: PriceTable;
  hitRatio?: number;
  cluster?: DaxCluster;
  targetUtilization?: number;
  size: number;
  iterations: number;
  json: boolean;
}

const usd = (x: number) => (Math.abs(x) >= 100 ? `${x < 0 ? '-' : ''}$${Math.round(Math.abs(x)).toLocaleString('en-US')}` : `${x < 0 ? '-' : ''}$${Math.abs(x).toFixed(2)}`);
const units = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(2));

/** A pattern's requests, each distinct one once with its count: `GetItem: item cache; Query (gsi1): query cache ×2`. */
function requestSummary(p: DaxPatternServing): string {
  const counts = new Map<string, number>();
  for (const r of p.requests) {
    const label = `${r.operation}${r.index === 'table' ? '' : ` (${r.index})`}: ${r.service}`;
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return [...counts].map(([label, n]) => (n > 1 ? `${label} ×${n}` : label)).join('; ');
}

export const DAX_NOTES = [
  'Item cache (GetItem, BatchGetItem): a write through DAX shows at once; one around it (another client, a Lambda, TTL deletes) only after the item TTL.',
  'Query cache (Query, Scan): no write, through DAX or around it, shows in a cached result until the query TTL. Both TTLs default to 5 minutes.',
  'Strongly consistent and transactional reads pass through to DynamoDB, uncached. Misses are cached too (negative caching). See docs/dax.md.',
];

/** Which cache serves each pattern, for people: one row per pattern. */
export function renderDaxServing(serving: readonly DaxPatternServing[]): string {
  const rows = serving.map((p) => [
    p.pattern,
    p.kind,
    p.verdict,
    p.caches.join(' + ') || '-',
    requestSummary(p),
  ]);
  const table = renderTable(['Pattern', 'Kind', 'Through DAX', 'Caches', 'Requests'], rows, ['left', 'left', 'left', 'left', 'left']);
  const warnings = serving.flatMap((p) => p.warnings.map((w) => `  ${p.pattern}: ${w}`));
  return [table, ...DAX_NOTES, ...(warnings.length ? ['Mind:', ...warnings] : [])].join('\n');
}

/** The cluster against the read capacity it saves, for people. */
export function renderDaxCost(report: DaxCostReport): string {
  const rows = report.patterns.map((p) => [
    p.pattern,
    units(p.readUnitsPerCall),
    units(p.cacheableReadUnitsPerCall),
    String(p.requestsPerSecond),
    units(p.savedReadUnitsPerSecond),
    usd(p.savedMonthly.onDemand),
    usd(p.savedMonthly.provisioned),
  ]);
  rows.push(['Total saved', '', '', '', units(report.totals.savedReadUnitsPerSecond), usd(report.totals.savedMonthly.onDemand), usd(report.totals.savedMonthly.provisioned)]);
  rows.push([`DAX cluster (${report.cluster.nodes} × ${report.cluster.nodeType})`, '', '', '', '', usd(-report.cluster.monthly), usd(-report.cluster.monthly)]);
  rows.push(['Net', '', '', '', '', usd(report.net.onDemand), usd(report.net.provisioned)]);
  const table = renderTable(
    ['Pattern', 'RCU/call', 'Cacheable RCU/call', 'Req/s', `RCU/s saved @${Math.round(report.hitRatio * 100)}% hits`, 'On-demand /mo', `Provisioned @${Math.round(report.targetUtilization * 100)}% /mo`],
    rows,
    ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
  );
  return [
    table,
    terminalText(`DAX prices: ${report.cluster.nodeType} $${report.cluster.nodeHour}/node-hour, ${report.cluster.priceSource}, as of ${report.cluster.priceDate}; month = 730 h.`),
    ...report.summary.split(/(?<=\.) (?=[A-Z])/),
  ].join('\n');
}

/**
 * `dax`: per pattern, whether DAX would serve it and from which cache (from the catalog); with a
 * traffic profile, the cluster's cost against the read capacity it saves (units measured on the
 * engine).
 */
export async function runDax(model: Model, options: DaxCommandOptions): Promise<number> {
  const serving = daxServing(model.catalog);
  let cost: DaxCostReport | undefined;
  if (options.profile) {
    checkProfilePatterns(model, options.profile.patterns);
    const analysis = await runAnalysis(model, { size: options.size, iterations: options.iterations });
    const measured = analysis.measurements.filter((m) => Object.hasOwn(modelPatternsOnly(model, options.profile as TrafficProfile).patterns, m.pattern)).map(daxReadsOf);
    cost = estimateDaxSavings(options.profile, measured, { prices: options.prices, hitRatio: options.hitRatio, cluster: options.cluster, targetUtilization: options.targetUtilization });
  }
  process.stdout.write(
    options.json
      ? jsonOutput({ model: model.name, patterns: serving, ...(cost ? { cost } : {}) })
      : `Model: ${terminalText(model.name)}\n${renderDaxServing(serving)}\n${cost ? `\n${renderDaxCost(cost)}\n` : ''}`,
  );
  return 0;
}

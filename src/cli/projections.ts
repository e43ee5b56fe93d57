import { recommendProjections, runAnalysis, type IndexProjection, type Model, type PriceTable, type ProjectionReport, type TrafficProfile } from '../toolkit';
import { terminalText } from './terminal';
import { checkProfilePatterns, modelPatternsOnly } from './cost';
import { jsonOutput } from './json-output';
import { renderTable } from './render-table';

export interface ProjectionsOptions {
  profile?: TrafficProfile;
  prices?: PriceTable;
  size: number;
  iterations: number;
  json: boolean;
}

const usd = (x: number) => (Math.abs(x) >= 100 ? `$${Math.round(x).toLocaleString('en-US')}` : `$${x.toFixed(2)}`);
export const describeProjection = (p: IndexProjection) => (p.type === 'INCLUDE' ? `INCLUDE ${p.attributes.join(', ')}` : p.type);

/** The projection report for people: one row per GSI. */
export function renderProjections(report: ProjectionReport): string {
  const rows = report.recommendations.map((r) => [
    r.index,
    describeProjection(r.current),
    r.patterns.join(', ') || '(none)',
    r.attributesRead.length ? r.attributesRead.join(', ') : '(keys only)',
    describeProjection(r.recommended),
    `${usd(r.monthly.writeOnDemand)} / ${usd(r.monthly.writeProvisioned)}`,
    usd(r.monthly.storage),
  ]);
  const table = renderTable(
    ['Index', 'Projection', 'Read by', 'Attributes read (besides keys)', 'Cheapest serving them', 'Writes saved /mo (on-demand / provisioned)', 'Storage saved /mo'],
    rows,
    ['left', 'left', 'left', 'left', 'left', 'right', 'right'],
  );
  const apply = Object.keys(report.projections).length
    ? `Pays: table.projections = ${JSON.stringify(report.projections)}`
    : 'No narrower projection saves $1 a month or more for this model under this profile: keep the current projections.';
  return [table, apply, ...report.notes.map((n) => terminalText(n))].join('\n');
}

/** `projections`: which attributes each GSI's patterns read, and the cheapest projection serving them. */
export async function runProjections(model: Model, options: ProjectionsOptions): Promise<number> {
  if (options.profile) checkProfilePatterns(model, options.profile.patterns);
  const analysis = await runAnalysis(model, { size: options.size, iterations: options.iterations });
  const report = recommendProjections({ analysis, entities: model.entities, catalog: model.catalog, profile: options.profile && modelPatternsOnly(model, options.profile), prices: options.prices });
  process.stdout.write(options.json ? jsonOutput({ model: model.name, ...report }) : `Model: ${terminalText(model.name)}\n${renderProjections(report)}\n`);
  return 0;
}

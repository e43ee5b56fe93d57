import { measurePatterns, openModelSession, progressReporter, summarize, tableLayoutOf, verifyRequests, type Model, type PatternMeasurement } from '../toolkit';
import { renderTable } from './render-table';

export interface DemoOptions {
  size: number;
  json: boolean;
  keepTable: boolean;
}

const fmt = (n: number, digits = 1) => (Number.isInteger(n) ? String(n) : n.toFixed(digits));

/** Mean units per call as the engine reported them (ConsumedCapacity), beside DynamoDB's rules. */
function reportedUnits(m: PatternMeasurement): { readUnits: number; writeUnits: number } {
  const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0);
  const per = (pick: (u: { readUnits: number; writeUnits: number }) => number) => mean(m.calls.map((c) => c.requests.reduce((a, r) => a + pick(r.reportedUnits ?? r), 0)));
  return { readUnits: per((u) => u.readUnits), writeUnits: per((u) => u.writeUnits) };
}

// The units cell: DynamoDB's rules, and the engine's report beside them where it differs.
const units = (aws: number, engine: number) => (Math.abs(aws - engine) < 1e-9 ? fmt(aws) : `${fmt(aws)} (local ${fmt(engine)})`);

/**
 * The demo: the embedded engine (unless DYNAMODB_ENDPOINT is set), a fresh table, the model's
 * seed, then every access pattern once, printed with the requests it sent and what they cost.
 */
export async function runDemo(model: Model, options: DemoOptions): Promise<number> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  if (!process.env.DYNAMODB_ENDPOINT) log('Using the embedded engine, in this process (set DYNAMODB_ENDPOINT to use another DynamoDB)...');
  const session = await openModelSession(model, { tableName: process.env.TABLE_NAME, keepTable: options.keepTable || Boolean(process.env.TABLE_NAME) });
  try {
    log(`Model: ${model.name}. DynamoDB at ${session.endpoint}; table ${session.tableName}`);
    const progress = progressReporter();
    const seed = await model.seed(session.services, { size: options.size, onProgress: progress.onProgress });
    progress.stop();
    session.recorder.clear();
    // Units by DynamoDB's rules (what AWS charges; the capacity and cost reports use the same),
    // measured from the stored items: DynamoDB Local's own report is wrong for transactions.
    session.recorder.measureUnits(tableLayoutOf(session.definition));
    const runners = model.runners(session.services, seed);
    const names = model.catalog.map((p) => p.name);
    // Two warm-up rounds first: the first calls of a process pay for loading and compiling code.
    await measurePatterns(names, runners, session.recorder, { iterations: 2 });
    const measured = await measurePatterns(names, runners, session.recorder);
    const rows = measured.map((m) => {
      const declaration = model.catalog.find((p) => p.name === m.pattern);
      const problems = declaration ? m.calls.flatMap((c) => verifyRequests(declaration, c.requests)) : ['not in the catalog'];
      const reported = reportedUnits(m);
      return { ...summarize(m), reportedReadUnits: reported.readUnits, reportedWriteUnits: reported.writeUnits, kind: declaration?.kind ?? '?', matchesCatalog: problems.length === 0, problems };
    });
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ model: model.name, tableName: session.tableName, patterns: rows }, null, 2)}\n`);
    } else {
      const table = renderTable(
        ['Pattern', 'Kind', 'Index', 'Requests', 'Items', 'RCU', 'WCU', 'Latency ms', 'Catalog'],
        rows.map((r) => [
          r.pattern,
          r.kind,
          r.indexes.join(', '),
          r.operations.length === 1 ? `${r.requests} ${r.operations[0]}` : `${r.requests} (${r.operations.join(', ')})`,
          fmt(r.items, 0),
          units(r.readUnits, r.reportedReadUnits),
          units(r.writeUnits, r.reportedWriteUnits),
          r.latencyMs.toFixed(1),
          r.matchesCatalog ? 'ok' : 'MISMATCH',
        ]),
        ['left', 'left', 'left', 'left', 'right', 'right', 'right', 'right', 'left'],
      );
      process.stdout.write(`Model: ${model.name}\n${table}\n`);
      if (rows.some((r) => Math.abs(r.readUnits - r.reportedReadUnits) >= 1e-9 || Math.abs(r.writeUnits - r.reportedWriteUnits) >= 1e-9)) {
        process.stdout.write("RCU/WCU per call by DynamoDB's rules: what AWS charges, as in `capacity` and `cost`. (local n): what the endpoint reported instead (DynamoDB Local under-reports transactions).\n");
      }
      // Each problem already names the pattern: print it once, at the start of the line.
      for (const r of rows.filter((x) => !x.matchesCatalog)) {
        const prefix = `${r.pattern} `;
        process.stdout.write(`${r.pattern}: ${r.problems.map((p) => (p.startsWith(prefix) ? p.slice(prefix.length) : p)).join('; ')}\n`);
      }
    }
    return rows.every((r) => r.matchesCatalog) ? 0 : 1;
  } finally {
    await session.close();
  }
}

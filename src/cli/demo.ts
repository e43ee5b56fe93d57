import { measurePatterns, openModelSession, progressReporter, summarize, verifyRequests, type Model } from '../toolkit';
import { renderTable } from './render-table';

export interface DemoOptions {
  size: number;
  json: boolean;
  keepTable: boolean;
}

const fmt = (n: number, digits = 1) => (Number.isInteger(n) ? String(n) : n.toFixed(digits));

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
    const runners = model.runners(session.services, seed);
    const names = model.catalog.map((p) => p.name);
    // Two warm-up rounds first: DynamoDB Local's JIT makes the first calls slow.
    await measurePatterns(names, runners, session.recorder, { iterations: 2 });
    const measured = await measurePatterns(names, runners, session.recorder);
    const rows = measured.map((m) => {
      const declaration = model.catalog.find((p) => p.name === m.pattern);
      const problems = declaration ? m.calls.flatMap((c) => verifyRequests(declaration, c.requests)) : ['not in the catalog'];
      return { ...summarize(m), kind: declaration?.kind ?? '?', matchesCatalog: problems.length === 0, problems };
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
          fmt(r.readUnits),
          fmt(r.writeUnits),
          r.latencyMs.toFixed(1),
          r.matchesCatalog ? 'ok' : 'MISMATCH',
        ]),
        ['left', 'left', 'left', 'left', 'right', 'right', 'right', 'right', 'left'],
      );
      process.stdout.write(`Model: ${model.name}\n${table}\n`);
      for (const r of rows.filter((x) => !x.matchesCatalog)) process.stdout.write(`${r.pattern}: ${r.problems.join('; ')}\n`);
    }
    return rows.every((r) => r.matchesCatalog) ? 0 : 1;
  } finally {
    await session.close();
  }
}

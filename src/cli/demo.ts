import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { catalog } from '../access-patterns/catalog';
import { createPatternRunners } from '../access-patterns/runners';
import { seedReferenceData } from '../access-patterns/seed';
import { verifyRequests } from '../catalog/verify-requests';
import { createTable, deleteTable } from '../entities';
import { localClientConfig } from '../local/client-config';
import { startLocalDynamo, type LocalDynamo } from '../local/start-local-dynamo';
import { RequestRecorder } from '../recorder/request-recorder';
import { measurePatterns, summarize } from '../runners/measure-patterns';
import { createServices } from '../services/create-services';
import { renderTable } from './render-table';

export interface DemoOptions {
  users: number;
  json: boolean;
  keepTable: boolean;
}

const fmt = (n: number, digits = 1) => (Number.isInteger(n) ? String(n) : n.toFixed(digits));

/**
 * The demo: DynamoDB Local (embedded unless DYNAMODB_ENDPOINT is set), a fresh table, a seeded
 * dataset, then every access pattern once, printed with the requests it sent and what they cost.
 */
export async function runDemo(options: DemoOptions): Promise<number> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  let local: LocalDynamo | undefined;
  let endpoint = process.env.DYNAMODB_ENDPOINT;
  if (!endpoint) {
    log('Starting the embedded DynamoDB Local (set DYNAMODB_ENDPOINT to use another one)...');
    local = await startLocalDynamo();
    endpoint = local.endpoint;
  }
  const client = new DynamoDBClient(localClientConfig(endpoint));
  const tableName = process.env.TABLE_NAME ?? `single-table-kit-demo-${Date.now().toString(36)}`;
  try {
    log(`DynamoDB at ${endpoint}; creating table ${tableName}`);
    await createTable(client, { tableName });
    const recorder = RequestRecorder.attach(client);
    const services = createServices({ client, tableName });
    const seed = await seedReferenceData(services, { users: options.users });
    log(`Seeded ${seed.users.length} users, ${seed.organizations.length} organizations, ${seed.orders.length} orders, ${seed.sessions.length} sessions.`);
    recorder.clear();
    const runners = createPatternRunners(services, seed);
    // Two warm-up rounds first: DynamoDB Local's JIT makes the first calls slow.
    await measurePatterns(catalog.map((p) => p.name), runners, recorder, { iterations: 2 });
    const measured = await measurePatterns(catalog.map((p) => p.name), runners, recorder);
    const rows = measured.map((m) => {
      const declaration = catalog.find((p) => p.name === m.pattern);
      const problems = declaration ? m.calls.flatMap((c) => verifyRequests(declaration, c.requests)) : ['not in the catalog'];
      return { ...summarize(m), kind: declaration?.kind ?? '?', matchesCatalog: problems.length === 0, problems };
    });
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ endpoint, tableName, seed: { users: seed.users.length, organizations: seed.organizations.length, orders: seed.orders.length, sessions: seed.sessions.length }, patterns: rows }, null, 2)}\n`);
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
      process.stdout.write(`${table}\n`);
      for (const r of rows.filter((x) => !x.matchesCatalog)) process.stdout.write(`${r.pattern}: ${r.problems.join('; ')}\n`);
    }
    return rows.every((r) => r.matchesCatalog) ? 0 : 1;
  } finally {
    if (!options.keepTable && !process.env.TABLE_NAME) await deleteTable(client, tableName).catch(() => undefined);
    client.destroy();
    await local?.stop();
  }
}

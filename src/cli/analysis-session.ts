import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { catalog } from '../access-patterns/catalog';
import { createPatternRunners } from '../access-patterns/runners';
import { seedReferenceData, type SeedData } from '../access-patterns/seed';
import { createTable, deleteTable, tableDefinition } from '../entities';
import { localClientConfig } from '../local/client-config';
import { startLocalDynamo, type LocalDynamo } from '../local/start-local-dynamo';
import { startProgress } from '../progress/progress';
import { RequestRecorder } from '../recorder/request-recorder';
import { measurePatterns, type PatternMeasurement } from '../runners/measure-patterns';
import { createServices } from '../services/create-services';

export interface AnalysisOptions {
  users: number;
  /** Calls measured per pattern. */
  iterations: number;
  userStatusShards?: number;
  quiet?: boolean;
}

export interface Analysis {
  seed: SeedData;
  measurements: PatternMeasurement[];
  /** Every item after the measured calls (a Scan: this is offline analysis, not an access pattern). */
  items: Record<string, unknown>[];
  indexes: { index: string; partitionKey: string }[];
}

/**
 * Seeds the reference model on a fresh table (embedded DynamoDB Local unless DYNAMODB_ENDPOINT is
 * set), measures every access pattern `iterations` times and snapshots the table.
 */
export async function runAnalysis(options: AnalysisOptions): Promise<Analysis> {
  let local: LocalDynamo | undefined;
  const endpoint = process.env.DYNAMODB_ENDPOINT ?? (local = await startLocalDynamo()).endpoint;
  const client = new DynamoDBClient(localClientConfig(endpoint));
  const tableName = `single-table-kit-analysis-${Date.now().toString(36)}`;
  try {
    const definition = tableDefinition({ tableName });
    await createTable(client, { tableName });
    const services = createServices({ client, tableName, userStatusShards: options.userStatusShards });
    const seed = await seedReferenceData(services, { users: options.users, quiet: options.quiet });
    const recorder = RequestRecorder.attach(client);
    const progress = startProgress('measuring patterns', catalog.length * options.iterations, { quiet: options.quiet });
    const measurements = await measurePatterns(
      catalog.map((p) => p.name),
      createPatternRunners(services, seed),
      recorder,
      { iterations: options.iterations, onProgress: (done) => progress.update(done) },
    );
    progress.stop();
    recorder.detach();
    const doc = DynamoDBDocumentClient.from(client);
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await doc.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }));
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    const indexes = [
      { index: 'table', partitionKey: definition.input.KeySchema?.find((k) => k.KeyType === 'HASH')?.AttributeName ?? 'pk' },
      ...(definition.input.GlobalSecondaryIndexes ?? []).map((g) => ({
        index: g.IndexName ?? '',
        partitionKey: g.KeySchema?.find((k) => k.KeyType === 'HASH')?.AttributeName ?? '',
      })),
    ];
    return { seed, measurements, items, indexes };
  } finally {
    await deleteTable(client, tableName).catch(() => undefined);
    client.destroy();
    await local?.stop();
  }
}

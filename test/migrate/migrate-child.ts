/*
 * A migration run in its own process, for the kill-and-resume test (which SIGKILLs it): reads
 * its inputs from the environment, writes the report as JSON on stdout when it finishes.
 */
import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { localClientConfig, parseSnapshot, runMigration, type Model } from '../../src/toolkit';

async function main(): Promise<void> {
  const env = (name: string) => {
    const v = process.env[name];
    if (!v) throw new Error(`${name} is not set`);
    return v;
  };
  const model: Model = env('MIGRATE_MODEL') === 'library' ? (await import('../fixtures/library-model')).libraryModel : (await import('../../src/reference')).referenceModel;
  let wrote = false;
  const client = new DynamoDBClient(localClientConfig(env('DYNAMODB_ENDPOINT')));
  const report = await runMigration(client, env('MIGRATE_TABLE'), parseSnapshot(JSON.parse(readFileSync(env('MIGRATE_FROM'), 'utf8'))), model, {
    checkpointFile: env('MIGRATE_CHECKPOINT'),
    segments: Number(env('MIGRATE_SEGMENTS')),
    maxWriteUnits: Number(env('MIGRATE_MAX_WCU')),
    pageSize: 5,
    // The test kills at random points once the rewrite has written (also inside a page, before its checkpoint).
    onConsumed: (_units, kind) => {
      if (kind === 'write' && !wrote) {
        wrote = true;
        process.stderr.write('writing\n');
      }
    },
  });
  process.stdout.write(JSON.stringify(report));
  client.destroy();
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});

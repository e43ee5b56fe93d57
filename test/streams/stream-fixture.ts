import { CreateTableCommand, DynamoDBClient, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { createEngine, type Engine } from '../../src/engine';
import { deriveTableDefinition, embeddedClientConfig, type EntityIndexSource } from '../../src/toolkit';

/** An engine of the test's own, a streamed table derived from `entities`, and a client on it. */
export async function streamedTable(entities: readonly EntityIndexSource[], options: { clock?: () => number; ttlAttribute?: string; view?: 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES' } = {}) {
  const engine: Engine = createEngine({ seed: 7, ...(options.clock ? { clock: options.clock } : {}) });
  const client = new DynamoDBClient(embeddedClientConfig(engine));
  const tableName = 'streamed.table-1';
  const definition = deriveTableDefinition({ tableName, entities, stream: options.view ?? 'NEW_AND_OLD_IMAGES', ttlAttribute: options.ttlAttribute ?? 'expiresAt' });
  await client.send(new CreateTableCommand(definition.input));
  if (definition.ttlAttribute) await client.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { Enabled: true, AttributeName: definition.ttlAttribute } }));
  return {
    engine,
    client,
    tableName,
    async close() {
      client.destroy();
      await engine.close();
    },
  };
}

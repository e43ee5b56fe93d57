/**
 * The engine in process behind the AWS SDK v3, as a user reaches it: createEngine + the engine's
 * request handler, no socket. Shared by the tests written from AWS's documentation.
 */
import { CreateTableCommand, DynamoDBClient, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { createEngine, engineRequestHandler, type Engine, type EngineOptions } from '../../../src/engine';

export interface EngineUnderTest {
  engine: Engine;
  client: DynamoDBClient;
  streams: DynamoDBStreamsClient;
}

const credentials = { accessKeyId: 'x', secretAccessKey: 'y' };

export function engineUnderTest(options: EngineOptions = {}): EngineUnderTest {
  const engine = createEngine(options);
  const requestHandler = engineRequestHandler(engine);
  const common = { region: 'us-east-1', credentials, endpoint: 'http://engine.local', requestHandler, maxAttempts: 1 };
  return { engine, client: new DynamoDBClient(common), streams: new DynamoDBStreamsClient(common) };
}

/** A table keyed pk (S) / sk (S), on demand, plus whatever the test adds. */
export async function createTable(client: DynamoDBClient, name: string, extra: Partial<CreateTableCommandInput> = {}): Promise<void> {
  await client.send(new CreateTableCommand({
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    ...extra,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' },
      ...(extra.AttributeDefinitions ?? []),
    ],
  }));
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejection(p: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await p;
  } catch (e) {
    return e as Error & Record<string, unknown>;
  }
  throw new Error('expected the request to fail, it succeeded');
}

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { localClientConfig } from '../local/client-config';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '../local/embedded-dynamo';

const HANDLE = '__SINGLE_TABLE_KIT_EMBEDDED_DYNAMO__';

/**
 * Jest globalSetup: one embedded engine for the whole run, served on 127.0.0.1, its endpoint in
 * DYNAMODB_ENDPOINT for every test file (jest's workers are other processes, so they reach it over
 * HTTP). With DYNAMODB_ENDPOINT already set (DynamoDB Local, dynalite, AWS), the tests use that.
 */
export async function globalSetup(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  if (process.env.DYNAMODB_ENDPOINT) return;
  const embedded = await startEmbeddedDynamo();
  process.env.DYNAMODB_ENDPOINT = embedded.endpoint;
  (globalThis as Record<string, unknown>)[HANDLE] = embedded;
}

/** Jest globalTeardown: stops the engine that globalSetup started. */
export async function globalTeardown(): Promise<void> {
  const embedded = (globalThis as Record<string, unknown>)[HANDLE] as EmbeddedDynamo | undefined;
  await embedded?.stop();
  delete (globalThis as Record<string, unknown>)[HANDLE];
}

/** A client on the test run's DynamoDB (DYNAMODB_ENDPOINT, set by globalSetup). */
export function testClient(): DynamoDBClient {
  const endpoint = process.env.DYNAMODB_ENDPOINT;
  if (!endpoint) throw new Error('DYNAMODB_ENDPOINT is not set: run the tests through jest with single-table-kit/testing/global-setup as globalSetup');
  return new DynamoDBClient(localClientConfig(endpoint));
}

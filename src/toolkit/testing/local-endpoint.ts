import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { localClientConfig } from '../local/client-config';
import { startLocalDynamo, type LocalDynamo } from '../local/start-local-dynamo';

const HANDLE = '__SINGLE_TABLE_KIT_LOCAL_DYNAMO__';

/**
 * Jest globalSetup: one embedded DynamoDB Local for the whole run, its endpoint in
 * DYNAMODB_ENDPOINT for every test file. With DYNAMODB_ENDPOINT already set (docker compose, a
 * DynamoDB Local you started), the tests use that instead.
 */
export async function globalSetup(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  if (process.env.DYNAMODB_ENDPOINT) return;
  const local = await startLocalDynamo();
  process.env.DYNAMODB_ENDPOINT = local.endpoint;
  (globalThis as Record<string, unknown>)[HANDLE] = local;
}

/** Jest globalTeardown: stops the DynamoDB Local that globalSetup started. */
export async function globalTeardown(): Promise<void> {
  const local = (globalThis as Record<string, unknown>)[HANDLE] as LocalDynamo | undefined;
  await local?.stop();
  delete (globalThis as Record<string, unknown>)[HANDLE];
}

/** A client on the test run's DynamoDB (DYNAMODB_ENDPOINT, set by globalSetup). */
export function testClient(): DynamoDBClient {
  const endpoint = process.env.DYNAMODB_ENDPOINT;
  if (!endpoint) throw new Error('DYNAMODB_ENDPOINT is not set: run the tests through jest with single-table-kit/testing/global-setup as globalSetup');
  return new DynamoDBClient(localClientConfig(endpoint));
}

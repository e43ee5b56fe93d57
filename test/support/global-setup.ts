import { startLocalDynamo } from '../../src/local/start-local-dynamo';

/**
 * One DynamoDB Local for the whole run. With DYNAMODB_ENDPOINT already set (docker compose, or a
 * DynamoDB Local you started), the tests use that instead.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.DYNAMODB_ENDPOINT) return;
  const local = await startLocalDynamo();
  process.env.DYNAMODB_ENDPOINT = local.endpoint;
  (globalThis as { __LOCAL_DYNAMO__?: typeof local }).__LOCAL_DYNAMO__ = local;
}

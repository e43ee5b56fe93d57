import { startLocalDynamo } from '../../src/local/start-local-dynamo';

/**
 * One DynamoDB Local for the whole run. With DYNAMODB_ENDPOINT already set (docker compose, or a
 * DynamoDB Local you started), the tests use that instead.
 */
export default async function globalSetup(): Promise<void> {
  // We pin an SDK release that supports Node 20 on purpose; its upgrade notice is noise in test output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  if (process.env.DYNAMODB_ENDPOINT) return;
  const local = await startLocalDynamo();
  process.env.DYNAMODB_ENDPOINT = local.endpoint;
  (globalThis as { __LOCAL_DYNAMO__?: typeof local }).__LOCAL_DYNAMO__ = local;
}

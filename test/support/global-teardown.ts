import type { LocalDynamo } from '../../src/local/start-local-dynamo';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __LOCAL_DYNAMO__?: LocalDynamo }).__LOCAL_DYNAMO__?.stop();
}

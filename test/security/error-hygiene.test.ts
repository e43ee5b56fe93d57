import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createServices } from '../../src/reference';
import { FaultInjector, localClientConfig } from '../../src/toolkit';
import { checkInvariants } from '../support/invariants';
import { createModelFixture, type ModelFixture } from '../support/model-fixture';

/*
 * Messages a caller may show or log carry no endpoint (host, port), no table name and no internal
 * key ($app#..., index names): checked on every kind of error a call can end with.
 */
let f: ModelFixture;
let faults: FaultInjector;
beforeAll(async () => {
  f = await createModelFixture('hygiene-secret-table');
  faults = FaultInjector.attach(f.client);
});
afterEach(async () => {
  faults.clear();
  expect(await checkInvariants(f.client, f.tableName)).toEqual([]);
});
afterAll(() => f.close());

const endpoint = new URL(process.env.DYNAMODB_ENDPOINT as string);
function expectClean(error: unknown, extra: string[] = []): void {
  expect(error).toBeInstanceOf(Error);
  const text = `${String(error)} ${(error as Error).message}`;
  for (const secret of [endpoint.host, endpoint.hostname, `:${endpoint.port}`, f.tableName, 'hygiene-secret', '$app', 'gsi', 'userId_', '__edb', ...extra]) {
    expect(text).not.toContain(secret);
  }
}

describe('error messages name no endpoint, table or internal key', () => {
  it('UNAVAILABLE after throttling, 5xx and throttling cancellations', async () => {
    const user = await f.services.createUser({ email: 'clean@example.com', name: 'Clean' });
    faults.inject({ fault: 'throttling', operation: 'GetItem', times: 'always' });
    expectClean(await f.services.getUserById(user.userId).catch((e: unknown) => e));
    faults.clear();
    faults.inject({ fault: 'internalServerError', operation: 'Query', times: 'always' });
    expectClean(await f.services.listOrdersForUser(user.userId).catch((e: unknown) => e));
    faults.clear();
    faults.inject({ fault: 'transactionThrottled', operation: 'TransactWriteItems', times: 'always' });
    expectClean(await f.services.createSession(user.userId, { ttlSeconds: 600 }).catch((e: unknown) => e));
  });

  it('UNAVAILABLE when DynamoDB cannot be reached at all', async () => {
    const client = new DynamoDBClient({ ...localClientConfig('http://127.0.0.1:9'), maxAttempts: 1 });
    const unreachable = createServices({ client, tableName: f.tableName });
    const error = await unreachable.getUserById('01ARZ3NDEKTSV4RRFFQ69G5FAV').catch((e: unknown) => e);
    client.destroy();
    expect(error).toMatchObject({ code: 'UNAVAILABLE' });
    expectClean(error, ['127.0.0.1', ':9']);
  });

  it('VALIDATION for an inverted date range (once the raw ValidationException with key values)', async () => {
    expectClean(await f.services.listUsersByStatus('active', { createdFrom: '2024-02-01T00:00:00Z', createdTo: '2024-01-01T00:00:00Z' }).catch((e: unknown) => e));
  });

  it('NOT_FOUND, LAST_OWNER, EMAIL_TAKEN, cursor VALIDATION, and a table that does not exist', async () => {
    const owner = await f.services.createUser({ email: 'owner-clean@example.com', name: 'Owner' });
    const org = await f.services.createOrganization({ name: 'Clean Org', ownerUserId: owner.userId });
    expectClean(await f.services.addMember(org.orgId, '01ARZ3NDEKTSV4RRFFQ69G5FAV', 'member').catch((e: unknown) => e));
    expectClean(await f.services.deleteUser(owner.userId).catch((e: unknown) => e));
    expectClean(await f.services.createUser({ email: 'owner-clean@example.com', name: 'Again' }).catch((e: unknown) => e));
    expectClean(await f.services.listOrdersForUser(owner.userId, { cursor: 'not-a-cursor' }).catch((e: unknown) => e));
    const missing = createServices({ client: f.client, tableName: `${f.tableName}-missing` });
    expectClean(await missing.getUserById(owner.userId).catch((e: unknown) => e));
  });
});

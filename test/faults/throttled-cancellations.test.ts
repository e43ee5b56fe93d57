import { DeleteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { FaultInjector, UnavailableError, type FaultRule } from '../../src/toolkit';
import type { Services } from '../../src/reference';
import { checkInvariants } from '../support/invariants';
import { createModelFixture, type ModelFixture } from '../support/model-fixture';

/*
 * AWS cancels a whole transaction with reason ThrottlingError or ProvisionedThroughputExceeded on
 * the action whose table or index is throttled (TransactWriteItems API reference). The SDK does
 * not retry a TransactionCanceledException: the toolkit's transactWrite does, with backoff, then
 * reports UNAVAILABLE; never NOT_FOUND, TRANSACTION_CANCELLED or VERSION_CONFLICT. Also: deleteUser
 * is bounded, and a rename that failed while copying the name is repaired by repeating it.
 * Every test ends with the table's invariants.
 */
let f: ModelFixture;
let faults: FaultInjector;
beforeAll(async () => {
  f = await createModelFixture('throttled-tx');
  faults = FaultInjector.attach(f.client);
});
beforeEach(() => faults.clear());
afterEach(async () => {
  faults.clear();
  expect(await checkInvariants(f.client, f.tableName)).toEqual([]);
});
afterAll(() => f.close());

let seq = 0;
const email = () => `thr-${(seq += 1)}-${Date.now()}@example.com`;
const order = { currency: 'EUR', items: [{ sku: 'T-1', name: 'T', quantity: 1, unitPriceCents: 100 }] };
const injectedCount = () => faults.injected().filter((x) => x.fault === 'transactionThrottled').length;

interface Scenario {
  name: string;
  /** The action that carries the throttling reason. */
  action: number;
  setup: (s: Services) => Promise<() => Promise<unknown>>;
}

const scenarios: Scenario[] = [
  {
    name: 'addMember (reason on the user check, once mapped to NOT_FOUND)',
    action: 2,
    setup: async (s) => {
      const owner = await s.createUser({ email: email(), name: 'Owner' });
      const member = await s.createUser({ email: email(), name: 'Member' });
      const org = await s.createOrganization({ name: 'Throttled Org', ownerUserId: owner.userId });
      const call = () => s.addMember(org.orgId, member.userId, 'member');
      Object.assign(call, { check: async () => expect((await s.getOrganization(org.orgId))?.memberCount).toBe(1) });
      return call;
    },
  },
  {
    name: 'createUser',
    action: 1,
    setup: async (s) => {
      const address = email();
      return Object.assign(() => s.createUser({ email: address, name: 'New' }), { check: async () => expect(await s.getUserByEmail(address)).toBeNull() });
    },
  },
  {
    name: 'createOrganization',
    action: 0,
    setup: async (s) => {
      const owner = await s.createUser({ email: email(), name: 'Founder' });
      return Object.assign(() => s.createOrganization({ name: 'Never', ownerUserId: owner.userId }), {
        check: async () => expect((await s.listUserOrganizations(owner.userId)).items).toEqual([]),
      });
    },
  },
  {
    name: 'placeOrder',
    action: 1,
    setup: async (s) => {
      const buyer = await s.createUser({ email: email(), name: 'Buyer' });
      return Object.assign(() => s.placeOrder(buyer.userId, { ...order, idempotencyKey: 'throttled' }), {
        check: async () => expect((await s.listOrdersForUser(buyer.userId)).items).toEqual([]),
      });
    },
  },
  {
    name: 'createSession',
    action: 1,
    setup: async (s) => {
      const user = await s.createUser({ email: email(), name: 'Session' });
      return Object.assign(() => s.createSession(user.userId, { ttlSeconds: 600 }), { check: async () => expect(await s.listActiveSessions(user.userId)).toEqual([]) });
    },
  },
  {
    name: 'changeUserEmail (once an invented VERSION_CONFLICT)',
    action: 2,
    setup: async (s) => {
      const user = await s.createUser({ email: email(), name: 'Mover' });
      return Object.assign(() => s.changeUserEmail(user.userId, email()), {
        check: async () => expect((await s.getUserById(user.userId, { consistent: true }))?.email).toBe(user.email),
      });
    },
  },
];

type Call = (() => Promise<unknown>) & { check?: () => Promise<void> };

describe.each(['ThrottlingError', 'ProvisionedThroughputExceeded'] as const)('a transaction cancelled with %s', (reason) => {
  it.each(scenarios.map((s) => [s.name, s] as const))('%s: UNAVAILABLE after the retries when it persists, nothing written', async (_name, scenario) => {
    const call = (await scenario.setup(f.services)) as Call;
    const rule: FaultRule = { fault: 'transactionThrottled', reason, action: scenario.action, operation: 'TransactWriteItems', times: 'always' };
    faults.inject(rule);
    const error = await call().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error).toMatchObject({ code: 'UNAVAILABLE' });
    expect(injectedCount()).toBe(5); // transactionConflictAttempts' default
    faults.clear();
    await call.check?.();
  });

  it.each(scenarios.map((s) => [s.name, s] as const))('%s: succeeds when the throttling passes', async (_name, scenario) => {
    const call = (await scenario.setup(f.services)) as Call;
    faults.inject({ fault: 'transactionThrottled', reason, action: scenario.action, operation: 'TransactWriteItems', times: 2 });
    await expect(call()).resolves.toBeDefined();
    expect(injectedCount()).toBe(2);
  });
});

describe('deleteUser is bounded', () => {
  // deleteUser's last transaction: Delete user + Delete email claim (only Deletes).
  const lastStep = (input: Record<string, unknown>) => (input.TransactItems as object[]).every((t) => 'Delete' in t);

  it('under a persistent throttling cancellation of its last step: UNAVAILABLE after a bounded number of transactions; calling it again finishes', async () => {
    const user = await f.services.createUser({ email: email(), name: 'Stuck' });
    await f.services.createSession(user.userId, { ttlSeconds: 600 });
    faults.inject({ fault: 'transactionThrottled', operation: 'TransactWriteItems', match: lastStep, times: 'always' });
    const { result, requests } = await f.requestsOf(() => f.services.deleteUser(user.userId).catch((e: unknown) => e));
    expect(result).toMatchObject({ code: 'UNAVAILABLE' });
    expect(injectedCount()).toBe(5);
    expect(requests.filter((r) => r.operation === 'TransactWriteItems').length).toBeLessThanOrEqual(6); // the mark + 5 attempts
    faults.clear();
    await f.services.deleteUser(user.userId);
    expect(await f.services.getUserById(user.userId, { consistent: true })).toBeNull();
  });

  it('when the user\'s email claim is missing: the user is deleted all the same, in a bounded number of requests', async () => {
    const user = await f.services.createUser({ email: email(), name: 'Unclaimed' });
    // A table already damaged (by hand, or by an older version): the claim is gone.
    await DynamoDBDocumentClient.from(f.client).send(new DeleteCommand({ TableName: f.tableName, Key: { pk: `$app#email_${user.email}`, sk: '$emailClaim_1' } }));
    const { requests } = await f.requestsOf(() => f.services.deleteUser(user.userId));
    expect(requests.length).toBeLessThan(15);
    expect(await f.services.getUserById(user.userId, { consistent: true })).toBeNull();
  });
});

describe('the name copied onto memberships is repaired by a retry', () => {
  // The injector sees the marshalled request ({ S: '...' } values).
  const membershipUpdate = (input: Record<string, unknown>) => JSON.stringify(input.Key ?? {}).includes('membership_');

  it('a rename that fails while copying (UNAVAILABLE) is repaired by repeating the same call with the same expectedVersion', async () => {
    const owner = await f.services.createUser({ email: email(), name: 'Owner' });
    const user = await f.services.createUser({ email: email(), name: 'Before' });
    const orgs = await Promise.all([0, 1].map((i) => f.services.createOrganization({ name: `Copy ${i}`, ownerUserId: owner.userId })));
    for (const o of orgs) await f.services.addMember(o.orgId, user.userId, 'member');
    faults.inject({ fault: 'internalServerError', operation: 'UpdateItem', match: membershipUpdate, times: 'always' });
    await expect(f.services.updateUserProfile(user.userId, { name: 'After' }, { expectedVersion: user.version })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    faults.clear();
    const retried = await f.services.updateUserProfile(user.userId, { name: 'After' }, { expectedVersion: user.version });
    expect(retried).toMatchObject({ name: 'After', version: user.version + 1 });
    expect((await f.services.listUserOrganizations(user.userId)).items.map((m) => m.userName)).toEqual(['After', 'After']);
  });

  it('a rename whose answer was lost (the SDK re-sends it) returns the renamed user, not VERSION_CONFLICT', async () => {
    const owner = await f.services.createUser({ email: email(), name: 'Owner' });
    const user = await f.services.createUser({ email: email(), name: 'Lost' });
    const org = await f.services.createOrganization({ name: 'Lost answers', ownerUserId: owner.userId });
    await f.services.addMember(org.orgId, user.userId, 'member');
    faults.inject({ fault: 'responseLost', operation: 'UpdateItem', match: (input) => JSON.stringify(input.Key ?? {}).includes('user_1"'), times: 1 });
    const renamed = await f.services.updateUserProfile(user.userId, { name: 'Found' }, { expectedVersion: user.version });
    expect(faults.injected().filter((x) => x.fault === 'responseLost')).toHaveLength(1);
    expect(renamed).toMatchObject({ name: 'Found', version: user.version + 1 });
    expect((await f.services.listUserOrganizations(user.userId)).items.map((m) => m.userName)).toEqual(['Found']);
  });

  it('a stale expectedVersion is still VERSION_CONFLICT, and the copies are brought up to date on the way', async () => {
    const owner = await f.services.createUser({ email: email(), name: 'Owner' });
    const user = await f.services.createUser({ email: email(), name: 'One' });
    const org = await f.services.createOrganization({ name: 'Stale', ownerUserId: owner.userId });
    await f.services.addMember(org.orgId, user.userId, 'member');
    faults.inject({ fault: 'internalServerError', operation: 'UpdateItem', match: membershipUpdate, times: 'always' });
    await expect(f.services.updateUserProfile(user.userId, { name: 'Two' })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    faults.clear();
    await expect(f.services.updateUserProfile(user.userId, { name: 'Three' }, { expectedVersion: user.version })).rejects.toMatchObject({ code: 'VERSION_CONFLICT' });
    expect((await f.services.listUserOrganizations(user.userId)).items.map((m) => m.userName)).toEqual(['Two']);
  });
});

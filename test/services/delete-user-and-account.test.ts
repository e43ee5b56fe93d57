import { createServices, type Services } from '../../src/reference';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { checkInvariants } from '../support/invariants';
import { testClient } from '../support/local-table';
import { createModelFixture, type ModelFixture } from '../support/model-fixture';

/*
 * deleteUser's LAST_OWNER comes only before any write and only for a real last owner, also when
 * another call changes the organization between deleteUser's reads and writes (made to happen at
 * exactly that point by SDK middleware that runs the other call before deleteUser's request goes
 * out). getUserAccount shows the user's orders whatever the number of expired sessions.
 */
let f: ModelFixture;
let other: Services;
let otherClient: DynamoDBClient;
beforeAll(async () => {
  f = await createModelFixture('delete-account');
  otherClient = testClient();
  other = createServices({ client: otherClient, tableName: f.tableName });
});
afterEach(async () => {
  expect(await checkInvariants(f.client, f.tableName)).toEqual([]);
});
afterAll(async () => {
  otherClient.destroy();
  await f.close();
});

let seq = 0;
const newUser = (name: string) => f.services.createUser({ email: `da-${(seq += 1)}-${Date.now()}@example.com`, name });

/** Runs `action` (on another client) once, just before the first request that `when` picks is sent. */
function before(when: (operation: string, input: Record<string, unknown>) => boolean, action: () => Promise<unknown>): () => void {
  let done = false;
  const name = `before-${(seq += 1)}`;
  f.client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = String(context.commandName ?? '').replace(/Command$/, '');
      if (!done && when(operation, args.input as Record<string, unknown>)) {
        done = true;
        await action();
      }
      return next(args);
    },
    { step: 'initialize', name },
  );
  return () => f.client.middlewareStack.remove(name);
}

describe('deleteUser and LAST_OWNER', () => {
  it('another owner leaving just before deleteUser writes: LAST_OWNER, and nothing was written (the user keeps every membership)', async () => {
    const user = await newUser('Leaver');
    const coOwner = await newUser('Co-owner');
    const a = await f.services.createOrganization({ name: 'A', ownerUserId: coOwner.userId });
    const b = await f.services.createOrganization({ name: 'B', ownerUserId: coOwner.userId });
    await f.services.addMember(a.orgId, user.userId, 'member');
    await f.services.addMember(b.orgId, user.userId, 'admin');
    const shared = await f.services.createOrganization({ name: 'Shared', ownerUserId: coOwner.userId });
    await f.services.addMember(shared.orgId, user.userId, 'owner');
    const off = before((operation) => operation === 'TransactWriteItems', () => other.removeMember(shared.orgId, coOwner.userId));
    try {
      await expect(f.services.deleteUser(user.userId)).rejects.toMatchObject({ code: 'LAST_OWNER', orgId: shared.orgId });
    } finally {
      off();
    }
    expect((await f.services.listUserOrganizations(user.userId)).items.map((m) => m.orgId).sort()).toEqual([a.orgId, b.orgId, shared.orgId].sort());
    expect((await f.services.getUserById(user.userId, { consistent: true }))?.status).toBe('active');
  });

  it('demoted between deleteUser\'s reads (no longer an owner): no LAST_OWNER, the user is deleted', async () => {
    const user = await newUser('Demoted');
    const coOwner = await newUser('Keeper');
    const org = await f.services.createOrganization({ name: 'Demotion', ownerUserId: coOwner.userId });
    await f.services.addMember(org.orgId, user.userId, 'owner');
    // Right after deleteUser listed the memberships (user still an owner), before its next read.
    const off = before((operation, input) => operation === 'GetItem' && String((input.Key as { pk?: string }).pk).includes(org.orgId), () => other.changeMemberRole(org.orgId, user.userId, 'member'));
    try {
      await f.services.deleteUser(user.userId);
    } finally {
      off();
    }
    expect(await f.services.getUserById(user.userId, { consistent: true })).toBeNull();
    expect(await f.services.getOrganization(org.orgId)).toMatchObject({ ownerCount: 1, memberCount: 1 });
  });
});

describe('getUserAccount with many sessions', () => {
  it('60 expired sessions newer than every order: the orders and the live sessions are all there', async () => {
    const user = await newUser('Busy');
    const placed = [];
    for (let i = 0; i < 3; i += 1) {
      placed.push((await f.services.placeOrder(user.userId, { currency: 'EUR', items: [{ sku: `A-${i}`, name: 'A', quantity: 1, unitPriceCents: 10 }] })).order);
      f.clock.advance(1);
    }
    for (let i = 0; i < 60; i += 1) await f.services.createSession(user.userId, { ttlSeconds: 60 });
    f.clock.advance(120); // all 60 expired; TTL has not deleted them yet
    const live = [await f.services.createSession(user.userId, { ttlSeconds: 600 })];
    f.clock.advance(1);
    live.unshift(await f.services.createSession(user.userId, { ttlSeconds: 600 }));
    const account = await f.expectPattern('getUserAccount', () => f.services.getUserAccount(user.userId));
    expect(account?.orders.map((o) => o.orderId)).toEqual(placed.map((o) => o.orderId).reverse());
    expect(account?.sessions.map((s) => s.sessionId)).toEqual(live.map((s) => s.sessionId));
    const small = await f.services.getUserAccount(user.userId, { limit: 1 });
    expect(small?.orders.map((o) => o.orderId)).toEqual([placed[2]?.orderId]);
    expect(small?.sessions.map((s) => s.sessionId)).toEqual([live[0]?.sessionId]);
  });
});

import { EmailTakenError, LastOwnerError, VersionConflictError } from '../../src/reference';
import { NotFoundError, ValidationError } from '../../src/toolkit';
import type { UserItem } from '../../src/reference';
import { USER_STATUS_SHARDS } from '../../src/reference';
import { collectPages, createModelFixture, type ModelFixture } from '../support/model-fixture';

let f: ModelFixture;
beforeAll(async () => {
  f = await createModelFixture('users');
});
afterAll(() => f.close());

let seq = 0;
const uniqueEmail = (tag: string) => `${tag}.${Date.now()}.${(seq += 1)}@example.com`;

async function newUser(tag = 'user', name = 'Test User'): Promise<UserItem> {
  f.clock.advance(1); // distinct createdAt, so "newest first" is well defined
  return f.services.createUser({ email: uniqueEmail(tag), name });
}

describe('createUser', () => {
  it('creates an active user at version 1 with a normalized email, in one transaction', async () => {
    const email = uniqueEmail('Mixed.Case');
    const user = await f.expectPattern('createUser', () => f.services.createUser({ email: `  ${email.toUpperCase()} `, name: ' Ada ' }));
    expect(user).toMatchObject({ email: email.toLowerCase(), name: 'Ada', status: 'active', version: 1 });
    expect(user.userId).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(user.createdAt).toBe(user.updatedAt);
    expect(await f.services.getUserById(user.userId, { consistent: true })).toEqual(user);
  });

  it('refuses an email another user has, in any case, and writes nothing', async () => {
    const first = await newUser('taken');
    const before = await f.services.listUsersByStatus('active', { limit: 100 });
    await expect(f.services.createUser({ email: first.email.toUpperCase(), name: 'Copycat' })).rejects.toBeInstanceOf(EmailTakenError);
    await expect(f.services.createUser({ email: first.email, name: 'Copycat' })).rejects.toMatchObject({ code: 'EMAIL_TAKEN' });
    const after = await f.services.listUsersByStatus('active', { limit: 100 });
    expect(after.items.length).toBe(before.items.length);
    expect((await f.services.getUserByEmail(first.email))?.userId).toBe(first.userId);
  });

  it('rejects a malformed email with a ValidationError naming the field, before any request', async () => {
    const { result, requests } = await f.requestsOf(() => f.services.createUser({ email: 'bob@', name: 'Bob' }).catch((e: unknown) => e));
    expect(result).toBeInstanceOf(ValidationError);
    expect(result).toMatchObject({ code: 'VALIDATION', field: 'email', rule: 'is not an email address' });
    expect((result as Error).message).toBe("email: 'bob@' is not an email address");
    expect(requests).toHaveLength(0);
  });
});

describe('getUserById', () => {
  it('returns the user, or null for an unknown id', async () => {
    const user = await newUser();
    expect(await f.expectPattern('getUserById', () => f.services.getUserById(user.userId))).toEqual(user);
    expect(await f.expectPattern('getUserById', () => f.services.getUserById('01ARZ3NDEKTSV4RRFFQ69G5FAV'))).toBeNull();
  });

  it('reads strongly consistent only when asked', async () => {
    const user = await newUser();
    const eventual = await f.requestsOf(() => f.services.getUserById(user.userId));
    const strong = await f.requestsOf(() => f.services.getUserById(user.userId, { consistent: true }));
    expect(eventual.requests[0]?.consistentRead).toBe(false);
    expect(strong.requests[0]?.consistentRead).toBe(true);
    // A strongly consistent read costs a full unit; an eventually consistent one half.
    expect(strong.requests[0]?.readUnits).toBe(1);
    expect(eventual.requests[0]?.readUnits).toBe(0.5);
  });
});

describe('getUserByEmail', () => {
  it('finds the user by email in any case with one Query on gsi2, null when unknown', async () => {
    const user = await newUser('lookup');
    expect(await f.expectPattern('getUserByEmail', () => f.services.getUserByEmail(` ${user.email.toUpperCase()}`))).toEqual(user);
    expect(await f.expectPattern('getUserByEmail', () => f.services.getUserByEmail('nobody@example.com'))).toBeNull();
  });
});

describe('listUsersByStatus', () => {
  it('returns newest first across pages, one Query per page, and honours the date range', async () => {
    const f2 = await createModelFixture('users-status');
    try {
      const created: UserItem[] = [];
      for (let i = 0; i < 7; i += 1) {
        f2.clock.advance(60);
        created.push(await f2.services.createUser({ email: `status${i}@example.com`, name: `User ${i}` }));
      }
      const { items, pages } = await collectPages((cursor) =>
        f2.expectPattern('listUsersByStatus', () => f2.services.listUsersByStatus('active', { limit: 3, cursor })),
      );
      expect(pages).toBe(3);
      expect(items.map((u) => u.userId)).toEqual(created.map((u) => u.userId).reverse());

      const middle = await f2.services.listUsersByStatus('active', {
        createdFrom: created[2]?.createdAt,
        createdTo: new Date(created[4]?.createdAt as string),
      });
      expect(middle.items.map((u) => u.userId)).toEqual([created[4], created[3], created[2]].map((u) => u?.userId));
      expect(middle.cursor).toBeNull();

      expect(await f2.services.listUsersByStatus('suspended')).toEqual({ items: [], cursor: null });
    } finally {
      await f2.close();
    }
  });

  it(`reads all ${USER_STATUS_SHARDS} shards on the first page and merges them without skipping or repeating a user`, async () => {
    const f3 = await createModelFixture('users-shards');
    try {
      const created: UserItem[] = [];
      // At least 23 users, and on until every shard holds one (a shard comes from the random id: 23 miss one about 1 run in 200).
      for (let i = 0; i < 23 || (new Set(created.map((u) => u.statusShard)).size < USER_STATUS_SHARDS && i < 200); i += 1) {
        if (i % 3 === 0) f3.clock.advance(1); // several users share a millisecond: ties are ordered by id
        created.push(await f3.services.createUser({ email: `shard${i}@example.com`, name: `Shard ${i}` }));
      }
      expect(new Set(created.map((u) => u.statusShard)).size).toBe(USER_STATUS_SHARDS);
      const first = await f3.requestsOf(() => f3.services.listUsersByStatus('active', { limit: 5 }));
      expect(first.requests.filter((r) => r.operation === 'Query' && r.index === 'gsi3')).toHaveLength(USER_STATUS_SHARDS);
      expect(new Set(first.requests.map((r) => r.partitions[0]?.value)).size).toBe(USER_STATUS_SHARDS);
      const { items, pages } = await collectPages((cursor) => f3.expectPattern('listUsersByStatus', () => f3.services.listUsersByStatus('active', { limit: 5, cursor })));
      expect(pages).toBe(5);
      const expected = [...created].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.userId.localeCompare(a.userId));
      expect(items.map((u) => u.userId)).toEqual(expected.map((u) => u.userId));
      // a cursor of one status cannot continue another status's listing
      const page = await f3.services.listUsersByStatus('active', { limit: 5 });
      await expect(f3.services.listUsersByStatus('suspended', { limit: 5, cursor: page.cursor })).rejects.toMatchObject({ code: 'VALIDATION', field: 'cursor' });
    } finally {
      await f3.close();
    }
  });
});

describe('updateUserProfile', () => {
  it('renames, increments version, and copies the name to memberships', async () => {
    const user = await newUser();
    const org = await f.services.createOrganization({ name: 'Acme', ownerUserId: user.userId });
    const updated = await f.expectPattern('updateUserProfile', () =>
      f.services.updateUserProfile(user.userId, { name: 'Renamed' }, { expectedVersion: 1 }),
    );
    expect(updated).toMatchObject({ userId: user.userId, name: 'Renamed', version: 2 });
    const members = await f.services.listOrganizationMembers(org.orgId);
    expect(members.items[0]?.userName).toBe('Renamed');
  });

  it('refuses a stale expectedVersion with VersionConflictError and changes nothing', async () => {
    const user = await newUser();
    await f.services.updateUserProfile(user.userId, { name: 'Second' });
    const error = await f.services.updateUserProfile(user.userId, { name: 'Stale' }, { expectedVersion: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VersionConflictError);
    expect(error).toMatchObject({ code: 'VERSION_CONFLICT', expectedVersion: 1, actualVersion: 2 });
    expect(await f.services.getUserById(user.userId, { consistent: true })).toMatchObject({ name: 'Second', version: 2 });
  });

  it('reports a missing user as NotFoundError', async () => {
    await expect(f.services.updateUserProfile('01ARZ3NDEKTSV4RRFFQ69G5FAV', { name: 'X' })).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('changeUserEmail', () => {
  it('moves the claim: the new email finds the user, the old one is free again', async () => {
    const user = await newUser('old');
    const newEmail = uniqueEmail('new');
    const changed = await f.expectPattern('changeUserEmail', () => f.services.changeUserEmail(user.userId, newEmail));
    expect(changed).toMatchObject({ email: newEmail, version: 2 });
    expect((await f.services.getUserByEmail(newEmail))?.userId).toBe(user.userId);
    expect(await f.services.getUserByEmail(user.email)).toBeNull();
    const reuser = await f.services.createUser({ email: user.email, name: 'Reuse' });
    expect(reuser.email).toBe(user.email);
  });

  it('refuses an email someone else has, and nothing changes', async () => {
    const a = await newUser('a');
    const b = await newUser('b');
    await expect(f.services.changeUserEmail(a.userId, b.email)).rejects.toBeInstanceOf(EmailTakenError);
    expect(await f.services.getUserById(a.userId, { consistent: true })).toEqual(a);
    expect((await f.services.getUserByEmail(a.email))?.userId).toBe(a.userId);
    expect((await f.services.getUserByEmail(b.email))?.userId).toBe(b.userId);
    // a's email is still claimed: nobody else can take it
    await expect(f.services.createUser({ email: a.email, name: 'x' })).rejects.toBeInstanceOf(EmailTakenError);
  });
});

describe('setUserStatus', () => {
  it('moves the user from one status listing to another', async () => {
    const user = await newUser();
    const suspended = await f.expectPattern('setUserStatus', () => f.services.setUserStatus(user.userId, 'suspended'));
    expect(suspended).toMatchObject({ status: 'suspended', version: 2 });
    const active = await f.services.listUsersByStatus('active', { limit: 100 });
    const listed = await f.services.listUsersByStatus('suspended', { limit: 100 });
    expect(active.items.some((u) => u.userId === user.userId)).toBe(false);
    expect(listed.items.map((u) => u.userId)).toContain(user.userId);
  });
});

describe('deleteUser', () => {
  it('removes the user, its email claim, sessions and memberships; keeps its orders', async () => {
    const owner = await newUser('owner');
    const user = await newUser('leaving');
    const org = await f.services.createOrganization({ name: 'Team', ownerUserId: owner.userId });
    await f.services.addMember(org.orgId, user.userId, 'member');
    await f.services.createSession(user.userId, { ttlSeconds: 3600 });
    const { order } = await f.services.placeOrder(user.userId, { currency: 'EUR', items: [{ sku: 'A-1', name: 'Thing', quantity: 1, unitPriceCents: 500 }], idempotencyKey: 'k1' });

    await f.expectPattern('deleteUser', () => f.services.deleteUser(user.userId));

    expect(await f.services.getUserById(user.userId, { consistent: true })).toBeNull();
    expect(await f.services.listActiveSessions(user.userId)).toEqual([]);
    expect((await f.services.listUserOrganizations(user.userId)).items).toEqual([]);
    expect((await f.services.getOrganization(org.orgId))?.memberCount).toBe(1);
    expect((await f.services.getOrderWithItems(order.orderId))?.order.orderId).toBe(order.orderId);
    const again = await f.services.createUser({ email: user.email, name: 'New owner of the email' });
    expect(again.userId).not.toBe(user.userId);
  });

  it('refuses to strand an organization: the last owner gets LastOwnerError and nothing is deleted', async () => {
    const owner = await newUser('sole');
    const org = await f.services.createOrganization({ name: 'Solo', ownerUserId: owner.userId });
    await expect(f.services.deleteUser(owner.userId)).rejects.toBeInstanceOf(LastOwnerError);
    expect(await f.services.getUserById(owner.userId, { consistent: true })).toEqual(owner);
    expect((await f.services.getOrganization(org.orgId))?.memberCount).toBe(1);
  });

  it('reports an unknown user as NotFoundError', async () => {
    await expect(f.services.deleteUser('01ARZ3NDEKTSV4RRFFQ69G5FAV')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('getUserAccount', () => {
  it('returns the user, active sessions and orders newest first (the user, then an orders and a sessions query)', async () => {
    const user = await newUser('account');
    const expired = await f.services.createSession(user.userId, { ttlSeconds: 60 });
    f.clock.advance(120);
    const live = await f.services.createSession(user.userId, { ttlSeconds: 3600, userAgent: 'jest' });
    const o1 = await f.services.placeOrder(user.userId, { currency: 'USD', items: [{ sku: 'S1', name: 'One', quantity: 1, unitPriceCents: 100 }] });
    f.clock.advance(1);
    const o2 = await f.services.placeOrder(user.userId, { currency: 'USD', items: [{ sku: 'S2', name: 'Two', quantity: 2, unitPriceCents: 100 }] });

    const account = await f.expectPattern('getUserAccount', () => f.services.getUserAccount(user.userId));
    expect(account?.user).toEqual(user);
    expect(account?.sessions.map((s) => s.sessionId)).toEqual([live.sessionId]);
    expect(account?.sessions.map((s) => s.sessionId)).not.toContain(expired.sessionId);
    expect(account?.orders.map((o) => o.orderId)).toEqual([o2.order.orderId, o1.order.orderId]);
  });

  it('returns null for an unknown user', async () => {
    expect(await f.expectPattern('getUserAccount', () => f.services.getUserAccount('01ARZ3NDEKTSV4RRFFQ69G5FAV'))).toBeNull();
  });
});

import { NotFoundError, ValidationError } from '../../src/toolkit';
import type { OrderRecord, OrganizationItem, SessionItem, UserItem } from '../../src/reference';
import { checkInvariants } from '../support/invariants';
import { createModelFixture, type ModelFixture } from '../support/model-fixture';

/*
 * Many organizations and users in one table: no organization- or user-scoped pattern ever returns
 * another tenant's data, also when handed a cursor or an id that belongs to someone else.
 */
let f: ModelFixture;
let users: UserItem[];
let orgs: { org: OrganizationItem; members: UserItem[] }[];
let orders: OrderRecord[];
let sessions: SessionItem[];

beforeAll(async () => {
  f = await createModelFixture('tenants');
  users = [];
  for (let i = 0; i < 12; i += 1) users.push(await f.services.createUser({ email: `tenant${i}@example.com`, name: `Tenant ${i}` }));
  orgs = [];
  for (let o = 0; o < 4; o += 1) {
    const members = users.filter((_, i) => i % 4 === o);
    const org = await f.services.createOrganization({ name: `Org ${o}`, ownerUserId: (members[0] as UserItem).userId });
    for (const m of members.slice(1)) await f.services.addMember(org.orgId, m.userId, 'member');
    // a few users belong to two organizations
    await f.services.addMember(org.orgId, (users[(o + 1) % 4] as UserItem).userId, 'admin');
    orgs.push({ org, members });
  }
  orders = [];
  sessions = [];
  for (const u of users) {
    for (let k = 0; k < 3; k += 1) orders.push((await f.services.placeOrder(u.userId, { currency: 'EUR', items: [{ sku: `T-${k}`, name: 'x', quantity: 1, unitPriceCents: 10 }] })).order);
    sessions.push(await f.services.createSession(u.userId, { ttlSeconds: 600 }));
  }
}, 120_000);
afterEach(async () => {
  expect(await checkInvariants(f.client, f.tableName)).toEqual([]);
});
afterAll(() => f.close());

describe('organization-scoped patterns return only that organization', () => {
  it('listOrganizationMembers and getOrganizationWithMembers', async () => {
    for (const { org } of orgs) {
      const page = await f.services.listOrganizationMembers(org.orgId, { limit: 100 });
      expect(page.items.length).toBeGreaterThan(0);
      expect(page.items.every((m) => m.orgId === org.orgId)).toBe(true);
      const whole = await f.services.getOrganizationWithMembers(org.orgId, { limit: 100 });
      expect(whole?.organization.orgId).toBe(org.orgId);
      expect(whole?.members.every((m) => m.orgId === org.orgId)).toBe(true);
      expect(whole?.members).toHaveLength(page.items.length);
    }
  });

  it("refuses another organization's member ids", async () => {
    const [a, b] = orgs as [(typeof orgs)[0], (typeof orgs)[0]];
    const outsider = b.members[1] as UserItem;
    await expect(f.services.removeMember(a.org.orgId, outsider.userId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(f.services.changeMemberRole(a.org.orgId, outsider.userId, 'owner')).rejects.toBeInstanceOf(NotFoundError);
    expect((await f.services.getOrganization(b.org.orgId))?.memberCount).toBe(b.members.length + 1);
  });
});

describe('user-scoped patterns return only that user', () => {
  it('listOrdersForUser, getUserAccount, listActiveSessions, listUserOrganizations', async () => {
    for (const u of users) {
      const own = await f.services.listOrdersForUser(u.userId, { limit: 100 });
      expect(own.items.map((o) => o.orderId).sort()).toEqual(orders.filter((o) => o.userId === u.userId).map((o) => o.orderId).sort());
      const account = await f.services.getUserAccount(u.userId, { limit: 100 });
      expect(account?.user.userId).toBe(u.userId);
      expect(account?.orders.every((o) => o.userId === u.userId)).toBe(true);
      expect(account?.sessions.every((s) => s.userId === u.userId)).toBe(true);
      expect((await f.services.listActiveSessions(u.userId)).map((s) => s.sessionId)).toEqual(sessions.filter((s) => s.userId === u.userId).map((s) => s.sessionId));
      expect((await f.services.listUserOrganizations(u.userId)).items.every((m) => m.userId === u.userId)).toBe(true);
    }
  });

  it("getOrderWithItems returns only that order's items", async () => {
    for (const o of orders.slice(0, 10)) {
      const read = await f.services.getOrderWithItems(o.orderId);
      expect(read?.items.every((i) => i.orderId === o.orderId)).toBe(true);
    }
  });
});

describe('cursors cannot cross tenants, listings or be forged', () => {
  const firstCursor = async (fn: (cursor: string | null) => Promise<{ cursor: string | null }>) => {
    const page = await fn(null);
    if (!page.cursor) throw new Error('expected more than one page');
    return page.cursor;
  };

  it("another user's order cursor is a ValidationError, not their orders", async () => {
    const [a, b] = users as [UserItem, UserItem];
    const cursorA = await firstCursor((cursor) => f.services.listOrdersForUser(a.userId, { limit: 1, cursor }));
    const { result, requests } = await f.requestsOf(() => f.services.listOrdersForUser(b.userId, { limit: 1, cursor: cursorA }).catch((e: unknown) => e));
    expect(result).toBeInstanceOf(ValidationError);
    expect(result).toMatchObject({ field: 'cursor' });
    expect(requests).toHaveLength(0);
  });

  it("another organization's member cursor, or another listing's cursor, is refused", async () => {
    const [a, b] = orgs as [(typeof orgs)[0], (typeof orgs)[0]];
    const cursorA = await firstCursor((cursor) => f.services.listOrganizationMembers(a.org.orgId, { limit: 1, cursor }));
    await expect(f.services.listOrganizationMembers(b.org.orgId, { limit: 1, cursor: cursorA })).rejects.toMatchObject({ code: 'VALIDATION', field: 'cursor' });
    const userCursor = await firstCursor((cursor) => f.services.listUserOrganizations((users[1] as UserItem).userId, { limit: 1, cursor }));
    await expect(f.services.listOrganizationMembers(a.org.orgId, { limit: 1, cursor: userCursor })).rejects.toMatchObject({ code: 'VALIDATION', field: 'cursor' });
  });

  const retarget = (cursor: string, from: string, to: string) => {
    const [payload] = cursor.split('.');
    const decoded = JSON.parse(Buffer.from(payload as string, 'base64url').toString('utf8')) as { k: Record<string, string> };
    decoded.k.gsi1pk = (decoded.k.gsi1pk as string).replace(from, to);
    return Buffer.from(JSON.stringify(decoded)).toString('base64url');
  };

  it('a cursor edited to point into another partition never reads outside the partition it is used on', async () => {
    const [a, b] = users as [UserItem, UserItem];
    const cursorA = await firstCursor((cursor) => f.services.listOrdersForUser(a.userId, { limit: 1, cursor }));
    const forged = retarget(cursorA, a.userId, b.userId);
    // used on A's listing: it points outside A's partition
    await expect(f.services.listOrdersForUser(a.userId, { limit: 1, cursor: forged })).rejects.toMatchObject({ code: 'VALIDATION', field: 'cursor' });
    // used on B's listing (unsigned cursors): it can only reposition inside B's own orders
    const page = await f.services.listOrdersForUser(b.userId, { limit: 100, cursor: forged });
    expect(page.items.every((o) => o.userId === b.userId)).toBe(true);
    await expect(f.services.listOrdersForUser(a.userId, { limit: 1, cursor: `${cursorA.slice(0, -4)}%%%%` })).rejects.toMatchObject({ code: 'VALIDATION' });
  });

  it('with a cursor secret, any edited cursor is refused', async () => {
    const signed = await createModelFixture('tenants-signed', { cursorSecret: 'test-secret-please-rotate' });
    try {
      const a = await signed.services.createUser({ email: 'signed-a@example.com', name: 'A' });
      const b = await signed.services.createUser({ email: 'signed-b@example.com', name: 'B' });
      for (const u of [a, b]) for (let k = 0; k < 2; k += 1) await signed.services.placeOrder(u.userId, { currency: 'EUR', items: [{ sku: `S${k}`, name: 'x', quantity: 1, unitPriceCents: 1 }] });
      const page = await signed.services.listOrdersForUser(a.userId, { limit: 1 });
      expect(page.cursor).toMatch(/\./);
      expect((await signed.services.listOrdersForUser(a.userId, { limit: 1, cursor: page.cursor })).items).toHaveLength(1);
      const forged = `${retarget(page.cursor as string, a.userId, b.userId)}.${(page.cursor as string).split('.')[1]}`;
      await expect(signed.services.listOrdersForUser(b.userId, { limit: 1, cursor: forged })).rejects.toMatchObject({ code: 'VALIDATION', field: 'cursor', rule: expect.stringMatching(/altered/) });
      const unsigned = (page.cursor as string).split('.')[0] as string;
      await expect(signed.services.listOrdersForUser(a.userId, { limit: 1, cursor: unsigned })).rejects.toMatchObject({ code: 'VALIDATION', field: 'cursor' });
    } finally {
      await signed.close();
    }
  });
});

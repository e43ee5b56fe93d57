import type { Services, UserItem } from '../../src/reference';
import { ValidationError } from '../../src/toolkit';
import { checkInvariants } from '../support/invariants';
import { createModelFixture, type ModelFixture } from '../support/model-fixture';

/*
 * Apps pass req.body / req.query as the options object. Whatever it carries, the positional
 * argument decides whose data a call touches: an options field naming a positional argument is
 * a VALIDATION error naming that field, and nothing is sent.
 */
let f: ModelFixture;
let alice: UserItem;
let mallory: UserItem;
let aliceOrg: string;
let aliceOrder: string;
beforeAll(async () => {
  f = await createModelFixture('options-override');
  alice = await f.services.createUser({ email: 'alice@example.com', name: 'Alice' });
  mallory = await f.services.createUser({ email: 'mallory@example.com', name: 'Mallory' });
  aliceOrg = (await f.services.createOrganization({ name: 'Alice Inc', ownerUserId: alice.userId })).orgId;
  aliceOrder = (await f.services.placeOrder(alice.userId, { currency: 'EUR', items: [{ sku: 'A', name: 'A', quantity: 1, unitPriceCents: 500 }] })).order.orderId;
  await f.services.createSession(alice.userId, { ttlSeconds: 600 });
});
afterEach(async () => {
  expect(await checkInvariants(f.client, f.tableName)).toEqual([]);
});
afterAll(() => f.close());

/** An options object exactly as an HTTP framework hands it over. */
const body = (fields: Record<string, unknown>) => JSON.parse(JSON.stringify(fields)) as never;

type Case = [string, (s: Services) => Promise<unknown>, string];
const cases = (): Case[] => [
  ['listOrdersForUser', (s) => s.listOrdersForUser(mallory.userId, body({ userId: alice.userId })), 'userId'],
  ['createSession', (s) => s.createSession(mallory.userId, body({ ttlSeconds: 600, userId: alice.userId })), 'userId'],
  ['placeOrder', (s) => s.placeOrder(mallory.userId, body({ currency: 'EUR', items: [{ sku: 'X', name: 'X', quantity: 1, unitPriceCents: 999 }], userId: alice.userId })), 'userId'],
  ['getUserAccount', (s) => s.getUserAccount(mallory.userId, body({ userId: alice.userId })), 'userId'],
  ['getUserById', (s) => s.getUserById(mallory.userId, body({ userId: alice.userId })), 'userId'],
  ['listUserOrganizations', (s) => s.listUserOrganizations(mallory.userId, body({ userId: alice.userId })), 'userId'],
  ['listOrganizationMembers', (s) => s.listOrganizationMembers('01ARZ3NDEKTSV4RRFFQ69G5FAV', body({ orgId: aliceOrg })), 'orgId'],
  ['getOrganizationWithMembers', (s) => s.getOrganizationWithMembers('01ARZ3NDEKTSV4RRFFQ69G5FAV', body({ orgId: aliceOrg })), 'orgId'],
  ['getOrderWithItems', (s) => s.getOrderWithItems('01ARZ3NDEKTSV4RRFFQ69G5FAV', body({ orderId: aliceOrder })), 'orderId'],
  ['listUsersByStatus', (s) => s.listUsersByStatus('suspended', body({ status: 'active' })), 'status'],
  ['listOrdersByStatus', (s) => s.listOrdersByStatus('paid', body({ status: 'pending' })), 'status'],
];

describe('an options object never overrides the positional argument', () => {
  it.each(cases().map(([name], i) => [name, i] as const))('%s: VALIDATION naming the field, nothing sent, nothing written', async (_name, i) => {
    const [, call, field] = cases()[i] as Case;
    const { result, requests } = await f.requestsOf(() => call(f.services).catch((e: unknown) => e));
    expect(result).toBeInstanceOf(ValidationError);
    expect(result).toMatchObject({ code: 'VALIDATION', field, rule: 'is not a known field' });
    expect(requests).toHaveLength(0);
  });

  it("Alice's data stays untouched: no session or order for her, none for Mallory either", async () => {
    expect(await f.services.listActiveSessions(alice.userId)).toHaveLength(1);
    expect((await f.services.listOrdersForUser(alice.userId)).items.map((o) => o.orderId)).toEqual([aliceOrder]);
    expect((await f.services.listOrdersForUser(mallory.userId)).items).toEqual([]);
    expect(await f.services.listActiveSessions(mallory.userId)).toEqual([]);
  });

  it('other unknown fields from a request body are refused by name; a non-object is refused as options', async () => {
    await expect(f.services.listOrdersForUser(mallory.userId, body({ limit: 5, isAdmin: true }))).rejects.toMatchObject({ code: 'VALIDATION', field: 'isAdmin' });
    await expect(f.services.getUserAccount(mallory.userId, JSON.parse('{"__proto__": {"userId": "x"}}') as never)).rejects.toMatchObject({ code: 'VALIDATION', field: '__proto__' });
    await expect(f.services.listOrdersForUser(mallory.userId, 'limit=5' as never)).rejects.toMatchObject({ code: 'VALIDATION', field: 'options' });
    // the ordinary call still works
    expect((await f.services.listOrdersForUser(mallory.userId, body({ limit: 5 }))).items).toEqual([]);
  });
});

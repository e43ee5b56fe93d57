import { EmailTakenError, InvalidTransitionError, LastOwnerError, ORDER_TRANSITIONS, VersionConflictError } from '../../src/reference';
import { NotFoundError, UnavailableError } from '../../src/toolkit';
import { checkInvariants } from '../support/invariants';
import { createModelFixture, type ModelFixture } from '../support/model-fixture';

/*
 * Real parallel requests against the run's DynamoDB (the engine unless DYNAMODB_ENDPOINT names another). Every test ends by checking the table's
 * invariants over everything stored.
 */
let f: ModelFixture;
beforeAll(async () => {
  f = await createModelFixture('concurrency');
});
afterEach(async () => {
  expect(await checkInvariants(f.client, f.tableName)).toEqual([]);
});
afterAll(() => f.close());

const settle = <T>(n: number, fn: (i: number) => Promise<T>) => Promise.allSettled(Array.from({ length: n }, (_, i) => fn(i)));
const rejected = (results: PromiseSettledResult<unknown>[]) => results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as unknown);
let seq = 0;
const newUser = () => f.services.createUser({ email: `race-${(seq += 1)}-${Date.now()}@example.com`, name: `Racer ${seq}` });

describe('under contention', () => {
  it('50 concurrent createUser with one email: exactly one succeeds, the rest EmailTakenError', async () => {
    const email = `contested-${Date.now()}@example.com`;
    const results = await settle(50, (i) => f.services.createUser({ email, name: `Contender ${i}` }));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(rejected(results).every((e) => e instanceof EmailTakenError)).toBe(true);
  });

  it('50 concurrent updateUserProfile with expectedVersion: no lost update, the rest VersionConflictError', async () => {
    const user = await newUser();
    // Each writer reads the current version and writes with it, retrying on conflict a few times.
    let successes = 0;
    let conflicts = 0;
    await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        for (let attempt = 0; attempt < 3; attempt += 1) {
          const current = await f.services.getUserById(user.userId, { consistent: true });
          try {
            await f.services.updateUserProfile(user.userId, { name: `Writer ${i}` }, { expectedVersion: current?.version ?? 1 });
            successes += 1;
            return;
          } catch (error) {
            if (!(error instanceof VersionConflictError)) throw error;
            conflicts += 1;
          }
        }
      }),
    );
    const final = await f.services.getUserById(user.userId, { consistent: true });
    expect(final?.version).toBe(1 + successes);
    expect(successes).toBeGreaterThan(0);
    expect(conflicts).toBeGreaterThan(0);
  });

  it('20 concurrent placeOrder with one idempotencyKey: one order, and every caller gets that order', async () => {
    const user = await newUser();
    const results = await settle(20, () =>
      f.services.placeOrder(user.userId, { currency: 'EUR', items: [{ sku: 'SAME', name: 'Same', quantity: 1, unitPriceCents: 100 }], idempotencyKey: 'double-click' }),
    );
    expect(rejected(results)).toEqual([]);
    const ids = new Set(results.map((r) => (r.status === 'fulfilled' ? r.value.order.orderId : '')));
    expect(ids.size).toBe(1);
    expect((await f.services.listOrdersForUser(user.userId)).items).toHaveLength(1);
  });

  it('20 racing updateOrderStatus moves: never two moves from one state, the winners form a valid lifecycle', async () => {
    const user = await newUser();
    const { order } = await f.services.placeOrder(user.userId, { currency: 'EUR', items: [{ sku: 'R', name: 'R', quantity: 1, unitPriceCents: 100 }] });
    const results = await settle(20, (i) => f.services.updateOrderStatus(order.orderId, i % 2 ? 'paid' : 'cancelled'));
    // A racer that reads the order after another's move starts from the new state: pending -> paid, then
    // paid -> cancelled is a legal second move. What must never happen is two moves from the same state.
    const winners = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
      // By time; two moves in the same millisecond by lifecycle order (cancelled ends it).
      .sort((a, b) => a.updatedAt.localeCompare(b.updatedAt) || Number(a.status === 'cancelled') - Number(b.status === 'cancelled'));
    expect(winners.length).toBeGreaterThanOrEqual(1);
    let state: string = 'pending';
    for (const w of winners) {
      expect(ORDER_TRANSITIONS[state as keyof typeof ORDER_TRANSITIONS]).toContain(w.status);
      state = w.status;
    }
    expect(new Set(winners.map((w) => w.status)).size).toBe(winners.length);
    expect(rejected(results).every((e) => e instanceof InvalidTransitionError)).toBe(true);
    const final = await f.services.getOrderWithItems(order.orderId, { consistent: true });
    expect(final?.order.status).toBe(state);
  });

  it('concurrent addMember / removeMember / changeMemberRole: memberCount exact, never without an owner', async () => {
    const owner = await newUser();
    const org = await f.services.createOrganization({ name: 'Contended', ownerUserId: owner.userId });
    const people = await Promise.all(Array.from({ length: 12 }, () => newUser()));
    await Promise.all(people.slice(0, 6).map((p) => f.services.addMember(org.orgId, p.userId, 'owner')));
    const expected = (e: unknown) => e instanceof LastOwnerError || e instanceof NotFoundError;
    const ops = [
      ...people.slice(6).map((p) => () => f.services.addMember(org.orgId, p.userId, 'member')),
      ...people.slice(0, 6).map((p) => () => f.services.removeMember(org.orgId, p.userId)),
      ...people.slice(0, 6).map((p) => () => f.services.changeMemberRole(org.orgId, p.userId, 'admin')),
      () => f.services.removeMember(org.orgId, owner.userId),
      () => f.services.changeMemberRole(org.orgId, owner.userId, 'member'),
    ];
    const results = await Promise.allSettled(ops.sort(() => Math.random() - 0.5).map((op) => op()));
    expect(rejected(results).every(expected)).toBe(true);
    const after = await f.services.getOrganization(org.orgId);
    expect(after?.ownerCount).toBeGreaterThanOrEqual(1);
  });

  it('concurrent changeUserEmail swaps between users: no email ever belongs to two users', async () => {
    const pairs = await Promise.all(Array.from({ length: 5 }, async () => [await newUser(), await newUser()] as const));
    const results = await Promise.allSettled(
      pairs.flatMap(([a, b]) => [f.services.changeUserEmail(a.userId, b.email), f.services.changeUserEmail(b.userId, a.email), f.services.changeUserEmail(a.userId, `fresh-${a.userId}@example.com`)]),
    );
    // UNAVAILABLE when a user kept changing through every retry (no VERSION_CONFLICT: changeUserEmail takes no expected version)
    expect(rejected(results).every((e) => e instanceof EmailTakenError || e instanceof UnavailableError)).toBe(true);
  });
});

import { createEngine, type Engine } from '../../src/engine';
import { checkInvariants } from '../support/invariants';
import { createModelFixture, type ModelFixture } from '../support/model-fixture';

/*
 * What a caller sees when it reads a GSI right after a write it depends on, while the index lags
 * (every GSI read is eventually consistent: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.Writes).
 * The engine holds index writes back until its test clock moves (gsiLag.lagMs on a frozen clock);
 * each case shows the lagging answer, then the answer once the index has caught up. docs/guarantees.md
 * ("Reads right after a write") states the same.
 */
const LAG = 5_000;
let now = Date.parse('2026-04-01T00:00:00.000Z');
let engine: Engine;
let f: ModelFixture;
beforeAll(async () => {
  engine = createEngine({ clock: () => now, seed: 3 });
  f = await createModelFixture('gsi-lag-reads', { engine });
});
beforeEach(() => engine.faults.set({ gsiLag: { lagMs: LAG } }));
afterEach(async () => {
  now += 3_600_000; // every held index write through
  engine.faults.clear();
  expect(await checkInvariants(f.client, f.tableName)).toEqual([]);
});
afterAll(async () => {
  await f.close();
  await engine.close();
});

let seq = 0;
const email = () => `lag-read-${(seq += 1)}@example.com`;
const catchUp = () => {
  now += LAG;
};

describe('reads right after a write, while the GSI lags', () => {
  it('getUserByEmail right after createUser: null until gsi2 has the user (the email is taken all the same: uniqueness is on the table)', async () => {
    const address = email();
    const user = await f.services.createUser({ email: address, name: 'New' });
    expect(await f.services.getUserByEmail(address)).toBeNull();
    expect(await f.services.getUserById(user.userId, { consistent: true })).toEqual(user);
    await expect(f.services.createUser({ email: address, name: 'Twin' })).rejects.toMatchObject({ code: 'EMAIL_TAKEN' });
    catchUp();
    expect(await f.services.getUserByEmail(address)).toEqual(user);
  });

  it('getUserByEmail right after changeUserEmail: the old email still finds the user, the new one not yet', async () => {
    engine.faults.clear();
    const before = email();
    const user = await f.services.createUser({ email: before, name: 'Mover' });
    engine.faults.set({ gsiLag: { lagMs: LAG } });
    const after = email();
    await f.services.changeUserEmail(user.userId, after);
    expect((await f.services.getUserByEmail(before))?.userId).toBe(user.userId);
    expect(await f.services.getUserByEmail(after)).toBeNull();
    catchUp();
    expect(await f.services.getUserByEmail(before)).toBeNull();
    expect((await f.services.getUserByEmail(after))?.userId).toBe(user.userId);
  });

  it('listUserOrganizations and listOrganizationMembers right after addMember: the new membership is missing until gsi1/gsi2 catch up; getOrganizationWithMembers (the table) has it at once', async () => {
    engine.faults.clear();
    const owner = await f.services.createUser({ email: email(), name: 'Owner' });
    const joiner = await f.services.createUser({ email: email(), name: 'Joiner' });
    const org = await f.services.createOrganization({ name: 'Org', ownerUserId: owner.userId });
    engine.faults.set({ gsiLag: { lagMs: LAG } });
    await f.services.addMember(org.orgId, joiner.userId, 'member');
    expect((await f.services.listUserOrganizations(joiner.userId)).items).toEqual([]);
    expect((await f.services.listOrganizationMembers(org.orgId)).items.map((m) => m.userId)).toEqual([owner.userId]);
    expect((await f.services.getOrganizationWithMembers(org.orgId))?.members.map((m) => m.userId).sort()).toEqual([owner.userId, joiner.userId].sort());
    catchUp();
    expect((await f.services.listUserOrganizations(joiner.userId)).items.map((m) => m.orgId)).toEqual([org.orgId]);
    expect((await f.services.listOrganizationMembers(org.orgId)).items).toHaveLength(2);
  });

  it('listUsersByStatus right after setUserStatus: the user is still listed under its old status until gsi3 catches up', async () => {
    engine.faults.clear();
    const user = await f.services.createUser({ email: email(), name: 'Suspended soon' });
    engine.faults.set({ gsiLag: { lagMs: LAG } });
    await f.services.setUserStatus(user.userId, 'suspended');
    const ids = async (status: 'active' | 'suspended') => (await f.services.listUsersByStatus(status, { limit: 100 })).items.map((u) => u.userId);
    expect(await ids('active')).toContain(user.userId);
    expect(await ids('suspended')).not.toContain(user.userId);
    catchUp();
    expect(await ids('active')).not.toContain(user.userId);
    expect(await ids('suspended')).toContain(user.userId);
  });

  it('getUserAccount right after placeOrder / createSession: the new order and session appear once gsi1 catches up', async () => {
    engine.faults.clear();
    const user = await f.services.createUser({ email: email(), name: 'Buyer' });
    engine.faults.set({ gsiLag: { lagMs: LAG } });
    const { order } = await f.services.placeOrder(user.userId, { currency: 'EUR', items: [{ sku: 'L-1', name: 'Lag', quantity: 1, unitPriceCents: 100 }] });
    const session = await f.services.createSession(user.userId, { ttlSeconds: 3600 });
    const account = await f.services.getUserAccount(user.userId);
    expect(account?.orders).toEqual([]);
    expect(account?.sessions).toEqual([]);
    expect((await f.services.getOrderWithItems(order.orderId, { consistent: true }))?.order.orderId).toBe(order.orderId);
    catchUp();
    const later = await f.services.getUserAccount(user.userId);
    expect(later?.orders.map((o) => o.orderId)).toEqual([order.orderId]);
    expect(later?.sessions.map((s) => s.sessionId)).toEqual([session.sessionId]);
  });

  it('a rename right after addMember: the copy waits for gsi1 to list the new membership (the user counts it), so no membership keeps the old name; UNAVAILABLE while the index stays behind, and repeating the call completes it', async () => {
    engine.faults.clear();
    const owner = await f.services.createUser({ email: email(), name: 'Owner' });
    const member = await f.services.createUser({ email: email(), name: 'Before' });
    const org = await f.services.createOrganization({ name: 'Names', ownerUserId: owner.userId });
    engine.faults.set({ gsiLag: { lagMs: LAG } });
    await f.services.addMember(org.orgId, member.userId, 'member');
    const error = await f.services.updateUserProfile(member.userId, { name: 'After' }, { expectedVersion: member.version }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'UNAVAILABLE' });
    catchUp();
    const renamed = await f.services.updateUserProfile(member.userId, { name: 'After' }, { expectedVersion: member.version });
    expect(renamed.name).toBe('After');
    const copy = (await f.services.getOrganizationWithMembers(org.orgId))?.members.find((m) => m.userId === member.userId);
    expect(copy?.userName).toBe('After');
  }, 30_000);

  it('a rename right after addMember, the index catching up a few operations later: the copy reaches the new membership in the same call', async () => {
    engine.faults.clear();
    const owner = await f.services.createUser({ email: email(), name: 'Owner' });
    const member = await f.services.createUser({ email: email(), name: 'Before' });
    const org = await f.services.createOrganization({ name: 'Names 2', ownerUserId: owner.userId });
    engine.faults.set({ gsiLag: { ops: 6 } });
    await f.services.addMember(org.orgId, member.userId, 'member');
    await f.services.updateUserProfile(member.userId, { name: 'After' });
    const copy = (await f.services.getOrganizationWithMembers(org.orgId))?.members.find((m) => m.userId === member.userId);
    expect(copy?.userName).toBe('After');
  }, 30_000);
});

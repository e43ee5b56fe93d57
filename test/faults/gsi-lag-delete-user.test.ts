import { createEngine, type Engine } from '../../src/engine';
import { LastOwnerError } from '../../src/reference';
import { checkInvariants, readAll } from '../support/invariants';
import { createModelFixture, type ModelFixture } from '../support/model-fixture';

/*
 * deleteUser lists a user's memberships through the inverted index gsi1, which on AWS lags the
 * table ("eventually consistent ... a query might not return the most recent data",
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.Writes). The
 * engine holds index writes back on demand (gsiLag, on its own test clock), so the hole is made
 * deterministically: a membership written just before deleteUser, not yet in gsi1.
 * What must hold whatever the lag: nothing of a deleted user remains, every organization keeps an
 * owner that exists, counts are exact (checkInvariants reads the table itself, strongly consistent).
 */
let engineNow = Date.parse('2026-01-01T00:00:00.000Z');
let engine: Engine;
let f: ModelFixture;
beforeAll(async () => {
  engine = createEngine({ clock: () => engineNow, seed: 18 });
  f = await createModelFixture('gsi-lag-delete', { engine });
});
afterEach(async () => {
  // Let every held index write through: faults.clear() turns the lag off but keeps what it holds.
  engineNow += 3_600_000;
  engine.faults.clear();
  expect(await checkInvariants(f.client, f.tableName)).toEqual([]);
});
afterAll(async () => {
  await f.close();
  await engine.close();
});

let seq = 0;
const newUser = (name: string) => f.services.createUser({ email: `lag-${(seq += 1)}@example.com`, name: `${name} ${seq}` });
/** Everything on the table that still belongs to the user. */
async function leftOf(userId: string): Promise<string[]> {
  const all = await readAll(f.client, f.tableName);
  const left: string[] = [];
  for (const [entity, items] of all) for (const item of items) if (item.userId === userId && entity !== 'order' && entity !== 'orderItem') left.push(entity);
  return left;
}
/** A frozen engine clock: index writes made under { lagMs } stay invisible until it moves. */
const HOLD = { lagMs: 60_000 };

describe('deleteUser against GSI lag', () => {
  it('a membership added just before deleteUser and not yet in gsi1 is not orphaned: UNAVAILABLE with nothing written while the index lags, done once it catches up', async () => {
    const owner = await newUser('Owner');
    const leaving = await newUser('Leaving');
    const org = await f.services.createOrganization({ name: 'Lagging', ownerUserId: owner.userId });
    engine.faults.set({ gsiLag: HOLD });
    await f.services.addMember(org.orgId, leaving.userId, 'member');
    // The hole exists: the table has the membership, the index does not show it yet.
    expect((await f.services.listUserOrganizations(leaving.userId)).items).toEqual([]);

    const error = await f.services.deleteUser(leaving.userId).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'UNAVAILABLE' });
    // Nothing was written: the user is still active and still a member.
    expect(await f.services.getUserById(leaving.userId, { consistent: true })).toMatchObject({ status: 'active', version: leaving.version });
    expect((await f.services.getOrganization(org.orgId))?.memberCount).toBe(2);
    expect(await checkInvariants(f.client, f.tableName)).toEqual([]);

    engineNow += HOLD.lagMs; // the index catches up
    await f.services.deleteUser(leaving.userId);
    expect(await leftOf(leaving.userId)).toEqual([]);
    expect((await f.services.getOrganization(org.orgId))?.memberCount).toBe(1);
  }, 60_000);

  it('a membership that reaches gsi1 a few operations later (lag by operations): deleteUser waits for it and removes it', async () => {
    const owner = await newUser('Owner');
    const leaving = await newUser('Leaving');
    const orgs = [await f.services.createOrganization({ name: 'A', ownerUserId: owner.userId }), await f.services.createOrganization({ name: 'B', ownerUserId: owner.userId })];
    await f.services.addMember(orgs[0]!.orgId, leaving.userId, 'admin'); // visible: written before the lag
    engine.faults.set({ gsiLag: { ops: 8 } });
    await f.services.addMember(orgs[1]!.orgId, leaving.userId, 'member');

    await f.services.deleteUser(leaving.userId);

    expect(await leftOf(leaving.userId)).toEqual([]);
    for (const org of orgs) expect((await f.services.getOrganization(org.orgId))?.memberCount).toBe(1);
  }, 60_000);

  it('an organization the user created just before deleteUser (its only owner, not yet in gsi1): LAST_OWNER with nothing written, never an organization without an existing owner', async () => {
    const founder = await newUser('Founder');
    engine.faults.set({ gsiLag: { ops: 8 } });
    const org = await f.services.createOrganization({ name: 'Fresh', ownerUserId: founder.userId });

    await expect(f.services.deleteUser(founder.userId)).rejects.toBeInstanceOf(LastOwnerError);

    expect(await f.services.getUserById(founder.userId, { consistent: true })).toMatchObject({ status: 'active', version: founder.version });
    expect((await f.services.getOrganization(org.orgId))?.ownerCount).toBe(1);
  }, 60_000);

  it('a co-owned organization the user joined as owner just before deleteUser: the mark leaves it, the other owner keeps it', async () => {
    const cofounder = await newUser('Cofounder');
    const leaving = await newUser('Leaving');
    const org = await f.services.createOrganization({ name: 'Shared', ownerUserId: cofounder.userId });
    engine.faults.set({ gsiLag: { ops: 8 } });
    await f.services.addMember(org.orgId, leaving.userId, 'owner');

    await f.services.deleteUser(leaving.userId);

    expect(await leftOf(leaving.userId)).toEqual([]);
    expect(await f.services.getOrganization(org.orgId)).toMatchObject({ memberCount: 1, ownerCount: 1 });
  }, 60_000);

  it('a membership removed just before deleteUser, still listed by the lagging gsi1: deleteUser is not confused by it', async () => {
    const owner = await newUser('Owner');
    const leaving = await newUser('Leaving');
    const org = await f.services.createOrganization({ name: 'Gone', ownerUserId: owner.userId });
    await f.services.addMember(org.orgId, leaving.userId, 'member');
    engine.faults.set({ gsiLag: HOLD });
    await f.services.removeMember(org.orgId, leaving.userId);
    expect((await f.services.listUserOrganizations(leaving.userId)).items.map((m) => m.orgId)).toEqual([org.orgId]);

    await f.services.deleteUser(leaving.userId);

    expect(await leftOf(leaving.userId)).toEqual([]);
    expect((await f.services.getOrganization(org.orgId))?.memberCount).toBe(1);
  }, 60_000);
});

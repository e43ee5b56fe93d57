import { AlreadyMemberError, LastOwnerError, UserNotActiveError } from '../../src/reference';
import { NotFoundError } from '../../src/toolkit';
import type { UserItem } from '../../src/reference';
import { collectPages, createModelFixture, type ModelFixture } from '../support/model-fixture';

let f: ModelFixture;
beforeAll(async () => {
  f = await createModelFixture('orgs');
});
afterAll(() => f.close());

let seq = 0;
async function newUser(name = 'Member'): Promise<UserItem> {
  seq += 1;
  return f.services.createUser({ email: `org-user-${seq}-${Date.now()}@example.com`, name: `${name} ${seq}` });
}
const UNKNOWN = '01ARZ3NDEKTSV4RRFFQ69G5FAV';

describe('createOrganization', () => {
  it("writes the organization and its owner's membership in one transaction", async () => {
    const owner = await newUser('Owner');
    const org = await f.expectPattern('createOrganization', () => f.services.createOrganization({ name: 'Acme', ownerUserId: owner.userId, plan: 'pro' }));
    expect(org).toMatchObject({ name: 'Acme', plan: 'pro', memberCount: 1 });
    const members = await f.services.listOrganizationMembers(org.orgId);
    expect(members.items).toEqual([expect.objectContaining({ userId: owner.userId, role: 'owner', orgName: 'Acme', userName: owner.name })]);
  });

  it('defaults the plan to free', async () => {
    const owner = await newUser();
    expect((await f.services.createOrganization({ name: 'Freebie', ownerUserId: owner.userId })).plan).toBe('free');
  });

  it('refuses an unknown or inactive owner, writing nothing', async () => {
    await expect(f.services.createOrganization({ name: 'Ghost', ownerUserId: UNKNOWN })).rejects.toBeInstanceOf(NotFoundError);
    const owner = await newUser();
    await f.services.setUserStatus(owner.userId, 'suspended');
    await expect(f.services.createOrganization({ name: 'Nope', ownerUserId: owner.userId })).rejects.toBeInstanceOf(UserNotActiveError);
    expect((await f.services.listUserOrganizations(owner.userId)).items).toEqual([]);
  });
});

describe('getOrganization', () => {
  it('returns the organization, or null', async () => {
    const owner = await newUser();
    const org = await f.services.createOrganization({ name: 'Get Me', ownerUserId: owner.userId });
    expect(await f.expectPattern('getOrganization', () => f.services.getOrganization(org.orgId))).toEqual(org);
    expect(await f.expectPattern('getOrganization', () => f.services.getOrganization(UNKNOWN))).toBeNull();
  });
});

describe('getOrganizationWithPartiql', () => {
  it('returns the same organization as getOrganization (or null) with one PartiQL SELECT on the full key', async () => {
    const owner = await newUser();
    const org = await f.services.createOrganization({ name: 'Partiql Org', ownerUserId: owner.userId });
    const viaPartiql = await f.expectPattern('getOrganizationWithPartiql', () => f.services.getOrganizationWithPartiql(org.orgId));
    expect(viaPartiql).toEqual(await f.services.getOrganization(org.orgId));
    expect(viaPartiql).toEqual(org);
    expect(await f.expectPattern('getOrganizationWithPartiql', () => f.services.getOrganizationWithPartiql(UNKNOWN))).toBeNull();
    const [request] = await f.recorder.capture(() => f.services.getOrganizationWithPartiql(org.orgId)).then((c) => c.requests);
    expect(request).toMatchObject({ operation: 'ExecuteStatement', index: undefined, partiql: [{ kind: 'SELECT', access: 'key-lookup' }], itemCount: 1 });
    // Capacity reports count it: the ConsumedCapacity DynamoDB (and the engine) report equals its
    // ElectroDB twin's GetItem. DynamoDB Local reports none for PartiQL: on it the request carries no
    // capacity at all, never a wrong figure (the engine's own answer is proven in test/engine/partiql).
    const [twin] = await f.recorder.capture(() => f.services.getOrganization(org.orgId)).then((c) => c.requests);
    expect(twin?.readUnits).toBeGreaterThan(0);
    if (request?.consumedCapacity.length) expect(request.readUnits).toBe(twin?.readUnits);
    else expect(request?.readUnits).toBe(0);
  });
});

describe('addMember', () => {
  it('adds the membership and increments memberCount in one transaction', async () => {
    const owner = await newUser();
    const member = await newUser();
    const org = await f.services.createOrganization({ name: 'Grow', ownerUserId: owner.userId });
    const membership = await f.expectPattern('addMember', () => f.services.addMember(org.orgId, member.userId, 'admin'));
    expect(membership).toMatchObject({ orgId: org.orgId, userId: member.userId, role: 'admin', orgName: 'Grow', userName: member.name });
    expect((await f.services.getOrganization(org.orgId))?.memberCount).toBe(2);
  });

  it('refuses an existing member (AlreadyMemberError) and leaves memberCount alone', async () => {
    const owner = await newUser();
    const org = await f.services.createOrganization({ name: 'Once', ownerUserId: owner.userId });
    await expect(f.services.addMember(org.orgId, owner.userId, 'member')).rejects.toBeInstanceOf(AlreadyMemberError);
    expect((await f.services.getOrganization(org.orgId))?.memberCount).toBe(1);
  });

  it('refuses an unknown organization or user with NotFoundError', async () => {
    const owner = await newUser();
    const org = await f.services.createOrganization({ name: 'Real', ownerUserId: owner.userId });
    await expect(f.services.addMember(UNKNOWN, owner.userId, 'member')).rejects.toMatchObject({ code: 'NOT_FOUND', entity: 'organization' });
    await expect(f.services.addMember(org.orgId, UNKNOWN, 'member')).rejects.toMatchObject({ code: 'NOT_FOUND', entity: 'user' });
  });
});

describe('removeMember', () => {
  it('removes the membership and decrements memberCount', async () => {
    const owner = await newUser();
    const member = await newUser();
    const org = await f.services.createOrganization({ name: 'Shrink', ownerUserId: owner.userId });
    await f.services.addMember(org.orgId, member.userId, 'member');
    await f.expectPattern('removeMember', () => f.services.removeMember(org.orgId, member.userId));
    expect((await f.services.getOrganization(org.orgId))?.memberCount).toBe(1);
    expect((await f.services.listUserOrganizations(member.userId)).items).toEqual([]);
  });

  it('never removes the last owner (LastOwnerError), but removes an owner while another remains', async () => {
    const owner = await newUser();
    const second = await newUser();
    const org = await f.services.createOrganization({ name: 'Owned', ownerUserId: owner.userId });
    await expect(f.services.removeMember(org.orgId, owner.userId)).rejects.toBeInstanceOf(LastOwnerError);
    await f.services.addMember(org.orgId, second.userId, 'owner');
    await f.services.removeMember(org.orgId, owner.userId);
    expect(await f.services.getOrganization(org.orgId)).toMatchObject({ memberCount: 1, ownerCount: 1 });
  });

  it('reports a missing membership as NotFoundError', async () => {
    const owner = await newUser();
    const org = await f.services.createOrganization({ name: 'Nobody', ownerUserId: owner.userId });
    await expect(f.services.removeMember(org.orgId, UNKNOWN)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('changeMemberRole', () => {
  it('changes the role; promoting and demoting owners keeps ownerCount exact', async () => {
    const owner = await newUser();
    const member = await newUser();
    const org = await f.services.createOrganization({ name: 'Roles', ownerUserId: owner.userId });
    await f.services.addMember(org.orgId, member.userId, 'member');
    const promoted = await f.expectPattern('changeMemberRole', () => f.services.changeMemberRole(org.orgId, member.userId, 'owner'));
    expect(promoted.role).toBe('owner');
    expect((await f.services.getOrganization(org.orgId))?.ownerCount).toBe(2);
    await f.services.changeMemberRole(org.orgId, owner.userId, 'admin');
    expect((await f.services.getOrganization(org.orgId))?.ownerCount).toBe(1);
  });

  it('refuses to demote the last owner', async () => {
    const owner = await newUser();
    const org = await f.services.createOrganization({ name: 'Keep', ownerUserId: owner.userId });
    await expect(f.services.changeMemberRole(org.orgId, owner.userId, 'member')).rejects.toBeInstanceOf(LastOwnerError);
    const members = await f.services.listOrganizationMembers(org.orgId);
    expect(members.items[0]?.role).toBe('owner');
  });
});

describe('listOrganizationMembers', () => {
  it('pages through all members with one Query per page, and filters by role on the key', async () => {
    const owner = await newUser();
    const org = await f.services.createOrganization({ name: 'Big', ownerUserId: owner.userId });
    const admins: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const u = await newUser();
      await f.services.addMember(org.orgId, u.userId, i < 2 ? 'admin' : 'member');
      if (i < 2) admins.push(u.userId);
    }
    const all = await collectPages((cursor) => f.expectPattern('listOrganizationMembers', () => f.services.listOrganizationMembers(org.orgId, { limit: 2, cursor })));
    expect(all.items).toHaveLength(6);
    expect(all.pages).toBeGreaterThanOrEqual(3);
    // ordered by role, then user: admin < member < owner
    expect(all.items.map((m) => m.role)).toEqual(['admin', 'admin', 'member', 'member', 'member', 'owner']);

    const onlyAdmins = await f.expectPattern('listOrganizationMembers', () => f.services.listOrganizationMembers(org.orgId, { role: 'admin' }));
    expect(onlyAdmins.items.map((m) => m.userId).sort()).toEqual([...admins].sort());
    expect(onlyAdmins.cursor).toBeNull();
  });

  it('returns an empty page for an unknown organization', async () => {
    expect(await f.services.listOrganizationMembers(UNKNOWN)).toEqual({ items: [], cursor: null });
  });
});

describe('listUserOrganizations', () => {
  it("pages through a user's memberships through the inverted index", async () => {
    const user = await newUser();
    const orgIds: string[] = [];
    for (let i = 0; i < 3; i += 1) orgIds.push((await f.services.createOrganization({ name: `Org ${i}`, ownerUserId: user.userId })).orgId);
    const { items, pages } = await collectPages((cursor) => f.expectPattern('listUserOrganizations', () => f.services.listUserOrganizations(user.userId, { limit: 2, cursor })));
    expect(pages).toBe(2);
    expect(items.map((m) => m.orgId)).toEqual(orgIds);
    expect(items.every((m) => m.userId === user.userId && m.role === 'owner')).toBe(true);
  });
});

describe('getOrganizationWithMembers', () => {
  it('returns the organization and up to limit members from one Query; null when unknown', async () => {
    const owner = await newUser();
    const org = await f.services.createOrganization({ name: 'Whole', ownerUserId: owner.userId });
    for (let i = 0; i < 3; i += 1) await f.services.addMember(org.orgId, (await newUser()).userId, 'member');
    const full = await f.expectPattern('getOrganizationWithMembers', () => f.services.getOrganizationWithMembers(org.orgId));
    expect(full?.organization).toMatchObject({ orgId: org.orgId, memberCount: 4 });
    expect(full?.members).toHaveLength(4);
    const limited = await f.expectPattern('getOrganizationWithMembers', () => f.services.getOrganizationWithMembers(org.orgId, { limit: 2 }));
    expect(limited?.members).toHaveLength(2);
    expect(await f.expectPattern('getOrganizationWithMembers', () => f.services.getOrganizationWithMembers(UNKNOWN))).toBeNull();
  });
});

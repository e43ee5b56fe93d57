import type { PatternRunner, PatternRunners } from '../toolkit';
import type { Services } from '../services/create-services';
import type { AccessPatternName } from './catalog';
import type { SeedData } from './seed';

const at = <T>(list: readonly T[], i: number): T => {
  if (list.length === 0) throw new Error('the seed data has no items for this runner');
  return list[i % list.length] as T;
};

/**
 * One representative call per access pattern over seeded data. Writes that consume or change
 * their target (delete, status moves) get a fresh target in the unmeasured set-up step. The
 * Record type makes the compiler insist on a runner for every catalog pattern.
 */
export function createPatternRunners(services: Services, seed: SeedData): PatternRunners<AccessPatternName> {
  const active = seed.users.filter((u) => u.status === 'active');
  const withOrders = [...new Set(seed.orders.map((o) => o.order.userId))];
  const withSessions = [...new Set(seed.sessions.map((s) => s.userId))];
  const owners = seed.organizations.map((o) => o.memberIds[0] as string);
  const stamp = Date.now().toString(36);
  // Runners may be called in several rounds with the same iteration numbers: unique values come
  // from this counter, not from the iteration.
  let serial = 0;
  const unique = () => (serial += 1);
  const freshUser = (i: number, tag: string) => services.createUser({ email: `${tag}.${unique()}.${stamp}@runner.example.com`, name: `Runner ${tag} ${i}` });
  const item = (sku: string) => ({ sku, name: `Item ${sku}`, quantity: 1, unitPriceCents: 1999 });
  const now = (fn: () => Promise<unknown>): PatternRunner => async () => fn;
  const each = (fn: (i: number) => () => Promise<unknown>): PatternRunner => async (i) => fn(i);

  return {
    createUser: each(() => {
      const email = `new.${unique()}.${stamp}@runner.example.com`;
      return () => services.createUser({ email, name: 'New Runner' });
    }),
    getUserById: each((i) => () => services.getUserById(at(seed.users, i).userId)),
    getUserByEmail: each((i) => () => services.getUserByEmail(at(seed.users, i).email)),
    listUsersByStatus: now(() => services.listUsersByStatus('active', { limit: 25 })),
    updateUserProfile: each((i) => () => services.updateUserProfile(at(active, i).userId, { name: `Renamed ${i}` })),
    changeUserEmail: async (i) => {
      const user = await freshUser(i, 'email');
      const email = `changed.${unique()}.${stamp}@runner.example.com`;
      return () => services.changeUserEmail(user.userId, email);
    },
    setUserStatus: async (i) => {
      const user = await freshUser(i, 'status');
      return () => services.setUserStatus(user.userId, 'suspended');
    },
    deleteUser: async (i) => {
      const user = await freshUser(i, 'delete');
      await services.createSession(user.userId, { ttlSeconds: 3600 });
      await services.addMember(at(seed.organizations, i).organization.orgId, user.userId, 'member');
      return () => services.deleteUser(user.userId);
    },
    getUserAccount: each((i) => () => services.getUserAccount(at(withOrders, i))),
    createOrganization: each((i) => () => services.createOrganization({ name: `Runner Org ${i}`, ownerUserId: at(active, i).userId })),
    getOrganization: each((i) => () => services.getOrganization(at(seed.organizations, i).organization.orgId)),
    getOrganizationWithPartiql: each((i) => () => services.getOrganizationWithPartiql(at(seed.organizations, i).organization.orgId)),
    addMember: async (i) => {
      const user = await freshUser(i, 'join');
      return () => services.addMember(at(seed.organizations, i).organization.orgId, user.userId, 'member');
    },
    removeMember: async (i) => {
      const user = await freshUser(i, 'leave');
      const orgId = at(seed.organizations, i).organization.orgId;
      await services.addMember(orgId, user.userId, 'member');
      return () => services.removeMember(orgId, user.userId);
    },
    changeMemberRole: async (i) => {
      const user = await freshUser(i, 'role');
      const orgId = at(seed.organizations, i).organization.orgId;
      await services.addMember(orgId, user.userId, 'member');
      return () => services.changeMemberRole(orgId, user.userId, 'admin');
    },
    listOrganizationMembers: each((i) => () => services.listOrganizationMembers(at(seed.organizations, i).organization.orgId, { limit: 25 })),
    listUserOrganizations: each((i) => () => services.listUserOrganizations(at(owners, i), { limit: 25 })),
    getOrganizationWithMembers: each((i) => () => services.getOrganizationWithMembers(at(seed.organizations, i).organization.orgId)),
    placeOrder: each((i) => () => services.placeOrder(at(active, i).userId, { currency: 'USD', items: [item('KB-101'), item('MS-220'), item('CB-002')] })),
    getOrderWithItems: each((i) => () => services.getOrderWithItems(at(seed.orders, i).order.orderId)),
    listOrdersForUser: each((i) => () => services.listOrdersForUser(at(withOrders, i), { limit: 25 })),
    listOrdersByStatus: now(() => services.listOrdersByStatus('pending', { limit: 25 })),
    updateOrderStatus: async (i) => {
      const { order } = await services.placeOrder(at(active, i).userId, { currency: 'USD', items: [item('HD-050')] });
      return () => services.updateOrderStatus(order.orderId, 'paid');
    },
    createSession: each((i) => () => services.createSession(at(active, i).userId, { ttlSeconds: 3600, userAgent: 'runner' })),
    listActiveSessions: each((i) => () => services.listActiveSessions(at(withSessions, i))),
    revokeSession: async (i) => {
      const session = await services.createSession(at(active, i).userId, { ttlSeconds: 3600 });
      return () => services.revokeSession(session.userId, session.sessionId);
    },
  };
}

import { mapWithConcurrency, seededRandom, type ProgressCallback } from '../toolkit';
import type { Services } from '../services/create-services';
import type { OrderWithItems } from '../services/orders';
import type { OrganizationItem, SessionItem, UserItem } from '../services/types';

export interface SeedOptions {
  users?: number;
  organizations?: number;
  /** Requests in flight while seeding. */
  concurrency?: number;
  /** PRNG seed: the same seed gives the same dataset shape. */
  seed?: number;
  /** Told how far each step is; the seed prints nothing itself. */
  onProgress?: ProgressCallback;
}

export interface SeedData {
  users: UserItem[];
  organizations: { organization: OrganizationItem; memberIds: string[] }[];
  orders: OrderWithItems[];
  sessions: SessionItem[];
}

const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Radia', 'Tim', 'Margaret', 'Linus'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Thompson', 'Perlman', 'Lee', 'Hamilton', 'Torvalds'];
const PRODUCTS = [
  ['KB-101', 'Mechanical keyboard', 8900],
  ['MS-220', 'Wireless mouse', 2900],
  ['MN-270', '27" monitor', 24900],
  ['HD-050', 'USB-C hub', 3900],
  ['CH-900', 'Desk chair', 31900],
  ['LP-013', 'Laptop stand', 4500],
  ['CB-002', 'Cable pack', 1200],
] as const;

/**
 * Seeds a realistic dataset through the service layer (so every invariant holds): users,
 * organizations with members, orders with items, sessions; a few users end suspended or
 * deactivated. Reports progress through onProgress.
 */
export async function seedReferenceData(services: Services, options: SeedOptions = {}): Promise<SeedData> {
  const userCount = options.users ?? 300;
  const orgCount = options.organizations ?? Math.max(1, Math.round(userCount / 10));
  const concurrency = options.concurrency ?? 8;
  const random = seededRandom(options.seed ?? 42); // a seed repeats the demo dataset
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const run = async <T, R>(label: string, items: readonly T[], fn: (item: T, i: number) => Promise<R>) => {
    options.onProgress?.(label, 0, items.length);
    return mapWithConcurrency(items, concurrency, fn, (done) => options.onProgress?.(label, done, items.length));
  };
  const stamp = Date.now().toString(36);

  const users = await run('users', Array.from({ length: userCount }, (_, i) => i), (i) =>
    services.createUser({ email: `${pick(FIRST).toLowerCase()}.${i}.${stamp}@example.com`, name: `${pick(FIRST)} ${pick(LAST)}` }),
  );

  const orgPlans = Array.from({ length: orgCount }, (_, i) => ({
    i,
    owner: users[Math.floor(random() * users.length)] as UserItem,
    members: Array.from({ length: 3 + Math.floor(random() * 8) }, () => users[Math.floor(random() * users.length)] as UserItem),
    plan: pick(['free', 'pro', 'enterprise'] as const),
  }));
  const organizations = await run('organizations', orgPlans, async (plan) => {
    const organization = await services.createOrganization({ name: `Org ${plan.i} ${pick(LAST)} Labs`, ownerUserId: plan.owner.userId, plan: plan.plan });
    const memberIds = [plan.owner.userId];
    for (const member of plan.members) {
      if (memberIds.includes(member.userId)) continue;
      await services.addMember(organization.orgId, member.userId, random() < 0.2 ? 'admin' : 'member');
      memberIds.push(member.userId);
    }
    return { organization: { ...organization, memberCount: memberIds.length }, memberIds };
  });

  const orderPlans = users.flatMap((user) => Array.from({ length: Math.floor(random() * 5) }, () => user));
  const orders = await run('orders', orderPlans, (user) => {
    const lines = new Map<string, { sku: string; name: string; quantity: number; unitPriceCents: number }>();
    const count = 1 + Math.floor(random() * 4);
    for (let k = 0; k < count; k += 1) {
      const [sku, name, price] = pick(PRODUCTS);
      lines.set(sku, { sku, name, quantity: 1 + Math.floor(random() * 3), unitPriceCents: price });
    }
    return services.placeOrder(user.userId, { currency: 'USD', items: [...lines.values()] });
  });
  const moves = await run('order statuses', orders, async (placed) => {
    const r = random();
    const path = r < 0.4 ? [] : r < 0.6 ? ['paid'] : r < 0.75 ? ['paid', 'shipped'] : r < 0.92 ? ['paid', 'shipped', 'delivered'] : ['cancelled'];
    let order = placed.order;
    for (const status of path) order = await services.updateOrderStatus(order.orderId, status as typeof order.status);
    return { ...placed, order };
  });

  const sessionPlans = users.flatMap((user) => Array.from({ length: 1 + Math.floor(random() * 2) }, () => user));
  const sessions = await run('sessions', sessionPlans, (user) =>
    services.createSession(user.userId, { ttlSeconds: 3600 * (1 + Math.floor(random() * 72)), userAgent: pick(['Firefox', 'Safari', 'Chrome', 'curl/8']) }),
  );

  // A few users end suspended or deactivated (after their orders and sessions were made).
  const statusPlans = users.map((user) => ({ user, status: random() < 0.07 ? ('suspended' as const) : random() < 0.03 ? ('deactivated' as const) : null }));
  const finalUsers = await run('user statuses', statusPlans, async ({ user, status }) => (status ? services.setUserStatus(user.userId, status) : user));

  return { users: finalUsers, organizations, orders: moves, sessions };
}

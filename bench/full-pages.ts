import { mapWithConcurrency } from '../src/toolkit';
import { userStatusShard, type Services } from '../src/reference';

/** Entities seeded so that every paged pattern reads FULL 25-item pages. */
export interface FullPageData {
  /** Users with `perEntity` orders and `perEntity` memberships each. */
  pageUsers: string[];
  /** Organizations with `perEntity` members each. */
  bigOrgs: string[];
}

/**
 * The random seed draws 0-4 orders per user and 3-10 members per organization, so pages of its
 * users hold at most a few items. This adds, through the services (so every invariant holds):
 * two users with `perEntity` orders (pending: they also fill the order status index) and
 * `perEntity` memberships each, two organizations with `perEntity` members, and active users
 * until every status shard holds at least `perShard`.
 */
export async function seedFullPages(services: Services, options: { perEntity: number; perShard: number; shards: number; activeUserIds: readonly string[]; stamp: string }): Promise<FullPageData> {
  const { perEntity } = options;
  const concurrency = 8;
  const newUser = (tag: string, i: number) => services.createUser({ email: `page.${tag}.${i}.${options.stamp}@example.com`, name: `Page ${tag} ${i}` });
  const pageUsers = await mapWithConcurrency([0, 1], 2, (i) => newUser('owner', i));
  const pool = await mapWithConcurrency(Array.from({ length: perEntity }, (_, i) => i), concurrency, (i) => newUser('member', i));

  // Fill every status shard (the pool and page users are active too).
  const perShard = new Map<string, number>();
  for (const id of [...options.activeUserIds, ...pageUsers.map((u) => u.userId), ...pool.map((u) => u.userId)]) {
    const shard = userStatusShard(id, options.shards);
    perShard.set(shard, (perShard.get(shard) ?? 0) + 1);
  }
  const deficit = () => Array.from({ length: options.shards }, (_, s) => Math.max(0, options.perShard - (perShard.get(String(s)) ?? 0)));
  for (let batch = 0; deficit().some((n) => n > 0); batch += 1) {
    // Shards are a hash of the new id: create about enough for the emptiest shard, in parallel.
    const count = Math.max(...deficit()) * options.shards;
    const created = await mapWithConcurrency(Array.from({ length: count }, (_, k) => k), concurrency, (k) => newUser(`shard${batch}`, k));
    for (const u of created) {
      const shard = userStatusShard(u.userId, options.shards);
      perShard.set(shard, (perShard.get(shard) ?? 0) + 1);
    }
  }

  // Orders: perEntity per page user.
  const plans = pageUsers.flatMap((u) => Array.from({ length: perEntity }, (_, k) => ({ u, k })));
  await mapWithConcurrency(plans, concurrency, ({ u, k }) =>
    services.placeOrder(u.userId, { currency: 'USD', items: [{ sku: `SKU-${k % 7}`, name: `Item ${k % 7}`, quantity: 1 + (k % 3), unitPriceCents: 1000 + k }] }),
  );

  // Memberships: the first page user owns perEntity organizations, the second joins each.
  const [a, b] = pageUsers as [(typeof pageUsers)[number], (typeof pageUsers)[number]];
  const orgs = await mapWithConcurrency(Array.from({ length: perEntity }, (_, i) => i), concurrency, async (i) => {
    const org = await services.createOrganization({ name: `Page org ${i}`, ownerUserId: a.userId, plan: 'pro' });
    await services.addMember(org.orgId, b.userId, 'member');
    return org.orgId;
  });

  // Two organizations with perEntity members: the pool joins them.
  const bigOrgs = orgs.slice(0, 2);
  await mapWithConcurrency(
    bigOrgs.flatMap((orgId) => pool.slice(0, perEntity - 2).map((u, k) => ({ orgId, u, k }))),
    concurrency,
    ({ orgId, u, k }) => services.addMember(orgId, u.userId, k % 5 === 0 ? 'admin' : 'member'),
  );
  return { pageUsers: pageUsers.map((u) => u.userId), bigOrgs };
}

import fc from 'fast-check';
import { createServices, type UserItem } from '../../src/reference';
import { collectPages, createModelFixture, type ModelFixture } from '../support/model-fixture';

/*
 * listUsersByStatus merges one Query per shard. Users created in the same millisecond must come
 * back exactly once each, newest first (ties by id, as the index orders them), at every page size:
 * the index sort key is total (createdAt, then userId) and the merge compares exactly that key.
 * Each run lives in its own createdAt window, read back with createdFrom / createdTo (both
 * inclusive, users sit on both ends), so runs share one table without seeing each other.
 */
let f: ModelFixture;
let clockMs = 0;
let services: ReturnType<typeof createServices>;
beforeAll(async () => {
  f = await createModelFixture('status-ties');
  services = createServices({ client: f.client, tableName: f.tableName, now: () => new Date(clockMs) });
});
afterAll(() => f.close());

const newestFirst = (a: UserItem, b: UserItem) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.userId < b.userId ? 1 : a.userId > b.userId ? -1 : 0);
let run = 0;

/** Creates users in groups; every user of a group gets the same createdAt. Returns the window. */
async function seed(groups: number[], gapsMs: number[]): Promise<{ users: UserItem[]; from: string; to: string }> {
  run += 1;
  const start = Date.UTC(2001, 0, 1) + run * 86_400_000;
  const users: UserItem[] = [];
  let t = start;
  for (const [g, size] of groups.entries()) {
    clockMs = t;
    // concurrently, as racing sign-ups do
    users.push(...(await Promise.all(Array.from({ length: size }, (_, i) => services.createUser({ email: `r${run}-g${g}-u${i}@example.com`, name: `User ${i}` })))));
    t += gapsMs[g] ?? 1;
  }
  return { users, from: new Date(start).toISOString(), to: users.map((u) => u.createdAt).sort().at(-1) as string };
}

async function listAll(from: string, to: string, limit: number): Promise<UserItem[]> {
  const { items } = await collectPages((cursor) => services.listUsersByStatus('active', { createdFrom: from, createdTo: to, limit, cursor }));
  return items;
}

describe('listUsersByStatus with users sharing a createdAt millisecond', () => {
  it('57 users created in one millisecond, page size 10: all 57, once each, in index order', async () => {
    const { users, from, to } = await seed([57], []);
    const listed = await listAll(from, to, 10);
    expect(listed.map((u) => u.userId)).toEqual([...users].sort(newestFirst).map((u) => u.userId));
  });

  it('property: every user exactly once, newest first, ties by id, at every page size and tie pattern', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.constantFrom(1, 2, 1000), { minLength: 5, maxLength: 5 }),
        fc.integer({ min: 1, max: 25 }),
        async (groups, gaps, limit) => {
          const { users, from, to } = await seed(groups, gaps);
          const listed = await listAll(from, to, limit);
          expect(listed.map((u) => u.userId)).toEqual([...users].sort(newestFirst).map((u) => u.userId));
        },
      ),
      { numRuns: 15 },
    );
  }, 300_000);
});

import { createEngine, type Engine } from '../../src/engine';
import { UnavailableError } from '../../src/toolkit';
import { checkInvariants, readAll } from '../support/invariants';
import { createModelFixture, type ModelFixture } from '../support/model-fixture';

/*
 * The status index (gsi3) puts every user of one status in the partition `status#shard`. DynamoDB
 * caps one partition at 1,000 write units per second, on a GSI as on the table, and "burst
 * capacity can't alleviate partition-level throttling"
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html,
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-sharding.html).
 * The engine enforces it (faults.throttling) on its own clock, so the burst below is exact: one
 * createUser per millisecond of engine clock, each a transaction that writes the user's gsi3 copy
 * at 2 write units (transactions cost double): 2,000 WCU/s on the status index, twice one
 * partition's limit. Unsharded it lands on one partition and is throttled; over the reference
 * model's 4 shards each gets about 500 WCU/s and none is.
 */
// Past the ~1,000 users after which the unsharded partition is throttled.
const USERS = 1_200;
const STEP_MS = 1;

interface Burst {
  created: number;
  /** Index (0-based) of the first createUser that failed, or -1. */
  firstFailure: number;
  failure?: unknown;
  throttled: number;
  f: ModelFixture;
  engine: Engine;
}

async function burst(shards: number, stopAtFirstFailure: boolean): Promise<Burst> {
  let now = Date.parse('2026-02-01T00:00:00.000Z');
  const engine = createEngine({ clock: () => now, seed: 7, faults: { throttling: true } });
  // Two attempts per transaction (the default is 5): a throttled call fails fast on a frozen clock.
  const f = await createModelFixture('hot-shard', { engine, userStatusShards: shards, transactionConflictAttempts: 2 });
  const out: Burst = { created: 0, firstFailure: -1, throttled: 0, f, engine };
  for (let i = 0; i < USERS; i += 1) {
    now += STEP_MS;
    try {
      await f.services.createUser({ email: `hot-${shards}-${i}@example.com`, name: `Hot ${i}` });
      out.created += 1;
    } catch (error) {
      if (out.firstFailure < 0) {
        out.firstFailure = i;
        out.failure = error;
      }
      if (stopAtFirstFailure) break;
    }
  }
  out.throttled = engine.faults.counters.throttled;
  return out;
}

async function close(b: Burst) {
  b.engine.faults.clear(); // dropping the table must not be throttled
  await b.f.close();
  await b.engine.close();
}

describe('the hot status partition, really throttled (engine: 1,000 WCU/s per partition on its clock)', () => {
  it('unsharded (1 shard): 2,000 WCU/s on one gsi3 partition is throttled after about one second; the caller gets UNAVAILABLE and nothing of that user is written', async () => {
    const b = await burst(1, true);
    try {
      expect(b.throttled).toBeGreaterThan(0);
      expect(b.failure).toBeInstanceOf(UnavailableError);
      // The partition's one second of capacity (1,000 units) drains at 2,000 − 1,000 units/s:
      // about one second of engine clock, about 1,000 users, in.
      expect(b.firstFailure).toBeGreaterThan(800);
      expect(b.firstFailure).toBeLessThan(1_200);
      // Nothing half-written: exactly the users that succeeded exist, each with its claim.
      const all = await readAll(b.f.client, b.f.tableName);
      expect(all.get('user')?.length).toBe(b.created);
      expect(all.get('emailClaim')?.length).toBe(b.created);
      expect((all.get('emailClaim') ?? []).some((c) => c.email === `hot-1-${b.firstFailure}@example.com`)).toBe(false);
      expect(await checkInvariants(b.f.client, b.f.tableName)).toEqual([]);
    } finally {
      await close(b);
    }
  }, 120_000);

  it(`sharded (the reference model's 4 shards): the same burst of ${USERS} users spreads over 4 partitions and none is throttled`, async () => {
    const b = await burst(4, false);
    try {
      expect(b.firstFailure).toBe(-1);
      expect(b.throttled).toBe(0);
      expect(b.created).toBe(USERS);
      const users = (await readAll(b.f.client, b.f.tableName)).get('user') ?? [];
      const perShard = new Map<string, number>();
      for (const u of users) perShard.set(String(u.statusShard), (perShard.get(String(u.statusShard)) ?? 0) + 1);
      expect([...perShard.keys()].sort()).toEqual(['0', '1', '2', '3']);
      // Each shard takes well under the partition limit: under 1,000 WCU/s at 2 units a user.
      for (const n of perShard.values()) expect(n).toBeLessThan(USERS / 2);
      // And all of them are listed.
      let listed = 0;
      let cursor: string | null = null;
      do {
        const page: { items: unknown[]; cursor: string | null } = await b.f.services.listUsersByStatus('active', { limit: 100, cursor });
        listed += page.items.length;
        cursor = page.cursor;
      } while (cursor);
      expect(listed).toBe(USERS);
    } finally {
      await close(b);
    }
  }, 120_000);
});

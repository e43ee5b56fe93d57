import { analyzePartitions, defineModel, runAnalysis } from '../../src/toolkit';
import { createServices, referenceModel } from '../../src/reference';

/*
 * listUsersByStatus keeps every active user in one gsi3 partition unless the index is
 * write-sharded: under a write-heavy profile that partition is flagged; with 4 shards it is not.
 */
const rps = { createUser: 300, updateUserProfile: 900, listUsersByStatus: 10, getUserById: 500 };

async function statusPartitions(shards: number) {
  // The reference model with another shard count: a model is a value, so a variant is a spread.
  const model = defineModel({ ...referenceModel, services: ({ client, tableName }) => createServices({ client, tableName, userStatusShards: shards }) });
  const analysis = await runAnalysis(model, { size: 40, iterations: 16, quiet: true });
  const report = analyzePartitions({ ...analysis, requestsPerSecond: rps });
  return { report, status: report.partitions.filter((p) => p.index === 'gsi3' && p.partition.startsWith('$app#status_active')) };
}

describe('hot partitions of the reference model', () => {
  it('flags the unsharded active-users partition of gsi3 and clears it with write sharding', async () => {
    const before = await statusPartitions(1);
    expect(before.status).toHaveLength(1);
    const [hot] = before.status;
    // createUser: 300/s × 2 WCU (transactional gsi3 put) + updateUserProfile: 900/s × 1 WCU = 1,500 WCU/s
    expect(hot?.writeUnitsPerSecond).toBeCloseTo(1500, -1);
    expect(hot?.hot).toBe(true);
    expect(before.report.hot.some((p) => p.partition === hot?.partition)).toBe(true);

    const after = await statusPartitions(4);
    expect(after.status).toHaveLength(4);
    expect(after.status.every((p) => !p.hot)).toBe(true);
    const total = after.status.reduce((s, p) => s + p.writeUnitsPerSecond, 0);
    expect(total).toBeCloseTo(1500, -1);
    expect(Math.max(...after.status.map((p) => p.writeUnitsPerSecond))).toBeLessThan(1000);
    // Two analyses with units measured by side reads (twice the requests): minutes on a shared machine.
  }, 400_000);
});

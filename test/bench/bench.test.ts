import { catalog } from '../../src/reference';
import { USER_STATUS_SHARDS } from '../../src/reference';
import { QUICK, runBenchmarks, scanEquivalent, type BenchResults } from '../../bench/benchmarks';
import { ratiosSvg, resultsMarkdown } from '../../bench/report';

// The benchmark code runs to completion with sane output; its numbers are not asserted (no timing tests).
describe('benchmarks, in a reduced quick mode', () => {
  let results: BenchResults;
  const reads = catalog.filter((p) => p.kind === 'read').map((p) => p.name).sort();
  beforeAll(async () => {
    results = await runBenchmarks({
      ...QUICK,
      endpoint: process.env.DYNAMODB_ENDPOINT,
      seedUsers: 15,
      warmup: 2,
      endToEndIterations: 8,
      inProcessIterations: 20,
      allocationCalls: 5,
      profileCalls: 20,
      largeItems: 1500,
      scaleIterations: 4,
      scanIterations: 1,
      bulkItems: 150,
      bulkConcurrency: [2],
      quiet: true,
    });
  }, 240_000);

  const positive = (x: number) => Number.isFinite(x) && x > 0;

  it('measures every read pattern of the catalog in every section', () => {
    expect(results.endToEnd.map((r) => r.pattern).sort()).toEqual(reads);
    expect(results.inProcess.map((r) => r.pattern).sort()).toEqual(reads);
    expect(results.scale.map((r) => r.pattern).sort()).toEqual(reads);
  });

  it('reports finite positive latencies, and ratios as service / hand-written', () => {
    for (const r of [...results.endToEnd, ...results.inProcess]) {
      for (const s of [r.service, r.hand]) expect([s.p50, s.p95, s.p99].every(positive)).toBe(true);
      expect(r.service.p50).toBeLessThanOrEqual(r.service.p95);
      expect(r.service.p95).toBeLessThanOrEqual(r.service.p99);
      expect(r.ratio).toBeCloseTo(r.service.p50 / r.hand.p50, 9);
    }
    for (const r of results.endToEnd) expect(positive(r.control)).toBe(true);
    for (const r of results.inProcess) {
      expect(r.addedUs).toBeCloseTo(r.service.p50 - r.hand.p50, 9);
      expect(r.addedPerRequestUs).toBeCloseTo(r.addedUs / r.requests, 9);
    }
    // The goal is per request: a sharded listing sends one Query per shard, getUserAccount the user, its orders
    // and its sessions, every other read one request.
    const requests = Object.fromEntries(results.inProcess.map((r) => [r.pattern, r.requests]));
    expect(requests).toEqual(Object.fromEntries(reads.map((p) => [p, p === 'listUsersByStatus' ? USER_STATUS_SHARDS : p === 'getUserAccount' ? 3 : 1])));
    for (const r of results.scale) {
      expect([r.smallP50, r.largeP50, r.scanSmallP50, r.scanLargeP50].every(positive)).toBe(true);
      expect(r.ratio).toBeCloseTo(r.largeP50 / r.smallP50, 9);
    }
    expect(results.meta.itemsLarge).toBeGreaterThanOrEqual(1500);
    expect(results.meta.itemsSmall).toBeLessThan(results.meta.itemsLarge);
  });

  it('profiles the pattern with the largest added cost', () => {
    const worst = results.inProcess.reduce((a, b) => (b.addedUs > a.addedUs ? b : a));
    expect(results.profile.pattern).toBe(worst.pattern);
    expect(results.profile.byArea.length).toBeGreaterThan(0);
  });

  it('loads in bulk through both paths and names the best concurrency', () => {
    expect(results.bulk.rows).toHaveLength(1);
    const [row] = results.bulk.rows;
    expect([row!.projectItemsPerSecond, row!.plainItemsPerSecond].every(positive)).toBe(true);
    expect(results.bulk.best.concurrency).toBe(2);
  });

  it('writes RESULTS.md with every section and a well-formed SVG chart', () => {
    const md = resultsMarkdown(results, 'npm run bench -- --quick');
    for (const heading of ['## Goals', '## 1. End to end', '## 2. In process', '### Where the added time goes', '## 3. Flat with size', '## 4. Bulk load']) expect(md).toContain(heading);
    for (const p of reads) expect(md).toContain(`| ${p} |`);
    expect(md).toContain(results.meta.node);
    expect(md).not.toMatch(/NaN|Infinity|undefined/);
    const svg = ratiosSvg(results);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg).not.toMatch(/NaN|undefined/);
    // Every element closes, in order (a minimal well-formedness check: no XML parser in the dependencies).
    const stack: string[] = [];
    for (const [, closing, name, selfClosing] of svg.matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
      if (closing) expect(stack.pop()).toBe(name);
      else if (!selfClosing) stack.push(name!);
    }
    expect(stack).toEqual([]);
  });
});

describe('scanEquivalent', () => {
  it('turns key conditions into one filter over the whole table, keeping each request apart', () => {
    const scan = scanEquivalent('t', [
      { KeyConditionExpression: '#pk = :pk', ExpressionAttributeNames: { '#pk': 'gsi3pk' }, ExpressionAttributeValues: { ':pk': 'a' } },
      { KeyConditionExpression: '#pk = :pk', ExpressionAttributeNames: { '#pk': 'gsi3pk' }, ExpressionAttributeValues: { ':pk': 'b' } },
    ]);
    expect(scan).toEqual({ TableName: 't', FilterExpression: '(#pk = :pk_r0) OR (#pk = :pk_r1)', ExpressionAttributeNames: { '#pk': 'gsi3pk' }, ExpressionAttributeValues: { ':pk_r0': 'a', ':pk_r1': 'b' } });
    expect(scanEquivalent('t', [{ Key: { pk: 'p', sk: 's' } }]).FilterExpression).toBe('#key0 = :key0_r0 AND #key1 = :key1_r0');
  });
});

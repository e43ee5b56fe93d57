import { catalog } from '../../src/reference';
import { USER_STATUS_SHARDS } from '../../src/reference';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { checkSameItems, QUICK, runBenchmarks, scanEquivalent, type BenchResults } from '../../bench/benchmarks';
import type { PatternPair } from '../../bench/pairs';
import { PEERS } from '../../bench/peers';
import { ratiosSvg, resultsMarkdown } from '../../bench/report';

// The benchmark code runs to completion with sane output; its numbers are not asserted (no timing tests).
describe('benchmarks, in a reduced quick mode', () => {
  let results: BenchResults;
  const reads = catalog.filter((p) => p.kind === 'read').map((p) => p.name).sort();
  beforeAll(async () => {
    // No endpoint: the default, the engine started by the benchmark and served on 127.0.0.1.
    results = await runBenchmarks({
      ...QUICK,
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
      // 26 per entity and 25 per shard still fill every page, and seed faster than the full run's 60 / 30.
      fullPageItems: 26,
      perShard: 25,
      // jest itself runs with an async hook on; the check is asserted by npm run bench (see below).
      hookCheck: 'report',
      quiet: true,
    });
  }, 420_000);
  const reference = <T extends { model: string }>(rows: T[]) => rows.filter((r) => r.model === 'reference');

  const positive = (x: number) => Number.isFinite(x) && x > 0;

  it('measures every read pattern of the catalog in every section', () => {
    expect(reference(results.endToEnd).map((r) => r.pattern).sort()).toEqual(reads);
    expect(reference(results.inProcess).map((r) => r.pattern).sort()).toEqual(reads);
    expect(results.scale.map((r) => r.pattern).sort()).toEqual(reads);
  });

  it('reports finite positive latencies, and ratios as service / hand-written', () => {
    for (const r of [...results.endToEnd, ...results.inProcess]) {
      for (const s of [r.service, r.hand, ...r.peers.map((p) => p.summary)]) {
        expect([s.p50, s.p90, s.p95, s.p99].every(positive)).toBe(true);
        expect(s.p50).toBeLessThanOrEqual(s.p90);
        expect(s.p90).toBeLessThanOrEqual(s.p95);
        expect(s.p95).toBeLessThanOrEqual(s.p99);
      }
      expect(r.ratio).toBeCloseTo(r.service.p50 / r.hand.p50, 9);
    }
    for (const r of results.endToEnd) expect(positive(r.control)).toBe(true);
    for (const r of results.inProcess) {
      expect(r.addedUs).toBeCloseTo(r.service.p50 - r.hand.p50, 9);
      expect(r.addedPerRequestUs).toBeCloseTo(r.addedUs / r.requests, 9);
      // The kit alone: its own samples, its own A/A control.
      expect([r.alone.service.p50, r.alone.hand.p50, r.alone.control].every(positive)).toBe(true);
      expect(r.alone.service.n).toBe(r.service.n);
      expect(r.alone.addedUs).toBeCloseTo(r.alone.service.p50 - r.alone.hand.p50, 9);
      expect(r.alone.addedPerRequestUs).toBeCloseTo(r.alone.addedUs / r.requests, 9);
    }
    // The goal is per request: a sharded listing sends one Query per shard, getUserAccount the user, its orders
    // and its sessions, every other read one request.
    const requests = Object.fromEntries(reference(results.inProcess).map((r) => [r.pattern, r.requests]));
    expect(requests).toEqual(Object.fromEntries(reads.map((p) => [p, p === 'listUsersByStatus' ? USER_STATUS_SHARDS : p === 'getUserAccount' ? 3 : 1])));
    for (const r of results.scale) {
      expect([r.smallP50, r.largeP50, r.scanSmallP50, r.scanLargeP50].every(positive)).toBe(true);
      expect(r.ratio).toBeCloseTo(r.largeP50 / r.smallP50, 9);
      // The tails beside the medians, of the same samples.
      expect([r.small.p50, r.large.p50, r.scanSmall.p50, r.scanLarge.p50]).toEqual([r.smallP50, r.largeP50, r.scanSmallP50, r.scanLargeP50]);
      for (const s of [r.small, r.large]) expect(s.n).toBe(4);
      for (const s of [r.small, r.large, r.scanSmall, r.scanLarge]) expect(s.p50 <= s.p90 && s.p90 <= s.p99).toBe(true);
    }
    expect(results.meta.itemsLarge).toBeGreaterThanOrEqual(1500);
    expect(results.meta.itemsSmall).toBeLessThan(results.meta.itemsLarge);
  });

  it('measures paged patterns on full 25-item pages, and says how many items each request returned', () => {
    const items = Object.fromEntries(results.inProcess.map((r) => [r.pattern, r.itemsPerRequest]));
    for (const pattern of ['listOrdersForUser', 'listUserOrganizations', 'listOrganizationMembers', 'listOrdersByStatus', 'library.listLoansForMember']) expect(items[pattern]).toEqual([25]);
    expect(items.listUsersByStatus).toEqual(Array.from({ length: USER_STATUS_SHARDS }, () => 25));
    expect(items.getOrganizationWithMembers).toEqual([26]);
    expect(items.getUserById).toEqual([1]);
  });

  it('measures the peers beside the kit in both sections, and a user model through the request helpers', () => {
    const shown = ['getUserById', 'getUserByEmail', 'getOrganization', 'listOrganizationMembers', 'listUserOrganizations', 'getOrderWithItems', 'listOrdersForUser'];
    for (const section of [results.endToEnd, results.inProcess]) {
      for (const r of reference(section)) {
        const names = r.peers.map((p) => p.name);
        expect(names).toEqual(shown.includes(r.pattern) ? [...PEERS] : ['ElectroDB .go()']);
        for (const p of r.peers) {
          expect(p.summary.p50).toBeGreaterThan(0);
          expect(p.ratio).toBeCloseTo(p.summary.p50 / r.hand.p50, 9);
          expect(p.addedUs).toBeCloseTo(p.summary.p50 - r.hand.p50, 9);
        }
      }
      const user = section.filter((r) => r.model === 'user');
      expect(user.map((r) => r.pattern)).toEqual(['library.getMember', 'library.listLoansForMember']);
      for (const r of user) expect(r.peers.map((p) => p.name)).toEqual(['ElectroDB .go()']);
    }
    for (const r of results.inProcess) expect(Number.isFinite(r.control) && r.control > 0).toBe(true);
    expect(Object.keys(results.meta.peers)).toEqual([...PEERS]);
    expect(results.meta.hooks.start.method).toBe('promise probe');
  });

  it('profiles the pattern furthest from its goal', () => {
    const over = (r: BenchResults['inProcess'][number]) => r.addedPerRequestUs / (r.shape === 'get' ? 20 : 40);
    const worst = results.inProcess.reduce((a, b) => (over(b) > over(a) ? b : a));
    expect(results.profile.pattern).toBe(worst.pattern);
    expect(results.profile.byArea.length).toBeGreaterThan(0);
  });

  it('loads in bulk through both paths and names the best concurrency', () => {
    expect(results.bulk.rows).toHaveLength(1);
    const [row] = results.bulk.rows;
    expect([row!.projectItemsPerSecond, row!.plainItemsPerSecond].every(positive)).toBe(true);
    // Every BatchWriteItem of the measured runs timed: 150 items are 6 batches a run, two runs a path.
    expect(row!.plainRequest.n).toBe(12);
    expect(row!.projectRequest.n).toBeGreaterThanOrEqual(12);
    for (const s of [row!.projectRequest, row!.plainRequest]) expect(positive(s.p50) && s.p50 <= s.p90 && s.p90 <= s.p99).toBe(true);
    expect(results.bulk.best.concurrency).toBe(2);
  });

  it('writes RESULTS.md with every section and a well-formed SVG chart', () => {
    const md = resultsMarkdown(results, 'npm run bench -- --quick');
    for (const heading of ['## Goals', '## 1. End to end', '### reference: DynamoDB Local, measured 2026-11-27', '## 2. In process', '## Your own model through the request helpers', '### The kit alone', '### Where the added time goes', '## 3. Flat with size', '## 4. Bulk load']) expect(md).toContain(heading);
    // Where the requests went is said, and the tail is beside the median in every latency table.
    expect(md).toContain('## 1. End to end (the engine over HTTP');
    expect(md).toContain(`| DynamoDB (sections 1-4) | ${results.meta.backend} |`);
    const headers = md.split('\n').filter((l) => l.startsWith('| Pattern') || l.startsWith('| Concurrency'));
    // End to end, in process, the kit alone, each for both models where they apply, the reference, scale, bulk.
    expect(headers).toHaveLength(8);
    for (const h of headers) expect(h).toMatch(/p50 \/ p9[05] \/ p99/);
    // The reference rows are DynamoDB Local's published numbers, as published (getUserById hand-written: 1.23 ms p50).
    const ref = results.reference!.endToEnd.find((r) => r.pattern === 'getUserById')!;
    expect(md).toContain(`| getUserById | 1 | ${ref.hand.p50.toFixed(2)} / ${ref.hand.p95.toFixed(2)} / ${ref.hand.p99.toFixed(2)} |`);
    expect(ref.hand.p50.toFixed(2)).toBe('1.23');
    for (const p of [...reads, 'library.getMember', 'library.listLoansForMember']) expect(md).toContain(`| ${p} |`);
    for (const peer of PEERS) expect(md).toContain(`${peer} added µs`);
    expect(md).toContain('| Async hooks in force |');
    expect(md).toContain('best peer / single-table-kit');
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

describe('the check before timing', () => {
  const pair = (over: Partial<PatternPair>): PatternPair => ({
    pattern: 'p',
    shape: 'get',
    model: 'reference',
    service: async () => ({ items: [{ id: 'a', n: 1 }], cursor: null }),
    hand: async () => [{ pk: 'x', sk: 'y', id: 'a', n: 1 }],
    peers: { 'ElectroDB .go()': async () => ({ data: [{ id: 'a', n: 1 }], cursor: null }) },
    ...over,
  });
  it('accepts contenders that return the same items in their own shapes', async () => {
    await expect(checkSameItems([pair({})])).resolves.toBeUndefined();
  });
  it('fails the run when a contender returns other items, naming it', async () => {
    await expect(checkSameItems([pair({ peers: { OneTable: async () => [{ id: 'a', n: 2 }] } })])).rejects.toThrow(/p: OneTable returned 1 items/);
    await expect(checkSameItems([pair({ service: async () => null })])).rejects.toThrow(/p: service returned 0 items, the hand-written request 1/);
  });
  it('fails the run when the hand-written request finds nothing to compare', async () => {
    await expect(checkSameItems([pair({ hand: async () => null })])).rejects.toThrow(/no items/);
  });
});

describe('the async-hook check of npm run bench', () => {
  const root = resolve(__dirname, '..', '..');
  // Outside jest (which runs with a hook on): a fresh node, with and without --expose-internals.
  const script = `
const { createJiti } = require('jiti');
const { asyncHooksInForce } = createJiti(process.cwd() + '/')('./bench/hooks.ts');
const { createHook } = require('node:async_hooks');
(async () => {
  const before = await asyncHooksInForce();
  // A hook enabled directly, as an AsyncLocalStorage does on Node 20 and 22 (Node 24's runs on
  // AsyncContextFrame, without one): the check must see it on every Node.
  createHook({ init() {} }).enable();
  const after = await asyncHooksInForce();
  console.log(JSON.stringify({ before, after }));
})();`;
  it.each([[['--expose-internals'], 'internals'], [[], 'promise probe']])('sees no hook in a fresh process and sees one once a hook is enabled (%s)', async (flags, method) => {
    const { stdout } = await promisify(execFile)(process.execPath, [...flags, '-e', script], { cwd: root });
    const { before, after } = JSON.parse(stdout.trim()) as { before: { enabled: number; method: string }; after: { enabled: number; method: string } };
    expect(before).toEqual({ enabled: 0, method });
    expect(after.enabled).toBeGreaterThan(0);
  }, 60_000);
});

describe('scanEquivalent', () => {
  it('turns key conditions into one filter over the whole table, keeping each request apart', () => {
    const scan = scanEquivalent('t', [
      { KeyConditionExpression: '#pk = :pk', ExpressionAttributeNames: { '#pk': 'gsi3pk' }, ExpressionAttributeValues: { ':pk': 'a' } },
      { KeyConditionExpression: '#pk = :pk', ExpressionAttributeNames: { '#pk': 'gsi3pk' }, ExpressionAttributeValues: { ':pk': 'b' } },
    ]);
    expect(scan).toEqual({ TableName: 't', FilterExpression: '(#pk = :pk_r0) OR (#pk = :pk_r1)', ExpressionAttributeNames: { '#pk': 'gsi3pk' }, ExpressionAttributeValues: { ':pk_r0': 'a', ':pk_r1': 'b' } });
    expect(scanEquivalent('t', [{ Key: { pk: 'p', sk: 's' } }]).FilterExpression).toBe('#key0 = :key0_r0 AND #key1 = :key1_r0');
    // A PartiQL SELECT's key equalities (values from its parameters) become the Scan's filter.
    const pq = scanEquivalent('t', [{ Statement: 'SELECT * FROM "t" WHERE "pk" = ? AND "sk" = ?', Parameters: ['p', 's'] }]);
    expect(pq).toMatchObject({ FilterExpression: '#pq0 = :pq0_r0 AND #pq1 = :pq1_r0', ExpressionAttributeNames: { '#pq0': 'pk', '#pq1': 'sk' }, ExpressionAttributeValues: { ':pq0_r0': 'p', ':pq1_r0': 's' } });
  });
});

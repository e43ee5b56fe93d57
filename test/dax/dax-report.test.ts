import { catalog as referenceCatalog, referenceModel } from '../../src/reference';
import { renderDaxCost, renderDaxServing, runDax } from '../../src/cli/dax';
import {
  applyPriceOverride,
  daxReadsOf,
  daxServing,
  defineCatalog,
  estimateDaxSavings,
  DaxPriceError,
  PriceFileError,
  runAnalysis,
  UnknownPatternError,
  US_EAST_1_STANDARD,
  type DaxPatternReads,
  type TrafficProfile,
} from '../../src/toolkit';
import { catalog as libraryCatalog } from '../fixtures/library-model';

describe('daxServing: what DAX would do with each pattern', () => {
  it('the reference model: eventually consistent gets from the item cache, listings from the query cache, writes through', () => {
    const byName = new Map(daxServing(referenceCatalog).map((p) => [p.pattern, p]));
    expect(byName.get('getUserById')).toMatchObject({ verdict: 'cached', caches: ['item'] });
    expect(byName.get('listOrdersForUser')).toMatchObject({ verdict: 'cached', caches: ['query'] });
    expect(byName.get('getUserAccount')).toMatchObject({ verdict: 'cached', caches: ['item', 'query'] });
    expect(byName.get('revokeSession')).toMatchObject({ verdict: 'write-through', warnings: [] });
    // Its strongly consistent reads pass through; nothing it decides on comes from a cache.
    expect(byName.get('changeUserEmail')?.requests.find((r) => r.operation === 'GetItem')?.service).toBe('passed through');
    // deleteUser sweeps memberships found by a GSI query: through DAX that listing may be stale.
    expect(byName.get('deleteUser')?.warnings.join(' ')).toMatch(/stale/);
    // Only a pattern that sends PartiQL is refused (DAX serves no PartiQL), and it says what to do.
    const refused = daxServing(referenceCatalog).filter((p) => p.verdict === 'refused').map((p) => p.pattern);
    expect(refused).toEqual(referenceCatalog.filter((p) => p.requests.some((r) => r.operation === 'ExecuteStatement')).map((p) => p.name));
    expect(refused).toEqual(['getOrganizationWithPartiql']);
    expect(byName.get('getOrganizationWithPartiql')?.warnings.join(' ')).toMatch(/PartiQL/);
  });

  it('the library model: every read pattern cached, the write through', () => {
    const rows = daxServing(libraryCatalog);
    expect(rows.map((p) => [p.pattern, p.verdict])).toEqual([
      ['getMember', 'cached'],
      ['getBook', 'cached'],
      ['listMemberLoans', 'cached'],
      ['listLoansForBook', 'cached'],
      ['listOverdueLoans', 'cached'],
      ['lendBook', 'write-through'],
    ]);
  });

  it('strong, transactional and PartiQL reads: passed through or refused, and said so', () => {
    const rows = daxServing(
      defineCatalog([
        { name: 'strong', kind: 'read', description: 'x', entities: ['e'], requests: [{ operation: 'GetItem', index: 'table', key: 'pk', consistency: 'strong' }] },
        { name: 'mixed', kind: 'read', description: 'x', entities: ['e'], requests: [{ operation: 'GetItem', index: 'table', key: 'pk' }, { operation: 'TransactGetItems', index: 'table', key: 'pk' }] },
        { name: 'partiql', kind: 'read', description: 'x', entities: ['e'], requests: [{ operation: 'ExecuteStatement', index: 'table', key: 'pk', partiql: ['SELECT'] }] },
      ]),
    );
    expect(rows.map((r) => r.verdict)).toEqual(['not cached', 'partly cached', 'refused']);
    expect(rows[2]?.warnings[0]).toMatch(/PartiQL, which DAX refuses/);
  });

  it('renders a row per pattern and the notes on each cache', () => {
    const text = renderDaxServing(daxServing(referenceCatalog));
    for (const p of referenceCatalog) expect(text).toContain(p.name);
    expect(text).toContain('Query cache (Query, Scan): no write');
    expect(text).toContain('GetItem: item cache');
  });
});

describe('estimateDaxSavings', () => {
  const reads: DaxPatternReads[] = [
    { pattern: 'get', readUnitsPerCall: 0.5, cacheableReadUnitsPerCall: 0.5 },
    { pattern: 'strongGet', readUnitsPerCall: 1, cacheableReadUnitsPerCall: 0 },
  ];
  const profile: TrafficProfile = { patterns: { get: { requestsPerSecond: 10_000 }, strongGet: { requestsPerSecond: 100 } } };

  it('saves rate × cacheable units × hit ratio, priced on-demand and provisioned, against nodes × node-hour × 730', () => {
    const r = estimateDaxSavings(profile, reads, { hitRatio: 0.9, cluster: { nodeType: 'dax.t3.small', nodes: 3 } });
    const saved = 10_000 * 0.5 * 0.9;
    expect(r.totals.savedReadUnitsPerSecond).toBeCloseTo(saved, 9);
    expect(r.patterns.find((p) => p.pattern === 'strongGet')?.savedReadUnitsPerSecond).toBe(0);
    expect(r.totals.savedMonthly.onDemand).toBeCloseTo(saved * 730 * 3600 * (0.125 / 1e6), 6);
    expect(r.totals.savedMonthly.provisioned).toBeCloseTo((saved / 0.7) * 730 * 0.00013, 6);
    expect(r.cluster.monthly).toBeCloseTo(3 * 0.04 * 730, 9);
    expect(r.net.onDemand).toBeCloseTo(r.totals.savedMonthly.onDemand - r.cluster.monthly, 9);
    // The hit ratio where the on-demand savings equal the cluster's cost.
    expect(r.breakEvenHitRatio.onDemand).toBeCloseTo(r.cluster.monthly / (r.totals.savedMonthly.onDemand / 0.9), 9);
    expect(r.summary).toMatch(/3 × dax\.t3\.small/);
    expect(renderDaxCost(r)).toContain('DAX cluster (3 × dax.t3.small)');
  });

  it('a cluster that never pays has no break-even hit ratio', () => {
    const r = estimateDaxSavings({ patterns: { get: { requestsPerSecond: 1 } } }, reads);
    expect(r.hitRatio).toBe(0.8);
    expect(r.cluster).toMatchObject({ nodeType: 'dax.r5.large', nodes: 3 });
    expect(r.breakEvenHitRatio).toEqual({ onDemand: null, provisioned: null });
    expect(r.summary).toMatch(/at any hit ratio/);
  });

  it('refuses a node type without a price, a hit ratio outside 0-1, a cluster size DAX does not have, an unknown pattern', () => {
    expect(() => estimateDaxSavings(profile, reads, { cluster: { nodeType: 'dax.r9.huge', nodes: 3 } })).toThrow(DaxPriceError);
    expect(() => estimateDaxSavings(profile, reads, { cluster: { nodeType: 'toString', nodes: 3 } })).toThrow(/dax\.nodeHour: no price for node type "toString"/);
    expect(() => estimateDaxSavings(profile, reads, { hitRatio: 1.5 })).toThrow(/hitRatio must be a number from 0 to 1/);
    expect(() => estimateDaxSavings(profile, reads, { cluster: { nodeType: 'dax.r5.large', nodes: 0 } })).toThrow(/nodes must be a whole number from 1 to 11/);
    expect(() => estimateDaxSavings({ patterns: { nope: { requestsPerSecond: 1 } } }, reads)).toThrow(UnknownPatternError);
  });

  it('node prices come from the price table, and a price file can add one (with its date)', () => {
    expect(US_EAST_1_STANDARD.dax?.nodeHour['dax.r5.large']).toBe(0.269);
    const prices = applyPriceOverride({ dax: { effectiveDate: '2026-12-01', nodeHour: { 'dax.r5.xlarge': 0.5 } } });
    expect(prices.dax?.nodeHour).toMatchObject({ 'dax.r5.large': 0.269, 'dax.r5.xlarge': 0.5 });
    expect(estimateDaxSavings(profile, reads, { prices, cluster: { nodeType: 'dax.r5.xlarge', nodes: 1 } }).cluster.monthly).toBeCloseTo(365, 9);
    expect(() => applyPriceOverride({ dax: { nodeHour: { 'dax.r5.xlarge': 0.5 } } })).toThrow(/dax\.effectiveDate: required/);
    expect(() => applyPriceOverride({ dax: { effectiveDate: '2026-12-01', nodeHour: { 'dax.r5.xlarge': -1 } } })).toThrow(PriceFileError);
    expect(() => applyPriceOverride({ dax: { effectiveDate: '2026-12-01', nodeHour: { '<script>': 1 } } })).toThrow(/node types are named like dax\.r5\.large/);
  });
});

describe('measured on the engine', () => {
  it('daxReadsOf: strongly consistent reads are not cacheable, eventually consistent ones are', async () => {
    const analysis = await runAnalysis(referenceModel, { size: 8, iterations: 1 });
    const reads = new Map(analysis.measurements.map((m) => [m.pattern, daxReadsOf(m)]));
    expect(reads.get('getUserById')).toEqual({ pattern: 'getUserById', readUnitsPerCall: 0.5, cacheableReadUnitsPerCall: 0.5 });
    const email = reads.get('changeUserEmail');
    expect(email?.readUnitsPerCall).toBeGreaterThan(0);
    expect(email?.cacheableReadUnitsPerCall).toBe(0); // its reads are strongly consistent
  }, 120_000);

  it('the dax command prints JSON with every pattern, and the cost under a profile', async () => {
    let out = '';
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk);
      return true;
    });
    try {
      await runDax(referenceModel, { profile: { patterns: { getUserById: { requestsPerSecond: 2000 } } }, size: 8, iterations: 1, json: true, hitRatio: 0.5 });
    } finally {
      write.mockRestore();
    }
    const json = JSON.parse(out) as { patterns: { pattern: string }[]; cost: { hitRatio: number; totals: { savedReadUnitsPerSecond: number } } };
    expect(json.patterns.map((p) => p.pattern)).toEqual(referenceCatalog.map((p) => p.name));
    expect(json.cost.hitRatio).toBe(0.5);
    expect(json.cost.totals.savedReadUnitsPerSecond).toBeCloseTo(2000 * 0.5 * 0.5, 9);
  }, 120_000);
});

import { catalog, referenceModel } from '../../src/reference';
import { measureModelCapacity } from '../../src/cli/capacity';
import { renderCostReport } from '../../src/cli/cost';
import { estimateCost, readTrafficProfile } from '../../src/toolkit';

// The cost command's path: measure every pattern on DynamoDB Local, price the shipped example profile.
describe('cost of the reference model under the example profile', () => {
  let report: ReturnType<typeof estimateCost>;
  beforeAll(async () => {
    const measured = await measureModelCapacity(referenceModel, { size: 10, iterations: 1, quiet: true });
    report = estimateCost(readTrafficProfile('examples/reference-profile.json'), measured);
  }, 120_000);

  it('prices every catalog pattern the profile names, with measured units', () => {
    const names = catalog.map((p) => p.name);
    expect(report.patterns.map((p) => p.pattern).sort()).toEqual(Object.keys(readTrafficProfile('examples/reference-profile.json').patterns).sort());
    for (const row of report.patterns) {
      expect(names).toContain(row.pattern);
      expect(row.readUnitsPerCall + row.writeUnitsPerCall).toBeGreaterThan(0);
    }
    // An eventually consistent get of one small item: half a unit.
    expect(report.patterns.find((p) => p.pattern === 'getUserById')?.readUnitsPerCall).toBe(0.5);
  });

  it('totals are the sums of the rows, shares add up to one', () => {
    const sum = (k: 'onDemand' | 'provisioned') => report.patterns.reduce((a, p) => a + p.monthly[k], 0);
    expect(report.totals.onDemand).toBeCloseTo(sum('onDemand'), 6);
    expect(report.totals.provisioned).toBeCloseTo(sum('provisioned'), 6);
    expect(report.patterns.reduce((a, p) => a + p.share, 0)).toBeCloseTo(1, 9);
  });

  it('renders a table with a row per pattern, the totals and the recommendation', () => {
    const text = renderCostReport(report);
    for (const p of report.patterns) expect(text).toContain(p.pattern);
    expect(text).toContain('Total (throughput)');
    expect(text).toContain('Storage (');
    expect(text).toMatch(/is cheaper/);
    expect(text).toMatch(/flips when provisioned capacity is used \d+\.\d%/);
  });
});

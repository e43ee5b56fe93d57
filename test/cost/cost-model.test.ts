import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  estimateCost,
  loadPrices,
  parseTrafficProfile,
  readTrafficProfile,
  PriceFileError,
  storageCost,
  TrafficProfileError,
  UnknownPatternError,
  US_EAST_1_STANDARD,
} from '../../src/toolkit';

/*
 * Every expected figure below is worked out by hand from the published prices (us-east-1,
 * Standard): on-demand $0.125 / $0.625 per million read / write request units, provisioned
 * $0.00013 / $0.00065 per RCU / WCU-hour, storage $0.25 per GB-month; a month is 730 hours.
 */
describe('estimateCost', () => {
  const profile = parseTrafficProfile({
    targetUtilization: 0.5,
    patterns: {
      // 10 eventually consistent 0.5-unit reads a second, flat all day.
      readFlat: { requestsPerSecond: 10 },
      // 2 writes/s on average, 6/s for 4 hours a day, 2 units each.
      writePeaky: { requestsPerSecond: 2, peakRequestsPerSecond: 6, peakHoursPerDay: 4 },
    },
    storage: { items: { user: { count: 1_000_000, averageBytes: 400, indexEntriesPerItem: 2 } } },
  });
  const units = [
    { pattern: 'readFlat', readUnitsPerCall: 0.5, writeUnitsPerCall: 0 },
    { pattern: 'writePeaky', readUnitsPerCall: 0, writeUnitsPerCall: 2 },
  ];
  const report = estimateCost(profile, units);
  const row = (name: string) => report.patterns.find((p) => p.pattern === name)!;

  it('prices on-demand by request units: rate × 2,628,000 s × units × price', () => {
    // 10 × 2,628,000 × 0.5 = 13,140,000 RRU × $0.125/M = $1.6425
    expect(row('readFlat').monthly.onDemand).toBeCloseTo(1.6425, 6);
    // 2 × 2,628,000 × 2 = 10,512,000 WRU × $0.625/M = $6.57
    expect(row('writePeaky').monthly.onDemand).toBeCloseTo(6.57, 6);
    expect(report.totals.onDemand).toBeCloseTo(8.2125, 6);
  });

  it('sizes provisioned capacity to each level / target utilization, peak hours at the peak', () => {
    // 5 RCU consumed / 0.5 = 10 RCU × 730 h = 7,300 RCU-h × $0.00013 = $0.949
    expect(row('readFlat').monthly.provisioned).toBeCloseTo(0.949, 6);
    // off-peak = (2×24 − 6×4) / 20 = 1.2 req/s; peak 6×2/0.5 = 24 WCU for 4 h, off-peak 1.2×2/0.5 = 4.8 WCU for 20 h
    // = 192 WCU-h a day × 730/24 days = 5,840 WCU-h × $0.00065 = $3.796
    expect(row('writePeaky').offPeakRequestsPerSecond).toBeCloseTo(1.2, 9);
    expect(row('writePeaky').peakProvisioned.writeCapacityUnits).toBeCloseTo(24, 9);
    expect(row('writePeaky').monthly.provisioned).toBeCloseTo(3.796, 6);
    // held at peak: 24 WCU × 730 h = 17,520 WCU-h × $0.00065 = $11.388
    expect(row('writePeaky').monthly.provisionedAtPeak).toBeCloseTo(11.388, 6);
    expect(report.totals.provisioned).toBeCloseTo(4.745, 6);
    expect(report.totals.provisionedAtPeak).toBeCloseTo(12.337, 6);
  });

  it('recommends the cheaper mode and says where the answer flips', () => {
    expect(report.recommendation.cheaper).toBe('provisioned');
    expect(report.recommendation.monthlySavings).toBeCloseTo(8.2125 - 4.745, 6);
    // $0.00013 × 730 / ($0.125/M × 3,600 × 730) = 0.0949 / 0.3285 = 28.889 %
    expect(report.recommendation.breakEvenUtilization).toBeCloseTo(0.0949 / 0.3285, 6);
    // held-at-peak / auto-scaled = 12.337 / 4.745 = 2.6; flips at 0.5 / 0.28889 = 1.7308
    expect(report.recommendation.peakToAverage).toBeCloseTo(2.6, 6);
    expect(report.recommendation.breakEvenPeakToAverage).toBeCloseTo(0.5 / (0.0949 / 0.3285), 6);
    expect(report.recommendation.summary).toContain('28.9%');
    // shares of the cheaper mode's total
    expect(row('readFlat').share).toBeCloseTo(0.2, 6);
    expect(row('writePeaky').share).toBeCloseTo(0.8, 6);
  });

  it('flips to on-demand below the break-even utilization', () => {
    const low = estimateCost(profile, units, { targetUtilization: 0.25 });
    // provisioned doubles: 4.745 × 0.5 / 0.25 = 9.49 > 8.2125
    expect(low.totals.provisioned).toBeCloseTo(9.49, 6);
    expect(low.recommendation.cheaper).toBe('on-demand');
  });

  it('prices storage with 100 bytes of overhead per item and per index entry', () => {
    // 1,000,000 × (400+100) + 1,000,000 × 2 × (400+100) = 1.5e9 bytes = 1.39698 GiB × $0.25
    expect(report.storage.gb).toBeCloseTo(1.5e9 / 2 ** 30, 9);
    expect(report.storage.monthly).toBeCloseTo((1.5e9 / 2 ** 30) * 0.25, 9);
    expect(storageCost(parseTrafficProfile({ patterns: {} })).monthly).toBe(0);
  });

  it('takes units per call from the profile when a pattern is not measured, and refuses unknown patterns', () => {
    const given = parseTrafficProfile({ patterns: { planned: { requestsPerSecond: 1, readUnitsPerCall: 1, writeUnitsPerCall: 0 } } });
    // 1 × 2,628,000 × 1 × $0.125/M = $0.3285
    expect(estimateCost(given, []).totals.onDemand).toBeCloseTo(0.3285, 9);
    const unknown = parseTrafficProfile({ patterns: { nope: { requestsPerSecond: 1 } } });
    expect(() => estimateCost(unknown, units)).toThrow(UnknownPatternError);
  });
});

describe('traffic profile validation', () => {
  const bad: [string, unknown, string][] = [
    ['peak below average', { patterns: { a: { requestsPerSecond: 5, peakRequestsPerSecond: 4, peakHoursPerDay: 2 } } }, 'patterns.a.peakRequestsPerSecond'],
    ['peak without hours', { patterns: { a: { requestsPerSecond: 5, peakRequestsPerSecond: 9 } } }, 'patterns.a.peakHoursPerDay'],
    ['peak longer than the average allows', { patterns: { a: { requestsPerSecond: 1, peakRequestsPerSecond: 10, peakHoursPerDay: 12 } } }, 'patterns.a.peakRequestsPerSecond'],
    ['negative rate', { patterns: { a: { requestsPerSecond: -1 } } }, 'patterns.a.requestsPerSecond'],
    ['unknown field', { patterns: { a: { requestsPerSecond: 1, rps: 2 } } }, 'patterns.a'],
    ['hours over 24', { patterns: { a: { requestsPerSecond: 1, peakRequestsPerSecond: 1, peakHoursPerDay: 25 } } }, 'patterns.a.peakHoursPerDay'],
    ['utilization out of range', { targetUtilization: 0.95, patterns: {} }, 'targetUtilization'],
    ['fractional item count', { patterns: {}, storage: { items: { u: { count: 1.5, averageBytes: 10 } } } }, 'storage.items.u.count'],
  ];
  it.each(bad)('%s is a TrafficProfileError naming %s', (_name, input, field) => {
    try {
      parseTrafficProfile(input, 'p.json');
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(TrafficProfileError);
      expect((error as TrafficProfileError).field).toBe(field);
      expect((error as Error).message).toMatch(/^p\.json: /);
    }
  });

  it('accepts the example profile shipped for the reference model', () => {
    const profile = readTrafficProfile('examples/reference-profile.json');
    expect(Object.keys(profile.patterns).length).toBeGreaterThan(10);
    expect(profile.storage?.items).toBeDefined();
  });
});

describe('prices', () => {
  const dir = mkdtempSync(join(tmpdir(), 'prices-'));
  it('are data with their region and date', () => {
    expect(US_EAST_1_STANDARD).toMatchObject({ region: 'us-east-1', tableClass: 'STANDARD', effectiveDate: '2024-11-01' });
  });
  it('are overridden from a file, field by field', () => {
    const path = join(dir, 'eu.json');
    writeFileSync(path, JSON.stringify({ region: 'eu-west-1', effectiveDate: '2025-01-01', onDemand: { readRequestUnitsPerMillion: 0.1415 } }));
    const prices = loadPrices(path);
    expect(prices.region).toBe('eu-west-1');
    expect(prices.onDemand).toEqual({ readRequestUnitsPerMillion: 0.1415, writeRequestUnitsPerMillion: 0.625 });
    expect(prices.provisioned).toEqual(US_EAST_1_STANDARD.provisioned);
  });
  it('refuse a price change without its date, and unknown fields', () => {
    const undated = join(dir, 'undated.json');
    writeFileSync(undated, JSON.stringify({ storageGbMonth: 0.3 }));
    expect(() => loadPrices(undated)).toThrow(new PriceFileError(`${undated}: effectiveDate: required when prices or region change`));
    const typo = join(dir, 'typo.json');
    writeFileSync(typo, JSON.stringify({ onDemand: { readPerMillion: 1 } }));
    expect(() => loadPrices(typo)).toThrow(/onDemand/);
  });
});

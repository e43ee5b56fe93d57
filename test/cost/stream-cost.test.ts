import { defineModel, defineStreamConsumer, estimateCost, parseTrafficProfile, StreamRateError, TrafficProfileError, US_EAST_1_STANDARD, type PatternUnits } from '../../src/toolkit';
import { referenceModel } from '../../src/reference';
import { renderCostReport } from '../../src/cli/cost';
import { Book, Loan, Member, libraryModel } from '../fixtures/library-model';

/*
 * Stream-driven work in the cost model. Figures by hand: a month is 730 h = 2,628,000 s; on-demand
 * $0.125 / $0.625 per million read / write request units; stream reads $0.02 per 100,000.
 */
const SECONDS = 2_628_000;
const onDemand = (rate: number, r: number, w: number) => rate * SECONDS * ((r * 0.125) / 1e6 + (w * 0.625) / 1e6);

const units: PatternUnits[] = [
  { pattern: 'getUserById', readUnitsPerCall: 0.5, writeUnitsPerCall: 0 },
  { pattern: 'createUser', readUnitsPerCall: 0, writeUnitsPerCall: 4 },
  { pattern: 'updateUserProfile', readUnitsPerCall: 1.5, writeUnitsPerCall: 3 },
  { pattern: 'setUserStatus', readUnitsPerCall: 0.5, writeUnitsPerCall: 2 },
];
const referenceProfile = (streams?: unknown) =>
  parseTrafficProfile({
    patterns: {
      getUserById: { requestsPerSecond: 10 },
      createUser: { requestsPerSecond: 5 },
      updateUserProfile: { requestsPerSecond: 3, peakRequestsPerSecond: 9, peakHoursPerDay: 4 },
      setUserStatus: { requestsPerSecond: 2 },
    },
    ...(streams === undefined ? {} : { streams }),
  });

describe('the reference model: membership-names runs updateUserProfile on user modifications', () => {
  it('adds a stream-driven row at the rate of the profiled patterns that modify users, and totals grow by exactly its cost', () => {
    const without = estimateCost(referenceProfile(), units);
    const withStreams = estimateCost(referenceProfile(), units, { model: referenceModel });
    const driven = withStreams.patterns.filter((p) => p.trigger);
    // createUser only puts a user (an insert, which the consumer has no handler for); the two updates modify one.
    expect(driven).toEqual([
      expect.objectContaining({
        pattern: 'updateUserProfile',
        trigger: { stream: 'membership-names', source: 'derived', from: ['updateUserProfile', 'setUserStatus'] },
        requestsPerSecond: 5,
        peakRequestsPerSecond: 11,
        peakHoursPerDay: 4,
        readUnitsPerCall: 1.5,
        writeUnitsPerCall: 3,
      }),
    ]);
    // The callers' row is still there, unchanged: the stream row is beside it, not merged.
    const callers = (r: typeof without) => r.patterns.filter((p) => p.pattern === 'updateUserProfile' && !p.trigger).map(({ share: _share, ...p }) => p);
    expect(callers(withStreams)).toEqual(callers(without));
    expect(withStreams.totals.onDemand - without.totals.onDemand).toBeCloseTo(onDemand(5, 1.5, 3), 9);
    expect(withStreams.totals.provisioned - without.totals.provisioned).toBeCloseTo(driven[0]?.monthly.provisioned as number, 9);
    // A Lambda trigger reads for free, and the report says why.
    expect(withStreams.streamReads).toEqual({ consumers: [expect.objectContaining({ consumer: 'membership-names', reader: 'lambda', monthly: 0, reason: expect.stringMatching(/Lambda/) })], monthly: 0 });
    const text = renderCostReport(withStreams);
    expect(text).toMatch(/updateUserProfile ← stream membership-names/);
    expect(text).toMatch(/one per call of updateUserProfile, setUserStatus/);
    expect(text).toMatch(/Stream reads: membership-names \(lambda\)/);
  });

  it('a consumer reading through the Streams API adds its GetRecords: one a second by default, or as the profile gives', () => {
    const lambda = estimateCost(referenceProfile(), units, { model: referenceModel });
    const api = estimateCost(referenceProfile({ 'membership-names': { reader: 'streams-api' } }), units, { model: referenceModel });
    expect(api.totals).toEqual(lambda.totals);
    expect(api.streamReads.monthly).toBeCloseTo((1 * SECONDS * 0.02) / 100_000, 9);
    expect(api.streamReads.consumers[0]).toMatchObject({ reader: 'streams-api', getRecordsPerSecond: 1 });
    expect(api.recommendation.summary).toMatch(/Stream reads add \$0\.53 a month/);
    const given = estimateCost(referenceProfile({ 'membership-names': { reader: 'streams-api', getRecordsPerSecond: 40 } }), units, { model: referenceModel });
    expect(given.streamReads.monthly).toBeCloseTo((40 * SECONDS * 0.02) / 100_000, 9);
    // The price is data: a price table with another stream read price moves the figure.
    const dearer = { ...US_EAST_1_STANDARD, streams: { effectiveDate: '2026-01-01', source: 'test', readRequestUnitsPer100k: 0.04 } };
    expect(estimateCost(referenceProfile({ 'membership-names': { reader: 'streams-api' } }), units, { model: referenceModel, prices: dearer }).streamReads.monthly).toBeCloseTo((SECONDS * 0.04) / 100_000, 9);
    expect(() => estimateCost(referenceProfile({ 'membership-names': { reader: 'streams-api' } }), units, { model: referenceModel, prices: { ...US_EAST_1_STANDARD, streams: undefined } })).toThrow(/prices\.streams/);
  });

  it('the profile can give the rate explicitly; the report says it came from the profile', () => {
    const report = estimateCost(referenceProfile({ 'membership-names': { recordsPerSecond: 7 } }), units, { model: referenceModel });
    const row = report.patterns.find((p) => p.trigger);
    expect(row).toMatchObject({ requestsPerSecond: 7, peakRequestsPerSecond: 7, trigger: { stream: 'membership-names', source: 'profile', from: [] } });
    expect(report.totals.onDemand - estimateCost(referenceProfile(), units).totals.onDemand).toBeCloseTo(onDemand(7, 1.5, 3), 9);
    expect(renderCostReport(report)).toMatch(/at the profile's streams\.membership-names\.recordsPerSecond/);
  });

  it('refuses a hostile streams section by field: NaN, negative, 1e306, an unknown reader or consumer', () => {
    const field = (streams: unknown) => {
      try {
        estimateCost(referenceProfile(streams), units, { model: referenceModel });
      } catch (error) {
        return error instanceof TrafficProfileError || error instanceof StreamRateError ? error.message : `unexpected ${String(error)}`;
      }
      return 'accepted';
    };
    for (const bad of [NaN, -1, 1e306, Infinity, '3']) {
      expect(field({ 'membership-names': { recordsPerSecond: bad } })).toMatch(/^profile: streams\.membership-names\.recordsPerSecond: /);
      expect(field({ 'membership-names': { reader: 'streams-api', getRecordsPerSecond: bad } })).toMatch(/^profile: streams\.membership-names\.getRecordsPerSecond: /);
    }
    expect(field({ 'membership-names': { reader: 'kcl' } })).toMatch(/^profile: streams\.membership-names\.reader: /);
    expect(field({ 'membership-names': { extra: 1 } })).toMatch(/^profile: streams\.membership-names: /);
    expect(field({ 'no-such\u001b[31m': {} }).startsWith('streams.no-such\u001b[31m: the model has no stream consumer of that name')).toBe(true);
  });
});

describe('a second model: a loan-log consumer on the library model runs tallyLoan on every new loan', () => {
  const consumer = defineStreamConsumer({
    entities: { member: Member, book: Book, 'loan\u001b[31m': Loan },
    settings: { name: 'loan-log' },
    handlers: { 'loan\u001b[31m': { insert: () => undefined } },
  });
  const model = defineModel({
    ...libraryModel,
    catalog: [
      ...libraryModel.catalog,
      { name: 'tallyLoan', kind: 'write', description: "Counts a member's loans.", entities: ['member'], requests: [{ operation: 'UpdateItem', index: 'table', key: 'part = memberId' }], trigger: { stream: 'loan-log' } },
    ],
    table: { ...libraryModel.table, stream: 'NEW_AND_OLD_IMAGES' },
    streamConsumers: [consumer],
    // Priced, never run here: its runner does nothing.
    runners: (services, seed) => ({ ...libraryModel.runners(services, seed), tallyLoan: async () => async () => undefined }),
  });
  const libraryUnits: PatternUnits[] = [
    { pattern: 'lendBook', readUnitsPerCall: 0, writeUnitsPerCall: 2 },
    { pattern: 'getMember', readUnitsPerCall: 0.5, writeUnitsPerCall: 0 },
    { pattern: 'tallyLoan', readUnitsPerCall: 0, writeUnitsPerCall: 1 },
  ];
  const profile = parseTrafficProfile({ patterns: { lendBook: { requestsPerSecond: 12 }, getMember: { requestsPerSecond: 50 }, tallyLoan: { requestsPerSecond: 0 } }, streams: { 'loan-log': { reader: 'streams-api' } } });

  it('derives the rate from lendBook (a Put of a loan: an insert), adds exactly its cost and the stream reads', () => {
    expect(consumer.handles).toEqual([{ entity: 'loan', events: ['insert'] }]);
    const without = estimateCost(profile, libraryUnits);
    const report = estimateCost(profile, libraryUnits, { model });
    expect(report.patterns.filter((p) => p.trigger)).toEqual([expect.objectContaining({ pattern: 'tallyLoan', requestsPerSecond: 12, trigger: { stream: 'loan-log', source: 'derived', from: ['lendBook'] } })]);
    expect(report.totals.onDemand - without.totals.onDemand).toBeCloseTo(onDemand(12, 0, 1), 9);
    expect(report.streamReads.consumers).toEqual([expect.objectContaining({ consumer: 'loan-log', reader: 'streams-api', getRecordsPerSecond: 1 })]);
    expect(report.streamReads.monthly).toBeCloseTo((SECONDS * 0.02) / 100_000, 9);
  });

  it('over 1,000 records a second, GetRecords calls grow with the records (1,000 a call)', () => {
    const busy = parseTrafficProfile({ patterns: { lendBook: { requestsPerSecond: 5000 } }, streams: { 'loan-log': { reader: 'streams-api' } } });
    const report = estimateCost(busy, libraryUnits, { model });
    expect(report.streamReads.consumers[0]?.getRecordsPerSecond).toBe(5);
    expect(report.streamReads.monthly).toBeCloseTo((5 * SECONDS * 0.02) / 100_000, 9);
  });

  it('a consumer that does not say what it handles needs its rate in the profile, named', () => {
    const bare = { ...model, streamConsumers: [{ settings: { name: 'loan-log' } }] };
    expect(() => estimateCost(profile, libraryUnits, { model: bare })).toThrow(/^streams\.loan-log\.recordsPerSecond: consumer loan-log \(which runs tallyLoan\) does not say what it handles/);
    const given = parseTrafficProfile({ ...profile, streams: { 'loan-log': { recordsPerSecond: 3 } } });
    expect(estimateCost(given, libraryUnits, { model: bare }).patterns.find((p) => p.trigger)?.requestsPerSecond).toBe(3);
  });
});

describe('capacity report', () => {
  it('marks the pattern a stream consumer also calls, on any model; names are escaped', async () => {
    const { renderCapacity, triggersOf } = await import('../../src/cli/capacity');
    expect(triggersOf(referenceModel)).toEqual({ updateUserProfile: 'membership-names' });
    const row = (pattern: string) => ({ pattern, kind: 'write' as const, calls: 1, readUnitsPerCall: 1, writeUnitsPerCall: 2, itemsReadPerCall: 0, itemsPerCall: 0, readUnitsPerItem: null, byIndex: { table: { readUnits: 1, writeUnits: 2 } } });
    const text = renderCapacity([row('updateUserProfile'), row('createUser')], triggersOf(referenceModel));
    expect(text).toMatch(/updateUserProfile\s+│ write, stream: membership-names/);
    expect(text).toMatch(/createUser\s+│ write\s+│/);
    const hostile = renderCapacity([row('tally\u001b[2J')], { 'tally\u001b[2J': 'loan-log' });
    expect(hostile).toContain('write, stream: loan-log');
    expect(hostile).not.toContain('\u001b');
    expect(renderCapacity([row('createUser')])).not.toContain('stream:');
  });
});

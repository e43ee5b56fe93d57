import { analyzePartitions, UNKNOWN_PARTITION, UnknownPatternError } from '../../src/toolkit';
import type { RecordedRequest } from '../../src/toolkit';
import type { PatternMeasurement } from '../../src/toolkit';

const request = (r: Partial<RecordedRequest>): RecordedRequest => ({
  operation: 'GetItem', tables: ['t'], index: undefined, keyCondition: undefined, filter: undefined, partitions: [], itemKeys: [],
  consistentRead: false, limit: undefined, pattern: undefined, consumedCapacity: [], readUnits: 0, writeUnits: 0,
  itemCount: undefined, scannedCount: undefined, durationMs: 1, error: undefined, startedAt: 0, ...r,
});
const call = (...requests: RecordedRequest[]) => ({ requests, durationMs: 1, returned: 0 });

describe('analyzePartitions (hand-computed)', () => {
  const items = [
    { pk: 'A', sk: '1', gsi1pk: 'X' },
    { pk: 'A', sk: '2', gsi1pk: 'X' },
    { pk: 'B', sk: '1', gsi1pk: 'X' },
  ];
  const indexes = [{ index: 'table', partitionKey: 'pk' }, { index: 'gsi1', partitionKey: 'gsi1pk' }];
  const measurements: PatternMeasurement[] = [
    {
      pattern: 'readBoth',
      calls: [
        call(request({ operation: 'Query', index: 'gsi1', partitions: [{ field: 'gsi1pk', value: 'X' }], consumedCapacity: [{ CapacityUnits: 1.5, GlobalSecondaryIndexes: { gsi1: { CapacityUnits: 1.5 } } }] })),
        call(request({ operation: 'GetItem', partitions: [{ field: 'pk', value: 'A' }], consumedCapacity: [{ CapacityUnits: 0.5, Table: { CapacityUnits: 0.5 } }] })),
      ],
    },
    {
      // an update that does not name the GSI key: its gsi1 write lands on the item's current partition
      pattern: 'touchB',
      calls: [call(request({ operation: 'UpdateItem', partitions: [{ field: 'pk', value: 'B' }], itemKeys: [{ pk: 'B', sk: '1' }], consumedCapacity: [{ CapacityUnits: 2, Table: { CapacityUnits: 1 }, GlobalSecondaryIndexes: { gsi1: { CapacityUnits: 1 } } }] }))],
    },
    {
      pattern: 'deleteGone',
      calls: [call(request({ operation: 'DeleteItem', partitions: [{ field: 'pk', value: 'C' }], itemKeys: [{ pk: 'C', sk: '9' }], consumedCapacity: [{ CapacityUnits: 2, Table: { CapacityUnits: 1 }, GlobalSecondaryIndexes: { gsi1: { CapacityUnits: 1 } } }] }))],
    },
  ];
  const report = analyzePartitions({ items, indexes, tableKeyFields: ['pk', 'sk'], measurements, requestsPerSecond: { readBoth: 1000, touchB: 1200, deleteGone: 10 } });
  const row = (index: string, partition: string) => report.partitions.find((p) => p.index === index && p.partition === partition);

  it('splits item counts per partition key value', () => {
    expect(row('table', 'A')).toMatchObject({ items: 2, itemShare: 2 / 3 });
    expect(row('table', 'B')).toMatchObject({ items: 1, itemShare: 1 / 3 });
    expect(row('gsi1', 'X')).toMatchObject({ items: 3, itemShare: 1 });
  });

  it('rates units per partition: rate / calls × units of each call', () => {
    // readBoth: 1000 rps over 2 sampled calls = 500 of each: gsi1 X 1.5 × 500, table A 0.5 × 500
    expect(row('gsi1', 'X')?.readUnitsPerSecond).toBeCloseTo(750);
    expect(row('table', 'A')?.readUnitsPerSecond).toBeCloseTo(250);
    // touchB: 1200 rps × 1 unit on table B, and × 1 unit on gsi1 X (the item's current partition)
    expect(row('table', 'B')?.writeUnitsPerSecond).toBeCloseTo(1200);
    expect(row('gsi1', 'X')?.writeUnitsPerSecond).toBeCloseTo(1200);
    // the deleted item is gone from the snapshot: its index write is reported as such
    expect(row('gsi1', UNKNOWN_PARTITION)?.writeUnitsPerSecond).toBeCloseTo(10);
  });

  it('flags partitions above 3,000 RCU/s or 1,000 WCU/s, hottest first', () => {
    // both at 1,200 WCU/s (1.2 × the limit); ties go to the partition with more items
    expect(report.hot.map((p) => `${p.index}:${p.partition}`)).toEqual(['gsi1:X', 'table:B']);
    expect(report.hot[0]?.utilization).toBeCloseTo(1.2);
    expect(row('table', 'A')?.hot).toBe(false);
    expect(row('gsi1', 'X')?.writeShare).toBeCloseTo(1200 / 1210);
  });

  it('refuses a profile naming a pattern it has no measurement for: a typo must not hide a hot partition', () => {
    expect(() => analyzePartitions({ items, indexes, tableKeyFields: ['pk', 'sk'], measurements, requestsPerSecond: { readBoth: 1000, touchBB: 1200 } })).toThrow(UnknownPatternError);
    expect(() => analyzePartitions({ items, indexes, tableKeyFields: ['pk', 'sk'], measurements, requestsPerSecond: { touchBB: 1 } })).toThrow(/patterns\.touchBB: the model's catalog has no access pattern of that name/);
  });
});

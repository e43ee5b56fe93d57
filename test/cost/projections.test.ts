import { renderProjections } from '../../src/cli/projections';
import { filterAttributes, recommendProjections, type Analysis, type RecordedRequest, type TableLayout } from '../../src/toolkit';

/*
 * The projection report on a hand-built analysis: one GSI `byGroup` holding `thing` items with a
 * 2,000-byte `blob` no pattern returns. The listing reads names and filters on `state`.
 */
const layout: TableLayout = { tableName: 't', keys: ['pk', 'sk'], indexes: [{ name: 'byGroup', keys: ['gpk'], projection: { type: 'ALL' } }] };
const S = (s: string) => ({ S: s });
const thing = (i: number, blob: string) => ({ pk: S(`p${i}`), sk: S('s'), gpk: S('g'), name: S(`n${i}`), state: S('on'), blob: S(blob), __edb_e__: S('thing'), __edb_v__: S('1') });
const base: RecordedRequest = {
  operation: 'PutItem', tables: ['t'], index: undefined, keyCondition: undefined, filter: undefined, partitions: [], itemKeys: [],
  consistentRead: false, limit: undefined, pattern: undefined, consumedCapacity: [], readUnits: 0, writeUnits: 0,
  itemCount: undefined, scannedCount: undefined, durationMs: 1, error: undefined, startedAt: 0,
};
const analysis: Analysis = {
  model: 'things',
  layout,
  tableKeyFields: ['pk', 'sk'],
  indexes: [],
  items: Array.from({ length: 10 }, (_, i) => ({ pk: `p${i}`, sk: 's', gpk: 'g', name: `n${i}`, state: 'on', blob: 'b'.repeat(2000), __edb_e__: 'thing', __edb_v__: '1' })),
  measurements: [
    {
      pattern: 'listThings',
      calls: [{ requests: [{ ...base, operation: 'Query', index: 'byGroup', filter: 'state = :s' }], durationMs: 1, returned: 2, resultAttributes: ['id', 'name'] }],
    },
    {
      pattern: 'createThing',
      calls: [
        {
          // a new 2,056-byte item: 3 WCU in the table and 3 in an ALL index; its keys-and-name entry would be 1
          requests: [{ ...base, writeUnits: 6, measured: { writes: [{ action: 'Put', table: 't', after: thing(99, 'b'.repeat(2000)) }], reads: [] } }],
          durationMs: 1,
          returned: 1,
        },
      ],
    },
  ],
};
const entities = [{ schema: { model: { entity: 'thing' }, indexes: {}, attributes: { id: { field: 'pk' }, name: {}, state: {}, blob: {} } } }];
const catalog = [
  { name: 'listThings', kind: 'read' as const, description: '', entities: ['thing'], requests: [] },
  { name: 'createThing', kind: 'write' as const, description: '', entities: ['thing'], requests: [] },
];

describe('recommendProjections', () => {
  it('reads filter attributes from a resolved filter expression', () => {
    expect(filterAttributes('(state = :s AND begins_with(name, :n)) OR attribute_exists(x)')).toEqual(['state', 'name', 'x']);
  });

  it('keeps the attributes results and filters use, drops the rest, and prices the index writes and storage it saves', () => {
    const report = recommendProjections({
      analysis,
      entities,
      catalog,
      profile: { patterns: { createThing: { requestsPerSecond: 10 }, listThings: { requestsPerSecond: 1 } }, storage: { items: { thing: { count: 1_000_000, averageBytes: 2100, indexEntriesPerItem: 1 } } } },
    });
    const [r] = report.recommendations;
    expect(r).toMatchObject({ index: 'byGroup', patterns: ['listThings'], attributesRead: ['__edb_e__', '__edb_v__', 'name', 'state'] });
    expect(r?.attributesStored).toEqual(['__edb_e__', '__edb_v__', 'blob', 'name', 'state']);
    expect(r?.recommended).toEqual({ type: 'INCLUDE', attributes: ['__edb_e__', '__edb_v__', 'name', 'state'] });
    // 3 → 1 index WCU per createThing, 10/s on-demand: 2 × 10 × 730 × 3600 × $0.625 / 1e6
    expect(r?.monthly.writeOnDemand).toBeCloseTo(2 * 10 * 730 * 3600 * 0.625e-6, 6);
    // 'blob' (4 + 2000 bytes) leaves each of 1,000,000 entries: GB × $0.25
    expect(r?.monthly.storage).toBeCloseTo(((2004 * 1_000_000) / 2 ** 30) * 0.25, 6);
    expect(report.projections).toEqual({ byGroup: r?.recommended });
    const text = renderProjections(report);
    expect(text).toContain('INCLUDE __edb_e__, __edb_v__, name, state');
    expect(text).toContain('Pays: table.projections = {"byGroup":{"type":"INCLUDE"');
  });

  it('recommends KEYS_ONLY where no pattern reads the index, and nothing where the saving is below the floor', () => {
    const unread: Analysis = { ...analysis, measurements: analysis.measurements.filter((m) => m.pattern === 'createThing') };
    const report = recommendProjections({ analysis: unread, entities, catalog, profile: { patterns: { createThing: { requestsPerSecond: 0.001 } } } });
    expect(report.recommendations[0]?.recommended).toEqual({ type: 'KEYS_ONLY' });
    expect(report.projections).toEqual({});
  });
});

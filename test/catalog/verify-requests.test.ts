import { defineCatalog, type AccessPatternDeclaration } from '../../src/toolkit';
import { normalizeKeyCondition, verifyRequests } from '../../src/toolkit';
import type { RecordedRequest } from '../../src/toolkit';

const rec = (operation: string, index?: string, keyCondition?: string): RecordedRequest => ({
  operation,
  tables: ['t'],
  index,
  keyCondition,
  filter: undefined,
  partitions: [],
  itemKeys: [],
  consistentRead: false,
  limit: undefined,
  pattern: 'p',
  consumedCapacity: [],
  readUnits: 0,
  writeUnits: 0,
  itemCount: undefined,
  scannedCount: undefined,
  durationMs: 1,
  error: undefined,
  startedAt: 0,
});

const pattern: AccessPatternDeclaration = {
  name: 'listThings',
  kind: 'read',
  description: 'd',
  entities: ['thing'],
  requests: [
    { operation: 'GetItem', index: 'table', key: 'pk = id', times: { min: 0, max: 1 } },
    { operation: 'Query', index: 'gsi1', key: 'gsi1pk = x', keyConditions: ['gsi1pk = ? and begins_with(gsi1sk, ?)'] },
  ],
  alternatives: [{ when: 'cached', requests: [{ operation: 'GetItem', index: 'table', key: 'pk = id', times: 2 }] }],
};

describe('verifyRequests', () => {
  const query = rec('Query', 'gsi1', 'gsi1pk = :pk and begins_with(gsi1sk, :sk1)');

  it('accepts exactly the declared requests, with optional steps present or absent', () => {
    expect(verifyRequests(pattern, [query])).toEqual([]);
    expect(verifyRequests(pattern, [rec('GetItem'), query])).toEqual([]);
  });

  it('accepts a declared alternative sequence', () => {
    expect(verifyRequests(pattern, [rec('GetItem'), rec('GetItem')])).toEqual([]);
  });

  it('flags a Scan whatever else happened', () => {
    expect(verifyRequests(pattern, [rec('Scan'), query])).toEqual([expect.stringContaining('sent a Scan')]);
  });

  it('flags the wrong index, a missing request and an undeclared extra one', () => {
    expect(verifyRequests(pattern, [rec('Query', 'gsi2', 'gsi2pk = :pk')])).toEqual([expect.stringContaining('expected 1 Query on gsi1, got 0 then Query on gsi2')]);
    expect(verifyRequests(pattern, [])).toEqual([expect.stringContaining('expected 1 Query on gsi1, got 0 then nothing more')]);
    expect(verifyRequests(pattern, [query, query])).toEqual([expect.stringContaining('undeclared requests: Query on gsi1')]);
  });

  it('flags a key condition of another shape (e.g. a filter-free range where begins_with was declared)', () => {
    expect(verifyRequests(pattern, [rec('Query', 'gsi1', 'gsi1pk = :pk and gsi1sk > :sk1')])).toEqual([
      expect.stringContaining('used key condition "gsi1pk = ? and gsi1sk > ?"'),
    ]);
  });

  it('normalizes placeholders, case and spacing of key conditions', () => {
    expect(normalizeKeyCondition('pk = :pk  AND #x BETWEEN :a1 AND :b_2')).toBe('pk = ? and #x between ? and ?');
  });
});

describe('defineCatalog', () => {
  it('refuses duplicate names and any declared Scan', () => {
    expect(() => defineCatalog([pattern, pattern])).toThrow(/declared twice/);
    expect(() => defineCatalog([{ ...pattern, requests: [{ operation: 'Scan', index: 'table', key: '-' }] }])).toThrow(/declares a Scan/);
  });
});

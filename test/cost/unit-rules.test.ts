import { itemWriteUnits, queryReadUnits, readUnits, writeUnits } from '../../src/toolkit';

// Hand-computed from the service's rules: reads per 4 KB, writes per 1 KB, rounded up.
describe('capacity unit rules', () => {
  it('reads: 4 KB blocks, eventual half, strong one, transactional two; a missing item still costs a block', () => {
    expect(readUnits(0)).toBe(0.5);
    expect(readUnits(0, 'strong')).toBe(1);
    expect(readUnits(4096)).toBe(0.5);
    expect(readUnits(4097)).toBe(1);
    expect(readUnits(4097, 'strong')).toBe(2);
    expect(readUnits(10_000, 'transactional')).toBe(6);
  });

  it('queries sum item sizes before rounding (25 × 1,000 bytes = 7 blocks, not 25)', () => {
    expect(queryReadUnits(Array(25).fill(1000))).toBe(3.5);
    expect(queryReadUnits(Array(25).fill(1000), 'strong')).toBe(7);
    expect(queryReadUnits([])).toBe(0.5);
  });

  it('writes: 1 KB blocks, transactional two', () => {
    expect(writeUnits(1)).toBe(1);
    expect(writeUnits(1024)).toBe(1);
    expect(writeUnits(1025)).toBe(2);
    expect(writeUnits(2500, true)).toBe(6);
    expect(() => writeUnits(-1)).toThrow(RangeError);
  });

  it('an item write pays for the table on the larger image and for every index it touches', () => {
    // Put of a new 300-byte item projected into three indexes: 1 + 3 × 1.
    expect(itemWriteUnits({ table: { after: 300 }, indexes: { gsi1: { after: 300 }, gsi2: { after: 300 }, gsi3: { after: 300 } } }).total).toBe(4);
    // Update 800 → 1,500 bytes: table 2; gsi1 updated in place 2; gsi3 key changes: delete 1 + put 2.
    const update = itemWriteUnits({ table: { before: 800, after: 1500 }, indexes: { gsi1: { before: 800, after: 1500 }, gsi3: { before: 800, after: 1500, keyChanged: true } } });
    expect(update.byIndex).toEqual({ table: 2, gsi1: 2, gsi3: 3 });
    expect(update.total).toBe(7);
    // The same in a transaction: every write doubled.
    expect(itemWriteUnits({ table: { before: 800, after: 1500 }, indexes: { gsi1: { before: 800, after: 1500 }, gsi3: { before: 800, after: 1500, keyChanged: true } }, transactional: true }).total).toBe(14);
    // An update that moves the item out of a sparse index deletes its entry; one that leaves an index untouched costs nothing there.
    expect(itemWriteUnits({ table: { before: 2000, after: 2000 }, indexes: { gsi3: { before: 2000 }, gsi2: {} } }).byIndex).toEqual({ table: 2, gsi3: 2 });
  });
});

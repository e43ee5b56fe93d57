/**
 * Query and Scan over the ordered store.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Scan.html#Scan.ParallelScan
 */
import { hashPrefix } from '../../../src/engine/storage/keys';
import { createEngine } from '../../../src/engine';
import { call, engineWithTable, fails, N, S } from './helpers';

// dynalite's key hashing: the differential oracle orders and segments a scan the same way.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynaliteDb = require('dynalite/db') as { hashPrefix(h: string, t: string): string };

describe('engine query and scan', () => {
  test('sort keys order by UTF-8 bytes, not UTF-16 units', () => {
    const e = engineWithTable();
    for (const sk of ['\uFFFF', '😀', 'a', 'B', '']) if (sk) call(e, 'PutItem', { TableName: 'tbl', Item: { pk: S('p'), sk: S(sk) } });
    const r = call(e, 'Query', { TableName: 'tbl', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('p') } });
    expect((r.Items as Array<{ sk: { S: string } }>).map((i) => i.sk.S)).toEqual(['B', 'a', '\uFFFF', '😀']);
  });

  test('numeric sort keys order numerically; key conditions select slices; paging resumes exactly', () => {
    const e = engineWithTable();
    const values = ['-10', '-1.5', '0', '2', '10', '100', '1e3'];
    for (const v of values) call(e, 'PutItem', { TableName: 'tbl', Item: { pk: S('x'), sk: S(v), gpk: S('g'), gsk: N(v) } });
    const q = (expr: string, vals: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
      call(e, 'Query', { TableName: 'tbl', IndexName: 'gsi1', KeyConditionExpression: expr, ExpressionAttributeValues: { ':g': S('g'), ...vals }, ...extra });
    const nums = (r: Record<string, unknown>) => (r.Items as Array<{ gsk: { N: string } }>).map((i) => i.gsk.N);
    expect(nums(q('gpk = :g', {}))).toEqual(['-10', '-1.5', '0', '2', '10', '100', '1000']);
    expect(nums(q('gpk = :g AND gsk BETWEEN :a AND :b', { ':a': N(-2), ':b': N(10) }))).toEqual(['-1.5', '0', '2', '10']);
    expect(nums(q('gpk = :g AND gsk > :a', { ':a': N(2) }, { ScanIndexForward: false }))).toEqual(['1000', '100', '10']);
    const seen: string[] = [];
    let start: unknown;
    do {
      const page = q('gpk = :g', {}, { Limit: 3, ...(start ? { ExclusiveStartKey: start } : {}) });
      seen.push(...nums(page));
      start = page.LastEvaluatedKey;
      if (start) expect(Object.keys(start as object).sort()).toEqual(['gpk', 'gsk', 'pk', 'sk']);
    } while (start);
    expect(seen).toEqual(['-10', '-1.5', '0', '2', '10', '100', '1000']);
  });

  test('Limit counts items read before the filter; consistent reads on a GSI are refused', () => {
    const e = engineWithTable();
    for (let i = 0; i < 10; i++) call(e, 'PutItem', { TableName: 'tbl', Item: { pk: S('p'), sk: S(`s${i}`), odd: { BOOL: i % 2 === 1 } } });
    const r = call(e, 'Query', { TableName: 'tbl', KeyConditionExpression: 'pk = :p', FilterExpression: 'odd = :t', ExpressionAttributeValues: { ':p': S('p'), ':t': { BOOL: true } }, Limit: 4 });
    expect(r.ScannedCount).toBe(4);
    expect(r.Count).toBe(2);
    expect(r.LastEvaluatedKey).toEqual({ pk: S('p'), sk: S('s3') });
    expect(fails(e, 'Query', { TableName: 'tbl', IndexName: 'gsi1', ConsistentRead: true, KeyConditionExpression: 'gpk = :p', ExpressionAttributeValues: { ':p': S('p') } }).message).toBe(
      'Consistent reads are not supported on global secondary indexes',
    );
  });

  test('parallel scan: every item in exactly one segment, partitions in dynalite order', () => {
    const e = createEngine();
    call(e, 'CreateTable', { TableName: 'hashed', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] });
    const ids = Array.from({ length: 300 }, (_, i) => `id-${i}`);
    for (const id of ids) call(e, 'PutItem', { TableName: 'hashed', Item: { id: S(id) } });
    const all: string[] = [];
    for (let seg = 0; seg < 7; seg++) {
      let start: unknown;
      do {
        const page = call(e, 'Scan', { TableName: 'hashed', Segment: seg, TotalSegments: 7, Limit: 20, ...(start ? { ExclusiveStartKey: start } : {}) });
        all.push(...(page.Items as Array<{ id: { S: string } }>).map((i) => i.id.S));
        start = page.LastEvaluatedKey;
      } while (start);
    }
    expect(all.slice().sort()).toEqual(ids.slice().sort());
    const whole = (call(e, 'Scan', { TableName: 'hashed' }).Items as Array<{ id: { S: string } }>).map((i) => i.id.S);
    const expected = ids.slice().sort((a, b) => {
      const pa = dynaliteDb.hashPrefix(a, 'S');
      const pb = dynaliteDb.hashPrefix(b, 'S');
      return pa < pb ? -1 : pa > pb ? 1 : a < b ? -1 : 1;
    });
    expect(whole).toEqual(expected);
    for (const n of ['1', '-1.5', '123.456', '1e30', '0']) expect(hashPrefix(n, 'N')).toBe(dynaliteDb.hashPrefix(n, 'N'));
  });

  test('a LSI with KEYS_ONLY returns the full item for Select ALL_ATTRIBUTES', () => {
    const e = engineWithTable();
    call(e, 'PutItem', { TableName: 'tbl', Item: { pk: S('p'), sk: S('1'), lsk: S('b'), other: S('o') } });
    const r = call(e, 'Query', { TableName: 'tbl', IndexName: 'lsi1', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('p') }, Select: 'ALL_ATTRIBUTES' });
    expect(r.Items).toEqual([{ pk: S('p'), sk: S('1'), lsk: S('b'), other: S('o') }]);
    const k = call(e, 'Query', { TableName: 'tbl', IndexName: 'lsi1', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('p') } });
    expect(k.Items).toEqual([{ pk: S('p'), sk: S('1'), lsk: S('b') }]);
  });
});

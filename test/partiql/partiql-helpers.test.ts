/**
 * The toolkit's PartiQL helpers on a second model (library: keys `part`/`sort`, index `byBook` on
 * `bookPart`/`bookSort`) and on the engine in process. Rules from AWS's docs:
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.select.html (a SELECT
 * without = or IN on the partition key scans; Limit before the filter) and
 * ql-reference.multiplestatements.batching.html / .transactions.html.
 */
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createEngine } from '../../src/engine';
import {
  PartiqlStatementError,
  StatementFailedError,
  TransactionCancelledError,
  ValidationError,
  analyzeStatement,
  batchExecute,
  executeStatement,
  executeStatementPage,
  executeTransaction,
  forPattern,
  partiqlKeySchemaOf,
  quoteIdentifier,
  verifyRequests,
  type PartiqlOptions,
  type RequestContext,
} from '../../src/toolkit';
import { createModelFixture, type ModelFixture } from '../../src/toolkit/testing';
import { Loan, libraryModel } from '../fixtures/library-model';

/** The stored keys ElectroDB writes for a loan (the test reads them, never guesses the format). */
function loanKeys(loanId: string, bookId = 'b-rare'): Record<string, string> {
  return Loan.create({ memberId: 'm1', loanId, bookId, loanedAt: '2026-01-01', dueAt: '2026-03-01', branch: 'south' }).params().Item as Record<string, string>;
}

let f: ModelFixture<typeof libraryModel.catalog, ReturnType<typeof libraryModel.services>>;
let ctx: RequestContext;
let options: PartiqlOptions;
let T: string;

beforeAll(async () => {
  f = await createModelFixture(libraryModel, { engine: createEngine(), tableName: 'lib.partiql-test' });
  const doc = DynamoDBDocumentClient.from(f.client);
  ctx = { doc: forPattern(doc, 'partiqlTest'), cursorSecret: 'secret', tableKeyFields: ['part', 'sort'] };
  options = { keys: partiqlKeySchemaOf(f.definition) };
  T = quoteIdentifier(f.tableName);
  for (let i = 0; i < 12; i++) {
    await f.services.lendBook({ memberId: 'm1', loanId: `l${String(i).padStart(2, '0')}`, bookId: i % 3 === 0 ? 'b-rare' : 'b-common', loanedAt: `2026-01-${String(i + 1).padStart(2, '0')}`, dueAt: '2026-03-01', branch: i === 11 ? 'north' : 'south' });
  }
});
afterAll(() => f.close());

async function sent<T>(fn: () => Promise<T>): Promise<{ result?: T; error?: unknown; count: number }> {
  const from = f.recorder.requests().length;
  try {
    const result = await fn();
    return { result, count: f.recorder.requests().length - from };
  } catch (error) {
    return { error, count: f.recorder.requests().length - from };
  }
}

describe('refused before sending', () => {
  it.each([
    ['a string literal (an injection waiting to happen)', `SELECT * FROM ${'"t"'} WHERE part = 'm1'`, 'literal'],
    ['a number literal', `SELECT * FROM "t" WHERE part = ? AND loanCount = 3`, 'literal'],
    ['no WHERE: a Scan', `SELECT * FROM "t"`, 'scan'],
    ['a key equality OR a non-key attribute: a Scan', `SELECT * FROM "t" WHERE part = ? OR branch = ?`, 'scan'],
    ['no partition-key condition: a Scan', `SELECT * FROM "t" WHERE sort = ?`, 'scan'],
    ['an index without its partition key: a Scan', `SELECT * FROM "t"."byBook" WHERE part = ?`, 'scan'],
    ['an unknown index', `SELECT * FROM "t"."nope" WHERE part = ?`, 'scan'],
    ['an UPDATE without the full key', `UPDATE "t" SET branch = ? WHERE part = ?`, 'key'],
    ['not PartiQL', `SELECT * FROM "t" WHERE part = ? ; DROP TABLE t`, 'syntax'],
  ])('%s', async (_what, statement, rule) => {
    const parameters = [...statement].filter((c) => c === '?').map(() => 'm1');
    const r = await sent(() => executeStatement(ctx, { statement, parameters }, options));
    expect(r.error).toBeInstanceOf(PartiqlStatementError);
    expect((r.error as PartiqlStatementError).rule).toBe(rule);
    expect((r.error as PartiqlStatementError).code).toBe('PARTIQL_STATEMENT');
    expect(r.count).toBe(0);
  });

  it('quotes hostile table and index names so they stay one identifier', () => {
    const name = 'evil" WHERE pk <> "x';
    const a = analyzeStatement(`SELECT * FROM ${quoteIdentifier(name)}.${quoteIdentifier('i"dx')} WHERE part = ?`, { table: { hash: 'part' }, indexes: { 'i"dx': { hash: 'part' } } });
    expect(a).toMatchObject({ table: name, index: 'i"dx', access: 'key-lookup', parameterCount: 1, literals: [] });
  });

  it('names why a SELECT would scan', async () => {
    const r = await sent(() => executeStatement(ctx, { statement: `SELECT * FROM ${T} WHERE branch = ?`, parameters: ['north'] }, options));
    expect((r.error as Error).message).toBe('PartiQL statement refused (scan): DynamoDB would scan the whole table: the WHERE clause has no equality (=) or IN condition on the partition key part');
  });

  it('refuses a parameter count that does not match the ? count', async () => {
    const r = await sent(() => executeStatement(ctx, { statement: `SELECT * FROM ${T} WHERE part = ?`, parameters: [] }, options));
    expect((r.error as PartiqlStatementError).rule).toBe('parameters');
    expect(r.count).toBe(0);
  });

  it('sends a scan declared on purpose (allowScan), and verifyRequests still reports it', async () => {
    const r = await sent(() => executeStatement(ctx, { statement: `SELECT * FROM ${T} WHERE branch = ?`, parameters: ['north'] }, { ...options, allowScan: true }));
    expect(r.count).toBe(1);
    expect((r.result ?? []).map((i) => i.loanId)).toEqual(['l11']);
    const recorded = f.recorder.requests().slice(-1);
    expect(recorded[0]?.partiql).toEqual([{ kind: 'SELECT', table: f.tableName, index: undefined, access: 'scan', reason: expect.stringMatching(/partition key part/) }]);
    const pattern = { name: 'p', kind: 'read' as const, description: '', entities: [], requests: [{ operation: 'ExecuteStatement' as const, index: 'table', key: '', partiql: ['SELECT' as const] }] };
    expect(verifyRequests(pattern, recorded)).toEqual([expect.stringMatching(/^p sent a PartiQL SELECT that scans .*never allowed$/)]);
  });
});

describe('executeStatementPage', () => {
  const statement = () => `SELECT loanId FROM ${T} WHERE part = ? AND bookId = ?`;

  it('follows NextToken across empty pages (Limit counts items before the filter) and pages to the end', async () => {
    const request = { statement: statement(), parameters: [loanKeys('l00').part, 'b-rare'] };
    const ids: unknown[] = [];
    let cursor: string | null = null;
    let pages = 0;
    const r = await sent(async () => {
      do {
        const page: { raw: Record<string, unknown>[]; cursor: string | null } = await executeStatementPage(ctx, 'rareLoans', request, { limit: 2, cursor }, options);
        ids.push(...page.raw.map((i) => i.loanId));
        cursor = page.cursor;
        pages++;
      } while (cursor);
    });
    expect(r.error).toBeUndefined();
    expect(ids).toEqual(['l00', 'l03', 'l06', 'l09']);
    // 12 loans, 2 per request: 6 requests (plus one that finds the end), fewer calls than requests.
    expect(r.count).toBeGreaterThanOrEqual(6);
    expect(pages).toBeLessThan(r.count);
  });

  it('stops at maxRequests with a cursor when every page is empty', async () => {
    const request = { statement: statement(), parameters: [loanKeys('l00').part, 'b-none'] };
    const r = await sent(() => executeStatementPage(ctx, 'rareLoans', request, { limit: 1 }, { ...options, maxRequests: 3 }));
    expect(r.count).toBe(3);
    expect(r.result?.raw).toEqual([]);
    expect(r.result?.cursor).toEqual(expect.any(String));
  });

  it('refuses a cursor from other parameters, another listing or edited', async () => {
    const request = { statement: statement(), parameters: [loanKeys('l00').part, 'b-common'] };
    const first = await executeStatementPage(ctx, 'commonLoans', request, { limit: 2 }, options);
    expect(first.cursor).toEqual(expect.any(String));
    const other = { ...request, parameters: ['someone-else', 'b-common'] };
    for (const [pattern, req, cursor] of [
      ['commonLoans', other, first.cursor],
      ['otherListing', request, first.cursor],
      ['commonLoans', request, (first.cursor ?? '') + 'x'],
    ] as const) {
      const r = await sent(() => executeStatementPage(ctx, pattern, req, { limit: 2, cursor }, options));
      expect(r.error).toBeInstanceOf(ValidationError);
      expect((r.error as ValidationError).field).toBe('cursor');
      expect(r.count).toBe(0);
    }
  });

  it('keeps a hostile parameter a value: nothing matches it, nothing else is read', async () => {
    const out = await executeStatement(ctx, { statement: `SELECT * FROM ${T} WHERE part = ? AND sort = ?`, parameters: [`m1' OR part <> '`, '" OR 1=1'] }, options);
    expect(out).toEqual([]);
  });

  it('reads an index by its own partition key', async () => {
    const page = await executeStatementPage(ctx, 'byBook', { statement: `SELECT loanId FROM ${T}.${quoteIdentifier('byBook')} WHERE bookPart = ?`, parameters: [loanKeys('l00').bookPart] }, { limit: 10 }, options);
    expect(page.raw.map((i) => i.loanId)).toEqual(['l00', 'l03', 'l06', 'l09']);
    expect(f.recorder.requests().at(-1)).toMatchObject({ operation: 'ExecuteStatement', index: 'byBook', partiql: [{ access: 'query' }] });
  });
});

describe('batchExecute and executeTransaction', () => {
  it('maps per-statement errors to typed errors; the other statements apply', async () => {
    const insert = `INSERT INTO ${T} VALUE {'part': ?, 'sort': ?, 'title': ?}`;
    const results = await batchExecute(ctx, [
      { statement: insert, parameters: ['bk-1', 'x', 'One'] },
      { statement: insert, parameters: [loanKeys('l00').part, loanKeys('l00').sort, 'Dup'] },
      { statement: `DELETE FROM ${T} WHERE part = ? AND sort = ? AND title = ?`, parameters: ['bk-1', 'x', 'not one'] },
    ], options);
    expect(results.map((r) => (r.ok ? 'ok' : r.code))).toEqual(['ok', 'DuplicateItem', 'ConditionalCheckFailed']);
    const failed = results[1];
    if (!failed || failed.ok) throw new Error('statement 1 should have failed');
    expect(failed.error).toBeInstanceOf(StatementFailedError);
    expect((failed.error as StatementFailedError).reason).toBe('DuplicateItem');
    const reads = await batchExecute(ctx, [{ statement: `SELECT title FROM ${T} WHERE part = ? AND sort = ?`, parameters: ['bk-1', 'x'] }], options);
    expect(reads).toEqual([{ ok: true, item: { title: 'One' } }]);
  });

  it('refuses a batch read without the full key, and a mix of reads and writes, sending nothing', async () => {
    const r1 = await sent(() => batchExecute(ctx, [{ statement: `SELECT * FROM ${T} WHERE part = ?`, parameters: ['m1'] }], options));
    expect((r1.error as PartiqlStatementError).rule).toBe('key');
    const r2 = await sent(() =>
      batchExecute(ctx, [
        { statement: `SELECT * FROM ${T} WHERE part = ? AND sort = ?`, parameters: ['a', 'b'] },
        { statement: `DELETE FROM ${T} WHERE part = ? AND sort = ?`, parameters: ['a', 'b'] },
      ], options),
    );
    expect((r2.error as PartiqlStatementError).rule).toBe('mixed');
    expect(r1.count + r2.count).toBe(0);
  });

  it('a cancelled transaction is TransactionCancelledError with a reason per statement, and writes nothing', async () => {
    const r = await sent(() =>
      executeTransaction(ctx, [
        { statement: `INSERT INTO ${T} VALUE {'part': ?, 'sort': ?}`, parameters: ['tx-new', 'x'] },
        { statement: `INSERT INTO ${T} VALUE {'part': ?, 'sort': ?}`, parameters: ['bk-1', 'x'] },
      ], options),
    );
    expect(r.error).toBeInstanceOf(TransactionCancelledError);
    expect((r.error as TransactionCancelledError).reasons).toEqual(['None', 'DuplicateItem']);
    expect(await executeStatement(ctx, { statement: `SELECT * FROM ${T} WHERE part = ? AND sort = ?`, parameters: ['tx-new', 'x'] }, options)).toEqual([]);
    expect(f.recorder.requests().at(-2)).toMatchObject({ operation: 'ExecuteTransaction', partiql: [{ kind: 'INSERT', access: 'write' }, { kind: 'INSERT', access: 'write' }], error: 'TransactionCanceledException' });
  });

  it('records write capacity as writes', async () => {
    await executeStatement(ctx, { statement: `UPDATE ${T} SET title = ? WHERE part = ? AND sort = ?`, parameters: ['Two', 'bk-1', 'x'] }, options);
    const last = f.recorder.requests().at(-1);
    expect(last).toMatchObject({ operation: 'ExecuteStatement', partiql: [{ kind: 'UPDATE' }], readUnits: 0 });
    expect(last?.writeUnits).toBeGreaterThan(0);
  });
});

/**
 * PartiQL on the engine through the AWS SDK v3 (ExecuteStatementCommand & co). dynalite has no
 * PartiQL, so the rules are taken from AWS's documentation, cited per test:
 *   SELECT:  https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.select.html
 *   INSERT:  https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.insert.html
 *   UPDATE:  https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.update.html
 *   DELETE:  https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.delete.html
 *   Batch:   https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.multiplestatements.batching.html
 *   Tx:      https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.multiplestatements.transactions.html
 *   API:     API_ExecuteStatement.html, API_BatchExecuteStatement.html, API_BatchStatementError.html
 */
import {
  BatchExecuteStatementCommand,
  ConditionalCheckFailedException,
  CreateTableCommand,
  DuplicateItemException,
  DynamoDBClient,
  ExecuteStatementCommand,
  ExecuteTransactionCommand,
  GetItemCommand,
  ScanCommand,
  TransactionCanceledException,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { createEngine, engineRequestHandler, parsePartiql, planSelect, type Engine } from '../../../src/engine';

const S = (s: string): AttributeValue => ({ S: s });
const N = (n: number): AttributeValue => ({ N: String(n) });

let engine: Engine;
let client: DynamoDBClient;

async function seed(): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: 'pq.table',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
        { AttributeName: 'gpk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [{ IndexName: 'by-gpk', KeySchema: [{ AttributeName: 'gpk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }],
    }),
  );
  for (const p of ['a', 'b', 'c']) {
    for (let i = 0; i < 5; i++) {
      await client.send(
        new ExecuteStatementCommand({
          Statement: `INSERT INTO "pq.table" VALUE {'pk': ?, 'sk': ?, 'n': ?, 'gpk': ?, 'tags': <<'x', 'y'>>, 'info': {'deep': {'v': ?}}}`,
          Parameters: [S(p), S(`s${i}`), N(i), S(`g-${p}`), N(i * 10)],
        }),
      );
    }
  }
}

beforeEach(async () => {
  engine = createEngine();
  client = new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, requestHandler: engineRequestHandler(engine), maxAttempts: 1 });
  await seed();
});
afterEach(async () => {
  client.destroy();
  await engine.close();
});

const run = (Statement: string, Parameters?: AttributeValue[], extra: Record<string, unknown> = {}) =>
  client.send(new ExecuteStatementCommand({ Statement, ...(Parameters ? { Parameters } : {}), ...extra }));
const error = async (p: Promise<unknown>): Promise<Error & { name: string }> => {
  try {
    await p;
  } catch (e) {
    return e as Error & { name: string };
  }
  throw new Error('expected a rejection');
};

describe('parser', () => {
  it('reads every statement form of the subset into a tree, counting ? parameters', () => {
    const s = parsePartiql(`SELECT a, "b c".d[2] FROM "t"."i" WHERE pk = ? AND (x BETWEEN 1 AND 2 OR NOT begins_with(y, ?)) AND z IN [?, 'q'] AND w IS NOT MISSING AND attribute_exists(v) AND n <> 3`);
    expect(s.parameterCount).toBe(3);
    expect(s.statement).toMatchObject({ kind: 'SELECT', table: 't', index: 'i' });
    expect(s.literals.map((l) => l.literal)).toEqual(['number', 'number', 'string', 'number']);
    expect(parsePartiql(`INSERT INTO t VALUE {'a': ?, 'b': [1, {'c': TRUE}], 'd': NULL}`).statement.kind).toBe('INSERT');
    const u = parsePartiql(`UPDATE t SET a = ?, b = b + ? SET c = list_append(c, ?) REMOVE d, e.f WHERE pk = ?`);
    expect(u.statement).toMatchObject({ kind: 'UPDATE', remove: [{ root: 'd' }, { root: 'e', steps: [{ field: 'f' }] }] });
    expect(u.parameterCount).toBe(4);
    expect(parsePartiql(`DELETE FROM t WHERE pk = ? AND sk = ?`).statement.kind).toBe('DELETE');
  });

  it('refuses malformed statements with a ValidationException naming the place', () => {
    for (const bad of [`SELECT * FROM`, `SELECT * FROM t WHERE`, `INSERT INTO t VALUES {'a': 1}`, `DROP TABLE t`, `SELECT * FROM t WHERE a = 'x`, `SELECT * FROM t -- comment`, `UPDATE t WHERE pk = 1`, `INSERT INTO t VALUE {'a': 1, 'a': 2}`]) {
      expect(() => parsePartiql(bad)).toThrow(/^Statement wasn't well formed, can't be processed: /);
    }
    // Deep nesting is refused, not a stack overflow.
    expect(() => parsePartiql('SELECT * FROM t WHERE ' + '('.repeat(5000) + 'a = 1' + ')'.repeat(5000))).toThrow(/nesting deeper/);
  });

  it('unescapes doubled quotes in identifiers and strings; a quote never ends the statement early', () => {
    const s = parsePartiql(`SELECT * FROM "we""ird" WHERE pk = 'it''s' AND "a""b" = 1`);
    expect(s.statement.table).toBe('we"ird');
    expect(s.literals[0]?.value).toEqual({ S: "it's" });
  });

  it('plans SELECTs as DynamoDB does: = or IN on the partition key queries, anything else scans', () => {
    const keys = { hash: 'pk', range: 'sk' };
    const where = (t: string) => (parsePartiql(`SELECT * FROM t WHERE ${t}`).statement as { where?: never }).where;
    expect(planSelect(where('pk = ? AND sk = ?'), keys).access).toBe('key-lookup');
    expect(planSelect(where('pk = ? AND begins_with(sk, ?)'), keys).access).toBe('query');
    expect(planSelect(where('pk IN [?, ?]'), keys).access).toBe('query');
    expect(planSelect(where('pk = ? OR n = 1'), keys)).toMatchObject({ access: 'scan', reason: expect.stringMatching(/OR/) });
    expect(planSelect(where('sk = ?'), keys)).toMatchObject({ access: 'scan', reason: expect.stringMatching(/partition key pk/) });
    expect(planSelect(where('pk > ?'), keys).access).toBe('scan');
    expect(planSelect(undefined, keys)).toMatchObject({ access: 'scan', reason: 'the statement has no WHERE clause' });
  });
});

describe('ExecuteStatement SELECT', () => {
  it('a partition-key equality reads one partition (a Query), with the rest of the WHERE as a filter and the projection', async () => {
    const out = await run(`SELECT sk, info.deep.v FROM "pq.table" WHERE pk = ? AND n >= ? AND sk <> 's4'`, [S('b'), N(2)], { ReturnConsumedCapacity: 'TOTAL' });
    expect(out.Items).toEqual([
      { sk: S('s2'), info: { M: { deep: { M: { v: N(20) } } } } },
      { sk: S('s3'), info: { M: { deep: { M: { v: N(30) } } } } },
    ]);
    // Query units: 5 small items read in one partition, summed then rounded: 0.5 RCU eventually consistent.
    expect(out.ConsumedCapacity).toEqual({ TableName: 'pq.table', CapacityUnits: 0.5 });
  });

  it('IN on the partition key reads each listed partition', async () => {
    const out = await run(`SELECT pk, sk FROM "pq.table" WHERE pk IN [?, ?] AND sk = ?`, [S('a'), S('c'), S('s1')]);
    expect(out.Items).toEqual([{ pk: S('a'), sk: S('s1') }, { pk: S('c'), sk: S('s1') }]);
  });

  it('reads an index named "table"."index"', async () => {
    const out = await run(`SELECT pk FROM "pq.table"."by-gpk" WHERE gpk = ? AND sk BETWEEN ? AND ?`, [S('g-c'), S('s1'), S('s2')]);
    expect(out.Items).toEqual([{ pk: S('c') }, { pk: S('c') }]);
    expect((await error(run(`SELECT * FROM "pq.table"."nope" WHERE gpk = ?`, [S('x')]))).message).toBe('The table does not have the specified index: nope');
  });

  it('Limit counts items read before the WHERE filter: a page can be empty and still carry a NextToken', async () => {
    const first = await run(`SELECT * FROM "pq.table" WHERE pk = ? AND n = ?`, [S('a'), N(4)], { Limit: 2 });
    expect(first.Items).toEqual([]);
    expect(first.NextToken).toEqual(expect.any(String));
    const items: unknown[] = [];
    let token: string | undefined = first.NextToken;
    let pages = 1;
    while (token) {
      const page = await run(`SELECT * FROM "pq.table" WHERE pk = ? AND n = ?`, [S('a'), N(4)], { Limit: 2, NextToken: token });
      items.push(...(page.Items ?? []));
      token = page.NextToken;
      pages++;
    }
    expect(items).toHaveLength(1);
    expect(pages).toBe(3);
    // A token belongs to its statement and parameters.
    expect((await error(run(`SELECT * FROM "pq.table" WHERE pk = ? AND n = ?`, [S('b'), N(4)], { Limit: 2, NextToken: first.NextToken }))).message).toMatch(/Invalid NextToken/);
  });

  it('a forged NextToken (right fingerprint, wrong position or key) is a ValidationException, not an internal error', async () => {
    const page = await run(`SELECT * FROM "pq.table" WHERE pk IN [?, ?]`, [S('a'), S('b')], { Limit: 1 });
    const token = JSON.parse(Buffer.from(page.NextToken ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    for (const forged of [{ ...token, p: -1 }, { ...token, p: 7 }, { ...token, p: 0.5 }, { ...token, k: [1] }, { ...token, k: { pk: { S: 'a' } } }]) {
      const e = await error(run(`SELECT * FROM "pq.table" WHERE pk IN [?, ?]`, [S('a'), S('b')], { Limit: 1, NextToken: Buffer.from(JSON.stringify(forged)).toString('base64url') }));
      expect(e.name).toBe('ValidationException');
    }
  });

  it('a SELECT without a partition-key condition is a Scan of the whole table, billed as one', async () => {
    const out = await run(`SELECT pk FROM "pq.table" WHERE n = ?`, [N(0)], { ReturnConsumedCapacity: 'TOTAL' });
    expect(out.Items?.map((i) => i.pk?.S).sort()).toEqual(['a', 'b', 'c']);
    const scan = await client.send(new ScanCommand({ TableName: 'pq.table', ReturnConsumedCapacity: 'TOTAL' }));
    expect(out.ConsumedCapacity).toEqual(scan.ConsumedCapacity);
  });

  it('parameters must match the ? count; a parameter is a value, never statement text', async () => {
    expect((await error(run(`SELECT * FROM "pq.table" WHERE pk = ?`, [S('a'), S('b')]))).message).toBe("Number of parameters in request and statement don't match.");
    const hostile = S(`a' OR pk <> 'zz`);
    expect((await run(`SELECT * FROM "pq.table" WHERE pk = ?`, [hostile])).Items).toEqual([]);
    await run(`INSERT INTO "pq.table" VALUE {'pk': ?, 'sk': ?}`, [hostile, S('"; DELETE FROM "pq.table')]);
    const stored = await client.send(new GetItemCommand({ TableName: 'pq.table', Key: { pk: hostile, sk: S('"; DELETE FROM "pq.table') } }));
    expect(stored.Item?.pk).toEqual(hostile);
    expect((await client.send(new ScanCommand({ TableName: 'pq.table', Select: 'COUNT' }))).Count).toBe(16);
  });
});

describe('ExecuteStatement writes', () => {
  it('INSERT on an existing key fails with DuplicateItemException and changes nothing', async () => {
    const e = await error(run(`INSERT INTO "pq.table" VALUE {'pk': ?, 'sk': ?, 'n': 99}`, [S('a'), S('s0')]));
    expect(e).toBeInstanceOf(DuplicateItemException);
    expect(e.message).toBe('Duplicate primary key exists in table');
    const got = await client.send(new GetItemCommand({ TableName: 'pq.table', Key: { pk: S('a'), sk: S('s0') } }));
    expect(got.Item?.n).toEqual(N(0));
  });

  it('UPDATE sets and removes on the full key, conditional on the rest of the WHERE and on the item existing', async () => {
    await run(`UPDATE "pq.table" SET n = n + ?, label = ? REMOVE info WHERE pk = ? AND sk = ? AND n = ?`, [N(5), S('x'), S('a'), S('s1'), N(1)]);
    const got = await client.send(new GetItemCommand({ TableName: 'pq.table', Key: { pk: S('a'), sk: S('s1') } }));
    expect(got.Item).toMatchObject({ n: N(6), label: S('x') });
    expect(got.Item?.info).toBeUndefined();
    expect(await error(run(`UPDATE "pq.table" SET n = ? WHERE pk = ? AND sk = ? AND n = ?`, [N(0), S('a'), S('s1'), N(1)]))).toBeInstanceOf(ConditionalCheckFailedException);
    expect(await error(run(`UPDATE "pq.table" SET n = ? WHERE pk = ? AND sk = ?`, [N(0), S('a'), S('nope')]))).toBeInstanceOf(ConditionalCheckFailedException);
    expect((await client.send(new GetItemCommand({ TableName: 'pq.table', Key: { pk: S('a'), sk: S('nope') } }))).Item).toBeUndefined();
  });

  it('UPDATE and DELETE need an equality on every key attribute', async () => {
    for (const s of [`UPDATE "pq.table" SET n = 1 WHERE pk = ?`, `DELETE FROM "pq.table" WHERE pk = ?`, `DELETE FROM "pq.table" WHERE pk = ? OR sk = 's1'`]) {
      const e = await error(run(s, [S('a')]));
      expect(e.name).toBe('ValidationException');
      expect(e.message).toBe('Where clause does not contain a mandatory equality on all key attributes');
    }
  });

  it('DELETE removes the item when the rest of the WHERE holds, and fails the condition otherwise', async () => {
    expect(await error(run(`DELETE FROM "pq.table" WHERE pk = ? AND sk = ? AND n = ?`, [S('b'), S('s2'), N(7)]))).toBeInstanceOf(ConditionalCheckFailedException);
    const out = await run(`DELETE FROM "pq.table" WHERE pk = ? AND sk = ? AND n = ?`, [S('b'), S('s2'), N(2)], { ReturnConsumedCapacity: 'TOTAL' });
    expect(out.ConsumedCapacity).toEqual({ TableName: 'pq.table', CapacityUnits: 2 });
    expect((await client.send(new GetItemCommand({ TableName: 'pq.table', Key: { pk: S('b'), sk: S('s2') } }))).Item).toBeUndefined();
  });

  it('an unknown table is ResourceNotFoundException', async () => {
    expect((await error(run(`SELECT * FROM "nope" WHERE pk = ?`, [S('a')]))).name).toBe('ResourceNotFoundException');
  });
});

describe('BatchExecuteStatement', () => {
  it('answers HTTP 200 with an Error per failed statement; the others apply', async () => {
    const out = await client.send(
      new BatchExecuteStatementCommand({
        Statements: [
          { Statement: `INSERT INTO "pq.table" VALUE {'pk': ?, 'sk': ?}`, Parameters: [S('new'), S('1')] },
          { Statement: `INSERT INTO "pq.table" VALUE {'pk': ?, 'sk': ?}`, Parameters: [S('a'), S('s0')] },
          { Statement: `UPDATE "pq.table" SET n = 1 WHERE pk = ?`, Parameters: [S('a')] },
          { Statement: `DELETE FROM "pq.table" WHERE pk = ? AND sk = ?`, Parameters: [S('c'), S('s4')] },
          { Statement: `DELETE FROM "pq.table" WHERE pk = ? AND sk = ? AND n = 9`, Parameters: [S('c'), S('s3')] },
          { Statement: `NOT PARTIQL` },
        ],
      }),
    );
    expect(out.Responses?.map((r) => r.Error?.Code ?? 'ok')).toEqual(['ok', 'DuplicateItem', 'ValidationError', 'ok', 'ConditionalCheckFailed', 'ValidationError']);
    expect((await run(`SELECT * FROM "pq.table" WHERE pk = ?`, [S('new')])).Items).toHaveLength(1);
    expect((await run(`SELECT * FROM "pq.table" WHERE pk = ? AND sk = ?`, [S('c'), S('s4')])).Items).toEqual([]);
  });

  it('reads name a full key each; a read without one is that statement\'s ValidationError', async () => {
    const out = await client.send(
      new BatchExecuteStatementCommand({
        Statements: [
          { Statement: `SELECT sk FROM "pq.table" WHERE pk = ? AND sk = ?`, Parameters: [S('a'), S('s1')] },
          { Statement: `SELECT * FROM "pq.table" WHERE pk = ? AND sk = ?`, Parameters: [S('a'), S('zz')] },
          { Statement: `SELECT * FROM "pq.table" WHERE pk = ?`, Parameters: [S('a')] },
        ],
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    expect(out.Responses?.[0]).toEqual({ TableName: 'pq.table', Item: { sk: S('s1') } });
    expect(out.Responses?.[1]).toEqual({ TableName: 'pq.table' });
    expect(out.Responses?.[2]?.Error).toEqual({ Code: 'ValidationError', Message: 'Where clause does not contain a mandatory equality on all key attributes' });
    expect(out.ConsumedCapacity).toEqual([{ TableName: 'pq.table', CapacityUnits: 1 }]);
  });

  it('refuses more than 25 statements and a mix of reads and writes as a whole request', async () => {
    const many = Array.from({ length: 26 }, (_, i) => ({ Statement: `DELETE FROM "pq.table" WHERE pk = ? AND sk = ?`, Parameters: [S('z'), S(String(i))] }));
    expect((await error(client.send(new BatchExecuteStatementCommand({ Statements: many })))).name).toBe('ValidationException');
    const mixed = [
      { Statement: `SELECT * FROM "pq.table" WHERE pk = ? AND sk = ?`, Parameters: [S('a'), S('s1')] },
      { Statement: `DELETE FROM "pq.table" WHERE pk = ? AND sk = ?`, Parameters: [S('a'), S('s1')] },
    ];
    expect((await error(client.send(new BatchExecuteStatementCommand({ Statements: mixed })))).message).toMatch(/either read statements or write statements/);
    expect((await run(`SELECT * FROM "pq.table" WHERE pk = ? AND sk = ?`, [S('a'), S('s1')])).Items).toHaveLength(1);
  });
});

describe('ExecuteTransaction', () => {
  it('applies all writes or none; a duplicate INSERT is DuplicateItem in CancellationReasons', async () => {
    const e = await error(
      client.send(
        new ExecuteTransactionCommand({
          TransactStatements: [
            { Statement: `UPDATE "pq.table" SET n = ? WHERE pk = ? AND sk = ?`, Parameters: [N(100), S('a'), S('s1')] },
            { Statement: `INSERT INTO "pq.table" VALUE {'pk': ?, 'sk': ?}`, Parameters: [S('b'), S('s0')] },
          ],
        }),
      ),
    );
    expect(e).toBeInstanceOf(TransactionCanceledException);
    expect((e as TransactionCanceledException).CancellationReasons?.map((r) => r.Code)).toEqual(['None', 'DuplicateItem']);
    expect((await run(`SELECT n FROM "pq.table" WHERE pk = ? AND sk = ?`, [S('a'), S('s1')])).Items).toEqual([{ n: N(1) }]);

    const ok = await client.send(
      new ExecuteTransactionCommand({
        TransactStatements: [
          { Statement: `UPDATE "pq.table" SET n = ? WHERE pk = ? AND sk = ?`, Parameters: [N(100), S('a'), S('s1')] },
          { Statement: `INSERT INTO "pq.table" VALUE {'pk': ?, 'sk': ?}`, Parameters: [S('b'), S('new')] },
        ],
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    // Transactional writes: 2 WCU per KB per item, on the table and on the GSI each item is in.
    expect(ok.ConsumedCapacity).toEqual([{ TableName: 'pq.table', CapacityUnits: 6 }]);
    expect((await run(`SELECT n FROM "pq.table" WHERE pk = ? AND sk = ?`, [S('a'), S('s1')])).Items).toEqual([{ n: N(100) }]);
  });

  it('reads full keys together; reads and writes cannot mix', async () => {
    const out = await client.send(
      new ExecuteTransactionCommand({
        TransactStatements: [
          { Statement: `SELECT n FROM "pq.table" WHERE pk = ? AND sk = ?`, Parameters: [S('a'), S('s3')] },
          { Statement: `SELECT n FROM "pq.table" WHERE pk = ? AND sk = ?`, Parameters: [S('a'), S('none')] },
        ],
      }),
    );
    expect(out.Responses).toEqual([{ Item: { n: N(3) } }, {}]);
    const mixed = client.send(
      new ExecuteTransactionCommand({
        TransactStatements: [
          { Statement: `SELECT n FROM "pq.table" WHERE pk = ? AND sk = ?`, Parameters: [S('a'), S('s3')] },
          { Statement: `DELETE FROM "pq.table" WHERE pk = ? AND sk = ?`, Parameters: [S('a'), S('s3')] },
        ],
      }),
    );
    expect((await error(mixed)).name).toBe('ValidationException');
  });
});

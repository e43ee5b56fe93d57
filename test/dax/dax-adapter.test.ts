import { randomUUID } from 'node:crypto';
import {
  BatchExecuteStatementCommand,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ExecuteStatementCommand,
  ExecuteTransactionCommand,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  UpdateTimeToLiveCommand,
  ConditionalCheckFailedException,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createEngine, type Engine } from '../../src/engine';
import { daxClient, daxServing, DaxUnsupportedOperationError, embeddedClientConfig, ensureTable, modelTable, RequestRecorder, type Model } from '../../src/toolkit';
import { simulateDax, type SimulatedDax } from '../../src/toolkit/testing';
import { referenceModel } from '../../src/reference';
import { libraryModel } from '../fixtures/library-model';

/*
 * The adapter: a model's services run through a DAX client unchanged. On the simulated DAX with
 * nothing stale, every read pattern returns what it returns without DAX (a first call fills the
 * caches, a second is served from them); operations DAX does not serve are refused by name with
 * nothing sent.
 */

interface Setup {
  engine: Engine;
  direct: DynamoDBClient;
  recorder: RequestRecorder;
  dax: SimulatedDax;
  viaDax: DynamoDBClient;
  tableName: string;
}

async function setUp(model: Model): Promise<Setup> {
  const engine = createEngine();
  const direct = new DynamoDBClient(embeddedClientConfig(engine));
  const tableName = `dax-${randomUUID().slice(0, 8)}`;
  await ensureTable(direct, modelTable(model, tableName));
  const recorder = new RequestRecorder();
  recorder.attach(direct);
  const dax = simulateDax(direct);
  return { engine, direct, recorder, dax, viaDax: daxClient(dax), tableName };
}

async function tearDown(s: Setup): Promise<void> {
  s.viaDax.destroy();
  s.direct.destroy();
  await s.engine.close();
}

async function readPatternsAgree(model: Model, size: number): Promise<void> {
  const s = await setUp(model);
  try {
    const plain = model.services({ client: s.direct, tableName: s.tableName });
    const cached = model.services({ client: s.viaDax, tableName: s.tableName });
    const seed = await model.seed(plain, { size });
    const plainRunners = model.runners(plain, seed);
    const daxRunners = model.runners(cached, seed);
    // A pattern DAX refuses (it sends PartiQL) fails with the typed error and sends nothing; every other read agrees.
    const refused = new Set(daxServing(model.catalog).filter((p) => p.verdict === 'refused').map((p) => p.pattern));
    for (const name of refused) {
      const before = s.engine.stats.requests;
      await expect((await daxRunners[name]!(0))()).rejects.toBeInstanceOf(DaxUnsupportedOperationError);
      expect({ name, sent: s.engine.stats.requests - before }).toEqual({ name, sent: 0 });
    }
    const reads = model.catalog.filter((p) => p.kind === 'read' && !refused.has(p.name)).map((p) => p.name);
    expect(reads.length).toBeGreaterThan(0);
    for (const name of reads) {
      for (const i of [0, 1]) {
        const expected = await (await plainRunners[name]!(i))();
        const first = await (await daxRunners[name]!(i))(); // fills the caches
        const second = await (await daxRunners[name]!(i))(); // served from them
        expect({ name, i, result: first }).toEqual({ name, i, result: expected });
        expect({ name, i, result: second }).toEqual({ name, i, result: expected });
      }
    }
    const stats = s.dax.stats();
    // The second calls were hits: the caches did serve these patterns.
    expect(stats.itemCache.hits + stats.queryCache.hits).toBeGreaterThan(0);
  } finally {
    await tearDown(s);
  }
}

describe('read patterns through daxClient on the simulated DAX, nothing stale', () => {
  it('the reference model: every read pattern returns the same result as without DAX', async () => {
    await readPatternsAgree(referenceModel as unknown as Model, 12);
  }, 60_000);

  it('the library model (other key names, a sparse INCLUDE index, hostile values): the same', async () => {
    await readPatternsAgree(libraryModel as unknown as Model, 6);
  }, 60_000);
});

describe('operations DAX does not serve', () => {
  let s: Setup;
  beforeAll(async () => {
    s = await setUp(libraryModel as unknown as Model);
  });
  afterAll(() => tearDown(s));

  const refused: [string, () => object][] = [
    ['ExecuteStatement', () => new ExecuteStatementCommand({ Statement: 'SELECT * FROM "t" WHERE part = ?', Parameters: [{ S: 'x' }] })],
    ['BatchExecuteStatement', () => new BatchExecuteStatementCommand({ Statements: [{ Statement: 'SELECT * FROM "t"' }] })],
    ['ExecuteTransaction', () => new ExecuteTransactionCommand({ TransactStatements: [{ Statement: 'DELETE FROM "t" WHERE part = ?', Parameters: [{ S: 'x' }] }] })],
    ['CreateTable', () => new CreateTableCommand({ TableName: 'x', KeySchema: [{ AttributeName: 'k', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'k', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' })],
    ['DescribeTable', () => new DescribeTableCommand({ TableName: 'x' })],
    ['ListTables', () => new ListTablesCommand({})],
    ['UpdateTimeToLive', () => new UpdateTimeToLiveCommand({ TableName: 'x', TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true } })],
  ];

  it.each(refused)('%s: DaxUnsupportedOperationError naming it; nothing reaches DynamoDB', async (operation, command) => {
    const before = s.engine.stats.requests;
    s.recorder.clear();
    const error = await (s.viaDax.send as (c: object) => Promise<unknown>)(command()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DaxUnsupportedOperationError);
    expect(error).toMatchObject({ name: 'DaxUnsupportedOperationError', operation });
    expect((error as Error).message).toContain(`${operation} is not supported by DAX`);
    expect(s.recorder.requests()).toEqual([]);
    expect(s.engine.stats.requests).toBe(before);
  });

  it('is refused the same way through a DocumentClient over the DAX client', async () => {
    const { ExecuteStatementCommand: DocExecute } = await import('@aws-sdk/lib-dynamodb');
    const doc = DynamoDBDocumentClient.from(s.viaDax);
    s.recorder.clear();
    await expect(doc.send(new DocExecute({ Statement: 'SELECT * FROM "t"' }))).rejects.toMatchObject({ name: 'DaxUnsupportedOperationError', operation: 'ExecuteStatement' });
    expect(s.recorder.requests()).toEqual([]);
  });
});

describe('answers and errors keep their shape through the adapter', () => {
  let s: Setup;
  beforeAll(async () => {
    s = await setUp(libraryModel as unknown as Model);
  });
  afterAll(() => tearDown(s));

  it('binary, set, map and list values round-trip through DAX as they do through DynamoDB', async () => {
    const bytes = Uint8Array.from([0, 1, 2, 250, 255]);
    const item = {
      part: { S: 'bin' },
      sort: { S: 'x' },
      blob: { B: bytes },
      blobs: { BS: [Uint8Array.from([1]), Uint8Array.from([2, 3])] },
      nested: { M: { inner: { L: [{ B: Uint8Array.from([9]) }, { N: '1.50' }, { SS: ['a', 'b'] }, { NULL: true }] } } },
    };
    await s.viaDax.send(new PutItemCommand({ TableName: s.tableName, Item: item }));
    const plain = await s.direct.send(new GetItemCommand({ TableName: s.tableName, Key: { part: { S: 'bin' }, sort: { S: 'x' } } }));
    const viaDax = await s.viaDax.send(new GetItemCommand({ TableName: s.tableName, Key: { part: { S: 'bin' }, sort: { S: 'x' } } }));
    expect(viaDax.Item).toEqual(plain.Item);
    expect(viaDax.Item?.blob?.B).toEqual(bytes);
    // A Binary key reaches DAX as bytes too (the cache keys it like DynamoDB does).
    const doc = DynamoDBDocumentClient.from(s.viaDax);
    await doc.send(new PutCommand({ TableName: s.tableName, Item: { part: 'doc', sort: 'y', data: Buffer.from('héllo') } }));
    expect((await doc.send(new GetCommand({ TableName: s.tableName, Key: { part: 'doc', sort: 'y' } }))).Item?.data).toEqual(new Uint8Array(Buffer.from('héllo')));
  });

  it('a failed condition is ConditionalCheckFailedException, with the item when asked for; the cache keeps the old item', async () => {
    await s.viaDax.send(new PutItemCommand({ TableName: s.tableName, Item: { part: { S: 'cond' }, sort: { S: 'x' }, v: { N: '1' } } }));
    const error = await s.viaDax
      .send(new PutItemCommand({ TableName: s.tableName, Item: { part: { S: 'cond' }, sort: { S: 'x' }, v: { N: '2' } }, ConditionExpression: 'attribute_not_exists(part)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConditionalCheckFailedException);
    expect((error as ConditionalCheckFailedException).Item?.v).toEqual({ N: '1' });
    expect((await s.viaDax.send(new GetItemCommand({ TableName: s.tableName, Key: { part: { S: 'cond' }, sort: { S: 'x' } } }))).Item?.v).toEqual({ N: '1' });
  });

  it('a cancelled transaction is TransactionCanceledException with its reasons', async () => {
    const error = await s.viaDax
      .send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: s.tableName, Item: { part: { S: 'tx' }, sort: { S: 'a' } } } },
            { ConditionCheck: { TableName: s.tableName, Key: { part: { S: 'missing' }, sort: { S: 'b' } }, ConditionExpression: 'attribute_exists(part)' } },
          ],
        }),
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransactionCanceledException);
    expect((error as TransactionCanceledException).CancellationReasons?.map((r) => r.Code)).toEqual(['None', 'ConditionalCheckFailed']);
  });
});

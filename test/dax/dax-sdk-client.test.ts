import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException, DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { Dax } from '@amazon-dax-sdk/client-dax';
import { createEngine, type Engine } from '../../src/engine';
import { daxClient, embeddedClientConfig, ensureTable, modelTable, type DaxOperations } from '../../src/toolkit';
import { simulateDax } from '../../src/toolkit/testing';
import { libraryModel, type LibraryServices } from '../fixtures/library-model';

/*
 * The adapter driving the real DAX SDK client (@amazon-dax-sdk/client-dax 3.1.0's Dax class: its
 * method surface, request objects, retry handler and error class), with its network layer (the
 * cluster's node connections) replaced by the simulated DAX: no cluster exists here. The node
 * client answers errors the way DAX's wire does, as DaxServiceError with the DynamoDB code.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const DaxServiceError = require('@amazon-dax-sdk/client-dax/src/DaxServiceError') as new (
  message: string,
  code: string,
  retryable: boolean,
  requestId: string | undefined,
  statusCode: number,
  codeSeq: number[],
  cancellationReasons: unknown,
) => Error;

function nodeClient(dax: DaxOperations): DaxOperations {
  const wrapped: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const name of Object.keys(dax) as (keyof DaxOperations)[]) {
    wrapped[name] = async (input) => {
      try {
        return await (dax[name] as (i: unknown) => Promise<unknown>)(input);
      } catch (e) {
        const error = e as { name: string; message: string; CancellationReasons?: unknown };
        // DAX's error code sequences (as DaxServiceError reads them): 4.37.38.39.x for DynamoDB's errors.
        const last = { ConditionalCheckFailedException: 43, TransactionCanceledException: 58, ValidationException: 46 }[error.name] ?? 46;
        throw new DaxServiceError(error.message, error.name, false, undefined, 400, [4, 37, 38, 39, last], error.CancellationReasons);
      }
    };
  }
  return wrapped as unknown as DaxOperations;
}

let engine: Engine;
let direct: DynamoDBClient;
let viaDax: DynamoDBClient;
let services: LibraryServices;
let tableName: string;
beforeAll(async () => {
  engine = createEngine();
  direct = new DynamoDBClient(embeddedClientConfig(engine));
  tableName = `dax-sdk-${randomUUID().slice(0, 8)}`;
  await ensureTable(direct, modelTable(libraryModel, tableName));
  const node = nodeClient(simulateDax(direct));
  const cluster = { startup() {}, close() {}, startupComplete: () => true, readClient: () => node, leaderClient: () => node };
  const realDax = new (Dax as unknown as new (config: object, cluster: object) => DaxOperations)({ region: 'us-east-1', endpoint: 'dax://simulated.invalid' }, cluster);
  viaDax = daxClient(realDax);
  services = libraryModel.services({ client: viaDax, tableName });
});
afterAll(async () => {
  viaDax.destroy();
  direct.destroy();
  await engine.close();
});

describe('daxClient over the DAX SDK client', () => {
  it('the library model seeds and reads through it, ElectroDB and the request helpers unchanged', async () => {
    const seed = await libraryModel.seed(services, { size: 3 });
    const plain = libraryModel.services({ client: direct, tableName });
    for (const name of ['getMember', 'getBook', 'listMemberLoans', 'listLoansForBook', 'listOverdueLoans'] as const) {
      const viaRunners = libraryModel.runners(services, seed);
      const plainRunners = libraryModel.runners(plain, seed);
      expect(await (await viaRunners[name](1))()).toEqual(await (await plainRunners[name](1))());
    }
    expect(await services.getMember(seed.members[0] as string)).toMatchObject({ memberId: seed.members[0] });
  });

  it("DAX's errors reach the caller as the SDK's exceptions: a failed condition is ConditionalCheckFailedException", async () => {
    const { PutItemCommand } = await import('@aws-sdk/client-dynamodb');
    const put = () => viaDax.send(new PutItemCommand({ TableName: tableName, Item: { part: { S: 'dup' }, sort: { S: 'x' } }, ConditionExpression: 'attribute_not_exists(part)' }));
    await put();
    await expect(put()).rejects.toBeInstanceOf(ConditionalCheckFailedException);
  });

  it('a cancelled transaction keeps its reasons', async () => {
    const { TransactWriteItemsCommand } = await import('@aws-sdk/client-dynamodb');
    const error = await viaDax
      .send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: tableName, Item: { part: { S: 'tx' }, sort: { S: 'a' } } } },
            { ConditionCheck: { TableName: tableName, Key: { part: { S: 'none' }, sort: { S: 'b' } }, ConditionExpression: 'attribute_exists(part)' } },
          ],
        }),
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransactionCanceledException);
    expect((error as TransactionCanceledException).CancellationReasons?.map((r) => r.Code)).toEqual(['None', 'ConditionalCheckFailed']);
  });
});

import { BatchGetItemCommand, DeleteTableCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, ScanCommand, TransactGetCommand } from '@aws-sdk/lib-dynamodb';
import { RequestRecorder } from '../../src/toolkit';
import { createPlainTable, testClient, uniqueTableName } from '../support/local-table';

/* Which items a read returned: the page lights up a pattern's items from these keys. */
const client = testClient();
const doc = DynamoDBDocumentClient.from(client);
const TableName = uniqueTableName('returned-keys');
let recorder: RequestRecorder;

beforeAll(async () => {
  await createPlainTable(client, TableName, { name: 'gsi1', partitionKey: 'g1pk', sortKey: 'g1sk' });
  await doc.send(
    new BatchWriteCommand({
      RequestItems: {
        [TableName]: [
          { PutRequest: { Item: { pk: 'p', sk: '1', g1pk: 'g', g1sk: 'a', body: 'x' } } },
          { PutRequest: { Item: { pk: 'p', sk: '2', g1pk: 'g', g1sk: 'b' } } },
          { PutRequest: { Item: { pk: 'p', sk: '3', kind: 'skip' } } },
          { PutRequest: { Item: { pk: 'q', sk: '1', g1pk: 'h', g1sk: 'a' } } },
        ],
      },
    }),
  );
  recorder = RequestRecorder.attach(client);
});
afterAll(async () => {
  recorder.detach();
  await client.send(new DeleteTableCommand({ TableName }));
  client.destroy();
});

describe('RequestRecorder returnedKeys', () => {
  it("keeps the table keys of the items a Query returned, not those its filter dropped", async () => {
    const { requests } = await recorder.capture(() =>
      doc.send(new QueryCommand({ TableName, KeyConditionExpression: 'pk = :p', FilterExpression: 'attribute_not_exists(kind)', ExpressionAttributeValues: { ':p': 'p' } })),
    );
    expect(requests[0]?.returnedKeys).toEqual([{ pk: 'p', sk: '1' }, { pk: 'p', sk: '2' }]);
    expect(requests[0]?.scannedCount).toBe(3);
  });

  it('keeps the table keys of items a Query on an index returned', async () => {
    const { requests } = await recorder.capture(() =>
      doc.send(new QueryCommand({ TableName, IndexName: 'gsi1', KeyConditionExpression: 'g1pk = :g', ExpressionAttributeValues: { ':g': 'g' } })),
    );
    expect(requests[0]?.returnedKeys).toEqual([{ pk: 'p', sk: '1' }, { pk: 'p', sk: '2' }]);
  });

  it('lists a GetItem hit, nothing for a miss, and raw (marshalled) answers alike', async () => {
    const hit = await recorder.capture(() => doc.send(new GetCommand({ TableName, Key: { pk: 'q', sk: '1' } })));
    const miss = await recorder.capture(() => client.send(new GetItemCommand({ TableName, Key: { pk: { S: 'zz' }, sk: { S: '1' } } })));
    const raw = await recorder.capture(() => client.send(new GetItemCommand({ TableName, Key: { pk: { S: 'p' }, sk: { S: '2' } } })));
    expect(hit.requests[0]?.returnedKeys).toEqual([{ pk: 'q', sk: '1' }]);
    expect(miss.requests[0]?.returnedKeys).toEqual([]);
    expect(raw.requests[0]?.returnedKeys).toEqual([{ pk: 'p', sk: '2' }]);
  });

  it('lists the items a BatchGetItem and a TransactGetItems returned', async () => {
    const batch = await recorder.capture(() =>
      client.send(new BatchGetItemCommand({ RequestItems: { [TableName]: { Keys: [{ pk: { S: 'p' }, sk: { S: '1' } }, { pk: { S: 'nope' }, sk: { S: '1' } }] } } })),
    );
    const transact = await recorder.capture(() =>
      doc.send(new TransactGetCommand({ TransactItems: [{ Get: { TableName, Key: { pk: 'q', sk: '1' } } }, { Get: { TableName, Key: { pk: 'nope', sk: '9' } } }] })),
    );
    expect(batch.requests[0]?.returnedKeys).toEqual([{ pk: 'p', sk: '1' }]);
    expect(transact.requests[0]?.returnedKeys).toEqual([{ pk: 'q', sk: '1' }]);
  });

  it('leaves out items whose answer lacks a key field, and lists nothing for writes', async () => {
    const projected = await recorder.capture(() => doc.send(new ScanCommand({ TableName, ProjectionExpression: 'pk' })));
    expect(projected.requests[0]?.returnedKeys).toEqual([]);
    const put = await recorder.capture(() => doc.send(new PutCommand({ TableName, Item: { pk: 'r', sk: '1' } })));
    expect(put.requests[0]?.returnedKeys).toEqual([]);
    expect(put.requests[0]?.itemKeys).toEqual([{ pk: 'r', sk: '1' }]);
  });
});

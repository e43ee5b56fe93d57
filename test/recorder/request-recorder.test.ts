import { DeleteTableCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { forPattern } from '../../src/toolkit';
import { RequestRecorder } from '../../src/toolkit';
import { createPlainTable, testClient, uniqueTableName } from '../support/local-table';

const client = testClient();
const doc = DynamoDBDocumentClient.from(client);
const TableName = uniqueTableName('recorder');
let recorder: RequestRecorder;

beforeAll(async () => {
  await createPlainTable(client, TableName, { name: 'gsi1', partitionKey: 'g1pk', sortKey: 'g1sk' });
  recorder = RequestRecorder.attach(client);
});
afterAll(async () => {
  recorder.detach();
  await client.send(new DeleteTableCommand({ TableName }));
  client.destroy();
});
beforeEach(() => recorder.clear());

describe('RequestRecorder', () => {
  it('records a DocumentClient write with its capacity per table and index', async () => {
    const { requests } = await recorder.capture(() => doc.send(new PutCommand({ TableName, Item: { pk: 'a', sk: '1', g1pk: 'x', g1sk: '1', body: 'hello' } })));
    expect(requests).toHaveLength(1);
    const [put] = requests;
    expect(put).toMatchObject({ operation: 'PutItem', tables: [TableName], index: undefined, writeUnits: 2, readUnits: 0, error: undefined });
    // asked for INDEXES: the table's unit and the GSI's unit are reported separately
    expect(put?.consumedCapacity[0]?.Table?.CapacityUnits).toBe(1);
    expect(put?.consumedCapacity[0]?.GlobalSecondaryIndexes?.gsi1?.CapacityUnits).toBe(1);
    expect(put?.durationMs).toBeGreaterThan(0);
    // the partitions it wrote (table and index) and the item's primary key, for hot-partition analysis
    expect(put?.partitions).toEqual([{ field: 'pk', value: 'a' }]);
    expect(put?.itemKeys).toEqual([{ pk: 'a', sk: '1' }]);
  });

  it('records a Query on an index with its resolved key condition, counts and pattern label', async () => {
    await doc.send(new PutCommand({ TableName, Item: { pk: 'b', sk: '1', g1pk: 'y', g1sk: '2' } }));
    recorder.clear();
    const { requests } = await recorder.capture(() =>
      forPattern(doc, 'findY').send(new QueryCommand({ TableName, IndexName: 'gsi1', KeyConditionExpression: '#p = :p and begins_with(#s, :s)', ExpressionAttributeNames: { '#p': 'g1pk', '#s': 'g1sk' }, ExpressionAttributeValues: { ':p': 'y', ':s': '2' }, Limit: 10 })),
    );
    expect(requests[0]).toMatchObject({ operation: 'Query', index: 'gsi1', keyCondition: 'g1pk = :p and begins_with(g1sk, :s)', itemCount: 1, scannedCount: 1, limit: 10, pattern: 'findY', readUnits: 0.5 });
  });

  it('records raw client requests, GetItem hits and misses, and strong consistency', async () => {
    await client.send(new PutItemCommand({ TableName, Item: { pk: { S: 'c' }, sk: { S: '1' } } }));
    const hit = await recorder.capture(() => client.send(new GetItemCommand({ TableName, Key: { pk: { S: 'c' }, sk: { S: '1' } }, ConsistentRead: true })));
    const miss = await recorder.capture(() => client.send(new GetItemCommand({ TableName, Key: { pk: { S: 'zz' }, sk: { S: '1' } } })));
    expect(hit.requests[0]).toMatchObject({ operation: 'GetItem', itemCount: 1, consistentRead: true, readUnits: 1 });
    expect(miss.requests[0]).toMatchObject({ operation: 'GetItem', itemCount: 0, consistentRead: false, readUnits: 0.5 });
  });

  it('records failed requests with the error name, and transactions with their tables', async () => {
    const failed = await recorder.capture(() =>
      doc.send(new PutCommand({ TableName, Item: { pk: 'c', sk: '1' }, ConditionExpression: 'attribute_not_exists(pk)' })).catch((e: Error) => e.name),
    );
    expect(failed.result).toBe('ConditionalCheckFailedException');
    expect(failed.requests[0]).toMatchObject({ operation: 'PutItem', error: 'ConditionalCheckFailedException' });
    const tx = await recorder.capture(() =>
      doc.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName, Item: { pk: 'd', sk: '1', g1pk: 'x', g1sk: '1' } } }, { Put: { TableName, Item: { pk: 'd', sk: '2' } } }] })),
    );
    // Transactional writes cost double: (1 table + 1 index) × 2 + 1 table × 2. (DynamoDB Local
    // reports only 1 unit per put when a transaction writes no index at all; AWS reports 2.)
    expect(tx.requests[0]).toMatchObject({ operation: 'TransactWriteItems', tables: [TableName], writeUnits: 6 });
  });

  it('feeds onRequest sinks and can keep nothing in memory; detach stops recording', async () => {
    const seen: string[] = [];
    const sinkClient = testClient();
    const sink = RequestRecorder.attach(sinkClient, { keep: false, onRequest: (r) => seen.push(r.operation) });
    await sinkClient.send(new GetItemCommand({ TableName, Key: { pk: { S: 'c' }, sk: { S: '1' } } }));
    expect(seen).toEqual(['GetItem']);
    expect(sink.requests()).toEqual([]);
    sink.detach();
    await sinkClient.send(new GetItemCommand({ TableName, Key: { pk: { S: 'c' }, sk: { S: '1' } } }));
    expect(seen).toEqual(['GetItem']);
    sinkClient.destroy();
  });

  describe('a failing observer never changes a request\'s outcome', () => {
    const failingSink = (options: { onObserverError?: (error: unknown) => void; async?: boolean } = {}) => {
      const c = testClient();
      const reported: unknown[] = [];
      const r = RequestRecorder.attach(c, {
        onRequest: () => {
          if (options.async) return Promise.reject(new Error('metrics sink unavailable')) as unknown as void;
          throw new Error('metrics sink unavailable');
        },
        onObserverError: options.onObserverError ?? ((e) => reported.push(e)),
      });
      return { c, r, reported };
    };

    it('a PutItem that succeeded resolves, and the observer\'s error goes to onObserverError', async () => {
      const { c, r, reported } = failingSink();
      try {
        const out = await c.send(new PutItemCommand({ TableName, Item: { pk: { S: 'obs' }, sk: { S: '1' } } }));
        expect(out.$metadata.httpStatusCode).toBe(200);
        expect(reported).toEqual([expect.objectContaining({ message: 'metrics sink unavailable' })]);
        // The request is still recorded for capture()/requests().
        expect(r.requests().map((q) => q.operation)).toEqual(['PutItem']);
      } finally {
        r.detach();
        c.destroy();
      }
    });

    it('a real ConditionalCheckFailedException still surfaces as itself', async () => {
      const { c, r, reported } = failingSink();
      try {
        await c.send(new PutItemCommand({ TableName, Item: { pk: { S: 'obs2' }, sk: { S: '1' } } }));
        await expect(c.send(new PutItemCommand({ TableName, Item: { pk: { S: 'obs2' }, sk: { S: '1' } }, ConditionExpression: 'attribute_not_exists(pk)' }))).rejects.toMatchObject({
          name: 'ConditionalCheckFailedException',
        });
        expect(reported).toHaveLength(2);
      } finally {
        r.detach();
        c.destroy();
      }
    });

    it('a rejected promise from the sink, or a throwing onObserverError, changes nothing either', async () => {
      const asyncSink = failingSink({ async: true });
      const throwingReport = failingSink({
        onObserverError: () => {
          throw new Error('report failed too');
        },
      });
      try {
        await expect(asyncSink.c.send(new GetItemCommand({ TableName, Key: { pk: { S: 'obs' }, sk: { S: '1' } } }))).resolves.toMatchObject({ Item: { pk: { S: 'obs' } } });
        await new Promise((resolve) => setImmediate(resolve));
        expect(asyncSink.reported).toEqual([expect.objectContaining({ message: 'metrics sink unavailable' })]);
        await expect(throwingReport.c.send(new GetItemCommand({ TableName, Key: { pk: { S: 'obs' }, sk: { S: '1' } } }))).resolves.toMatchObject({ Item: { pk: { S: 'obs' } } });
      } finally {
        for (const s of [asyncSink, throwingReport]) {
          s.r.detach();
          s.c.destroy();
        }
      }
    });

    it('without onObserverError, the error becomes one process warning', async () => {
      const c = testClient();
      const r = RequestRecorder.attach(c, {
        onRequest: () => {
          throw new Error('metrics sink unavailable');
        },
      });
      const emitWarning = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
      try {
        await c.send(new GetItemCommand({ TableName, Key: { pk: { S: 'obs' }, sk: { S: '1' } } }));
        await c.send(new GetItemCommand({ TableName, Key: { pk: { S: 'obs' }, sk: { S: '1' } } }));
        const ours = emitWarning.mock.calls.filter(([, options]) => (options as { type?: string } | undefined)?.type === 'RequestRecorderObserverError');
        expect(ours).toHaveLength(1);
        expect(String(ours[0]?.[0])).toContain('metrics sink unavailable');
      } finally {
        emitWarning.mockRestore();
        r.detach();
        c.destroy();
      }
    });
  });
});

/**
 * The streams API over the engine's HTTP server (127.0.0.1), as an outside client such as a Lambda
 * emulator or another language's SDK reaches it: same endpoint as DynamoDB, X-Amz-Target
 * DynamoDBStreams_20120810.*. https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Operations_Amazon_DynamoDB_Streams.html
 */
import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, ListStreamsCommand } from '@aws-sdk/client-dynamodb-streams';
import { startEngineServer, type EngineServer } from '../../../src/engine';

let server: EngineServer;
beforeAll(async () => {
  server = await startEngineServer();
});
afterAll(async () => {
  await server.close();
});

test('a put on one client is a record on the streams client, over HTTP', async () => {
  const config = { region: 'us-east-1', endpoint: server.endpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, maxAttempts: 1 };
  const db = new DynamoDBClient(config);
  const streams = new DynamoDBStreamsClient(config);
  await db.send(new CreateTableCommand({
    TableName: 'over_http',
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
  }));
  await db.send(new PutItemCommand({ TableName: 'over_http', Item: { pk: { S: 'a' }, b: { B: new Uint8Array([0, 255]) } } }));
  const arn = (await streams.send(new ListStreamsCommand({ TableName: 'over_http' }))).Streams?.[0]?.StreamArn;
  const shard = (await streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription?.Shards?.[0]?.ShardId;
  const it = (await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
  const page = await streams.send(new GetRecordsCommand({ ShardIterator: it }));
  expect(page.Records?.map((r) => r.dynamodb?.NewImage)).toEqual([{ pk: { S: 'a' }, b: { B: new Uint8Array([0, 255]) } }]);
  const bad = await streams.send(new GetRecordsCommand({ ShardIterator: 'nope' })).catch((e: Error) => e);
  expect((bad as Error).name).toBe('ValidationException');
  db.destroy();
  streams.destroy();
});

/**
 * Behaviours the differential run against dynalite found (docs/engine-fidelity.md F-1..F-13),
 * each with the AWS page or dynalite's verified behaviour that decides it.
 */
import { createEngine } from '../../../src/engine';
import { engineRequestHandler } from '../../../src/engine';
import { call, engineWithTable, fails, S } from './helpers';

describe('engine fidelity fixes', () => {
  test('F-1/F-2: CreateTable answers CREATING, DescribeTable ACTIVE (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html)', () => {
    const e = createEngine();
    const r = call(e, 'CreateTable', { TableName: 'tbl', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] });
    expect((r.TableDescription as Record<string, unknown>).TableStatus).toBe('CREATING');
    expect((r.TableDescription as Record<string, unknown>).BillingModeSummary).toEqual({ BillingMode: 'PAY_PER_REQUEST' });
    expect((call(e, 'DescribeTable', { TableName: 'tbl' }).Table as Record<string, unknown>).TableStatus).toBe('ACTIVE');
  });

  test('F-4: LastEvaluatedKey whenever Limit items were read (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html#DDB-Query-response-LastEvaluatedKey)', () => {
    const e = engineWithTable();
    call(e, 'PutItem', { TableName: 'tbl', Item: { pk: S('p'), sk: S('1') } });
    const r = call(e, 'Query', { TableName: 'tbl', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('p') }, Limit: 1 });
    expect(r.LastEvaluatedKey).toEqual({ pk: S('p'), sk: S('1') });
  });

  test('F-6: UpdateTable needs AttributeDefinitions only to create an index', () => {
    const e = engineWithTable();
    expect(() => call(e, 'UpdateTable', { TableName: 'tbl', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } })).not.toThrow();
  });

  test('F-8/F-9: a filter on a key attribute, a nested path into a key (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.FilterExpression.html)', () => {
    const e = engineWithTable();
    const q = { TableName: 'tbl', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('p'), ':s': S('s') } };
    expect(fails(e, 'Query', { ...q, FilterExpression: 'sk = :s' }).message).toBe('Filter Expression can only contain non-primary key attributes: Primary key attribute: sk');
    call(e, 'PutItem', { TableName: 'tbl', Item: { pk: S('p'), sk: S('s') } });
    expect(fails(e, 'UpdateItem', { TableName: 'tbl', Key: { pk: S('p'), sk: S('s') }, UpdateExpression: 'SET gpk = gpk.g', ConditionExpression: 'attribute_not_exists(pk)' }).message).toBe(
      "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: IndexKey: gpk",
    );
    expect(fails(e, 'GetItem', { TableName: 'tbl', Key: { pk: S('p'), sk: S('s') }, ProjectionExpression: 'gpk.x' }).message).toBe(
      "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: IndexKey: gpk",
    );
  });

  test('F-10/F-11/F-12: protocol answers (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TagResource.html)', async () => {
    const e = engineWithTable();
    const h = engineRequestHandler(e);
    const send = async (target: string, body: string) => {
      const { response } = await h.handle({ method: 'POST', headers: { 'x-amz-target': target }, body });
      return { status: response.statusCode, text: Buffer.from(response.body).toString('utf8') };
    };
    const bad = await send('DynamoDB_20120810.ListTables', '{nope');
    expect(JSON.parse(bad.text)).toEqual({ __type: 'com.amazon.coral.service#SerializationException' });
    const arn = (call(e, 'DescribeTable', { TableName: 'tbl' }).Table as Record<string, string>).TableArn as string;
    const tag = await send('DynamoDB_20120810.TagResource', JSON.stringify({ ResourceArn: arn, Tags: [{ Key: 'k', Value: 'v' }] }));
    expect(tag).toEqual({ status: 200, text: '' });
    expect(call(e, 'ListTagsOfResource', { ResourceArn: arn }).Tags).toEqual([{ Key: 'k', Value: 'v' }]);
    expect(fails(e, 'ListTagsOfResource', { ResourceArn: 'not-an-arn' }).type).toBe('AccessDeniedException');
  });

  test('F-13: PutItem checks ReturnValues after the item values', () => {
    const e = engineWithTable();
    expect(fails(e, 'PutItem', { TableName: 'tbl', Item: { pk: S('p'), sk: S('s'), n: { NS: ['1', '1'] } }, ReturnValues: 'ALL_NEW' }).message).toBe('Input collection contains duplicates');
    expect(fails(e, 'PutItem', { TableName: 'tbl', Item: { pk: S('p'), sk: S('s') }, ReturnValues: 'ALL_NEW' }).message).toBe('ReturnValues can only be ALL_OLD or NONE');
  });

  test('F-7: expression errors come before the table, the index and Select (dynalite, verified on DynamoDB)', () => {
    const e = engineWithTable();
    const base = { TableName: 'tbl', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('p') } };
    expect(fails(e, 'Query', { ...base, TableName: 'missing', ExpressionAttributeNames: { '#u': 'u' } }).message).toBe('Value provided in ExpressionAttributeNames unused in expressions: keys: {#u}');
    expect(fails(e, 'Query', { ...base, IndexName: 'gsi1', ConsistentRead: true, ExpressionAttributeNames: { '#u': 'u' } }).message).toMatch(/unused in expressions/);
    expect(fails(e, 'Query', { ...base, KeyConditionExpression: 'pk = = :p' }).message).toMatch(/^Invalid KeyConditionExpression: Syntax error/);
    // Repeated identical requests (served from the parse cache) answer the same.
    expect(call(e, 'Query', base).Count).toBe(0);
    expect(call(e, 'Query', base).Count).toBe(0);
  });

  test('F-16: UpdateTable answers UPDATING; a table back on PROVISIONED keeps its billing summary (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BillingModeSummary.html)', () => {
    const e = engineWithTable();
    const r = call(e, 'UpdateTable', { TableName: 'tbl', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 }, GlobalSecondaryIndexUpdates: [{ Update: { IndexName: 'gsi1', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } } }] });
    expect((r.TableDescription as Record<string, unknown>).TableStatus).toBe('UPDATING');
    const d = call(e, 'DescribeTable', { TableName: 'tbl' }).Table as Record<string, unknown>;
    expect(d.TableStatus).toBe('ACTIVE');
    expect(d.BillingModeSummary).toMatchObject({ BillingMode: 'PROVISIONED' });
    expect(d.TableThroughputModeSummary).toEqual({ TableThroughputMode: 'PROVISIONED' });
  });
});

/**
 * ReturnValuesOnConditionCheckFailure on single-item writes (dynalite ignores the parameter, so the
 * differential test cannot hold the engine to it), from:
 * - https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html#DDB-PutItem-request-ReturnValuesOnConditionCheckFailure
 * - https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html#DDB-UpdateItem-request-ReturnValuesOnConditionCheckFailure
 * - https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteItem.html#DDB-DeleteItem-request-ReturnValuesOnConditionCheckFailure
 * ("ALL_OLD: the entire item, as it was before the attempted write"; NONE, the default: nothing).
 */
import { ConditionalCheckFailedException, DeleteItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { createTable, engineUnderTest, rejection } from './support';

const T = 'ccf_table';
const item = { pk: { S: 'a' }, sk: { S: '1' }, v: { N: '1' } };
const key = { pk: { S: 'a' }, sk: { S: '1' } };

async function setup() {
  const e = engineUnderTest();
  await createTable(e.client, T);
  await e.client.send(new PutItemCommand({ TableName: T, Item: item }));
  return e;
}

describe('ReturnValuesOnConditionCheckFailure (API_PutItem, API_UpdateItem, API_DeleteItem)', () => {
  test('ALL_OLD returns the item as it was in the ConditionalCheckFailedException, for Put, Update and Delete', async () => {
    const { client } = await setup();
    const failures = [
      client.send(new PutItemCommand({ TableName: T, Item: { ...key, v: { N: '2' } }, ConditionExpression: 'attribute_not_exists(pk)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' })),
      client.send(new UpdateItemCommand({ TableName: T, Key: key, UpdateExpression: 'SET v = :two', ConditionExpression: 'v = :two', ExpressionAttributeValues: { ':two': { N: '2' } }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' })),
      client.send(new DeleteItemCommand({ TableName: T, Key: key, ConditionExpression: 'v > :five', ExpressionAttributeValues: { ':five': { N: '5' } }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' })),
    ];
    for (const f of failures) {
      const err = await rejection(f);
      expect(err).toBeInstanceOf(ConditionalCheckFailedException);
      expect(err.Item).toEqual(item);
    }
  });

  test('NONE (the default) returns no item; a missing item returns none either', async () => {
    const { client } = await setup();
    const none = await rejection(client.send(new PutItemCommand({ TableName: T, Item: item, ConditionExpression: 'attribute_not_exists(pk)' })));
    expect(none.name).toBe('ConditionalCheckFailedException');
    expect(none.Item).toBeUndefined();
    const missing = await rejection(client.send(new DeleteItemCommand({ TableName: T, Key: { pk: { S: 'zz' }, sk: { S: '1' } }, ConditionExpression: 'attribute_exists(pk)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' })));
    expect(missing.name).toBe('ConditionalCheckFailedException');
    expect(missing.Item).toBeUndefined();
  });
});

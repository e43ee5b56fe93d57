import { DynamoDBClient, DescribeTableCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import { createModelFixture, PatternAssertionError } from '../../src/toolkit/testing';
import { dropTable, ensureTable, localClientConfig, modelTable } from '../../src/toolkit';
import { EmailTakenError, referenceModel } from '../../src/reference';

/*
 * createModelFixture drops only a table it created and closes only a client it made: a test
 * pointed at an existing table (`tableName`) or given a client must leave both as they were.
 */
const callerClient = () => new DynamoDBClient(localClientConfig(process.env.DYNAMODB_ENDPOINT as string));

describe('createModelFixture on what the caller owns', () => {
  it('leaves an existing table, its data and the caller\'s client as they were after close()', async () => {
    const client = callerClient();
    const tableName = `existing-${randomUUID().slice(0, 8)}`;
    await ensureTable(client, modelTable(referenceModel, tableName));
    await client.send(new PutItemCommand({ TableName: tableName, Item: { pk: { S: 'keep' }, sk: { S: 'me' }, note: { S: 'data of the caller' } } }));
    const destroy = jest.spyOn(client, 'destroy');
    try {
      const fixture = await createModelFixture(referenceModel, { tableName, client });
      expect(fixture.tableName).toBe(tableName);
      await fixture.close();
      // The table and its item are still there, and the client still works.
      const item = await client.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: 'keep' }, sk: { S: 'me' } }, ConsistentRead: true }));
      expect(item.Item?.note).toEqual({ S: 'data of the caller' });
      expect(destroy).not.toHaveBeenCalled();
    } finally {
      await dropTable(client, tableName);
      client.destroy();
    }
  });

  it('drops the table it created, and does not close a client it was given', async () => {
    const client = callerClient();
    const destroy = jest.spyOn(client, 'destroy');
    try {
      const fixture = await createModelFixture(referenceModel, { client });
      const { tableName } = fixture;
      await fixture.close();
      expect(destroy).not.toHaveBeenCalled();
      await expect(client.send(new DescribeTableCommand({ TableName: tableName }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    } finally {
      client.destroy();
    }
  });
});

describe('expectPattern on a call that rejects', () => {
  it('checks its requests, then rethrows the call\'s own error; wrong requests fail the check', async () => {
    const fixture = await createModelFixture(referenceModel);
    try {
      const email = `taken-${randomUUID().slice(0, 8)}@example.com`;
      await fixture.expectPattern('createUser', () => fixture.services.createUser({ email, name: 'First' }));
      // The duplicate sends createUser's declared requests and fails on its condition: the service's error comes through.
      await expect(fixture.expectPattern('createUser', () => fixture.services.createUser({ email, name: 'Copycat' }))).rejects.toBeInstanceOf(EmailTakenError);
      // Under another pattern's name the same rejected call is a PatternAssertionError naming the call's error.
      const wrong = fixture.expectPattern('getUserById', () => fixture.services.createUser({ email, name: 'Copycat' }));
      await expect(wrong).rejects.toBeInstanceOf(PatternAssertionError);
      await expect(fixture.expectPattern('getUserById', () => fixture.services.createUser({ email, name: 'Copycat' }))).rejects.toThrow(/the call rejected: EmailTakenError/);
    } finally {
      await fixture.close();
    }
  });
});

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import { localClientConfig } from '../../src/local/client-config';

/** A client on the run's DynamoDB Local (started by globalSetup). */
export function testClient(): DynamoDBClient {
  const endpoint = process.env.DYNAMODB_ENDPOINT;
  if (!endpoint) throw new Error('DYNAMODB_ENDPOINT is not set: run the tests through jest (globalSetup starts DynamoDB Local)');
  return new DynamoDBClient(localClientConfig(endpoint));
}

/** A table name no other test file uses. */
export function uniqueTableName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

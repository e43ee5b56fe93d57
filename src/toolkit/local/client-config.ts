import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';

/**
 * Client settings for a local endpoint (the embedded engine served with `single-table-kit serve`,
 * DynamoDB Local, dynalite): a fixed region and placeholder credentials, because local engines
 * check neither but the SDK insists on having both.
 */
export function localClientConfig(endpoint: string): DynamoDBClientConfig {
  return {
    endpoint,
    region: process.env.AWS_REGION ?? 'us-east-1',
    credentials: {
      accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'local',
      secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
    },
  };
}

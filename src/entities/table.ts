import type { DynamoDBClient, TableDescription } from '@aws-sdk/client-dynamodb';
import { deriveTableDefinition, dropTable, ensureTable, type Billing, type TableDefinition } from '../toolkit';
import { EmailClaim } from './email-claim';
import { Membership } from './membership';
import { Order } from './order';
import { OrderItem } from './order-item';
import { OrderRequest } from './order-request';
import { Organization } from './organization';
import { Session } from './session';
import { User } from './user';

/** Sessions and idempotency records expire through DynamoDB TTL on this attribute (epoch seconds). */
export const TTL_ATTRIBUTE = 'expiresAt';

export interface TableOptions {
  tableName: string;
  billing?: Billing;
}

/** The reference model's table, derived from its entities' indexes. */
export function tableDefinition(options: TableOptions): TableDefinition {
  return deriveTableDefinition({
    tableName: options.tableName,
    billing: options.billing,
    entities: [User, EmailClaim, Organization, Membership, Order, OrderItem, OrderRequest, Session],
    ttlAttribute: TTL_ATTRIBUTE,
    stream: 'NEW_AND_OLD_IMAGES',
  });
}

/** Creates the table (idempotent), waits until ACTIVE and enables TTL. */
export function createTable(client: DynamoDBClient, options: TableOptions): Promise<TableDescription> {
  return ensureTable(client, tableDefinition(options));
}

/** Deletes the table if it exists and waits until it is gone. */
export function deleteTable(client: DynamoDBClient, tableName: string): Promise<void> {
  return dropTable(client, tableName);
}

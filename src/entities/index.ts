import { Entity, Service } from 'electrodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EmailClaim } from './email-claim';
import { Membership } from './membership';
import { Order } from './order';
import { OrderItem } from './order-item';
import { OrderRequest } from './order-request';
import { Organization } from './organization';
import { Session } from './session';
import { User } from './user';

export { EmailClaim, Membership, Order, OrderItem, OrderRequest, Organization, Session, User };
export * from './user';
export * from './organization';
export * from './membership';
export * from './order';
export { TTL_ATTRIBUTE, tableDefinition, createTable, deleteTable, type TableOptions } from './table';

/** Every entity of the reference model, for the table derivation. */
export const entities = [User, EmailClaim, Organization, Membership, Order, OrderItem, OrderRequest, Session] as const;

/**
 * Binds the entities to a table and client. ElectroDB mutates the entities a Service receives, so
 * each call builds fresh copies: two services on two tables never share state.
 */
export function createModel(client: DynamoDBDocumentClient, table: string) {
  const config = { client, table };
  return new Service(
    {
      user: new Entity(User.schema, config),
      emailClaim: new Entity(EmailClaim.schema, config),
      organization: new Entity(Organization.schema, config),
      membership: new Entity(Membership.schema, config),
      order: new Entity(Order.schema, config),
      orderItem: new Entity(OrderItem.schema, config),
      orderRequest: new Entity(OrderRequest.schema, config),
      session: new Entity(Session.schema, config),
    },
    config,
  );
}

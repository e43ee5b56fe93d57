import { catalogOperations, defineCatalog, modelTable, type InfrastructureOptions, type Model, type StreamConsumerDeclaration, type TableDefinition } from '../../src/toolkit';
import { MODELS } from './export-fixtures';

/**
 * Three consumers of the table's stream: one with every setting away from Lambda's default and an
 * SQS on-failure destination, one with the defaults and no destination (and no partial batch
 * responses), one sending failures to SNS.
 */
export const CONSUMERS: readonly StreamConsumerDeclaration[] = [
  {
    settings: {
      name: 'ticket-audit',
      batchSize: 50,
      maximumBatchingWindowInSeconds: 5,
      maximumRetryAttempts: 3,
      maximumRecordAgeInSeconds: 3600,
      bisectBatchOnFunctionError: true,
      parallelizationFactor: 2,
      startingPosition: 'TRIM_HORIZON',
      onFailure: 'sqs',
      reportBatchItemFailures: true,
    },
  },
  { settings: { name: 'comment_counts', onFailure: 'none', reportBatchItemFailures: false } },
  { settings: { name: 'Notify', onFailure: 'sns' } },
];

export interface ConsumerCase {
  name: string;
  definition: TableDefinition;
  options: InfrastructureOptions;
}

/** Both models (reference and ticketing), on-demand, with the three consumers. */
export const CONSUMER_CASES: ConsumerCase[] = MODELS.map(([name, model]: [string, Model]) => ({
  name,
  definition: modelTable(model, `${name}-table`),
  options: { operations: catalogOperations(model.catalog), tags: { application: `${name}-table` }, streamConsumers: CONSUMERS },
}));

/** PartiQL twins of ticketing patterns: a keyed SELECT on the table and on GSI1, an INSERT, a batch of UPDATEs, a transaction. */
export const PARTIQL_CATALOG = defineCatalog([
  { name: 'getTenantSql', kind: 'read', description: 'A tenant by id, in PartiQL.', entities: ['tenant'], requests: [{ operation: 'ExecuteStatement', index: 'table', key: 'PK = tenantId', partiql: ['SELECT'] }] },
  { name: 'ticketsByStatusSql', kind: 'read', description: 'Tickets by status, in PartiQL.', entities: ['ticket'], requests: [{ operation: 'ExecuteStatement', index: 'GSI1', key: 'GSI1PK = tenantId, status', partiql: ['SELECT'] }] },
  { name: 'createTenantSql', kind: 'write', description: 'Create a tenant, in PartiQL.', entities: ['tenant'], requests: [{ operation: 'ExecuteStatement', index: 'table', key: 'PK = tenantId', partiql: ['INSERT'] }] },
  { name: 'closeTicketsSql', kind: 'write', description: 'Close tickets, in a PartiQL batch.', entities: ['ticket'], requests: [{ operation: 'BatchExecuteStatement', index: 'table', key: 'PK = tenantId, ticketId', partiql: ['UPDATE'] }] },
  { name: 'moveCommentSql', kind: 'write', description: 'Move a comment, in a PartiQL transaction.', entities: ['comment'], requests: [{ operation: 'ExecuteTransaction', index: 'table', key: 'PK = tenantId, ticketId', partiql: ['INSERT', 'DELETE'] }] },
]);


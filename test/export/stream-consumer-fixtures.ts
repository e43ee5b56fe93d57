import { catalogOperations, modelTable, type InfrastructureOptions, type Model, type StreamConsumerDeclaration, type TableDefinition } from '../../src/toolkit';
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

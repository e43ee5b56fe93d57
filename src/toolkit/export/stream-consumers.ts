import { resolveStreamConsumerSettings, type ResolvedStreamConsumerSettings, type StreamConsumerDeclaration } from '../streams/settings';
import type { TableDefinition } from '../table/derive-table-definition';
import { uniqueLogicalNames } from './infrastructure';
import { ExportError } from './provisioned-plan';

/**
 * What the Lambda event source mapping reads the stream with. Lambda checks the function's role for
 * them when the mapping is created (AWS's DynamoDB guide, "IAM policy to allow an AWS Lambda function
 * to access DynamoDB stream records").
 */
export const STREAM_READ_ACTIONS = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'] as const;
/** Names no single stream: granted on the table's streams (`<table ARN>/stream/*`), as AWS's guide does. */
export const STREAM_LIST_ACTION = 'dynamodb:ListStreams';
/** What the function's role needs to send a failed batch's record to the on-failure destination. */
export const FAILURE_DESTINATION_ACTIONS = { sqs: 'sqs:SendMessage', sns: 'sns:Publish' } as const;

/** One stream consumer as every infrastructure format writes it. */
export interface StreamConsumerSpec {
  settings: ResolvedStreamConsumerSettings;
  /** PascalCase, unique among the consumers: every logical id and Terraform name of the consumer starts with it. */
  logical: string;
  /** Parameter (Terraform variable) naming the function: its name or ARN, as Lambda's FunctionName accepts. */
  functionParameter: string;
  /** Parameter naming the function's execution role: the consumer's policy is attached to it. */
  roleParameter: string;
  mappingId: string;
  policyId: string;
  /** The SQS queue or SNS topic created for records that exhausted their retries. */
  destinationId?: string;
}

/**
 * The consumers of a table's stream, each with its settings checked and defaulted as Lambda does
 * (resolveStreamConsumerSettings) and its logical names. Refused: consumers on a table without a
 * stream, and two consumers with one name.
 */
export function streamConsumerSpecs(definition: TableDefinition, consumers: readonly StreamConsumerDeclaration[] | undefined): StreamConsumerSpec[] {
  if (!consumers?.length) return [];
  const stream = definition.input.StreamSpecification;
  if (!stream?.StreamEnabled) throw new ExportError(`streamConsumers: ${consumers.length} stream consumer(s) declared but table ${definition.input.TableName} has no stream (set the model's table stream)`);
  const settings = consumers.map((c) => resolveStreamConsumerSettings(c.settings));
  const seen = new Set<string>();
  for (const s of settings) {
    if (seen.has(s.name)) throw new ExportError(`streamConsumers: two consumers are named "${s.name}"; each needs its own name`);
    seen.add(s.name);
  }
  const names = uniqueLogicalNames(settings.map((s) => s.name));
  return settings.map((s) => {
    const logical = names.get(s.name) ?? s.name;
    return {
      settings: s,
      logical,
      functionParameter: `${logical}FunctionName`,
      roleParameter: `${logical}FunctionRoleName`,
      mappingId: `${logical}EventSourceMapping`,
      policyId: `${logical}StreamConsumerPolicy`,
      ...(s.onFailure === 'sqs' ? { destinationId: `${logical}FailureQueue` } : s.onFailure === 'sns' ? { destinationId: `${logical}FailureTopic` } : {}),
    };
  });
}

/** A least-privilege statement of a consumer's policy, its resources in the format's own values. */
export interface ConsumerStatement<V> {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: V[];
}

/**
 * The consumer's policy: read its stream (the exact stream ARN), list the table's streams, and send
 * to its own failure destination. Nothing on `*`.
 */
export function streamConsumerStatements<V>(spec: Pick<StreamConsumerSpec, 'settings'>, refs: { streamArn: V; tableStreams: V; destinationArn?: V }): ConsumerStatement<V>[] {
  const statements: ConsumerStatement<V>[] = [
    { Sid: 'ReadTableStream', Effect: 'Allow', Action: [...STREAM_READ_ACTIONS], Resource: [refs.streamArn] },
    { Sid: 'ListTableStreams', Effect: 'Allow', Action: [STREAM_LIST_ACTION], Resource: [refs.tableStreams] },
  ];
  const onFailure = spec.settings.onFailure;
  if (onFailure !== 'none' && refs.destinationArn !== undefined) {
    statements.push({ Sid: onFailure === 'sqs' ? 'SendFailedRecordsToQueue' : 'PublishFailedRecordsToTopic', Effect: 'Allow', Action: [FAILURE_DESTINATION_ACTIONS[onFailure]], Resource: [refs.destinationArn] });
  }
  return statements;
}

/** The event source mapping's settings as CloudFormation properties (Terraform uses the same values). */
export function mappingSettings(s: ResolvedStreamConsumerSettings): {
  BatchSize: number;
  MaximumBatchingWindowInSeconds: number;
  StartingPosition: string;
  MaximumRetryAttempts: number;
  MaximumRecordAgeInSeconds: number;
  BisectBatchOnFunctionError: boolean;
  ParallelizationFactor: number;
  FunctionResponseTypes?: string[];
} {
  return {
    BatchSize: s.batchSize,
    MaximumBatchingWindowInSeconds: s.maximumBatchingWindowInSeconds,
    StartingPosition: s.startingPosition,
    MaximumRetryAttempts: s.maximumRetryAttempts,
    MaximumRecordAgeInSeconds: s.maximumRecordAgeInSeconds,
    BisectBatchOnFunctionError: s.bisectBatchOnFunctionError,
    ParallelizationFactor: s.parallelizationFactor,
    ...(s.reportBatchItemFailures ? { FunctionResponseTypes: ['ReportBatchItemFailures'] } : {}),
  };
}

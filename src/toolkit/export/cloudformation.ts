import { stringify } from 'yaml';
import type { TableDefinition } from '../table/derive-table-definition';
import { assertFinite } from './check-export';
import { alarmSpecs, PERIOD_SECONDS, scalingSpecs, type AlarmSpec, type InfrastructureOptions } from './infrastructure';
import { mappingSettings, streamConsumerSpecs, streamConsumerStatements } from './stream-consumers';

/** A JSON value as CloudFormation templates hold them (intrinsics in their long form: `Ref`, `Fn::Sub`). */
export type CfnValue = string | number | boolean | CfnValue[] | { [key: string]: CfnValue };

export interface CfnResource {
  Type: string;
  /** Resources created first (an event source mapping after the policy that lets it read the stream). */
  DependsOn?: string[];
  DeletionPolicy?: 'Retain' | 'Delete' | 'Snapshot';
  UpdateReplacePolicy?: 'Retain' | 'Delete' | 'Snapshot';
  Properties: Record<string, CfnValue>;
}

/** A template parameter: what the stack's user gives (a stream consumer's function and its role). */
export interface CfnParameter {
  Type: 'String';
  Description: string;
  MinLength?: number;
  MaxLength?: number;
  AllowedPattern?: string;
}

export interface CloudFormationTemplate {
  AWSTemplateFormatVersion: '2010-09-09';
  Description: string;
  /** Only when the model has stream consumers. */
  Parameters?: Record<string, CfnParameter>;
  Resources: Record<string, CfnResource>;
  Outputs: Record<string, { Description: string; Value: CfnValue }>;
}

/** Logical id of the table in every template (and of the CDK construct). */
export const TABLE_LOGICAL_ID = 'Table';

/**
 * The AWS::DynamoDB::Table properties of a table definition: keys, attribute definitions, GSIs
 * with their projections (and throughput when provisioned), billing, TTL, stream, point-in-time
 * recovery, deletion protection, server-side encryption (AWS managed key) and tags.
 */
export function tableProperties(definition: TableDefinition, options: InfrastructureOptions = {}): Record<string, CfnValue> {
  const input = definition.input;
  const provisioned = input.BillingMode === 'PROVISIONED';
  const throughput = (t: { ReadCapacityUnits?: number; WriteCapacityUnits?: number } | undefined) => ({
    ReadCapacityUnits: t?.ReadCapacityUnits ?? 1,
    WriteCapacityUnits: t?.WriteCapacityUnits ?? 1,
  });
  const keySchema = (k: { AttributeName?: string; KeyType?: string }[] | undefined) => (k ?? []).map((e) => ({ AttributeName: e.AttributeName ?? '', KeyType: e.KeyType ?? '' }));
  const props: Record<string, CfnValue> = {
    TableName: input.TableName,
    BillingMode: provisioned ? 'PROVISIONED' : 'PAY_PER_REQUEST',
    AttributeDefinitions: (input.AttributeDefinitions ?? []).map((a) => ({ AttributeName: a.AttributeName ?? '', AttributeType: a.AttributeType ?? 'S' })),
    KeySchema: keySchema(input.KeySchema),
  };
  if (input.GlobalSecondaryIndexes?.length) {
    props.GlobalSecondaryIndexes = input.GlobalSecondaryIndexes.map((g) => {
      const projection: Record<string, CfnValue> = { ProjectionType: g.Projection?.ProjectionType ?? 'ALL' };
      if (g.Projection?.NonKeyAttributes?.length) projection.NonKeyAttributes = [...g.Projection.NonKeyAttributes];
      return {
        IndexName: g.IndexName ?? '',
        KeySchema: keySchema(g.KeySchema),
        Projection: projection,
        ...(provisioned ? { ProvisionedThroughput: throughput(g.ProvisionedThroughput) } : {}),
      };
    });
  }
  if (provisioned) props.ProvisionedThroughput = throughput(input.ProvisionedThroughput);
  if (input.StreamSpecification?.StreamEnabled && input.StreamSpecification.StreamViewType) {
    props.StreamSpecification = { StreamViewType: input.StreamSpecification.StreamViewType };
  }
  if (definition.ttlAttribute) props.TimeToLiveSpecification = { AttributeName: definition.ttlAttribute, Enabled: true };
  props.PointInTimeRecoverySpecification = { PointInTimeRecoveryEnabled: true };
  props.DeletionProtectionEnabled = options.deletionProtection ?? true;
  props.SSESpecification = { SSEEnabled: true };
  const tags = Object.entries(options.tags ?? {});
  if (tags.length) props.Tags = tags.map(([Key, Value]) => ({ Key, Value }));
  return props;
}

function alarmResource(alarm: AlarmSpec, options: InfrastructureOptions): CfnResource {
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      AlarmName: alarm.alarmName,
      AlarmDescription: alarm.description,
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: alarm.threshold,
      EvaluationPeriods: alarm.evaluationPeriods,
      DatapointsToAlarm: alarm.datapointsToAlarm,
      TreatMissingData: 'notBreaching',
      ...(options.alarmTopicArn ? { AlarmActions: [options.alarmTopicArn] } : {}),
      Metrics: [
        ...alarm.metrics.map((m) => ({
          Id: m.id,
          ReturnData: false,
          MetricStat: {
            Metric: {
              Namespace: 'AWS/DynamoDB',
              MetricName: m.metricName,
              Dimensions: m.dimensions.map((d) => ({ Name: d.name, Value: typeof d.value === 'string' ? d.value : { Ref: TABLE_LOGICAL_ID } })),
            },
            Period: PERIOD_SECONDS,
            Stat: m.stat,
          },
        })),
        { Id: 'total', Expression: alarm.expression, Label: alarm.description, ReturnData: true },
      ],
    },
  };
}

/**
 * A CloudFormation template for a table definition: the table (retained on stack deletion and
 * replacement), auto-scaling targets and target-tracking policies when a provisioned plan is
 * given, CloudWatch alarms, and outputs (name, ARN, stream ARN).
 */
export function cloudFormationTemplate(definition: TableDefinition, options: InfrastructureOptions & { description?: string } = {}): CloudFormationTemplate {
  const resources: Record<string, CfnResource> = {
    [TABLE_LOGICAL_ID]: { Type: 'AWS::DynamoDB::Table', DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain', Properties: tableProperties(definition, options) },
  };
  for (const s of options.plan ? scalingSpecs(definition, options.plan) : []) {
    resources[s.targetId] = {
      Type: 'AWS::ApplicationAutoScaling::ScalableTarget',
      Properties: {
        ServiceNamespace: 'dynamodb',
        // The table by reference; in the rest (the index name) a literal `${` is written `${!`, as Fn::Sub wants.
        ResourceId: { 'Fn::Sub': `table/\${${TABLE_LOGICAL_ID}}${s.resourceId.slice(`table/${definition.input.TableName}`.length).replace(/\$\{/g, () => '${!')}` },
        ScalableDimension: s.scalableDimension,
        MinCapacity: s.min,
        MaxCapacity: s.max,
      },
    };
    resources[s.policyId] = {
      Type: 'AWS::ApplicationAutoScaling::ScalingPolicy',
      Properties: {
        PolicyName: `${definition.input.TableName}-${s.index}-${s.kind.toLowerCase()}-target-tracking`,
        PolicyType: 'TargetTrackingScaling',
        ScalingTargetId: { Ref: s.targetId },
        TargetTrackingScalingPolicyConfiguration: {
          TargetValue: s.targetValue,
          PredefinedMetricSpecification: { PredefinedMetricType: s.metricType },
        },
      },
    };
  }
  for (const alarm of alarmSpecs(definition, options)) resources[alarm.logicalId] = alarmResource(alarm, options);
  const outputs: CloudFormationTemplate['Outputs'] = {
    TableName: { Description: 'Table name', Value: { Ref: TABLE_LOGICAL_ID } },
    TableArn: { Description: 'Table ARN', Value: { 'Fn::GetAtt': [TABLE_LOGICAL_ID, 'Arn'] } },
  };
  if (definition.input.StreamSpecification?.StreamEnabled) outputs.StreamArn = { Description: 'Stream ARN', Value: { 'Fn::GetAtt': [TABLE_LOGICAL_ID, 'StreamArn'] } };
  const parameters = addStreamConsumers(definition, options, resources, outputs);
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: options.description ?? `DynamoDB table ${definition.input.TableName}, generated by single-table-kit from the model`,
    ...(parameters ? { Parameters: parameters } : {}),
    Resources: resources,
    Outputs: outputs,
  };
}

/**
 * Per stream consumer: two parameters (the function, by name or ARN, and its execution role's name),
 * the on-failure SQS queue or SNS topic, the policy attached to that role (read this table's stream,
 * list its streams, send to the destination) and the event source mapping, created after the policy
 * (Lambda checks the role's permissions when the mapping is created).
 */
function addStreamConsumers(definition: TableDefinition, options: InfrastructureOptions, resources: Record<string, CfnResource>, outputs: CloudFormationTemplate['Outputs']): Record<string, CfnParameter> | undefined {
  const specs = streamConsumerSpecs(definition, options.streamConsumers);
  if (specs.length === 0) return undefined;
  const parameters: Record<string, CfnParameter> = {};
  const tags = Object.entries(options.tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
  for (const spec of specs) {
    const name = spec.settings.name;
    parameters[spec.functionParameter] = { Type: 'String', Description: `Stream consumer ${name}: the Lambda function (name or ARN) its event source mapping invokes`, MinLength: 1, MaxLength: 140 };
    parameters[spec.roleParameter] = { Type: 'String', Description: `Stream consumer ${name}: the name of that function's execution role (the consumer's policy is attached to it)`, AllowedPattern: '[\\w+=,.@-]{1,64}' };
    let destinationArn: CfnValue | undefined;
    if (spec.destinationId && spec.settings.onFailure === 'sqs') {
      // Records are kept the longest SQS allows (14 days), encrypted with SQS-managed keys (no KMS grant needed).
      resources[spec.destinationId] = { Type: 'AWS::SQS::Queue', Properties: { MessageRetentionPeriod: 1_209_600, SqsManagedSseEnabled: true, ...(tags.length ? { Tags: tags } : {}) } };
      destinationArn = { 'Fn::GetAtt': [spec.destinationId, 'Arn'] };
    } else if (spec.destinationId) {
      resources[spec.destinationId] = { Type: 'AWS::SNS::Topic', Properties: { DisplayName: `${name} stream failures`, ...(tags.length ? { Tags: tags } : {}) } };
      destinationArn = { Ref: spec.destinationId };
    }
    resources[spec.policyId] = {
      Type: 'AWS::IAM::Policy',
      Properties: {
        // Per stack: two stacks' consumers on one role keep their own inline policies.
        PolicyName: { 'Fn::Sub': `\${AWS::StackName}-${name}-stream-consumer` },
        Roles: [{ Ref: spec.roleParameter }],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: streamConsumerStatements<CfnValue>(spec, {
            streamArn: { 'Fn::GetAtt': [TABLE_LOGICAL_ID, 'StreamArn'] },
            tableStreams: { 'Fn::Sub': `\${${TABLE_LOGICAL_ID}.Arn}/stream/*` },
            destinationArn,
          }) as unknown as CfnValue[],
        },
      },
    };
    resources[spec.mappingId] = {
      Type: 'AWS::Lambda::EventSourceMapping',
      DependsOn: [spec.policyId],
      Properties: {
        EventSourceArn: { 'Fn::GetAtt': [TABLE_LOGICAL_ID, 'StreamArn'] },
        FunctionName: { Ref: spec.functionParameter },
        ...mappingSettings(spec.settings),
        ...(destinationArn ? { DestinationConfig: { OnFailure: { Destination: destinationArn } } } : {}),
      },
    };
    if (destinationArn) outputs[`${spec.logical}FailureDestinationArn`] = { Description: `Stream consumer ${name}: where records that exhausted their retries go (${spec.settings.onFailure.toUpperCase()})`, Value: destinationArn };
  }
  return parameters;
}

/** The template as YAML (long-form intrinsics, no tags) or as JSON. */
export function renderCloudFormation(template: CloudFormationTemplate, format: 'yaml' | 'json' = 'yaml'): string {
  // JSON would write null, YAML .inf: neither is a capacity.
  assertFinite(template);
  return format === 'json' ? `${JSON.stringify(template, null, 2)}\n` : stringify(template, { lineWidth: 0 });
}

import { stringify } from 'yaml';
import type { TableDefinition } from '../table/derive-table-definition';
import { assertFinite } from './check-export';
import { alarmSpecs, PERIOD_SECONDS, scalingSpecs, type AlarmSpec, type InfrastructureOptions } from './infrastructure';

/** A JSON value as CloudFormation templates hold them (intrinsics in their long form: `Ref`, `Fn::Sub`). */
export type CfnValue = string | number | boolean | CfnValue[] | { [key: string]: CfnValue };

export interface CfnResource {
  Type: string;
  DeletionPolicy?: 'Retain' | 'Delete' | 'Snapshot';
  UpdateReplacePolicy?: 'Retain' | 'Delete' | 'Snapshot';
  Properties: Record<string, CfnValue>;
}

export interface CloudFormationTemplate {
  AWSTemplateFormatVersion: '2010-09-09';
  Description: string;
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
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: options.description ?? `DynamoDB table ${definition.input.TableName}, generated by single-table-kit from the model`,
    Resources: resources,
    Outputs: outputs,
  };
}

/** The template as YAML (long-form intrinsics, no tags) or as JSON. */
export function renderCloudFormation(template: CloudFormationTemplate, format: 'yaml' | 'json' = 'yaml'): string {
  // JSON would write null, YAML .inf: neither is a capacity.
  assertFinite(template);
  return format === 'json' ? `${JSON.stringify(template, null, 2)}\n` : stringify(template, { lineWidth: 0 });
}

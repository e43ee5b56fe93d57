import { createHash } from 'node:crypto';
import type { DynamoOperation } from '../catalog/types';
import type { StreamConsumerDeclaration } from '../streams/settings';
import type { TableDefinition } from '../table/derive-table-definition';
import type { ProvisionedPlan } from './provisioned-plan';

/** What every infrastructure export (CloudFormation, CDK, Terraform) takes besides the table. */
export interface InfrastructureOptions {
  /** Auto-scaling targets and policies (the table must be PROVISIONED, see withProvisionedPlan). */
  plan?: ProvisionedPlan;
  /** Operations the alarms watch (the catalog's: see catalogOperations). Default: none, no request alarms. */
  operations?: readonly DynamoOperation[];
  /** SNS topic ARN alarms notify. Default: alarms without actions. */
  alarmTopicArn?: string;
  tags?: Record<string, string>;
  /** Default true: a stack update cannot delete the table. */
  deletionProtection?: boolean;
  /**
   * Consumers of the table's stream (the model's `streamConsumers`): each gets a Lambda event source
   * mapping with its settings, its function's least-privilege policy and its on-failure destination.
   */
  streamConsumers?: readonly StreamConsumerDeclaration[];
}

export interface MetricSpec {
  id: string;
  metricName: string;
  /** `TableName` is filled in by each format (a reference to the table it creates). */
  dimensions: { name: string; value: string | { table: true } }[];
  stat: 'Sum' | 'Average';
}

export interface AlarmSpec {
  logicalId: string;
  alarmName: string;
  description: string;
  metrics: MetricSpec[];
  expression: string;
  threshold: number;
  evaluationPeriods: number;
  datapointsToAlarm: number;
}

export interface ScalingSpec {
  targetId: string;
  policyId: string;
  index: string;
  kind: 'Read' | 'Write';
  min: number;
  max: number;
  /** `table/NAME` or `table/NAME/index/INDEX`. */
  resourceId: string;
  scalableDimension: string;
  metricType: 'DynamoDBReadCapacityUtilization' | 'DynamoDBWriteCapacityUtilization';
  targetValue: number;
}

export const PERIOD_SECONDS = 60;

/** A name usable in a CloudFormation logical id or a Terraform resource name. */
export function logicalName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''));
  return cleaned.charAt(0).toUpperCase() + cleaned.slice(1);
}

/**
 * A logical name per index name, unique even when two names clean to the same one (`by-owner`
 * and `by_owner` are both `ByOwner`; `byowner` and `BYOWNER` differ only in case, which Terraform's
 * snake_case names lose): each name of such a group gets a suffix from a hash of its own name, so
 * the result does not depend on the order or on the other names. Names that collide with nothing
 * keep their plain logical name.
 */
export function uniqueLogicalNames(names: readonly string[]): Map<string, string> {
  const distinct = [...new Set(names)].sort();
  const groups = new Map<string, string[]>();
  for (const n of distinct) {
    const key = logicalName(n).toLowerCase();
    groups.set(key, [...(groups.get(key) ?? []), n]);
  }
  const out = new Map<string, string>();
  const alone = (n: string) => (groups.get(logicalName(n).toLowerCase()) ?? []).length === 1;
  const taken = new Set(distinct.filter(alone).map((n) => logicalName(n).toLowerCase()));
  for (const n of distinct) {
    const plain = logicalName(n);
    if (alone(n)) {
      out.set(n, plain);
      continue;
    }
    // A hash of the raw name; lengthened in the unlikely case it meets another name.
    const hash = createHash('sha256').update(n).digest('hex');
    let length = 6;
    while (taken.has(`${plain}X${hash.slice(0, length)}`.toLowerCase())) length += 2;
    const name = `${plain}X${hash.slice(0, length)}`;
    taken.add(name.toLowerCase());
    out.set(n, name);
  }
  return out;
}

/** The distinct operations a catalog's patterns declare, for the request alarms. */
export function catalogOperations(catalog: readonly { requests: readonly { operation: DynamoOperation }[]; alternatives?: readonly { requests: readonly { operation: DynamoOperation }[] }[] }[]): DynamoOperation[] {
  const ops = new Set<DynamoOperation>();
  for (const p of catalog) for (const r of [...p.requests, ...(p.alternatives ?? []).flatMap((a) => a.requests)]) ops.add(r.operation);
  return [...ops].sort();
}

/** Target-tracking auto-scaling, one target and policy per index and dimension. */
export function scalingSpecs(definition: TableDefinition, plan: ProvisionedPlan): ScalingSpec[] {
  if (definition.input.BillingMode !== 'PROVISIONED') return [];
  const table = definition.input.TableName;
  const names = uniqueLogicalNames(plan.indexes.map((p) => p.index).filter((i) => i !== 'table'));
  return plan.indexes.flatMap((p) =>
    (['Read', 'Write'] as const).map((kind) => {
      const range = kind === 'Read' ? p.read : p.write;
      const isTable = p.index === 'table';
      const base = `${isTable ? 'Table' : `${names.get(p.index) ?? ''}Index`}${kind}`;
      return {
        targetId: `${base}ScalableTarget`,
        policyId: `${base}ScalingPolicy`,
        index: p.index,
        kind,
        min: range.min,
        max: range.max,
        resourceId: isTable ? `table/${table}` : `table/${table}/index/${p.index}`,
        scalableDimension: `dynamodb:${isTable ? 'table' : 'index'}:${kind}CapacityUnits`,
        metricType: kind === 'Read' ? 'DynamoDBReadCapacityUtilization' : 'DynamoDBWriteCapacityUtilization',
        targetValue: Math.round(plan.targetUtilization * 1000) / 10,
      } satisfies ScalingSpec;
    }),
  );
}

/**
 * CloudWatch alarms: throttled requests and system errors summed over the operations the model
 * sends (DynamoDB reports both per operation), and, on provisioned capacity, consumed over
 * provisioned capacity above 90% for the table and each GSI.
 */
export function alarmSpecs(definition: TableDefinition, options: InfrastructureOptions): AlarmSpec[] {
  const table = definition.input.TableName;
  const alarms: AlarmSpec[] = [];
  const operations = options.operations ?? [];
  for (const [metricName, what] of [
    ['ThrottledRequests', 'throttled requests'],
    ['SystemErrors', 'system errors (HTTP 500)'],
  ] as const) {
    if (operations.length === 0) continue;
    const metrics: MetricSpec[] = operations.map((op, i) => ({
      id: `m${i}`,
      metricName,
      dimensions: [
        { name: 'TableName', value: { table: true } },
        { name: 'Operation', value: op },
      ],
      stat: 'Sum',
    }));
    alarms.push({
      logicalId: `${metricName}Alarm`,
      alarmName: `${table}-${metricName.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase()}`,
      description: `${table}: ${what} on ${operations.join(', ')}`,
      metrics,
      expression: `SUM([${metrics.map((m) => m.id).join(', ')}])`,
      threshold: 0,
      evaluationPeriods: 5,
      datapointsToAlarm: 2,
    });
  }
  if (definition.input.BillingMode === 'PROVISIONED') {
    const indexes = ['table', ...(definition.input.GlobalSecondaryIndexes ?? []).map((g) => g.IndexName ?? '')];
    const names = uniqueLogicalNames(indexes.slice(1));
    for (const index of indexes) {
      for (const kind of ['Read', 'Write'] as const) {
        const dims: MetricSpec['dimensions'] = [{ name: 'TableName', value: { table: true } }, ...(index === 'table' ? [] : [{ name: 'GlobalSecondaryIndexName', value: index }])];
        alarms.push({
          logicalId: `${index === 'table' ? 'Table' : `${names.get(index) ?? ''}Index`}${kind}CapacityAlarm`,
          alarmName: `${table}-${index === 'table' ? 'table' : index}-${kind.toLowerCase()}-capacity`,
          description: `${table}${index === 'table' ? '' : ` index ${index}`}: consumed ${kind.toLowerCase()} capacity above 90% of provisioned`,
          metrics: [
            { id: 'consumed', metricName: `Consumed${kind}CapacityUnits`, dimensions: dims, stat: 'Sum' },
            { id: 'provisioned', metricName: `Provisioned${kind}CapacityUnits`, dimensions: dims, stat: 'Average' },
          ],
          expression: `100 * (consumed / PERIOD(consumed)) / provisioned`,
          threshold: 90,
          evaluationPeriods: 5,
          datapointsToAlarm: 3,
        });
      }
    }
  }
  return alarms;
}

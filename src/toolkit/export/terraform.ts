import type { TableDefinition } from '../table/derive-table-definition';
import { alarmSpecs, PERIOD_SECONDS, scalingSpecs, type InfrastructureOptions } from './infrastructure';
import { ExportError } from './provisioned-plan';
import { mappingSettings, streamConsumerSpecs, streamConsumerStatements } from './stream-consumers';

/** An HCL expression, written as it appears (a quoted string, a number, a reference...). */
type Expr = { expr: string } | { map: [string, Expr][] } | { list: Expr[] };
type Item = { attr: string; value: Expr } | { block: string; labels: string[]; body: Item[] };

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The body of an HCL quoted string holding `s` literally: backslash, quote, newline, CR and tab
 * escaped, every other control character (C0, DEL, C1) as `\uNNNN` (HCL has no `\b` or `\f`), and the template
 * introducers `${` and `%{` doubled (`$${`, `%%{`), so nothing in a value is ever interpolated.
 * A lone surrogate (no Unicode text) is refused.
 */
export function hclStringBody(s: string): string {
  if (LONE_SURROGATE.test(s)) throw new ExportError(`${JSON.stringify(s)}: not valid Unicode text (a lone surrogate), cannot be written to HCL`);
  // eslint-disable-next-line no-control-regex -- control characters are what it escapes
  const escaped = s.replace(/[\\"\u0000-\u001f\u007f-\u009f]/g, (c) => {
    if (c === '\\' || c === '"') return `\\${c}`;
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
  // A replacement function, not a replacement string: in a string, `$$` would be one `$`.
  return escaped.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

/** `s` as an HCL quoted string (see hclStringBody). */
export const hclString = (s: string): string => `"${hclStringBody(s)}"`;

const str = (s: string): Expr => ({ expr: hclString(s) });
const raw = (s: string): Expr => ({ expr: s });
const num = (n: number): Expr => {
  if (!Number.isFinite(n)) throw new ExportError(`${n} is not a finite number: HCL has none, and no capacity or threshold is infinite`);
  return { expr: String(n) };
};
const bool = (b: boolean): Expr => ({ expr: String(b) });
const attr = (name: string, value: Expr): Item => ({ attr: name, value });
const block = (name: string, body: Item[], labels: string[] = []): Item => ({ block: name, labels, body });

const isMultiLine = (e: Expr) => 'map' in e && e.map.length > 0;

function renderExpr(e: Expr, indent: string): string {
  if ('expr' in e) return e.expr;
  if ('list' in e) return `[${e.list.map((x) => renderExpr(x, indent)).join(', ')}]`;
  if (e.map.length === 0) return '{}';
  const width = Math.max(...e.map.map(([k]) => k.length));
  return `{\n${e.map.map(([k, v]) => `${indent}  ${k.padEnd(width)} = ${renderExpr(v, `${indent}  `)}`).join('\n')}\n${indent}}`;
}

/**
 * Renders a body the way `terraform fmt` does: `=` aligned within each run of single-line
 * attributes, blank lines around blocks and multi-line attributes.
 */
function renderBody(items: Item[], indent: string): string[] {
  const out: string[] = [];
  let run: { attr: string; value: Expr }[] = [];
  const flush = () => {
    if (run.length === 0) return;
    const width = Math.max(...run.map((a) => a.attr.length));
    if (out.length) out.push('');
    for (const a of run) out.push(`${indent}${a.attr.padEnd(width)} = ${renderExpr(a.value, indent)}`);
    run = [];
  };
  for (const item of items) {
    if ('attr' in item && !isMultiLine(item.value)) {
      run.push(item);
      continue;
    }
    flush();
    if (out.length) out.push('');
    if ('attr' in item) {
      out.push(`${indent}${item.attr} = ${renderExpr(item.value, indent)}`);
    } else {
      out.push(`${indent}${[item.block, ...item.labels.map(hclString)].join(' ')} {`, ...renderBody(item.body, `${indent}  `), `${indent}}`);
    }
  }
  flush();
  return out;
}

const snake = (id: string) =>
  id
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .toLowerCase();

/** A `tags` map (keys that are not identifiers quoted), or nothing when there are none. */
function tagsItem(tags: Record<string, string> | undefined): Item | undefined {
  const entries = Object.entries(tags ?? {});
  return entries.length ? attr('tags', { map: entries.map(([k, v]) => [/^[A-Za-z_][A-Za-z0-9_-]*$/.test(k) ? k : hclString(k), str(v)]) }) : undefined;
}

/**
 * Per stream consumer, as in the CloudFormation export: variables for the function (name or ARN)
 * and its execution role's name, the on-failure queue or topic, the role's policy (an
 * `aws_iam_policy_document`) and the `aws_lambda_event_source_mapping`, which depends on the policy.
 */
function streamConsumerItems(definition: TableDefinition, options: InfrastructureOptions): Item[] {
  const table = `aws_dynamodb_table.${TERRAFORM_TABLE}`;
  const items: Item[] = [];
  for (const spec of streamConsumerSpecs(definition, options.streamConsumers)) {
    const n = snake(spec.logical);
    const name = spec.settings.name;
    const functionVar = snake(spec.functionParameter);
    const roleVar = snake(spec.roleParameter);
    items.push(
      block('variable', [attr('description', str(`Stream consumer ${name}: the Lambda function (name or ARN) its event source mapping invokes`)), attr('type', raw('string'))], [functionVar]),
      block('variable', [attr('description', str(`Stream consumer ${name}: the name of that function's execution role (the consumer's policy is attached to it)`)), attr('type', raw('string'))], [roleVar]),
    );
    const tags = tagsItem(options.tags);
    let destination: string | undefined;
    if (spec.settings.onFailure === 'sqs') {
      items.push(block('resource', [attr('message_retention_seconds', num(1_209_600)), attr('sqs_managed_sse_enabled', bool(true)), ...(tags ? [tags] : [])], ['aws_sqs_queue', `${n}_failures`]));
      destination = `aws_sqs_queue.${n}_failures.arn`;
    } else if (spec.settings.onFailure === 'sns') {
      items.push(block('resource', [attr('display_name', str(`${name} stream failures`)), ...(tags ? [tags] : [])], ['aws_sns_topic', `${n}_failures`]));
      destination = `aws_sns_topic.${n}_failures.arn`;
    }
    const statements = streamConsumerStatements<Expr>(spec, {
      streamArn: raw(`${table}.stream_arn`),
      tableStreams: raw(`"\${${table}.arn}/stream/*"`),
      destinationArn: destination ? raw(destination) : undefined,
    });
    items.push(
      block(
        'data',
        statements.map((st) => block('statement', [attr('sid', str(st.Sid)), attr('effect', str(st.Effect)), attr('actions', { list: st.Action.map(str) }), attr('resources', { list: st.Resource })])),
        ['aws_iam_policy_document', `${n}_stream_consumer`],
      ),
      block(
        'resource',
        [
          // Per table: consumers of two tables on one role keep their own inline policies.
          attr('name', raw(`"\${${table}.name}-${hclStringBody(name)}-stream-consumer"`)),
          attr('role', raw(`var.${roleVar}`)),
          attr('policy', raw(`data.aws_iam_policy_document.${n}_stream_consumer.json`)),
        ],
        ['aws_iam_role_policy', `${n}_stream_consumer`],
      ),
    );
    const settings = mappingSettings(spec.settings);
    const mapping: Item[] = [
      attr('event_source_arn', raw(`${table}.stream_arn`)),
      attr('function_name', raw(`var.${functionVar}`)),
      attr('starting_position', str(settings.StartingPosition)),
      attr('batch_size', num(settings.BatchSize)),
      attr('maximum_batching_window_in_seconds', num(settings.MaximumBatchingWindowInSeconds)),
      attr('maximum_retry_attempts', num(settings.MaximumRetryAttempts)),
      attr('maximum_record_age_in_seconds', num(settings.MaximumRecordAgeInSeconds)),
      attr('bisect_batch_on_function_error', bool(settings.BisectBatchOnFunctionError)),
      attr('parallelization_factor', num(settings.ParallelizationFactor)),
    ];
    if (settings.FunctionResponseTypes) mapping.push(attr('function_response_types', { list: settings.FunctionResponseTypes.map(str) }));
    if (destination) mapping.push(block('destination_config', [block('on_failure', [attr('destination_arn', raw(destination))])]));
    // Lambda checks the role's permissions when the mapping is created.
    mapping.push(attr('depends_on', { list: [raw(`aws_iam_role_policy.${n}_stream_consumer`)] }));
    items.push(block('resource', mapping, ['aws_lambda_event_source_mapping', n]));
    if (destination) items.push(block('output', [attr('value', raw(destination))], [`${n}_failure_destination_arn`]));
  }
  return items;
}

/** Name of the table resource (`aws_dynamodb_table.<name>`). */
export const TERRAFORM_TABLE = 'table';

/**
 * Terraform (AWS provider 5.x) for a table definition: `aws_dynamodb_table` with keys, attributes,
 * GSIs and projections, billing, TTL, stream, point-in-time recovery, deletion protection,
 * server-side encryption and tags; `aws_appautoscaling_target`/`_policy` per index and dimension
 * when a provisioned plan is given; `aws_cloudwatch_metric_alarm`s as in the CloudFormation export.
 */
export function terraformConfig(definition: TableDefinition, options: InfrastructureOptions = {}): string {
  const input = definition.input;
  const provisioned = input.BillingMode === 'PROVISIONED';
  const ref = `aws_dynamodb_table.${TERRAFORM_TABLE}`;
  const keyOf = (schema: { AttributeName?: string; KeyType?: string }[] | undefined, type: string) => schema?.find((k) => k.KeyType === type)?.AttributeName;
  const table: Item[] = [attr('name', str(input.TableName)), attr('billing_mode', str(provisioned ? 'PROVISIONED' : 'PAY_PER_REQUEST'))];
  table.push(attr('hash_key', str(keyOf(input.KeySchema, 'HASH') ?? '')));
  const range = keyOf(input.KeySchema, 'RANGE');
  if (range) table.push(attr('range_key', str(range)));
  if (provisioned) {
    table.push(attr('read_capacity', num(input.ProvisionedThroughput?.ReadCapacityUnits ?? 1)), attr('write_capacity', num(input.ProvisionedThroughput?.WriteCapacityUnits ?? 1)));
  }
  const stream = input.StreamSpecification?.StreamEnabled ? input.StreamSpecification.StreamViewType : undefined;
  table.push(attr('stream_enabled', bool(Boolean(stream))));
  if (stream) table.push(attr('stream_view_type', str(stream)));
  table.push(attr('deletion_protection_enabled', bool(options.deletionProtection ?? true)));
  for (const a of input.AttributeDefinitions ?? []) table.push(block('attribute', [attr('name', str(a.AttributeName ?? '')), attr('type', str(a.AttributeType ?? 'S'))]));
  for (const g of input.GlobalSecondaryIndexes ?? []) {
    const body: Item[] = [attr('name', str(g.IndexName ?? '')), attr('hash_key', str(keyOf(g.KeySchema, 'HASH') ?? ''))];
    const gRange = keyOf(g.KeySchema, 'RANGE');
    if (gRange) body.push(attr('range_key', str(gRange)));
    body.push(attr('projection_type', str(g.Projection?.ProjectionType ?? 'ALL')));
    if (g.Projection?.NonKeyAttributes?.length) body.push(attr('non_key_attributes', { list: g.Projection.NonKeyAttributes.map(str) }));
    if (provisioned) body.push(attr('read_capacity', num(g.ProvisionedThroughput?.ReadCapacityUnits ?? 1)), attr('write_capacity', num(g.ProvisionedThroughput?.WriteCapacityUnits ?? 1)));
    table.push(block('global_secondary_index', body));
  }
  if (definition.ttlAttribute) table.push(block('ttl', [attr('attribute_name', str(definition.ttlAttribute)), attr('enabled', bool(true))]));
  table.push(block('point_in_time_recovery', [attr('enabled', bool(true))]));
  table.push(block('server_side_encryption', [attr('enabled', bool(true))]));
  const tags = tagsItem(options.tags);
  if (tags) table.push(tags);
  const lifecycle: Item[] = [attr('prevent_destroy', bool(true))];
  // Auto-scaling owns the capacity once applied; without this every plan would reset it.
  if (provisioned && options.plan) lifecycle.push(attr('ignore_changes', { list: [raw('read_capacity'), raw('write_capacity')] }));
  table.push(block('lifecycle', lifecycle));

  const resources: Item[] = [block('resource', table, ['aws_dynamodb_table', TERRAFORM_TABLE])];
  for (const s of options.plan ? scalingSpecs(definition, options.plan) : []) {
    const name = snake(s.targetId.replace(/ScalableTarget$/, ''));
    // The table's name by reference, the rest (the index name) escaped as any other string.
    const resourceId = `"table/\${${ref}.name}${hclStringBody(s.resourceId.slice(`table/${input.TableName}`.length))}"`;
    resources.push(
      block(
        'resource',
        [
          attr('service_namespace', str('dynamodb')),
          attr('resource_id', raw(resourceId)),
          attr('scalable_dimension', str(s.scalableDimension)),
          attr('min_capacity', num(s.min)),
          attr('max_capacity', num(s.max)),
        ],
        ['aws_appautoscaling_target', name],
      ),
      block(
        'resource',
        [
          attr('name', str(`${input.TableName}-${s.index}-${s.kind.toLowerCase()}-target-tracking`)),
          attr('policy_type', str('TargetTrackingScaling')),
          attr('service_namespace', raw(`aws_appautoscaling_target.${name}.service_namespace`)),
          attr('resource_id', raw(`aws_appautoscaling_target.${name}.resource_id`)),
          attr('scalable_dimension', raw(`aws_appautoscaling_target.${name}.scalable_dimension`)),
          block('target_tracking_scaling_policy_configuration', [
            attr('target_value', num(s.targetValue)),
            block('predefined_metric_specification', [attr('predefined_metric_type', str(s.metricType))]),
          ]),
        ],
        ['aws_appautoscaling_policy', name],
      ),
    );
  }
  for (const alarm of alarmSpecs(definition, options)) {
    const body: Item[] = [
      attr('alarm_name', str(alarm.alarmName)),
      attr('alarm_description', str(alarm.description)),
      attr('comparison_operator', str('GreaterThanThreshold')),
      attr('threshold', num(alarm.threshold)),
      attr('evaluation_periods', num(alarm.evaluationPeriods)),
      attr('datapoints_to_alarm', num(alarm.datapointsToAlarm)),
      attr('treat_missing_data', str('notBreaching')),
    ];
    if (options.alarmTopicArn) body.push(attr('alarm_actions', { list: [str(options.alarmTopicArn)] }));
    for (const m of alarm.metrics) {
      body.push(
        block('metric_query', [
          attr('id', str(m.id)),
          attr('return_data', bool(false)),
          block('metric', [
            attr('namespace', str('AWS/DynamoDB')),
            attr('metric_name', str(m.metricName)),
            attr('period', num(PERIOD_SECONDS)),
            attr('stat', str(m.stat)),
            attr('dimensions', { map: m.dimensions.map((d) => [d.name, typeof d.value === 'string' ? str(d.value) : raw(`${ref}.name`)]) }),
          ]),
        ]),
      );
    }
    body.push(block('metric_query', [attr('id', str('total')), attr('expression', str(alarm.expression)), attr('label', str(alarm.description)), attr('return_data', bool(true))]));
    resources.push(block('resource', body, ['aws_cloudwatch_metric_alarm', snake(alarm.logicalId.replace(/Alarm$/, ''))]));
  }
  resources.push(...streamConsumerItems(definition, options));
  resources.push(block('output', [attr('table_name', raw(`${ref}.name`))].map((a) => ({ ...a, attr: 'value' })), ['table_name']));
  resources.push(block('output', [attr('value', raw(`${ref}.arn`))], ['table_arn']));
  if (stream) resources.push(block('output', [attr('value', raw(`${ref}.stream_arn`))], ['stream_arn']));
  return `# Generated by single-table-kit from the model: regenerate it rather than editing it.\n${renderBody(resources, '').join('\n')}\n`;
}

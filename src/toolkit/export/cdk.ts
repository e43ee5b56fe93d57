import type { CfnValue, CloudFormationTemplate } from './cloudformation';
import { assertFinite } from './check-export';
import { logicalName } from './infrastructure';

/** The aws-cdk-lib L1 class of each resource type the CloudFormation export emits. */
const CDK_CLASSES: Record<string, string> = {
  'AWS::DynamoDB::Table': 'dynamodb.CfnTable',
  'AWS::ApplicationAutoScaling::ScalableTarget': 'appscaling.CfnScalableTarget',
  'AWS::ApplicationAutoScaling::ScalingPolicy': 'appscaling.CfnScalingPolicy',
  'AWS::CloudWatch::Alarm': 'cloudwatch.CfnAlarm',
  'AWS::Lambda::EventSourceMapping': 'lambda.CfnEventSourceMapping',
  'AWS::IAM::Policy': 'iam.CfnPolicy',
  'AWS::SQS::Queue': 'sqs.CfnQueue',
  'AWS::SNS::Topic': 'sns.CfnTopic',
};

/** Properties whose value CDK passes through untyped (`any`): their keys are written as CloudFormation's. */
const UNTYPED_PROPERTIES = new Set(['PolicyDocument']);

interface Context {
  /** Logical ids of the template's parameters: a Ref to one is its value. */
  parameters: ReadonlySet<string>;
  /** Inside an untyped property: keys as they are. */
  raw: boolean;
}

/** CloudFormation property name → CDK L1 prop name: `KeySchema` → `keySchema`, `SSESpecification` → `sseSpecification`. */
export function cdkPropName(name: string): string {
  const run = /^[A-Z]+(?=[A-Z][a-z])/.exec(name);
  if (run) return run[0].toLowerCase() + name.slice(run[0].length);
  return name.charAt(0).toLowerCase() + name.slice(1);
}

const variableOf = (logicalId: string) => cdkPropName(logicalId);

function expression(value: CfnValue, indent: string, context: Context): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => `${indent}  ${expression(v, `${indent}  `, context)},`).join('\n')}\n${indent}]`;
  }
  if (typeof value !== 'object') return JSON.stringify(value);
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === 'Ref') {
    const id = String(value.Ref);
    return context.parameters.has(id) ? `${variableOf(id)}.valueAsString` : `${variableOf(id)}.ref`;
  }
  if (keys.length === 1 && keys[0] === 'Fn::Sub') return `cdk.Fn.sub(${JSON.stringify(value['Fn::Sub'])})`;
  if (keys.length === 1 && keys[0] === 'Fn::GetAtt') {
    const [id, attr] = value['Fn::GetAtt'] as string[];
    return `${variableOf(String(id))}.attr${String(attr)}`;
  }
  const body = keys.map((k) => {
    const inner: Context = context.raw || UNTYPED_PROPERTIES.has(k) ? { ...context, raw: true } : context;
    return `${indent}  ${context.raw ? JSON.stringify(k) : cdkPropName(k)}: ${expression(value[k] as CfnValue, `${indent}  `, inner)},`;
  });
  return `{\n${body.join('\n')}\n${indent}}`;
}

export interface CdkOptions {
  /** Default: the table name in PascalCase + `TableStack`. */
  className?: string;
}

/**
 * A TypeScript CDK stack (aws-cdk-lib v2, L1 constructs) that synthesizes the same resources and
 * outputs as the CloudFormation export, logical ids included: paste it into a CDK app, or import
 * it and add the stack to your app.
 */
export function cdkStackSource(template: CloudFormationTemplate, options: CdkOptions = {}): string {
  assertFinite(template);
  const table = Object.values(template.Resources).find((r) => r.Type === 'AWS::DynamoDB::Table');
  const className = options.className ?? `${logicalName(String(table?.Properties.TableName ?? 'Model'))}TableStack`;
  // Only resources something refers to get a variable: an unused one would fail a linter.
  const referenced = new Set<string>([
    ...[...JSON.stringify(template).matchAll(/\{"Ref":"([^"]+)"\}|\{"Fn::GetAtt":\["([^"]+)"/g)].map((m) => (m[1] ?? m[2]) as string),
    ...Object.values(template.Resources).flatMap((r) => r.DependsOn ?? []),
  ]);
  const context: Context = { parameters: new Set(Object.keys(template.Parameters ?? {})), raw: false };
  const lines: string[] = [];
  for (const [id, parameter] of Object.entries(template.Parameters ?? {})) {
    lines.push(`    const ${variableOf(id)} = new cdk.CfnParameter(this, ${JSON.stringify(id)}, ${expression({ ...parameter }, '    ', context)});`);
  }
  for (const [id, resource] of Object.entries(template.Resources)) {
    const cls = CDK_CLASSES[resource.Type];
    if (!cls) throw new Error(`no CDK class for ${resource.Type}`);
    const v = variableOf(id);
    const construct = `new ${cls}(this, ${JSON.stringify(id)}, ${expression(resource.Properties, '    ', context)});`;
    const named = referenced.has(id) || resource.DeletionPolicy || resource.DependsOn?.length || resource.Type === 'AWS::DynamoDB::Table';
    lines.push(named ? `    const ${v} = ${construct}` : `    ${construct}`);
    if (resource.DeletionPolicy === 'Retain') lines.push(`    ${v}.applyRemovalPolicy(cdk.RemovalPolicy.RETAIN);`);
    for (const dependency of resource.DependsOn ?? []) lines.push(`    ${v}.addDependency(${variableOf(dependency)});`);
    if (resource.Type === 'AWS::DynamoDB::Table') lines.push(`    this.table = ${v};`);
  }
  for (const [id, output] of Object.entries(template.Outputs)) {
    lines.push(`    new cdk.CfnOutput(this, ${JSON.stringify(id)}, { description: ${JSON.stringify(output.Description)}, value: ${expression(output.Value, '    ', context)} });`);
  }
  const used = new Set(Object.values(template.Resources).map((r) => (CDK_CLASSES[r.Type] ?? '').split('.')[0]));
  return [
    '// Generated by single-table-kit from the model: regenerate it rather than editing it.',
    "import * as cdk from 'aws-cdk-lib';",
    ...(used.has('appscaling') ? ["import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';"] : []),
    ...(used.has('cloudwatch') ? ["import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';"] : []),
    "import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';",
    ...(used.has('iam') ? ["import * as iam from 'aws-cdk-lib/aws-iam';"] : []),
    ...(used.has('lambda') ? ["import * as lambda from 'aws-cdk-lib/aws-lambda';"] : []),
    ...(used.has('sns') ? ["import * as sns from 'aws-cdk-lib/aws-sns';"] : []),
    ...(used.has('sqs') ? ["import * as sqs from 'aws-cdk-lib/aws-sqs';"] : []),
    "import type { Construct } from 'constructs';",
    '',
    `/** ${template.Description} */`,
    `export class ${className} extends cdk.Stack {`,
    '  readonly table: dynamodb.CfnTable;',
    '',
    '  constructor(scope: Construct, id: string, props?: cdk.StackProps) {',
    '    super(scope, id, props);',
    ...lines,
    '  }',
    '}',
    '',
  ].join('\n');
}

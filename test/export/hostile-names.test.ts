import { spawnSync } from 'node:child_process';
import Module from 'node:module';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse as parseHcl } from '@cdktf/hcl2json';
import { Entity } from 'electrodb';
import * as ts from 'typescript';
import { parse as parseYaml } from 'yaml';
import {
  catalogOperations,
  cdkStackSource,
  checkExportText,
  cloudFormationTemplate,
  defineCatalog,
  deriveTableDefinition,
  iamPolicy,
  provisionedPlan,
  renderCloudFormation,
  terraformConfig,
  withProvisionedPlan,
  type CloudFormationTemplate,
  type Model,
  type TableDefinition,
  type TrafficProfile,
} from '../../src/toolkit';
import { runExport } from '../../src/cli/export';
import { ticketingModel } from '../fixtures/ticketing-model';
import { openCloudFormationChecker } from './cloudformation-fixtures';

const root = resolve(__dirname, '..', '..');

/** An entity whose GSIs carry the given names: what a model with such index names derives. */
function tableWithIndexes(names: readonly string[], tableName = 'hostile-table'): { definition: TableDefinition; entity: Entity<string, string, string, never> } {
  const indexes: Record<string, unknown> = { item: { pk: { field: 'pk', composite: ['id'] }, sk: { field: 'sk', composite: [] } } };
  names.forEach((name, i) => (indexes[`gsi${i}`] = { index: name, pk: { field: `g${i}pk`, composite: ['owner'] }, sk: { field: `g${i}sk`, composite: ['id'] } }));
  const entity = new Entity({ model: { entity: 'doc', version: '1', service: 'hostile' }, attributes: { id: { type: 'string', required: true }, owner: { type: 'string', required: true } }, indexes } as never) as unknown as Entity<string, string, string, never>;
  return { definition: deriveTableDefinition({ tableName, entities: [entity] as never }), entity };
}

/** A definition whose GSIs bear the hostile names (ElectroDB itself cannot hold an index named __proto__). */
function renamed(names: readonly string[]): TableDefinition {
  const { definition } = tableWithIndexes(names.map((_, i) => `gsi-${i}`));
  const gsis = (definition.input.GlobalSecondaryIndexes ?? []).map((g) => ({ ...g, IndexName: names[Number(g.IndexName?.slice(4))] }));
  return { ...definition, input: { ...definition.input, GlobalSecondaryIndexes: gsis } };
}

const PROFILE: TrafficProfile = { targetUtilization: 0.7, patterns: { p: { requestsPerSecond: 10, readUnitsPerCall: 1, writeUnitsPerCall: 1 } } };
function provisioned(definition: TableDefinition) {
  const plan = provisionedPlan(definition, PROFILE, []);
  return { definition: withProvisionedPlan(definition, plan), plan };
}

// Every kind of string an attacker (or an unlucky user) puts in a tag.
const HOSTILE_TAGS: Record<string, string> = Object.assign(Object.create(null) as Record<string, string>, {
  owner: '${path.cwd}',
  template: '%{ if true }x%{ endif }',
  escaped: '$${already} %%{also}',
  dollars: 'a$$${b}$',
  control: 'bell\u0007 esc\u001b[2K nul\u0000 del\u007f c1\u0085\u009b',
  quotes: 'say "hi" \\ back\\slash',
  newlines: 'line1\nline2\r\n\ttab',
  unicode: '\uFFFF 😀 \u202Eevil',
  'key with "quote" and ${x}': 'v',
});
Object.defineProperty(HOSTILE_TAGS, '__proto__', { value: 'proto', enumerable: true });

/** What HCL's JSON form (hcl2json) gives for a literal string: `${` and `%{` stay escaped as `$${`, `%%{`. */
const hclJsonLiteral = (s: string) => s.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');

const HOSTILE_INDEXES = ['${path.cwd}', '%{ if }', 'q"uote', '__proto__', 'new\nline'];

describe('Terraform: every string is escaped for HCL', () => {
  it('hostile tags and index names parse back (hcl2json) as the literal strings they are, never as interpolations', async () => {
    const { definition, plan } = provisioned(renamed(HOSTILE_INDEXES));
    const hcl = terraformConfig(definition, { plan, tags: HOSTILE_TAGS, operations: ['Query'] });
    await expect(checkExportText('terraform', hcl)).resolves.toBeUndefined();
    const json = (await parseHcl('main.tf', hcl)) as { resource: Record<string, Record<string, Record<string, unknown>[]>> };
    const table = json.resource.aws_dynamodb_table?.table?.[0] as { tags: Record<string, string>; global_secondary_index: { name: string }[] };
    expect(Object.keys(table.tags).sort()).toEqual(Object.keys(HOSTILE_TAGS).map(hclJsonLiteral).sort());
    for (const [k, v] of Object.entries(HOSTILE_TAGS)) expect({ k, v: table.tags[hclJsonLiteral(k)] }).toEqual({ k, v: hclJsonLiteral(v) });
    expect(table.global_secondary_index.map((g) => g.name).sort()).toEqual(HOSTILE_INDEXES.map(hclJsonLiteral).sort());
    // The scaling targets' resource_id: the table by reference, the index name literally.
    const ids = Object.values(json.resource.aws_appautoscaling_target ?? {}).map((t) => (t[0] as { resource_id: string }).resource_id);
    for (const index of HOSTILE_INDEXES) expect(ids).toContain(`table/\${aws_dynamodb_table.table.name}/index/${hclJsonLiteral(index)}`);
    // The only interpolations in the file are references to resources.
    for (const m of hcl.matchAll(/(?<!\$)\$\{([^}]*)\}/g)) expect(m[1]).toMatch(/^aws_[a-z_]+\.[a-z0-9_]+\.[a-z_]+$/);
  });

  it('the built-in HCL check and hcl2json both refuse a broken file', async () => {
    for (const broken of ['a = "x\u0007"\n', 'a = "\\b"\n', 'a = "${path.cwd}"\n', 'a = "open\n', 'b {\n']) {
      await expect(checkExportText('terraform', broken)).rejects.toThrow('terraform export does not parse back');
    }
  });
});

/** Fn::Sub as CloudFormation evaluates it: `${Name}` a variable, `${!Literal}` the literal `${Literal}`. */
const evaluateSub = (text: string, vars: Record<string, string>) => text.replace(/\$\{(!?)([^}]*)\}/g, (_m, bang: string, name: string) => (bang ? `\${${name}}` : (vars[name] ?? `<unresolved ${name}>`)));

describe('CloudFormation and CDK: index names never reach Fn::Sub raw', () => {
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-sub.html
  // "To write a dollar sign and curly braces (${}) literally, add an exclamation point (!) after the open curly brace"
  it('each scaling target resolves to table/<the table>/index/<the index name, literally>', () => {
    const { definition, plan } = provisioned(renamed(HOSTILE_INDEXES));
    const template = cloudFormationTemplate(definition, { plan, tags: HOSTILE_TAGS });
    const resolved = Object.values(template.Resources)
      .filter((r) => r.Type === 'AWS::ApplicationAutoScaling::ScalableTarget')
      .map((r) => evaluateSub((r.Properties.ResourceId as { 'Fn::Sub': string })['Fn::Sub'], { Table: 'physical-name' }));
    expect(resolved.sort()).toEqual(['table/physical-name', 'table/physical-name', ...HOSTILE_INDEXES.flatMap((i) => [`table/physical-name/index/${i}`, `table/physical-name/index/${i}`])].sort());
    // YAML and JSON both read back as the same template, hostile tags included.
    const yaml = renderCloudFormation(template, 'yaml');
    expect(parseYaml(yaml)).toEqual(JSON.parse(JSON.stringify(template)));
    expect(JSON.parse(renderCloudFormation(template, 'json'))).toEqual(JSON.parse(JSON.stringify(template)));
  });

  it('the CDK source of that template parses as TypeScript', async () => {
    const { definition, plan } = provisioned(renamed(HOSTILE_INDEXES));
    const source = cdkStackSource(cloudFormationTemplate(definition, { plan, tags: HOSTILE_TAGS }));
    await expect(checkExportText('cdk', source)).resolves.toBeUndefined();
    await expect(checkExportText('cdk', source.replace('extends cdk.Stack {', 'extends cdk.Stack {{'))).rejects.toThrow('cdk export does not parse back');
  });
});

describe('the export command parses every file back before it succeeds', () => {
  const cli = (args: string[]) => spawnSync(process.execPath, [join(root, 'dist', 'cli', 'main.js'), ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } });
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'stk-hostile-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--tag with ${...}, %{...}, quotes and control characters gives files that parse, in every format', async () => {
    const tags = ['owner=${path.cwd}', 'tpl=%{ if }', 'q=say "hi"\\', 'ctl=a\u0007b\u001b[2Kc', '__proto__=proto'].flatMap((t) => ['--tag', t]);
    const tf = cli(['export', '--format', 'terraform', '--model', 'test/fixtures/ticketing-model.ts', ...tags]);
    expect(tf.status).toBe(0);
    const tfTags = ((await parseHcl('main.tf', tf.stdout)) as { resource: { aws_dynamodb_table: { table: { tags: Record<string, string> }[] } } }).resource.aws_dynamodb_table.table[0]?.tags;
    expect(tfTags).toEqual(Object.fromEntries([['owner', '$${path.cwd}'], ['tpl', '%%{ if }'], ['q', 'say "hi"\\'], ['ctl', 'a\u0007b\u001b[2Kc'], ['__proto__', 'proto']]));
    const cfn = cli(['export', '--format', 'cloudformation', '--model', 'test/fixtures/ticketing-model.ts', ...tags]);
    expect(cfn.status).toBe(0);
    expect((parseYaml(cfn.stdout) as CloudFormationTemplate).Resources.Table?.Properties.Tags).toContainEqual({ Key: '__proto__', Value: 'proto' });
  });

  // (A command line cannot carry a lone surrogate: the library call is where such a value arrives.)
  it('a value no format can hold (a lone surrogate) fails the export with a message, and writes nothing', async () => {
    const out = join(dir, 'main.tf');
    await expect(runExport(ticketingModel as unknown as Model, { format: 'terraform', json: false, size: 0, tags: { bad: '\uD800x' }, out })).rejects.toThrow('not valid Unicode text');
    expect(existsSync(out)).toBe(false);
  });

  it('a CloudFormation text that reads back as another template, or holds a non-finite number, is refused', async () => {
    const { definition } = tableWithIndexes(['a']);
    const template = cloudFormationTemplate(definition);
    const text = renderCloudFormation(template, 'json');
    await expect(checkExportText('cloudformation-json', text, template)).resolves.toBeUndefined();
    await expect(checkExportText('cloudformation-json', text.replace('"PAY_PER_REQUEST"', '"PROVISIONED"'), template)).rejects.toThrow('reads back as another template');
    await expect(checkExportText('cloudformation-yaml', 'A: .inf\n')).rejects.toThrow('is not a finite number');
  });
});

// ---- Defect 4: two index names, one logical name ----

/** Compiles the generated CDK source and loads it as a module of this repository (so aws-cdk-lib resolves). */
function loadCdk(source: string): { exports: Record<string, unknown>; require: NodeJS.Require } {
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText;
  const filename = join(root, 'test', 'export', '__generated_hostile_stack__.js');
  const m = new Module(filename) as Module & { _compile(code: string, filename: string): void };
  m.filename = filename;
  m.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(join(root, 'test', 'export'));
  m._compile(js, filename);
  return { exports: m.exports as Record<string, unknown>, require: m.require.bind(m) as NodeJS.Require };
}

describe('two index names that clean to one logical name (by-owner, by_owner; byowner, BYOWNER)', () => {
  const NAMES = ['by-owner', 'by_owner', 'byowner', 'BYOWNER'];
  const { definition: base, entity } = tableWithIndexes(NAMES, 'owners');
  const { definition, plan } = provisioned(base);
  const template = cloudFormationTemplate(definition, { plan, operations: ['Query'] });
  const resources = Object.entries(template.Resources);
  /** Index name → the logical ids of its scaling targets and capacity alarms. */
  const perIndex = (name: string) =>
    resources
      .filter(([, r]) => JSON.stringify(r.Properties).includes(`/index/${name}"`) || (r.Properties.Metrics as { MetricStat?: { Metric: { Dimensions: { Name: string; Value: unknown }[] } } }[] | undefined)?.some((m) => m.MetricStat?.Metric.Dimensions.some((d) => d.Name === 'GlobalSecondaryIndexName' && d.Value === name)))
      .map(([id]) => id);

  it('CloudFormation: every index keeps its own scaling targets and alarms, and the template passes cfn-lint and the schemas', () => {
    for (const name of NAMES) expect({ name, ids: perIndex(name).length }).toEqual({ name, ids: 4 }); // read + write target, read + write capacity alarm
    const targets = resources.filter(([, r]) => r.Type === 'AWS::ApplicationAutoScaling::ScalableTarget');
    expect(targets).toHaveLength(2 * (1 + NAMES.length));
    expect(resources.filter(([, r]) => r.Type === 'AWS::ApplicationAutoScaling::ScalingPolicy')).toHaveLength(2 * (1 + NAMES.length));
    // Deterministic: the same name gets the same logical id whatever else the table has.
    const alone = cloudFormationTemplate(...(() => { const p = provisioned(tableWithIndexes(['by-owner', 'by_owner'], 'owners').definition); return [p.definition, { plan: p.plan }] as const; })());
    expect(Object.keys(alone.Resources).filter((id) => perIndex('by-owner').includes(id))).toHaveLength(4);
    const checker = openCloudFormationChecker('stk-names-');
    try {
      expect(checker.findings(renderCloudFormation(template, 'yaml'), 'owners.yaml')).toEqual([]);
    } finally {
      checker.close();
    }
  }, 180_000);

  it('CDK: the stack synthesizes every one of those resources', () => {
    const generated = loadCdk(cdkStackSource(template, { className: 'OwnersStack' }));
    const cdk = generated.require('aws-cdk-lib') as typeof import('aws-cdk-lib');
    const app = new cdk.App({ analyticsReporting: false });
    const Stack = generated.exports.OwnersStack as new (scope: unknown, id: string, props?: object) => unknown;
    new Stack(app, 'Owners', { synthesizer: new cdk.LegacyStackSynthesizer() });
    const synthesized = app.synth().getStackByName('Owners').template as { Resources: Record<string, unknown> };
    expect(Object.keys(synthesized.Resources).sort()).toEqual(Object.keys(template.Resources).sort());
    for (const [id, r] of resources) expect(synthesized.Resources[id]).toMatchObject({ Type: r.Type });
  }, 120_000);

  it('Terraform: one block per resource name, each index its own targets, policies and alarms', async () => {
    const hcl = terraformConfig(definition, { plan, operations: ['Query'] });
    const json = (await parseHcl('main.tf', hcl)) as { resource: Record<string, Record<string, { resource_id?: string; metric_query?: unknown }[]>> };
    for (const type of ['aws_appautoscaling_target', 'aws_appautoscaling_policy', 'aws_cloudwatch_metric_alarm']) {
      const blocks = json.resource[type] ?? {};
      for (const [name, list] of Object.entries(blocks)) expect({ type, name, blocks: list.length }).toEqual({ type, name, blocks: 1 });
    }
    expect(Object.keys(json.resource.aws_appautoscaling_target ?? {})).toHaveLength(2 * (1 + NAMES.length));
    // Capacity alarms per index and dimension, plus throttled requests and system errors.
    expect(Object.keys(json.resource.aws_cloudwatch_metric_alarm ?? {})).toHaveLength(2 * (1 + NAMES.length) + 2);
    const ids = Object.values(json.resource.aws_appautoscaling_target ?? {}).map((t) => t[0]?.resource_id);
    for (const name of NAMES) expect(ids.filter((id) => id?.endsWith(`/index/${name}`))).toHaveLength(2);
  });

  it('IAM: one statement per index, every Sid unique', () => {
    const catalog = defineCatalog(NAMES.map((name, i) => ({ name: `list${i}`, kind: 'read' as const, description: name, entities: ['doc'], requests: [{ operation: 'Query' as const, index: name, key: 'owner' }] })));
    const { policy } = iamPolicy({ catalog, entities: [entity] as unknown as Model['entities'] }, { tableName: 'owners' });
    const sids = policy.Statement.map((s) => s.Sid);
    expect(new Set(sids).size).toBe(sids.length);
    expect(sids.every((sid) => /^[A-Za-z0-9]+$/.test(sid))).toBe(true);
    for (const name of NAMES) expect(policy.Statement.filter((s) => s.Resource.some((r) => r.endsWith(`/index/${name}`)))).toHaveLength(1);
    expect(catalogOperations(catalog)).toEqual(['Query']);
  });
});

describe('stream consumers: hostile tags and table names stay literal in every format', () => {
  const HOSTILE_TABLE = 'orders${path.cwd}%{ if }"q\nx';
  const consumers = [{ settings: { name: 'audit', onFailure: 'sqs' as const } }, { settings: { name: 'notify', onFailure: 'sns' as const } }];
  const { definition } = tableWithIndexes(['by-owner'], HOSTILE_TABLE);
  const streamed: TableDefinition = { ...definition, input: { ...definition.input, StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } } };
  const options = { tags: HOSTILE_TAGS, streamConsumers: consumers };

  it('Terraform: the queue and topic tags parse back as the literal strings, and the only interpolations are resource references', async () => {
    const hcl = terraformConfig(streamed, options);
    await expect(checkExportText('terraform', hcl)).resolves.toBeUndefined();
    const json = (await parseHcl('main.tf', hcl)) as { resource: Record<string, Record<string, Record<string, unknown>[]>> };
    for (const [type, name] of [['aws_sqs_queue', 'audit_failures'], ['aws_sns_topic', 'notify_failures']] as const) {
      const tags = json.resource[type]?.[name]?.[0]?.tags as Record<string, string>;
      for (const [k, v] of Object.entries(HOSTILE_TAGS)) expect({ type, k, v: tags[hclJsonLiteral(k)] }).toEqual({ type, k, v: hclJsonLiteral(v) });
    }
    for (const m of hcl.matchAll(/(?<!\$)\$\{([^}]*)\}/g)) expect(m[1]).toMatch(/^aws_[a-z_]+\.[a-z0-9_]+\.[a-z_]+$/);
  });

  it('CloudFormation reads back as the same template (YAML and JSON), and the CDK source parses', async () => {
    const template = cloudFormationTemplate(streamed, options);
    expect(Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::EventSourceMapping')).toHaveLength(2);
    await expect(checkExportText('cloudformation-yaml', renderCloudFormation(template, 'yaml'), template)).resolves.toBeUndefined();
    await expect(checkExportText('cloudformation-json', renderCloudFormation(template, 'json'), template)).resolves.toBeUndefined();
    expect(template.Resources.AuditFailureQueue?.Properties.Tags).toContainEqual({ Key: '__proto__', Value: 'proto' });
    // The table's name is never spliced into an Fn::Sub: the consumer's strings refer to the table by logical id.
    for (const sub of JSON.stringify(template).matchAll(/"Fn::Sub":"((?:[^"\\]|\\.)*)"/g)) expect(sub[1]).not.toContain('path.cwd');
    await expect(checkExportText('cdk', cdkStackSource(template))).resolves.toBeUndefined();
  });

  it('IAM: the consumer policies hold the table name only inside the ARN, as JSON', () => {
    const { streamConsumers } = iamPolicy({ catalog: [], entities: [], streamConsumers: consumers }, { tableName: HOSTILE_TABLE });
    expect(streamConsumers[0]?.policy.Statement[0]?.Resource).toEqual([`arn:aws:dynamodb:*:*:table/${HOSTILE_TABLE}/stream/*`]);
  });
});

import Module from 'node:module';
import { join, resolve } from 'node:path';
import * as ts from 'typescript';
import { cdkStackSource, cloudFormationTemplate } from '../../src/toolkit';
import { MODELS, variants } from './export-fixtures';
import { CONSUMER_CASES } from './stream-consumer-fixtures';

const root = resolve(__dirname, '..', '..');

let previous: ts.Program | undefined;

/** Type-checks generated sources as files of this repository would be (strict, aws-cdk-lib's types): one program for all. */
function typeErrors(sources: Record<string, string>): string[] {
  const files = new Map(Object.entries(sources).map(([name, source]) => [join(root, 'test', 'export', `__generated_${name}__.ts`), source]));
  const options: ts.CompilerOptions = { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, esModuleInterop: true, skipLibCheck: true, types: [] };
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  const exists = host.fileExists.bind(host);
  host.getSourceFile = (name, version, ...rest) => {
    const source = files.get(resolve(name));
    return source === undefined ? read(name, version, ...rest) : ts.createSourceFile(name, source, version);
  };
  host.fileExists = (name) => files.has(resolve(name)) || exists(name);
  // Reusing the previous program keeps aws-cdk-lib's declarations parsed once.
  const program = ts.createProgram([...files.keys()], options, host, previous);
  previous = program;
  return ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

/** Compiles the source to CommonJS and loads it as a module of this repository (so aws-cdk-lib resolves). */
function load(source: string): { exports: Record<string, unknown>; require: NodeJS.Require } {
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText;
  const filename = join(root, 'test', 'export', '__generated_cdk_stack__.js');
  const m = new Module(filename) as Module & { _compile(code: string, filename: string): void };
  m.filename = filename;
  m.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(join(root, 'test', 'export'));
  m._compile(js, filename);
  return { exports: m.exports as Record<string, unknown>, require: m.require.bind(m) as NodeJS.Require };
}

const cases = [
  ...MODELS.flatMap(([name, model]) => variants(model, `${name}-table`).map((v) => ({ name: `${name}-${v.label}`, template: cloudFormationTemplate(v.definition, v.options) }))),
  // With stream consumers: parameters, event source mappings, policies, an SQS queue and an SNS topic.
  ...CONSUMER_CASES.map((c) => ({ name: `${c.name}-stream-consumers`, template: cloudFormationTemplate(c.definition, c.options) })),
];
const sources = Object.fromEntries(cases.map((c) => [c.name, cdkStackSource(c.template, { className: 'GeneratedStack' })]));

it('every generated stack type-checks against aws-cdk-lib, strict', () => {
  expect(typeErrors(sources)).toEqual([]);
  // The check can fail: a property CfnTable does not have.
  expect(typeErrors({ broken: (sources['ticketing-on-demand'] as string).replace('billingMode:', 'billingModes:') }).join('\n')).toContain('billingModes');
}, 240_000);

describe.each(cases)('CDK export, $name', ({ name, template }) => {
  it('synthesizes the same table, auto-scaling, alarms and outputs as the CloudFormation export', () => {
    const source = sources[name] as string;
    // The same aws-cdk-lib instance as the generated code's (jest's own registry would load a second one).
    const generated = load(source);
    const cdk = generated.require('aws-cdk-lib') as typeof import('aws-cdk-lib');
    const app = new cdk.App({ analyticsReporting: false });
    const Stack = generated.exports.GeneratedStack as new (scope: unknown, id: string, props?: object) => unknown;
    new Stack(app, 'Generated', { synthesizer: new cdk.LegacyStackSynthesizer() });
    const synthesized = app.synth().getStackByName('Generated').template as { Parameters?: Record<string, unknown>; Resources: Record<string, unknown>; Outputs: Record<string, { Description: string; Value: unknown }> };
    // The table resource property for property (type, retention, every property) ...
    expect(synthesized.Resources.Table).toEqual(template.Resources.Table);
    // ... and every other resource and output as well.
    const { CDKMetadata: _metadata, ...resources } = synthesized.Resources;
    expect(resources).toEqual(template.Resources);
    expect(synthesized.Outputs).toEqual(template.Outputs);
    expect(synthesized.Parameters).toEqual(template.Parameters);
  }, 240_000);
});

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  assertFinite,
  catalogOperations,
  checkExportText,
  cdkStackSource,
  cloudFormationTemplate,
  iamPolicy,
  modelTable,
  openModelSession,
  scanItems,
  provisionedPlan,
  readWorkbenchModel,
  renderCloudFormation,
  terraformConfig,
  withProvisionedPlan,
  workbenchModel,
  type ExportPatternUnits,
  type IamPolicyOptions,
  type InfrastructureOptions,
  type Model,
  type ProvisionedPlan,
  type TableDefinition,
  type TrafficProfile,
  type WorkbenchReport,
} from '../toolkit';
import { measureModelCapacity } from './capacity';
import { checkProfilePatterns } from './cost';
import { renderTable } from './render-table';
import { terminalJson } from './json-output';
import { terminalText } from './terminal';

export const EXPORT_FORMATS = ['cloudformation', 'cdk', 'terraform', 'workbench', 'iam'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportCommandOptions {
  format: ExportFormat;
  tableName?: string;
  json: boolean;
  out?: string;
  /** Provisioned capacity with auto-scaling from this traffic profile; default on-demand. */
  profile?: TrafficProfile;
  /** Units per call (`capacity --json` output); else the profile's, else measured on the engine. */
  capacity?: ExportPatternUnits[];
  /** Workbench sample data: seed size (0: no data, no DynamoDB). */
  size: number;
  patterns?: string[];
  /** IAM: only these actions (narrows the catalog's). */
  actions?: string[];
  /** IAM: the tenant values are already in this case (a cased partition key can then be matched). */
  tenantValueCase?: 'lower' | 'upper';
  region?: string;
  accountId?: string;
  alarmTopicArn?: string;
  tags?: Record<string, string>;
  /** Fixed creation date for reproducible Workbench files. */
  date?: Date;
}

/** Default table name: the model name's first word (`reference`, `ticketing`). */
export function defaultTableName(model: Model): string {
  const first = /[A-Za-z0-9_.-]+/.exec(model.name)?.[0] ?? 'model';
  return first.length >= 3 ? first : `${first}-table`;
}

/** Reads `capacity --json` output (or a bare array of MeasuredCapacity) as units per call. */
export function readCapacityFile(path: string): ExportPatternUnits[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`--capacity ${path}: not readable JSON: ${(error as Error).message}`);
  }
  const list = Array.isArray(json) ? json : (json as { patterns?: unknown }).patterns;
  if (!Array.isArray(list)) throw new Error(`--capacity ${path}: patterns: expected the output of \`capacity --json\` (an object with a patterns array)`);
  return list.map((p, i) => {
    const x = p as Partial<ExportPatternUnits>;
    if (typeof x.pattern !== 'string' || typeof x.readUnitsPerCall !== 'number' || typeof x.writeUnitsPerCall !== 'number') {
      throw new Error(`--capacity ${path}: patterns[${i}]: needs pattern, readUnitsPerCall and writeUnitsPerCall`);
    }
    return { pattern: x.pattern, readUnitsPerCall: x.readUnitsPerCall, writeUnitsPerCall: x.writeUnitsPerCall, ...(x.byIndex ? { byIndex: x.byIndex } : {}) };
  });
}

async function planFor(model: Model, definition: TableDefinition, options: ExportCommandOptions): Promise<ProvisionedPlan | undefined> {
  if (!options.profile) return undefined;
  checkProfilePatterns(model, options.profile.patterns);
  const given = Object.values(options.profile.patterns).every((p) => p.readUnitsPerCall !== undefined && p.writeUnitsPerCall !== undefined);
  // Measuring seeds the model on the engine: only when neither a capacity file nor the profile gives the units.
  const units = options.capacity ?? (given ? [] : await measureModelCapacity(model, { size: 100, iterations: 5, quiet: true }));
  return provisionedPlan(definition, options.profile, units, { model });
}

async function sampleItems(model: Model, size: number): Promise<Record<string, unknown>[]> {
  if (size === 0) return [];
  const session = await openModelSession(model);
  try {
    await model.seed(session.services, { size });
    const items = await scanItems(session.client, session.tableName);
    return items;
  } finally {
    await session.close();
  }
}

function iamOptions(options: ExportCommandOptions, tableName: string): IamPolicyOptions {
  return { tableName, region: options.region, accountId: options.accountId, patterns: options.patterns, actions: options.actions, tenantValueCase: options.tenantValueCase };
}

/** One export of a model as text: what `export --format F` prints or writes, parsed back first (a file that does not parse is never written). */
export async function renderExport(model: Model, options: ExportCommandOptions): Promise<string> {
  const base = modelTable(model, options.tableName ?? defaultTableName(model));
  if (options.format === 'iam') {
    const out = iamPolicy(model, iamOptions(options, base.input.TableName));
    const text = `${JSON.stringify(options.json ? out : out.policy, null, 2)}\n`;
    await checkExportText('iam', text);
    return text;
  }
  const plan = await planFor(model, base, options);
  const definition = plan ? withProvisionedPlan(base, plan) : base;
  const infra: InfrastructureOptions = { plan, operations: catalogOperations(model.catalog), alarmTopicArn: options.alarmTopicArn, tags: options.tags, streamConsumers: model.streamConsumers };
  switch (options.format) {
    case 'cloudformation': {
      const template = cloudFormationTemplate(definition, infra);
      const text = renderCloudFormation(template, options.json ? 'json' : 'yaml');
      await checkExportText(options.json ? 'cloudformation-json' : 'cloudformation-yaml', text, template);
      return text;
    }
    case 'cdk': {
      const template = cloudFormationTemplate(definition, infra);
      assertFinite(template);
      const text = cdkStackSource(template);
      await checkExportText('cdk', text);
      return text;
    }
    case 'terraform': {
      const text = terraformConfig(definition, infra);
      await checkExportText('terraform', text);
      return text;
    }
    case 'workbench': {
      const text = `${JSON.stringify(workbenchModel(model, definition, { items: await sampleItems(model, options.size), plan, date: options.date }), null, 2)}\n`;
      await checkExportText('workbench', text);
      return text;
    }
  }
}

export async function runExport(model: Model, options: ExportCommandOptions): Promise<number> {
  const text = await renderExport(model, options);
  if (options.out) {
    writeFileSync(options.out, text);
    process.stderr.write(`${terminalText(options.out)}: ${options.format} export of ${terminalText(model.name)}\n`);
  } else {
    process.stdout.write(text);
  }
  if (options.format === 'iam' && !options.json) {
    const { leadingKeys, notes, streamConsumers } = iamPolicy(model, iamOptions(options, options.tableName ?? defaultTableName(model)));
    process.stderr.write(`dynamodb:LeadingKeys ${leadingKeys.applied ? 'applied' : 'not applied'}: ${terminalText(leadingKeys.reason)}\n`);
    if (leadingKeys.applied && !leadingKeys.isolated) process.stderr.write(`NOT tenant-isolated: ${leadingKeys.unscoped.join(', ')} is granted without any tenant condition\n`);
    for (const note of notes) process.stderr.write(`note: ${terminalText(note)}\n`);
    for (const c of streamConsumers) process.stderr.write(`stream consumer ${terminalText(c.name)}: its function's role gets its own policy (--json: streamConsumers)\n`);
  }
  return 0;
}

/** The example files under docs/export/ and how each is made (on-demand; Workbench without data). */
export const EXAMPLE_FILES: { file: string; options: Omit<ExportCommandOptions, 'size'> }[] = [
  { file: 'cloudformation.yaml', options: { format: 'cloudformation', json: false } },
  { file: 'cloudformation.json', options: { format: 'cloudformation', json: true } },
  { file: 'cdk-stack.ts', options: { format: 'cdk', json: false } },
  { file: 'main.tf', options: { format: 'terraform', json: false } },
  { file: 'workbench.json', options: { format: 'workbench', json: false, date: new Date('2026-01-01T00:00:00Z') } },
  { file: 'iam-policy.json', options: { format: 'iam', json: false } },
];

/**
 * `export --examples DIR --write|--check`: regenerates the example of every format (no DynamoDB
 * needed), or fails when a committed one differs from what the model gives now.
 */
export async function runExportExamples(model: Model, dir: string, mode: 'write' | 'check'): Promise<number> {
  const stale: string[] = [];
  if (mode === 'write') mkdirSync(dir, { recursive: true });
  for (const { file, options } of EXAMPLE_FILES) {
    const path = join(dir, file);
    const fresh = await renderExport(model, { ...options, size: 0, tags: { application: defaultTableName(model) } });
    const current = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
    if (current === fresh) continue;
    stale.push(path);
    if (mode === 'write') writeFileSync(path, fresh);
  }
  if (mode === 'write') {
    process.stdout.write(stale.length ? `regenerated ${stale.join(', ')}\n` : `${dir}: every export example is up to date\n`);
    return 0;
  }
  if (stale.length) {
    process.stderr.write(`stale export examples: ${stale.join(', ')}; run \`single-table-kit export --examples ${dir} --write\` and commit the result\n`);
    return 1;
  }
  process.stdout.write(`${dir}: every export example matches the model\n`);
  return 0;
}

/** The import report for people: per table, its keys, indexes and facets (every name escaped for the terminal). */
export function renderWorkbenchReport(report: WorkbenchReport): string {
  const t_ = (s: string) => terminalText(s);
  const parts = [`Model: ${t_(report.modelName)} (Workbench ${t_(String(report.version))})`];
  for (const t of report.tables) {
    parts.push(`Table ${t_(t.name)}: partition key ${t_(t.partitionKey)}, sort key ${t_(t.sortKey ?? '(none)')}, ${t_(t.billingMode)}, ${t.attributes.length} other attributes, ${t.items} sample items`);
    parts.push(renderTable(['Index', 'Partition key', 'Sort key', 'Projection'], t.indexes.map((i) => [i.name, i.partitionKey, i.sortKey ?? '', i.projection === 'INCLUDE' ? `INCLUDE ${i.attributes.join(', ')}` : i.projection])));
    parts.push(renderTable(['Facet', 'Partition key alias', 'Sort key alias', 'Attributes', 'Items'], t.facets.map((f) => [f.name, f.partitionKeyAlias, f.sortKeyAlias ?? '', f.attributes.join(', '), f.items]), ['left', 'left', 'left', 'left', 'right']));
  }
  return parts.join('\n');
}

export function runImportWorkbench(path: string, json: boolean): number {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`--in ${path}: not readable JSON: ${(error as Error).message}`);
  }
  const report = readWorkbenchModel(parsed);
  process.stdout.write(json ? terminalJson(report) : `${renderWorkbenchReport(report)}\n`);
  return 0;
}

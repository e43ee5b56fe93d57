import { readFileSync, writeFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  diffModel,
  localClientConfig,
  parseSnapshot,
  planMigration,
  runMigration,
  snapshotModel,
  stableJson,
  tableChecksum,
  type MigrationPlan,
  type MigrationReport,
  type Model,
  type ModelDiff,
  type ModelSnapshot,
} from '../toolkit';
import { jsonOutput } from './json-output';
import { renderTable } from './render-table';
import { terminalText } from './terminal';

export function readSnapshotFile(file: string): ModelSnapshot {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new Error(`--from ${file}: no such file`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`--from ${file}: not JSON (${(error as Error).message})`);
  }
  return parseSnapshot(json, `--from ${file}`);
}

/** `--rename user.fullName=name` (repeatable) as the upgrader's renames. */
export function parseRenames(values: readonly string[] | undefined): Record<string, Record<string, string>> | undefined {
  if (!values?.length) return undefined;
  const renames = Object.create(null) as Record<string, Record<string, string>>;
  for (const v of values) {
    const m = /^([^.=]+)\.([^.=]+)=([^.=]+)$/.exec(v);
    if (!m) throw new Error(`--rename must be ENTITY.OLD=NEW, got ${v}`);
    const entity = m[1] as string;
    renames[entity] ??= Object.create(null) as Record<string, string>;
    (renames[entity] as Record<string, string>)[m[2] as string] = m[3] as string;
  }
  return renames;
}

export function migrationClient(): DynamoDBClient {
  const endpoint = process.env.DYNAMODB_ENDPOINT;
  // The embedded engine lives in this process and starts empty: a migration needs the table's own endpoint.
  if (!endpoint) throw new Error('migrate needs DYNAMODB_ENDPOINT: the endpoint of the table to migrate (an engine started with `serve`, or DynamoDB)');
  return new DynamoDBClient(localClientConfig(endpoint));
}

export function runSnapshot(model: Model, options: { out: string; tableName: string }): number {
  writeFileSync(options.out, stableJson(snapshotModel(model, options.tableName)));
  process.stderr.write(`snapshot of ${terminalText(model.name)} written to ${terminalText(options.out)}\n`);
  return 0;
}

export function renderDiff(diff: ModelDiff): string {
  if (diff.changes.length === 0) return `Model: ${diff.model}\nNo physical change.\n`;
  const subject = (c: ModelDiff['changes'][number]) =>
    'entity' in c ? `${c.entity}${'attribute' in c ? `.${c.attribute}` : ''}${'accessPattern' in c ? ` (${c.accessPattern} on ${c.index})` : ''}` : 'index' in c ? c.index : 'table';
  const detail = (c: ModelDiff['changes'][number]) => ('from' in c ? `${c.from} -> ${c.to}` : 'keys' in c ? c.keys : '');
  const changes = renderTable(['Change', 'Of', 'Detail', 'Meaning'], diff.changes.map((c) => [c.kind, subject(c), detail(c), c.meaning]));
  const patterns = diff.patterns.length ? `\nAccess patterns sending different requests:\n${renderTable(['Pattern', 'Change', 'Why'], diff.patterns.map((p) => [p.pattern, p.change, p.why]))}\n` : '\nNo access pattern sends different requests.\n';
  return `Model: ${diff.model}\n${changes}\n${patterns}Items to rewrite: ${diff.rewrite.length ? diff.rewrite.join(', ') : 'none'}\n`;
}

export function runDiff(model: Model, options: { from: string; json: boolean }): number {
  const diff = diffModel(readSnapshotFile(options.from), model);
  process.stdout.write(options.json ? jsonOutput(diff) : terminalText(renderDiff(diff), { keepNewlines: true }));
  return 0;
}

const num = (n: number) => (Number.isInteger(n) ? n.toLocaleString('en-US') : n.toFixed(1));

export function renderPlan(plan: MigrationPlan): string {
  const steps = renderTable(
    ['#', 'Step', 'Reversible', 'Why'],
    plan.steps.map((s, i) => [String(i + 1), s.kind === 'rewrite' ? `rewrite ${s.entities.join(', ')} (${num(s.items)} items)` : 'index' in s ? `${s.kind} ${s.index}` : s.kind, s.reversible ? 'yes' : 'NO', s.why]),
  );
  const entities = Object.keys(plan.itemsByEntity).sort();
  const counts = renderTable(['Entity', 'Items', 'To rewrite'], entities.map((e) => [e, num(plan.itemsByEntity[e] ?? 0), num(plan.rewriteByEntity[e] ?? 0)]), ['left', 'right', 'right']);
  const e = plan.estimate;
  const failures = plan.failures.length ? `\nItems that cannot be migrated (${plan.failures.length}):\n${plan.failures.slice(0, 20).map((f) => `  ${JSON.stringify(f.key)} ${f.entity ?? ''}: ${f.reason}`).join('\n')}\n` : '';
  return `Migration of ${plan.tableName} to ${plan.model}\n${steps}\n${counts}\nEstimate: ${num(e.readUnits)} RCU to read (Scan ${num(e.reads.scan)}, moved items met again at most ${num(e.reads.movedAgain)}, verification ${num(e.reads.verification)}), ${num(e.writeUnits)} WCU to write, $${e.dollarsOnDemand.toFixed(4)} on demand, ${e.seconds.toFixed(1)} s at ${num(e.atWriteUnitsPerSecond)} WCU/s\n${failures}`;
}

function renderSamples(plan: MigrationPlan): string {
  return plan.samples
    .map((s) => {
      const fields = [...new Set([...Object.keys(s.before), ...Object.keys(s.after)])].filter((f) => JSON.stringify(s.before[f]) !== JSON.stringify(s.after[f])).sort();
      return `${s.entity} ${JSON.stringify(s.key)}\n${fields.map((f) => `  ${f}: ${JSON.stringify(s.before[f]) ?? '(absent)'} -> ${JSON.stringify(s.after[f]) ?? '(absent)'}`).join('\n')}`;
    })
    .join('\n');
}

export async function runPlan(
  model: Model,
  options: { from: string; tableName: string; json: boolean; dryRun: boolean; maxWcu?: number; renames?: Record<string, Record<string, string>>; segments?: number },
): Promise<number> {
  const from = readSnapshotFile(options.from);
  const client = migrationClient();
  try {
    const before = options.dryRun ? await tableChecksum(client, options.tableName) : undefined;
    // --segments: the survey's parallel Scan (and the run's, for the read estimate). The samples are
    // the first items that answer: with several segments whichever answers first, with 1 the Scan's first.
    const plan = await planMigration(client, options.tableName, from, model, { writeUnitsPerSecond: options.maxWcu, renames: options.renames, segments: options.segments });
    const after = options.dryRun ? await tableChecksum(client, options.tableName) : undefined;
    const unchanged = before && after ? before.sha256 === after.sha256 : undefined;
    if (options.json) process.stdout.write(jsonOutput({ ...plan, ...(before ? { dryRun: { checksumBefore: before, checksumAfter: after, unchanged } } : {}) }));
    else {
      let text = renderPlan(plan);
      if (before && after) text += `\nDry run: sample items before and after:\n${renderSamples(plan) || '  (nothing to rewrite)'}\nTable checksum before ${before.sha256.slice(0, 16)} (${before.items} items), after ${after.sha256.slice(0, 16)}: ${unchanged ? 'unchanged, nothing written' : 'CHANGED (something else wrote to the table)'}\n`;
      process.stdout.write(terminalText(text, { keepNewlines: true }));
    }
    return unchanged === false ? 1 : 0;
  } finally {
    client.destroy();
  }
}

export function renderReport(r: MigrationReport): string {
  const entities = [...new Set([...Object.keys(r.verification.before.byEntity), ...Object.keys(r.verification.after.byEntity)])].sort();
  const indexes = [...new Set([...Object.keys(r.verification.before.byIndex), ...Object.keys(r.verification.after.byIndex)])].sort();
  const counts = renderTable(
    ['Entity / index', 'Before', 'After'],
    [...entities.map((e) => [e, num(r.verification.before.byEntity[e] ?? 0), num(r.verification.after.byEntity[e] ?? 0)]), ...indexes.map((i) => [`index ${i}`, num(r.verification.before.byIndex[i] ?? 0), num(r.verification.after.byIndex[i] ?? 0)])],
    ['left', 'right', 'right'],
  );
  const steps = r.steps.map((s, i) => `  ${i + 1}. ${s.step.kind}${'index' in s.step ? ` ${s.step.index}` : ''}: ${s.status}`).join('\n');
  const failures = r.failures.map((f) => `  ${JSON.stringify(f.key)} ${f.entity ?? ''}: ${f.reason}`).join('\n');
  return (
    `Migration of ${r.tableName}${r.resumed ? ' (resumed from its checkpoint)' : ''}, ${r.segments} segment${r.segments === 1 ? '' : 's'}\n${steps}\n` +
    `Scanned ${num(r.scanned)}, rewritten ${num(r.rewritten)} (moved ${num(r.moved)}), unchanged ${num(r.unchanged)}; ` +
    `${r.conflictsRetried} re-read after a concurrent write, ${r.throttledRetried} retried after throttling; ` +
    `consumed ${num(r.consumed.readUnits)} RCU, ${num(r.consumed.writeUnits)} WCU\n${counts}\n` +
    (failures ? `Failed items (${r.failures.length}):\n${failures}\n` : '') +
    (r.verification.patterns ? `Patterns on the migrated table: ${r.verification.patterns.filter((p) => p.ok).length} of ${r.verification.patterns.length} pass${r.verification.patterns.filter((p) => !p.ok).map((p) => `\n  ${p.pattern}: ${p.error ?? ''}`).join('')}\n` : '') +
    `Verification: ${r.verification.ok ? 'ok' : r.verification.problems.join('; ')}\n`
  );
}

export async function runRun(
  model: Model,
  options: { from: ModelSnapshot; tableName: string; checkpoint: string; segments: number; maxWcu?: number; maxRcu?: number; json: boolean; renames?: Record<string, Record<string, string>>; verifyPatterns?: { size: number } },
): Promise<number> {
  const client = migrationClient();
  try {
    let last = 0;
    const report = await runMigration(client, options.tableName, options.from, model, {
      checkpointFile: options.checkpoint,
      segments: options.segments,
      maxWriteUnits: options.maxWcu,
      maxReadUnits: options.maxRcu,
      renames: options.renames,
      verifyPatterns: options.verifyPatterns,
      onProgress: ({ scanned, rewritten, failed }) => {
        if (Date.now() - last < 1000) return;
        last = Date.now();
        process.stderr.write(`scanned ${scanned}, rewritten ${rewritten}, failed ${failed}\n`);
      },
    });
    process.stdout.write(options.json ? jsonOutput(report) : terminalText(renderReport(report), { keepNewlines: true }));
    return report.verification.ok ? 0 : 1;
  } finally {
    client.destroy();
  }
}

#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { loadPrices, peakRates, readTrafficProfile } from '../toolkit';
import { runCapacity } from './capacity';
import { runCost } from './cost';
import { runDemo } from './demo';
import { runDocs } from './docs';
import { runInit } from './init';
import { loadModel } from './load-model';
import { runPartitions } from './partitions';
import { terminalText } from './terminal';
import { runView } from './view';
import { runProjections } from './projections';
import { runServe } from './serve';
import { runStreams } from './streams';

// The SDK release we pin supports Node 20 on purpose; its upgrade notice would only clutter output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const USAGE = `single-table-kit <command> [--model FILE] [options]

Every command runs on the model FILE exports (TypeScript or JavaScript, default export or
\`model\`, made with defineModel); without --model, on the reference model. --size is the seed
size in the model's own unit (the reference model: users).

Commands:
  demo [--size N] [--json] [--keep-table]    seed the model and run every access pattern
  docs --write | --check [--file PATH] [--summary]
                                             regenerate / verify the access-pattern table between
                                             <!-- access-patterns:start/end --> markers (default README.md);
                                             --summary: operation and index only, no key conditions
  capacity [--size N] [--iterations N] [--json]
                                             read/write units per call of every access pattern, per index
  cost --profile FILE [--prices FILE] [--utilization U] [--size N] [--iterations N] [--json]
                                             monthly cost of a traffic profile on on-demand and on provisioned
                                             capacity (auto-scaling at U, default the profile's or 0.7), per
                                             pattern, with units per call measured on the engine
  hot-partitions --profile FILE [--size N] [--iterations N] [--top N] [--json]
                                             each partition's share of items and of units/s under a
                                             traffic profile; flags partitions over 3,000 RCU/s or 1,000 WCU/s
  view --out FILE [--profile FILE] [--prices FILE] [--size N] [--iterations N]
                                             one self-contained HTML page of the model: items per index,
                                             patterns lighting up the items they read, cost and hot partitions
  export --format cloudformation|cdk|terraform|workbench|iam [--out FILE] [--json] [--table-name NAME]
         [--profile FILE [--capacity FILE]] [--size N] [--patterns A,B] [--region R] [--account ID]
         [--alarm-topic ARN] [--tag KEY=VALUE]... [--actions A,B] [--tenant-value-case lower|upper]
                                             the model's table as infrastructure (on-demand, or provisioned with
                                             auto-scaling from a traffic profile), a NoSQL Workbench model with
                                             seeded sample data (--size 0: none), or a least-privilege IAM policy
                                             (--patterns / --actions narrow it; --tenant-value-case: the tenant
                                             values are already in the case ElectroDB gives the keys)
  export --examples DIR --write | --check    regenerate / verify an example of every format in DIR
  snapshot --out FILE [--table-name NAME]   the model's physical layout (keys, templates, attributes, indexes,
                                             projections, TTL, stream, patterns) as stable JSON, to commit
  diff --from SNAPSHOT [--json]              what changed physically since the snapshot, what it means for stored
                                             items, and which access patterns now send different requests
  migrate plan --from SNAPSHOT --table NAME [--segments N] [--max-wcu N] [--rename E.OLD=NEW]... [--dry-run]
         [--json]
                                             ordered steps, items to rewrite, RCU/WCU, dollars and time; --dry-run
                                             shows sample items before/after and proves by checksum nothing changed
  migrate run --from SNAPSHOT --table NAME --checkpoint FILE [--segments N] [--max-wcu N] [--max-rcu N]
         [--rename E.OLD=NEW]... [--verify-patterns SIZE] [--down --previous-model FILE] [--json]
                                             the plan, resumable from its checkpoint: parallel segments, rewrites
                                             conditioned on the item being unchanged, counts before/after;
                                             --verify-patterns seeds SIZE into the table and runs every pattern;
                                             --down takes the table back to --previous-model (reversible steps)
  import-workbench --in FILE [--json]        tables, indexes and facets of a NoSQL Workbench model
  projections [--profile FILE] [--prices FILE] [--size N] [--iterations N] [--json]
                                             per GSI: the attributes its patterns read, the cheapest projection
                                             serving them, and the write + storage cost it saves a month
  dax [--profile FILE] [--prices FILE] [--hit-ratio R] [--node-type T] [--nodes N] [--utilization U]
      [--size N] [--iterations N] [--json]
                                             per pattern, whether DAX would serve it and from which cache (item
                                             or query); with a traffic profile, a DAX cluster's monthly cost
                                             (default 3 × dax.r5.large) against the read capacity it saves at
                                             hit ratio R (default 0.8)
  streams [--size N] [--json]                seed the model with its stream consumers running (Lambda's batching,
                                             retries, bisect) on the embedded engine, or with DYNAMODB_ENDPOINT on
                                             a fresh table there through its Streams API; per handler: records,
                                             failures, retries, lag p50/p99 (exit 1 if records were discarded)
  serve [--port N] [--path FILE]             the embedded engine over HTTP on 127.0.0.1 (prints the endpoint
                                             when ready; in memory, or kept in FILE); Ctrl-C stops
  init DIR [--kit SPEC]                      scaffold a project with its own model, pattern tests and docs
                                             (--kit: the single-table-kit dependency spec, e.g. a tarball)

Every command answers --help (its own usage).

Environment: DYNAMODB_ENDPOINT (default: the embedded engine, in process), AWS_REGION, TABLE_NAME.`;

function wholeNumber(flag: string, value: string | undefined, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${flag} must be a whole number from ${min} to ${max}`);
  return n;
}

// Options every model command takes; `--users` is the reference model's older name for --size.
const MODEL_OPTIONS = { model: { type: 'string' }, size: { type: 'string' }, users: { type: 'string' } } as const;
const sizeOf = (values: { size?: string; users?: string }, fallback: number) =>
  wholeNumber('--size', values.size ?? values.users ?? String(fallback), 1, 1_000_000);
/** --utilization: the auto-scaling target, within DynamoDB's range; undefined when not given. */
function utilizationOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const u = Number(value);
  if (!(u >= 0.2 && u <= 0.9)) throw new Error('--utilization must be a number from 0.2 to 0.9');
  return u;
}

/** The usage lines of one command (from its line in USAGE to the next command's). */
function commandUsage(command: string): string | undefined {
  const lines = USAGE.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`  ${command} `) || l === `  ${command}`);
  if (start < 0) return undefined;
  let end = start + 1;
  while (end < lines.length && /^ {3,}\S/.test(lines[end] as string)) end += 1;
  // `export` has two forms, each its own entry.
  while (end < lines.length && (lines[end] as string).startsWith(`  ${command} `)) {
    end += 1;
    while (end < lines.length && /^ {3,}\S/.test(lines[end] as string)) end += 1;
  }
  return `single-table-kit ${lines.slice(start, end).join('\n').trim()}`;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== undefined && (rest.includes('--help') || rest.includes('-h') || ((command === 'help' || command === '--help') && rest.length > 0))) {
    const name = command === 'help' || command === '--help' ? (rest[0] as string) : command;
    const usage = commandUsage(name);
    if (usage === undefined) {
      process.stderr.write(`unknown command ${terminalText(name)}\n\n${USAGE}\n`);
      return 1;
    }
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  switch (command) {
    case 'demo': {
      const { values } = parseArgs({ args: rest, options: { ...MODEL_OPTIONS, json: { type: 'boolean', default: false }, 'keep-table': { type: 'boolean', default: false } } });
      return runDemo(await loadModel(values.model), { size: sizeOf(values, 300), json: values.json ?? false, keepTable: values['keep-table'] ?? false });
    }
    case 'docs': {
      const { values } = parseArgs({ args: rest, options: { model: { type: 'string' }, write: { type: 'boolean', default: false }, check: { type: 'boolean', default: false }, file: { type: 'string', default: 'README.md' }, summary: { type: 'boolean', default: false } } });
      if (values.write === values.check) throw new Error('docs needs exactly one of --write or --check');
      return runDocs(await loadModel(values.model), values.file ?? 'README.md', values.write ? 'write' : 'check', values.summary ? 'summary' : 'full');
    }
    case 'serve': {
      const { values } = parseArgs({ args: rest, options: { port: { type: 'string', default: '0' }, path: { type: 'string' } } });
      return runServe({ port: wholeNumber('--port', values.port, 0, 65535), path: values.path });
    }
    case 'capacity': {
      const { values } = parseArgs({ args: rest, options: { ...MODEL_OPTIONS, iterations: { type: 'string', default: '10' }, json: { type: 'boolean', default: false } } });
      return runCapacity(await loadModel(values.model), { size: sizeOf(values, 200), iterations: wholeNumber('--iterations', values.iterations, 1, 1000), json: values.json ?? false });
    }
    case 'cost': {
      const { values } = parseArgs({
        args: rest,
        options: {
          ...MODEL_OPTIONS,
          profile: { type: 'string' },
          prices: { type: 'string' },
          utilization: { type: 'string' },
          iterations: { type: 'string', default: '5' },
          json: { type: 'boolean', default: false },
        },
      });
      if (!values.profile) throw new Error('cost needs --profile FILE: requests per second per access pattern (docs/reports.md shows the format)');
      const utilization = utilizationOf(values.utilization);
      const profile = readTrafficProfile(values.profile);
      return runCost(await loadModel(values.model), {
        profile,
        prices: values.prices ? loadPrices(values.prices) : undefined,
        targetUtilization: utilization,
        size: sizeOf(values, 100),
        iterations: wholeNumber('--iterations', values.iterations, 1, 1000),
        json: values.json ?? false,
      });
    }
    case 'hot-partitions': {
      const { values } = parseArgs({
        args: rest,
        options: {
          ...MODEL_OPTIONS,
          profile: { type: 'string' },
          iterations: { type: 'string', default: '20' },
          top: { type: 'string', default: '15' },
          json: { type: 'boolean', default: false },
        },
      });
      if (!values.profile) throw new Error('hot-partitions needs --profile FILE: requests per second per access pattern (docs/reports.md shows the format)');
      const profile = readTrafficProfile(values.profile);
      const model = await loadModel(values.model);
      const { checkProfilePatterns, modelPatternsOnly } = await import('./cost');
      // A planned pattern (units given, not in the model) has no partitions to load.
      checkProfilePatterns(model, profile.patterns);
      return runPartitions(model, {
        requestsPerSecond: peakRates(modelPatternsOnly(model, profile)),
        size: sizeOf(values, 200),
        iterations: wholeNumber('--iterations', values.iterations, 1, 1000),
        top: wholeNumber('--top', values.top, 1, 1000),
        json: values.json ?? false,
      });
    }
    case 'view': {
      const { values } = parseArgs({
        args: rest,
        options: { ...MODEL_OPTIONS, out: { type: 'string' }, profile: { type: 'string' }, prices: { type: 'string' }, iterations: { type: 'string', default: '3' } },
      });
      if (!values.out) throw new Error('view needs --out FILE: where to write the HTML page');
      return runView(await loadModel(values.model), {
        out: values.out,
        profile: values.profile ? readTrafficProfile(values.profile) : undefined,
        prices: values.prices ? loadPrices(values.prices) : undefined,
        size: sizeOf(values, 20),
        iterations: wholeNumber('--iterations', values.iterations, 1, 100),
      });
    }
    case 'export': {
      const { values } = parseArgs({
        args: rest,
        options: {
          ...MODEL_OPTIONS,
          format: { type: 'string' },
          out: { type: 'string' },
          json: { type: 'boolean', default: false },
          'table-name': { type: 'string' },
          profile: { type: 'string' },
          capacity: { type: 'string' },
          patterns: { type: 'string' },
          region: { type: 'string' },
          account: { type: 'string' },
          'alarm-topic': { type: 'string' },
          tag: { type: 'string', multiple: true },
          actions: { type: 'string' },
          'tenant-value-case': { type: 'string' },
          examples: { type: 'string' },
          write: { type: 'boolean', default: false },
          check: { type: 'boolean', default: false },
        },
      });
      const { EXPORT_FORMATS, readCapacityFile, runExport, runExportExamples } = await import('./export');
      const model = await loadModel(values.model);
      if (values.examples !== undefined) {
        if (values.write === values.check) throw new Error('export --examples DIR needs exactly one of --write or --check');
        return runExportExamples(model, values.examples, values.write ? 'write' : 'check');
      }
      const format = EXPORT_FORMATS.find((f) => f === values.format);
      if (!format) throw new Error(`--format must be one of ${EXPORT_FORMATS.join(', ')}${values.format ? `, got ${values.format}` : ''}`);
      if (values.capacity && !values.profile) throw new Error('--capacity needs --profile: units per call only size provisioned capacity');
      const tenantValueCase = values['tenant-value-case'];
      if (tenantValueCase !== undefined && tenantValueCase !== 'lower' && tenantValueCase !== 'upper') throw new Error(`--tenant-value-case must be lower or upper, got ${tenantValueCase}`);
      if ((values.actions !== undefined || tenantValueCase !== undefined) && format !== 'iam') throw new Error('--actions and --tenant-value-case are for --format iam');
      // No prototype: a tag named __proto__ is a tag like any other.
      const tags = Object.create(null) as Record<string, string>;
      for (const t of values.tag ?? []) {
        const m = /^([^=]+)=([\s\S]*)$/.exec(t);
        if (!m) throw new Error(`--tag must be KEY=VALUE, got ${t}`);
        tags[m[1] as string] = m[2] as string;
      }
      return runExport(model, {
        format,
        json: values.json ?? false,
        out: values.out,
        tableName: values['table-name'],
        profile: values.profile ? readTrafficProfile(values.profile) : undefined,
        capacity: values.capacity ? readCapacityFile(values.capacity) : undefined,
        size: values.size === undefined && values.users === undefined ? 10 : wholeNumber('--size', values.size ?? values.users, 0, 10_000),
        patterns: values.patterns?.split(',').map((p) => p.trim()).filter(Boolean),
        actions: values.actions?.split(',').map((a) => a.trim()).filter(Boolean),
        tenantValueCase,
        region: values.region,
        accountId: values.account,
        alarmTopicArn: values['alarm-topic'],
        tags: Object.keys(tags).length ? tags : undefined,
      });
    }
    case 'snapshot': {
      const { values } = parseArgs({ args: rest, options: { model: { type: 'string' }, out: { type: 'string' }, 'table-name': { type: 'string' } } });
      if (!values.out) throw new Error('snapshot needs --out FILE: where to write the snapshot (commit it beside the model)');
      const { runSnapshot } = await import('./migrate');
      return runSnapshot(await loadModel(values.model), { out: values.out, tableName: values['table-name'] ?? process.env.TABLE_NAME ?? 'table' });
    }
    case 'diff': {
      const { values } = parseArgs({ args: rest, options: { model: { type: 'string' }, from: { type: 'string' }, json: { type: 'boolean', default: false } } });
      if (!values.from) throw new Error('diff needs --from SNAPSHOT: a file written by `snapshot`');
      const { runDiff } = await import('./migrate');
      return runDiff(await loadModel(values.model), { from: values.from, json: values.json ?? false });
    }
    case 'migrate': {
      const [sub, ...args] = rest;
      const { values } = parseArgs({
        args,
        options: {
          model: { type: 'string' },
          from: { type: 'string' },
          table: { type: 'string' },
          checkpoint: { type: 'string' },
          segments: { type: 'string', default: '4' },
          'max-wcu': { type: 'string' },
          'max-rcu': { type: 'string' },
          rename: { type: 'string', multiple: true },
          'dry-run': { type: 'boolean', default: false },
          down: { type: 'boolean', default: false },
          'previous-model': { type: 'string' },
          'verify-patterns': { type: 'string' },
          json: { type: 'boolean', default: false },
        },
      });
      const m = await import('./migrate');
      const tableName = values.table ?? process.env.TABLE_NAME;
      if (sub !== 'plan' && sub !== 'run') throw new Error('migrate needs plan or run: single-table-kit migrate plan|run --from SNAPSHOT --table NAME');
      if (!tableName) throw new Error(`migrate ${sub} needs --table NAME (or TABLE_NAME): the table to migrate`);
      const maxWcu = values['max-wcu'] === undefined ? undefined : wholeNumber('--max-wcu', values['max-wcu'], 1, 10_000_000);
      const maxRcu = values['max-rcu'] === undefined ? undefined : wholeNumber('--max-rcu', values['max-rcu'], 1, 10_000_000);
      const renames = m.parseRenames(values.rename);
      const model = await loadModel(values.model);
      const segments = wholeNumber('--segments', values.segments, 1, 1000);
      if (sub === 'plan') {
        if (!values.from) throw new Error('migrate plan needs --from SNAPSHOT: the snapshot of the model the table is in');
        return m.runPlan(model, { from: values.from, tableName, json: values.json ?? false, dryRun: values['dry-run'] ?? false, maxWcu, renames, segments });
      }
      if (!values.checkpoint) throw new Error('migrate run needs --checkpoint FILE: where the run records its progress (resume by running again with it)');
      const verifyPatterns = values['verify-patterns'] === undefined ? undefined : { size: wholeNumber('--verify-patterns', values['verify-patterns'], 1, 10_000) };
      if (values.down) {
        // Down: from the model's own layout back to the previous model's, only if every step up was reversible.
        if (!values['previous-model']) throw new Error('migrate run --down needs --previous-model FILE: the model to go back to');
        const previous = await loadModel(values['previous-model']);
        const { snapshotModel, diffSnapshots } = await import('../toolkit');
        const up = diffSnapshots(snapshotModel(previous, tableName), snapshotModel(model, tableName));
        const lost = up.changes.filter((c) => c.kind === 'entity-index-removed' || (c.kind === 'attribute-added' && c.hasDefault));
        if (lost.length) process.stderr.write(`note: going down leaves ${lost.map((c) => c.kind).join(', ')} data in place (the previous model ignores it)\n`);
        return m.runRun(previous, { from: snapshotModel(model, tableName), tableName, checkpoint: values.checkpoint, segments, maxWcu, maxRcu, json: values.json ?? false, renames, verifyPatterns });
      }
      if (!values.from) throw new Error('migrate run needs --from SNAPSHOT: the snapshot of the model the table is in');
      return m.runRun(model, { from: m.readSnapshotFile(values.from), tableName, checkpoint: values.checkpoint, segments, maxWcu, maxRcu, json: values.json ?? false, renames, verifyPatterns });
    }
    case 'import-workbench': {
      const { values } = parseArgs({ args: rest, options: { in: { type: 'string' }, json: { type: 'boolean', default: false } } });
      if (!values.in) throw new Error('import-workbench needs --in FILE: a NoSQL Workbench model (JSON, Version 3.0)');
      const { runImportWorkbench } = await import('./export');
      return runImportWorkbench(values.in, values.json ?? false);
    }
    case 'dax': {
      const { values } = parseArgs({
        args: rest,
        options: {
          ...MODEL_OPTIONS,
          profile: { type: 'string' },
          prices: { type: 'string' },
          'hit-ratio': { type: 'string' },
          'node-type': { type: 'string' },
          nodes: { type: 'string' },
          utilization: { type: 'string' },
          iterations: { type: 'string', default: '3' },
          json: { type: 'boolean', default: false },
        },
      });
      const hitRatio = values['hit-ratio'] === undefined ? undefined : Number(values['hit-ratio']);
      if (hitRatio !== undefined && !(hitRatio >= 0 && hitRatio <= 1)) throw new Error('--hit-ratio must be a number from 0 to 1');
      const utilization = utilizationOf(values.utilization);
      const { runDax } = await import('./dax');
      const { DEFAULT_DAX_CLUSTER } = await import('../toolkit');
      return runDax(await loadModel(values.model), {
        profile: values.profile ? readTrafficProfile(values.profile) : undefined,
        prices: values.prices ? loadPrices(values.prices) : undefined,
        hitRatio,
        cluster: { nodeType: values['node-type'] ?? DEFAULT_DAX_CLUSTER.nodeType, nodes: values.nodes === undefined ? DEFAULT_DAX_CLUSTER.nodes : wholeNumber('--nodes', values.nodes, 1, 11) },
        targetUtilization: utilization,
        size: sizeOf(values, 100),
        iterations: wholeNumber('--iterations', values.iterations, 1, 1000),
        json: values.json ?? false,
      });
    }
    case 'projections': {
      const { values } = parseArgs({
        args: rest,
        options: { ...MODEL_OPTIONS, profile: { type: 'string' }, prices: { type: 'string' }, iterations: { type: 'string', default: '3' }, json: { type: 'boolean', default: false } },
      });
      return runProjections(await loadModel(values.model), {
        profile: values.profile ? readTrafficProfile(values.profile) : undefined,
        prices: values.prices ? loadPrices(values.prices) : undefined,
        size: sizeOf(values, 100),
        iterations: wholeNumber('--iterations', values.iterations, 1, 1000),
        json: values.json ?? false,
      });
    }
    case 'streams': {
      const { values } = parseArgs({ args: rest, options: { ...MODEL_OPTIONS, json: { type: 'boolean', default: false } } });
      return runStreams(await loadModel(values.model), { size: sizeOf(values, 50), json: values.json ?? false, endpoint: process.env.DYNAMODB_ENDPOINT || undefined });
    }
    case 'init': {
      const { positionals, values } = parseArgs({ args: rest, allowPositionals: true, options: { kit: { type: 'string' } } });
      if (positionals.length !== 1) throw new Error('init needs exactly one directory: single-table-kit init DIR [--kit SPEC]');
      return runInit(positionals[0] as string, { kit: values.kit });
    }
    case undefined:
    case 'help':
    case '--help':
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? 1 : 0;
    default:
      process.stderr.write(`unknown command ${terminalText(command)}\n\n${USAGE}\n`);
      return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Messages quote data (file contents, names): escaped, so a file cannot drive the terminal.
    process.stderr.write(`${terminalText(error instanceof Error ? error.message : String(error), { keepNewlines: true })}\n`);
    process.exitCode = 1;
  },
);

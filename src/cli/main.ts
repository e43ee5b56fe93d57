#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { loadPrices, peakRates, readTrafficProfile } from '../toolkit';
import { runCapacity } from './capacity';
import { runCost } from './cost';
import { runDemo } from './demo';
import { runDocs } from './docs';
import { loadModel } from './load-model';
import { runPartitions } from './partitions';
import { runProjections } from './projections';

// The SDK release we pin supports Node 20 on purpose; its upgrade notice would only clutter output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const USAGE = `single-table-kit <command> [--model FILE] [options]

Every command runs on the model FILE exports (TypeScript or JavaScript, default export or
\`model\`, made with defineModel); without --model, on the reference model. --size is the seed
size in the model's own unit (the reference model: users).

Commands:
  demo [--size N] [--json] [--keep-table]    seed the model on DynamoDB Local and run every access pattern
  docs --write | --check [--file PATH]       regenerate / verify the access-pattern table between
                                             <!-- access-patterns:start/end --> markers (default README.md)
  capacity [--size N] [--iterations N] [--json]
                                             read/write units per call of every access pattern, per index
  cost --profile FILE [--prices FILE] [--utilization U] [--size N] [--iterations N] [--json]
                                             monthly cost of a traffic profile on on-demand and on provisioned
                                             capacity (auto-scaling at U, default the profile's or 0.7), per
                                             pattern, with units per call measured on DynamoDB Local
  hot-partitions --profile FILE [--size N] [--iterations N] [--top N] [--json]
                                             each partition's share of items and of units/s under a
                                             traffic profile; flags partitions over 3,000 RCU/s or 1,000 WCU/s
  projections [--profile FILE] [--prices FILE] [--size N] [--iterations N] [--json]
                                             per GSI: the attributes its patterns read, the cheapest projection
                                             serving them, and the write + storage cost it saves a month
  init DIR                                   scaffold a project with its own model, tests and docs

Environment: DYNAMODB_ENDPOINT (default: an embedded DynamoDB Local), AWS_REGION, TABLE_NAME.`;

function wholeNumber(flag: string, value: string | undefined, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${flag} must be a whole number from ${min} to ${max}`);
  return n;
}

// Options every model command takes; `--users` is the reference model's older name for --size.
const MODEL_OPTIONS = { model: { type: 'string' }, size: { type: 'string' }, users: { type: 'string' } } as const;
const sizeOf = (values: { size?: string; users?: string }, fallback: number) =>
  wholeNumber('--size', values.size ?? values.users ?? String(fallback), 1, 1_000_000);

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'demo': {
      const { values } = parseArgs({ args: rest, options: { ...MODEL_OPTIONS, json: { type: 'boolean', default: false }, 'keep-table': { type: 'boolean', default: false } } });
      return runDemo(await loadModel(values.model), { size: sizeOf(values, 300), json: values.json ?? false, keepTable: values['keep-table'] ?? false });
    }
    case 'docs': {
      const { values } = parseArgs({ args: rest, options: { model: { type: 'string' }, write: { type: 'boolean', default: false }, check: { type: 'boolean', default: false }, file: { type: 'string', default: 'README.md' } } });
      if (values.write === values.check) throw new Error('docs needs exactly one of --write or --check');
      return runDocs(await loadModel(values.model), values.file ?? 'README.md', values.write ? 'write' : 'check');
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
      const utilization = values.utilization === undefined ? undefined : Number(values.utilization);
      if (utilization !== undefined && !(utilization >= 0.2 && utilization <= 0.9)) throw new Error('--utilization must be a number from 0.2 to 0.9');
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
      return runPartitions(await loadModel(values.model), {
        requestsPerSecond: peakRates(readTrafficProfile(values.profile)),
        size: sizeOf(values, 200),
        iterations: wholeNumber('--iterations', values.iterations, 1, 1000),
        top: wholeNumber('--top', values.top, 1, 1000),
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
    case 'init': {
      const { positionals } = parseArgs({ args: rest, allowPositionals: true, options: {} });
      if (positionals.length !== 1) throw new Error('init needs exactly one directory: single-table-kit init DIR');
      const { runInit } = await import('./init');
      return runInit(positionals[0] as string);
    }
    case undefined:
    case 'help':
    case '--help':
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? 1 : 0;
    default:
      process.stderr.write(`unknown command ${command}\n\n${USAGE}\n`);
      return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);

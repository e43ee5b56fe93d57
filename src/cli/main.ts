#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { runDemo } from './demo';
import { runCapacity } from './capacity';
import { runCost } from './cost';
import { loadPrices } from '../cost/prices';
import { peakRates, readTrafficProfile } from '../cost/traffic-profile';
import { runDocs } from './docs';
import { runPartitions } from './partitions';

// The SDK release we pin supports Node 20 on purpose; its upgrade notice would only clutter output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const USAGE = `single-table-kit <command> [options]

Commands:
  demo [--users N] [--json] [--keep-table]   seed a dataset on DynamoDB Local and run every access pattern
  docs --write | --check [--readme PATH]     regenerate / verify the README's access-pattern table
  capacity [--users N] [--iterations N] [--json]
                                             read/write units per call of every access pattern, per index
  cost --profile FILE [--prices FILE] [--utilization U] [--users N] [--iterations N] [--json]
                                             monthly cost of a traffic profile on on-demand and on provisioned
                                             capacity (auto-scaling at U, default the profile's or 0.7), per
                                             pattern, with units per call measured on DynamoDB Local
  hot-partitions --profile FILE [--shards N] [--users N] [--iterations N] [--top N] [--json]
                                             each partition's share of items and of units/s under a
                                             traffic profile; flags partitions over 3,000 RCU/s or 1,000 WCU/s

Environment: DYNAMODB_ENDPOINT (default: an embedded DynamoDB Local), AWS_REGION, TABLE_NAME.`;

function wholeNumber(flag: string, value: string | undefined, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${flag} must be a whole number from ${min} to ${max}`);
  return n;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'demo': {
      const { values } = parseArgs({ args: rest, options: { users: { type: 'string', default: '300' }, json: { type: 'boolean', default: false }, 'keep-table': { type: 'boolean', default: false } } });
      return runDemo({ users: wholeNumber('--users', values.users, 10, 100_000), json: values.json ?? false, keepTable: values['keep-table'] ?? false });
    }
    case 'docs': {
      const { values } = parseArgs({ args: rest, options: { write: { type: 'boolean', default: false }, check: { type: 'boolean', default: false }, readme: { type: 'string', default: 'README.md' } } });
      if (values.write === values.check) throw new Error('docs needs exactly one of --write or --check');
      return runDocs(values.readme ?? 'README.md', values.write ? 'write' : 'check');
    }
    case 'capacity': {
      const { values } = parseArgs({ args: rest, options: { users: { type: 'string', default: '200' }, iterations: { type: 'string', default: '10' }, json: { type: 'boolean', default: false } } });
      return runCapacity({ users: wholeNumber('--users', values.users, 10, 100_000), iterations: wholeNumber('--iterations', values.iterations, 1, 1000), json: values.json ?? false });
    }
    case 'cost': {
      const { values } = parseArgs({
        args: rest,
        options: {
          profile: { type: 'string' },
          prices: { type: 'string' },
          utilization: { type: 'string' },
          users: { type: 'string', default: '100' },
          iterations: { type: 'string', default: '5' },
          json: { type: 'boolean', default: false },
        },
      });
      if (!values.profile) throw new Error('cost needs --profile FILE (see examples/reference-profile.json)');
      const utilization = values.utilization === undefined ? undefined : Number(values.utilization);
      if (utilization !== undefined && !(utilization >= 0.2 && utilization <= 0.9)) throw new Error('--utilization must be a number from 0.2 to 0.9');
      return runCost({
        profile: readTrafficProfile(values.profile),
        prices: values.prices ? loadPrices(values.prices) : undefined,
        targetUtilization: utilization,
        users: wholeNumber('--users', values.users, 10, 100_000),
        iterations: wholeNumber('--iterations', values.iterations, 1, 1000),
        json: values.json ?? false,
      });
    }
    case 'hot-partitions': {
      const { values } = parseArgs({
        args: rest,
        options: {
          profile: { type: 'string' },
          shards: { type: 'string' },
          users: { type: 'string', default: '200' },
          iterations: { type: 'string', default: '20' },
          top: { type: 'string', default: '15' },
          json: { type: 'boolean', default: false },
        },
      });
      if (!values.profile) throw new Error('hot-partitions needs --profile FILE (see examples/reference-profile.json)');
      return runPartitions({
        requestsPerSecond: peakRates(readTrafficProfile(values.profile)),
        shards: values.shards === undefined ? undefined : wholeNumber('--shards', values.shards, 1, 64),
        users: wholeNumber('--users', values.users, 10, 100_000),
        iterations: wholeNumber('--iterations', values.iterations, 1, 1000),
        top: wholeNumber('--top', values.top, 1, 1000),
        json: values.json ?? false,
      });
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

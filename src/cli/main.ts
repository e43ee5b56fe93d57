#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { runDemo } from './demo';
import { runDocs } from './docs';

// The SDK release we pin supports Node 20 on purpose; its upgrade notice would only clutter output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const USAGE = `single-table-kit <command> [options]

Commands:
  demo [--users N] [--json] [--keep-table]   seed a dataset on DynamoDB Local and run every access pattern
  docs --write | --check [--readme PATH]     regenerate / verify the README's access-pattern table

Environment: DYNAMODB_ENDPOINT (default: an embedded DynamoDB Local), AWS_REGION, TABLE_NAME.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'demo': {
      const { values } = parseArgs({ args: rest, options: { users: { type: 'string', default: '300' }, json: { type: 'boolean', default: false }, 'keep-table': { type: 'boolean', default: false } } });
      const users = Number(values.users);
      if (!Number.isInteger(users) || users < 10 || users > 100_000) throw new Error('--users must be a whole number from 10 to 100000');
      return runDemo({ users, json: values.json ?? false, keepTable: values['keep-table'] ?? false });
    }
    case 'docs': {
      const { values } = parseArgs({ args: rest, options: { write: { type: 'boolean', default: false }, check: { type: 'boolean', default: false }, readme: { type: 'string', default: 'README.md' } } });
      if (values.write === values.check) throw new Error('docs needs exactly one of --write or --check');
      return runDocs(values.readme ?? 'README.md', values.write ? 'write' : 'check');
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

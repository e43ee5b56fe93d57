import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { localClientConfig } from '../../src/toolkit';

const root = resolve(__dirname, '..', '..');
const run = promisify(execFile);

/*
 * `single-table-kit streams` on an endpoint: the jest global setup serves our engine over HTTP
 * (DYNAMODB_ENDPOINT); the command runs in a child process and reads the stream through the
 * endpoint's Streams API, on a table of its own that it deletes afterwards.
 */
const endpoint = process.env.DYNAMODB_ENDPOINT as string;
const cli = (...args: string[]) =>
  run(process.execPath, [join(root, 'dist', 'cli', 'main.js'), 'streams', ...args], { cwd: root, env: { ...process.env, DYNAMODB_ENDPOINT: endpoint }, maxBuffer: 16 * 1024 * 1024, timeout: 120_000 });

interface Report {
  model: string;
  endpoint: string;
  consumers: { consumer: string; records: number; discarded: number; handlers: { handler: string; records: number; failures: number }[] }[];
}

const runTables = async () => {
  const client = new DynamoDBClient(localClientConfig(endpoint));
  try {
    const names: string[] = [];
    let start: string | undefined;
    do {
      const page = await client.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
      names.push(...(page.TableNames ?? []));
      start = page.LastEvaluatedTableName;
    } while (start);
    return names.filter((n) => n.startsWith('streams-run-'));
  } finally {
    client.destroy();
  }
};

it('runs the reference model consumer through the endpoint Streams API and leaves no table behind', async () => {
  expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
  const before = await runTables();
  const { stdout } = await cli('--size', '3', '--json');
  const report = JSON.parse(stdout) as Report;
  expect(report.endpoint).toBe(endpoint);
  const c = report.consumers[0];
  expect(c?.consumer).toBe('membership-names');
  expect(c?.handlers.find((h) => h.handler === 'user.modify')).toEqual(expect.objectContaining({ failures: 0, records: expect.any(Number) }));
  expect(c?.handlers.find((h) => h.handler === 'user.modify')?.records).toBeGreaterThan(0);
  expect(c?.discarded).toBe(0);
  expect(await runTables()).toEqual(before);
}, 150_000);

it('runs a second model with a hostile handler key over the endpoint, escaped in the table', async () => {
  const { stdout } = await cli('--model', 'test/fixtures/library-streams-model.ts', '--size', '2');
  expect(stdout).not.toContain('\u001b');
  expect(stdout).toMatch(/loan-log\s+│ loan\\x1b\[31m\.insert\s+│\s+[1-9]\d*\s+│\s+0 /);
  expect(stdout).toContain(`read through the Streams API of ${endpoint}`);
  const json = JSON.parse((await cli('--model', 'test/fixtures/library-streams-model.ts', '--size', '2', '--json')).stdout) as Report;
  expect(json.consumers[0]?.handlers).toEqual([expect.objectContaining({ handler: 'loan\u001b[31m.insert', failures: 0 })]);
  expect(json.consumers[0]?.records).toBeGreaterThanOrEqual(4);
}, 150_000);

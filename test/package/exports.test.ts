import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { validateEmfLine } from '../../src/toolkit';

const root = resolve(__dirname, '..', '..');

describe('the package as a consumer sees it', () => {
  let consumer: string;
  beforeAll(() => {
    consumer = mkdtempSync(join(tmpdir(), 'stk-consumer-'));
    mkdirSync(join(consumer, 'node_modules'));
    // Resolve through the package's own name and "exports", as an installed dependency would.
    symlinkSync(root, join(consumer, 'node_modules', 'single-table-kit'), 'dir');
    writeFileSync(join(consumer, 'package.json'), '{"name":"consumer","private":true}');
  }, 120_000);
  afterAll(() => rmSync(consumer, { recursive: true, force: true }));

  const run = (file: string, code: string) => {
    writeFileSync(join(consumer, file), code);
    return execFileSync(process.execPath, [file], { cwd: consumer, encoding: 'utf8', env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } }).trim();
  };

  it('works with require()', () => {
    expect(run('a.cjs', "const k = require('single-table-kit'); const r = require('single-table-kit/reference'); const t = require('single-table-kit/testing'); console.log(typeof r.createServices, typeof k.RequestRecorder, r.catalog.length > 20, typeof t.createModelFixture, typeof require('single-table-kit/testing/global-setup').default);")).toBe('function function true function function');
  });

  it('works with import', () => {
    expect(run('b.mjs', "import { ValidationError } from 'single-table-kit'; import { createServices, tableDefinition } from 'single-table-kit/reference'; import setup from 'single-table-kit/testing/global-setup'; console.log(typeof createServices, new ValidationError([{ field: 'f', rule: 'r' }]).code, tableDefinition({ tableName: 't' }).input.TableName, typeof setup);")).toBe('function VALIDATION t function');
  });

  it('flushes buffered EMF metrics lines to standard output when the process exits', () => {
    const out = run(
      'c.cjs',
      "const { EmfMetrics } = require('single-table-kit'); const m = new EmfMetrics({ namespace: 'Exit' });" +
        " m.record({ operation: 'GetItem', tables: ['t'], index: undefined, pattern: 'p', readUnits: 0.5, writeUnits: 0, itemCount: 1, scannedCount: undefined, durationMs: 1, error: undefined, startedAt: Date.now() });" +
        " console.error('pending', m.pending);",
    );
    const lines = out.split('\n');
    expect(lines).toHaveLength(1);
    expect(validateEmfLine(lines[0]!)).toEqual([]);
    expect(JSON.parse(lines[0]!)).toMatchObject({ pattern: 'p', ReadCapacityUnits: 0.5, _aws: { CloudWatchMetrics: [{ Namespace: 'Exit' }] } });
  });
});

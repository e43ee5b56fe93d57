import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = join(__dirname, '..', '..');
const cli = async (...args: string[]): Promise<unknown> => {
  const { stdout } = await run(process.execPath, [join(root, 'dist', 'cli', 'main.js'), ...args], {
    cwd: root,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout);
};

interface DemoRow {
  pattern: string;
  kind: string;
  readUnits: number;
  writeUnits: number;
  reportedReadUnits: number;
  reportedWriteUnits: number;
}
interface CapacityRow {
  pattern: string;
  readUnitsPerCall: number;
  writeUnitsPerCall: number;
}

/*
 * One truth for units: `demo` shows DynamoDB's rules, the same units `capacity` (and `cost`)
 * use, and keeps the endpoint's own report beside them. The embedded engine reports by the same
 * rules (one implementation), so on it the two agree on every pattern; DynamoDB Local would differ
 * on the transactional writes (2 units per transactional item write:
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html#transaction-capacity-handling).
 */
describe('demo units', () => {
  it('are the units capacity reports for the transactional writes, and the engine reports the same units for every pattern', async () => {
    const demo = (await cli('demo', '--json', '--size', '4')) as { patterns: DemoRow[] };
    const capacity = (await cli('capacity', '--json', '--size', '4', '--iterations', '1')) as { patterns: CapacityRow[] };
    expect(demo.patterns.length).toBeGreaterThan(20);
    for (const row of demo.patterns) {
      expect([row.pattern, row.reportedReadUnits, row.reportedWriteUnits]).toEqual([row.pattern, row.readUnits, row.writeUnits]);
    }
    // The patterns DynamoDB Local under-reports: demo and capacity give the same rules' units.
    for (const name of ['changeUserEmail', 'addMember', 'placeOrder']) {
      const row = demo.patterns.find((r) => r.pattern === name);
      const same = capacity.patterns.find((c) => c.pattern === name);
      expect([name, row?.writeUnits, row?.readUnits]).toEqual([name, same?.writeUnitsPerCall, same?.readUnitsPerCall]);
      expect(row?.writeUnits).toBeGreaterThan(0);
    }
  });
});

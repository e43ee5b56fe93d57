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
 * use, and keeps DynamoDB Local's own report beside them. On the reference model the
 * transactional writes are where DynamoDB Local under-reports (2 units per transactional item
 * write: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html#transaction-capacity-handling).
 */
describe('demo units', () => {
  it('are the units capacity reports for every write pattern, with the engine\'s report kept beside them', async () => {
    const demo = (await cli('demo', '--json', '--size', '4')) as { patterns: DemoRow[] };
    const capacity = (await cli('capacity', '--json', '--size', '4', '--iterations', '1')) as { patterns: CapacityRow[] };
    for (const row of demo.patterns) {
      expect([row.pattern, typeof row.reportedReadUnits, typeof row.reportedWriteUnits]).toEqual([row.pattern, 'number', 'number']);
    }
    // Where DynamoDB Local's report differs (transactions), the demo shows DynamoDB's rules: the
    // units capacity gives. (Elsewhere both runs agree too, up to the sizes of the items each run touched.)
    const differing = demo.patterns.filter((r) => r.writeUnits !== r.reportedWriteUnits || r.readUnits !== r.reportedReadUnits);
    expect(differing.length).toBeGreaterThan(0);
    for (const row of differing) {
      const same = capacity.patterns.find((c) => c.pattern === row.pattern);
      expect([row.pattern, row.writeUnits, row.readUnits]).toEqual([row.pattern, same?.writeUnitsPerCall, same?.readUnitsPerCall]);
    }
  });
});

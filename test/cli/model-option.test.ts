import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const root = resolve(__dirname, '..', '..');
const run = promisify(execFile);

/*
 * The CLI on a model written outside the repo, as a user would: `init` scaffolds it (its own key
 * names, catalog, services, seed and runners, in TypeScript, no build step), and every command
 * takes it with --model. Its dependencies resolve to this checkout through node_modules links.
 */
describe('single-table-kit <command> --model FILE on a model outside the repo', () => {
  let dir: string;
  const cli = (...args: string[]) =>
    run(process.execPath, [join(root, 'dist', 'cli', 'main.js'), ...args], { cwd: dir, env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' }, maxBuffer: 16 * 1024 * 1024 });

  beforeAll(() => {
    const parent = mkdtempSync(join(tmpdir(), 'stk-user-'));
    dir = join(parent, 'tickets-app');
    execFileSync(process.execPath, [join(root, 'dist', 'cli', 'main.js'), 'init', dir], { stdio: 'pipe' });
    mkdirSync(join(dir, 'node_modules', '@aws-sdk'), { recursive: true });
    symlinkSync(root, join(dir, 'node_modules', 'single-table-kit'), 'dir');
    for (const dep of ['electrodb', '@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb', 'zod']) symlinkSync(join(root, 'node_modules', dep), join(dir, 'node_modules', dep), 'dir');
  }, 120_000);
  afterAll(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

  it('init writes the README table from the new catalog, and docs --check agrees with it', async () => {
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain('| `listTasksByAssignee` | read, paged |');
    const { stdout } = await cli('docs', '--check', '--model', 'src/model.ts');
    expect(stdout).toContain('access-pattern table matches the catalog');
  });

  it('capacity measures the model\'s own patterns on DynamoDB Local and names the model', async () => {
    const { stdout } = await cli('capacity', '--model', 'src/model.ts', '--size', '6', '--iterations', '1', '--json');
    const report = JSON.parse(stdout) as { model: string; patterns: { pattern: string; byIndex: Record<string, unknown> }[] };
    expect(report.model).toBe('tickets-app');
    expect(report.patterns.map((p) => p.pattern)).toEqual(['createProject', 'getProject', 'addTask', 'listProjectTasks', 'listTasksByAssignee', 'getBoard']);
    expect(Object.keys(report.patterns.find((p) => p.pattern === 'listTasksByAssignee')?.byIndex ?? {})).toEqual(['GSI1']);
  }, 120_000);

  it('cost and hot-partitions refuse a profile naming a pattern the model lacks, before measuring anything', async () => {
    writeFileSync(join(dir, 'typo.json'), JSON.stringify({ patterns: { getProject: { requestsPerSecond: 10 }, getProjcet: { requestsPerSecond: 1 } } }));
    for (const command of ['cost', 'hot-partitions']) {
      const error = await cli(command, '--model', 'src/model.ts', '--profile', 'typo.json').catch((e: { code: number; stderr: string }) => e);
      expect(error).toMatchObject({ code: 1, stderr: expect.stringContaining("patterns.getProjcet: the model's catalog has no access pattern of that name") });
    }
  });

  it('refuses a file that does not export a model, saying what it expected', async () => {
    writeFileSync(join(dir, 'not-a-model.ts'), 'export const x: number = 1;\n');
    const error = await cli('demo', '--model', 'not-a-model.ts').catch((e: { code: number; stderr: string }) => e);
    expect(error).toMatchObject({ code: 1, stderr: expect.stringMatching(/--model not-a-model\.ts: invalid model: name must be a non-empty string.*export the model as default or as `model`/) });
  });
});

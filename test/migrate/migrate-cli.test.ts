import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { openModelSession, runMigration, snapshotModel, stableJson, tableChecksum, type Model } from '../../src/toolkit';
import { referenceModel } from '../../src/reference';
import { referenceModelBeforeStatusSortKey } from '../../src/reference/migrations/status-sort-key';

const root = resolve(__dirname, '..', '..');
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'stk-migrate-cli-'));
const cli = (...args: string[]) =>
  run(process.execPath, [join(root, 'dist', 'cli', 'main.js'), ...args], { cwd: root, env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' }, maxBuffer: 16 * 1024 * 1024 });
const failure = async (...args: string[]) => {
  try {
    await cli(...args);
  } catch (error) {
    return (error as { stderr: string }).stderr;
  }
  throw new Error(`single-table-kit ${args.join(' ')} succeeded`);
};
const OLD_MODEL = 'src/reference/migrations/status-sort-key.ts';

describe('single-table-kit snapshot, diff and migrate', () => {
  it('the committed snapshot of the reference model before its migration is the one snapshot writes', async () => {
    const out = join(dir, 'before.json');
    await cli('snapshot', '--model', OLD_MODEL, '--out', out);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(join(root, 'docs', 'migrations', 'reference-before-status-sort-key.snapshot.json'), 'utf8'));
    expect(readFileSync(out, 'utf8')).toBe(stableJson(snapshotModel(referenceModelBeforeStatusSortKey, 'table')));
  });

  it('plan --dry-run writes nothing; run migrates, verified; bad input is refused before any write', async () => {
    const session = await openModelSession(referenceModel, {});
    try {
      await referenceModel.seed(session.services, { size: 8 });
      await runMigration(session.client, session.tableName, snapshotModel(referenceModel, session.tableName), referenceModelBeforeStatusSortKey as Model, { checkpointFile: join(dir, 'down.json') });
      const snapshot = join(dir, 'snap.json');
      await cli('snapshot', '--model', OLD_MODEL, '--out', snapshot, '--table-name', session.tableName);
      const diff = JSON.parse((await cli('diff', '--from', snapshot, '--json')).stdout) as { rewrite: string[]; patterns: { pattern: string }[] };
      expect(diff.rewrite).toEqual(['user']);
      expect(diff.patterns.map((p) => p.pattern)).toContain('listUsersByStatus');
      const checksum = await tableChecksum(session.client, session.tableName);
      const { stdout: planText } = await cli('migrate', 'plan', '--from', snapshot, '--table', session.tableName, '--dry-run');
      expect(planText).toContain('rewrite user (8 items)');
      expect(planText).toMatch(/gsi3sk: ".*#createdAt_[^"]*" -> ".*#createdAt_.*#userId_/);
      expect(planText).toContain('unchanged, nothing written');
      expect(await tableChecksum(session.client, session.tableName)).toEqual(checksum);

      // Refused before any write: a snapshot of another model, a model that does not load, a table that does not match, a broken checkpoint.
      const library = join(dir, 'library.json');
      await cli('snapshot', '--model', 'test/fixtures/library-model.ts', '--out', library);
      expect(await failure('migrate', 'run', '--from', library, '--table', session.tableName, '--checkpoint', join(dir, 'x.json'))).toMatch(/snapshot is of model "library.*not "reference/);
      const broken = join(dir, 'broken-model.ts');
      writeFileSync(broken, 'export default { name: 42 };\n');
      expect(await failure('migrate', 'plan', '--model', broken, '--from', snapshot, '--table', session.tableName)).toMatch(/--model .*broken-model\.ts: invalid model: name must be a non-empty string/);
      expect(await failure('migrate', 'plan', '--from', snapshot, '--table', 'no-such-table')).toMatch(/ResourceNotFound|not found|does not exist/i);
      const badCheckpoint = join(dir, 'bad-checkpoint.json');
      writeFileSync(badCheckpoint, '{"format":"single-table-kit/migration-checkpoint@1","migration":"other","tableName":"t"}');
      expect(await failure('migrate', 'run', '--from', snapshot, '--table', session.tableName, '--checkpoint', badCheckpoint)).toMatch(/checkpoint .* is of another migration/);
      expect(await tableChecksum(session.client, session.tableName)).toEqual(checksum);

      const { stdout } = await cli('migrate', 'run', '--from', snapshot, '--table', session.tableName, '--checkpoint', join(dir, 'up.json'), '--segments', '2', '--max-wcu', '100', '--json');
      const report = JSON.parse(stdout) as { rewritten: number; verification: { ok: boolean; stillToRewrite: number } };
      expect(report.rewritten).toBe(8);
      expect(report.verification).toMatchObject({ ok: true, stillToRewrite: 0 });
    } finally {
      await session.close();
    }
  }, 180_000);
});

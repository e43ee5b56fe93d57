import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Entity } from 'electrodb';
import { defineModel, openModelSession, runMigration, snapshotModel, stableJson, tableChecksum, type Model, type ModelSession } from '../../src/toolkit';
import { referenceModel } from '../../src/reference';
import { referenceModelBeforeStatusSortKey } from '../../src/reference/migrations/status-sort-key';
import { Loan, libraryModel } from '../fixtures/library-model';

const root = resolve(__dirname, '..', '..');
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'stk-migrate-plan-segments-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cli = (...args: string[]) => run(process.execPath, [join(root, 'dist', 'cli', 'main.js'), ...args], { cwd: root, env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' }, maxBuffer: 16 * 1024 * 1024 });
const refused = async (...args: string[]) => {
  try {
    await cli(...args);
  } catch (error) {
    return (error as { stderr: string }).stderr;
  }
  throw new Error(`single-table-kit ${args.join(' ')} succeeded`);
};
interface PlanJson {
  itemsByEntity: Record<string, number>;
  rewriteByEntity: Record<string, number>;
  samples: { entity: string; key: Record<string, unknown> }[];
}
const plan = async (...args: string[]) => JSON.parse((await cli('migrate', 'plan', ...args, '--json')).stdout) as PlanJson;

// The library model before its loans went to version 1: every loan's keys move.
const LoanV0 = new Entity({ ...(Loan.schema as object), model: { ...(Loan.schema.model as object), version: '0' } } as unknown as typeof Loan.schema);
const libraryBefore = defineModel({ ...libraryModel, entities: libraryModel.entities.map((e) => (e === Loan ? (LoanV0 as unknown as typeof e) : e)) });

/** A table seeded by the current model and taken back to `before`'s layout by a migration down, and that layout's snapshot as a file. */
async function oldLayoutTable(current: Model, before: Model): Promise<{ session: ModelSession<unknown>; snapshot: string }> {
  const session = await openModelSession(current, {});
  await current.seed(session.services, { size: 6 });
  await runMigration(session.client, session.tableName, snapshotModel(current, session.tableName), before, { checkpointFile: join(dir, `${session.tableName}-down.json`) });
  const snapshot = join(dir, `${session.tableName}.snapshot.json`);
  writeFileSync(snapshot, stableJson(snapshotModel(before, session.tableName)));
  return { session, snapshot };
}

describe('migrate plan --segments: the survey is complete with any segment count; 1 makes its samples repeat', () => {
  it.each([
    ['reference model (status sort key)', referenceModel as Model, referenceModelBeforeStatusSortKey as Model, [], 'user'],
    ['library model (loan version: every key moves)', libraryModel as Model, libraryBefore as Model, ['--model', 'test/fixtures/library-model.ts'], 'loan'],
  ])('%s', async (_name, current, before, modelArgs, entity) => {
    const { session, snapshot } = await oldLayoutTable(current, before);
    try {
      const args = [...modelArgs, '--from', snapshot, '--table', session.tableName];
      const checksum = await tableChecksum(session.client, session.tableName);
      for (const bad of ['0', '1001', '2.5', 'four']) {
        expect(await refused('migrate', 'plan', ...args, '--segments', bad)).toContain('--segments must be a whole number from 1 to 1000');
      }

      const one = await plan(...args, '--segments', '1');
      expect(one.rewriteByEntity[entity]).toBeGreaterThan(0);
      expect(one.rewriteByEntity[entity]).toBe(one.itemsByEntity[entity]);
      expect(one.samples.length).toBeGreaterThan(0);
      // One segment: the same samples every time (the Scan's first items to rewrite).
      expect((await plan(...args, '--segments', '1')).samples).toEqual(one.samples);
      for (const segments of ['3', '16']) {
        const many = await plan(...args, '--segments', segments);
        expect({ items: many.itemsByEntity, rewrite: many.rewriteByEntity }).toEqual({ items: one.itemsByEntity, rewrite: one.rewriteByEntity });
      }
      expect(await tableChecksum(session.client, session.tableName)).toEqual(checksum);
    } finally {
      await session.close();
    }
  }, 180_000);
});

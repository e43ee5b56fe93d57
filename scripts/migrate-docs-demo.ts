/*
 * The migration shown in docs/migrations.md ("3. Plan" and "4. Run, resume"), run for real: the
 * reference model's committed snapshot from before its status index's sort key changed, against a
 * table holding a FIXED set of users written in that old layout.
 *
 * generateDocs() is synchronous, and a CLI run needs a table behind DYNAMODB_ENDPOINT, so the
 * engine cannot live in the generator's process (spawnSync blocks its event loop). This file is
 * therefore both the function the generator calls (migrateDocsDemo: spawns this file as a child
 * through jiti) and that child (`--child`): it serves the engine on 127.0.0.1, creates the table,
 * writes the users, runs the built CLI (dist/cli/main.js, as a user would) and prints every
 * command's stdout as JSON. Nothing in the data is random or taken from the clock, so the output
 * is the same on every run.
 */
import { execFile, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchWriteAll, ensureTable, localClientConfig, modelTable, startEmbeddedDynamo, type WriteRequest } from '../src/toolkit';
import { EmailClaim, userStatusShard, type UserStatus } from '../src/entities';
import { referenceModelBeforeStatusSortKey, UserBeforeStatusSortKey } from '../src/reference/migrations/status-sort-key';

const root = join(__dirname, '..');
export const DEMO_TABLE = 'users-demo';
// The reference model before its status index's sort key changed (src/reference/migrations), as committed.
export const REFERENCE_SNAPSHOT = 'docs/migrations/reference-before-status-sort-key.snapshot.json';
export const DEMO_CHECKPOINT = 'migrate.checkpoint.json';

/** The users in the table before the migration: a handful of each status, fixed ids and times. */
export const DEMO_USERS: readonly { userId: string; name: string; status: UserStatus; createdAt: string }[] = (
  [
    ['Ada', 'active'],
    ['Grace', 'active'],
    ['Edsger', 'active'],
    ['Barbara', 'active'],
    ['Donald', 'active'],
    ['Frances', 'suspended'],
    ['Alan', 'suspended'],
    ['Margaret', 'suspended'],
    ['Ken', 'deactivated'],
    ['Radia', 'deactivated'],
    ['John', 'deactivated'],
  ] as const
).map(([name, status], i) => ({
  userId: `user-${String(i + 1).padStart(2, '0')}`,
  name,
  status,
  // Two users share a millisecond: the old sort key (createdAt alone) cannot order them.
  createdAt: `2026-01-${String(Math.min(i, 9) + 1).padStart(2, '0')}T09:00:00.000Z`,
}));

/** The commands shown, in order: a dry-run plan, the run, and the same run again (resumed). */
export const DEMO_COMMANDS: readonly (readonly string[])[] = [
  ['migrate', 'plan', '--from', REFERENCE_SNAPSHOT, '--table', DEMO_TABLE, '--segments', '1', '--dry-run'],
  ['migrate', 'run', '--from', REFERENCE_SNAPSHOT, '--table', DEMO_TABLE, '--checkpoint', DEMO_CHECKPOINT, '--segments', '1'],
  ['migrate', 'run', '--from', REFERENCE_SNAPSHOT, '--table', DEMO_TABLE, '--checkpoint', DEMO_CHECKPOINT, '--segments', '1'],
];

export interface DemoOutput {
  /** The command as a user types it (`single-table-kit migrate ...`). */
  command: string;
  /** Its stdout, unchanged. */
  stdout: string;
}

/** Each user as the old model stores it, with its email claim (createUser writes both). */
function oldLayoutItems(): WriteRequest[] {
  return DEMO_USERS.flatMap((u) => {
    const email = `${u.name.toLowerCase()}@example.com`;
    const user = UserBeforeStatusSortKey.put({ ...u, email, updatedAt: u.createdAt, version: 1, membershipCount: 0, statusShard: userStatusShard(u.userId) }).params({ table: DEMO_TABLE });
    const claim = EmailClaim.put({ email, userId: u.userId, claimedAt: u.createdAt }).params({ table: DEMO_TABLE });
    return [{ PutRequest: { Item: (user as { Item: Record<string, unknown> }).Item } }, { PutRequest: { Item: (claim as { Item: Record<string, unknown> }).Item } }];
  });
}

async function child(): Promise<void> {
  const dynamo = await startEmbeddedDynamo();
  const client = new DynamoDBClient(localClientConfig(dynamo.endpoint));
  // The commands run in a directory of their own (the checkpoint is written there), holding the
  // snapshot at the path the docs show, so the command shown is the command run.
  const dir = mkdtempSync(join(tmpdir(), 'stk-migrate-docs-'));
  try {
    mkdirSync(join(dir, dirname(REFERENCE_SNAPSHOT)), { recursive: true });
    copyFileSync(join(root, REFERENCE_SNAPSHOT), join(dir, REFERENCE_SNAPSHOT));
    await ensureTable(client, modelTable(referenceModelBeforeStatusSortKey, DEMO_TABLE));
    await batchWriteAll(DynamoDBDocumentClient.from(client), DEMO_TABLE, oldLayoutItems());
    const outputs: DemoOutput[] = [];
    for (const args of DEMO_COMMANDS) {
      const { stdout } = await promisify(execFile)(process.execPath, [join(root, 'dist', 'cli', 'main.js'), ...args], {
        cwd: dir,
        env: { ...process.env, DYNAMODB_ENDPOINT: dynamo.endpoint, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      });
      outputs.push({ command: `single-table-kit ${args.join(' ')}`, stdout });
    }
    process.stdout.write(JSON.stringify(outputs));
  } finally {
    client.destroy();
    await dynamo.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

let cached: DemoOutput[] | undefined;
/**
 * Runs the demo in a child process and returns each command's output as printed: nothing in it
 * depends on the clock, a random value or the engine's port, so nothing is masked. Once per process
 * (both doc blocks share it) unless `fresh`. Needs the build (dist/cli/main.js).
 */
export function migrateDocsDemo(options: { fresh?: boolean } = {}): DemoOutput[] {
  if (cached && !options.fresh) return cached;
  const jiti = join(dirname(require.resolve('jiti')), 'jiti-cli.mjs');
  const run = spawnSync(process.execPath, [jiti, __filename, '--child'], { cwd: root, encoding: 'utf8', timeout: 120_000, env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } });
  if (run.status !== 0) throw new Error(`the migration demo of docs/migrations.md failed (${run.status ?? run.signal}): ${run.stderr}${run.error ? ` ${run.error.message}` : ''}`);
  cached = JSON.parse(run.stdout) as DemoOutput[];
  return cached;
}

if (process.argv.includes('--child')) {
  void child().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { localClientConfig } from '../../src/toolkit';

const root = resolve(__dirname, '..', '..');

/** `single-table-kit serve` as a child process; resolves with its endpoint once it prints it. */
function serve(args: string[]): Promise<{ child: ChildProcess; endpoint: string; stderr: () => string; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [join(root, 'dist', 'cli', 'main.js'), 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return new Promise((done, fail) => {
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) done({ child, endpoint: line.trim(), stderr: () => err, exited });
    });
    void exited.then((code) => fail(new Error(`serve exited (${code}) before printing its endpoint: ${err}`)));
  });
}

const client = (endpoint: string) => new DynamoDBClient({ ...localClientConfig(endpoint), maxAttempts: 1 });
const table = {
  TableName: 'kept',
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' as const }],
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' as const }],
  BillingMode: 'PAY_PER_REQUEST' as const,
};

describe('single-table-kit serve', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'stk-serve-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints a 127.0.0.1 endpoint that answers the AWS SDK, in memory by default', async () => {
    const s = await serve(['--port', '0']);
    try {
      expect(s.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const c = client(s.endpoint);
      await c.send(new CreateTableCommand(table));
      await c.send(new PutItemCommand({ TableName: 'kept', Item: { pk: { S: 'a' } } }));
      expect((await c.send(new GetItemCommand({ TableName: 'kept', Key: { pk: { S: 'a' } } }))).Item).toEqual({ pk: { S: 'a' } });
      c.destroy();
    } finally {
      s.child.kill('SIGTERM');
      expect(await s.exited).toBe(0);
    }
  });

  it('--path keeps tables and items across a restart, every attribute type intact', async () => {
    const path = join(dir, 'kept.db');
    const item = { pk: { S: 'k-😀' }, b: { B: Uint8Array.from([0, 255, 7]) }, n: { N: '12345678901234567890123456789012345678' }, ss: { SS: ['x', 'y'] }, m: { M: { l: { L: [{ NULL: true }, { BOOL: false }] } } } };
    const first = await serve(['--path', path]);
    const c1 = client(first.endpoint);
    await c1.send(new CreateTableCommand(table));
    await c1.send(new PutItemCommand({ TableName: 'kept', Item: item }));
    c1.destroy();
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const second = await serve(['--path', path]);
    try {
      expect(second.stderr()).toContain('Loaded 1 table(s) and 1 item(s)');
      const c2 = client(second.endpoint);
      const got = await c2.send(new GetItemCommand({ TableName: 'kept', Key: { pk: { S: 'k-😀' } }, ConsistentRead: true }));
      expect(got.Item).toEqual(item);
      c2.destroy();
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  });

  it('a kill -9 in the middle of writes leaves a file that loads, holding a prefix of the acknowledged writes', async () => {
    const path = join(dir, 'killed.db');
    const s = await serve(['--path', path]);
    const c = client(s.endpoint);
    await c.send(new CreateTableCommand(table));
    let acknowledged = 0;
    const writer = (async () => {
      for (let i = 0; i < 100_000; i++) {
        await c.send(new PutItemCommand({ TableName: 'kept', Item: { pk: { S: `item-${String(i).padStart(6, '0')}` }, body: { S: 'x'.repeat(200) } } }));
        acknowledged = i + 1;
      }
    })().catch(() => undefined);
    // Kill once a save has happened (the file is written within 2 s of the first change, later on
    // a loaded machine) and while writes keep coming: a fixed delay killed it before any save under load.
    const until = async (what: string, done: () => boolean) => {
      for (let waited = 0; !done(); waited += 50) {
        if (waited > 30_000) throw new Error(`serve --path: ${what} within 30 s`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    await until('no file and no acknowledged write', () => existsSync(path) && acknowledged > 0);
    // A save after that point holds at least one acknowledged write.
    const seen = statSync(path).mtimeMs;
    await until('no second save', () => statSync(path).mtimeMs > seen);
    await new Promise((r) => setTimeout(r, Math.random() * 1500));
    s.child.kill('SIGKILL');
    await s.exited;
    await writer;
    c.destroy();

    const again = await serve(['--path', path]);
    try {
      const c2 = client(again.endpoint);
      const keys: string[] = [];
      let start: Record<string, never> | undefined;
      do {
        const page = await c2.send(new ScanCommand({ TableName: 'kept', ExclusiveStartKey: start }));
        keys.push(...(page.Items ?? []).map((it) => it.pk?.S ?? ''));
        start = page.LastEvaluatedKey as typeof start;
      } while (start);
      c2.destroy();
      // Writes are sequential, so what was saved is exactly the first N of them, N <= acknowledged.
      keys.sort();
      expect(keys.length).toBeGreaterThan(0);
      expect(keys.length).toBeLessThanOrEqual(acknowledged);
      expect(keys).toEqual(Array.from({ length: keys.length }, (_, i) => `item-${String(i).padStart(6, '0')}`));
    } finally {
      again.child.kill('SIGTERM');
      await again.exited;
    }
  }, 60_000);

  it('refuses a file that is not an engine file, naming it, and serves nothing', async () => {
    const path = join(dir, 'not-an-engine-file.json');
    writeFileSync(path, '{"some":"other json"}\n');
    await expect(serve(['--path', path])).rejects.toThrow(/not-an-engine-file\.json is not a single-table-kit engine file/);
  });
});

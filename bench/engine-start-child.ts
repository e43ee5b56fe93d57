/*
 * One engine start in a fresh process (run by bench/engine.ts, never imported). Node's own start is
 * not counted: the clock starts on this file's first line. Prints one JSON line:
 * { loadMs: loading the modules, readyMs: from loaded modules until ready (engine created, or server
 * listening), startMs: from loaded modules to the first answer, totalMs: load + start }.
 * Modes: `in-process` createEngine() + the first answer to ListTables; `http` startEngineServer on
 * 127.0.0.1 + the first answer over HTTP; `dynalite` dynalite in memory, listening + first answer.
 */
const t0 = process.hrtime.bigint();
import { request } from 'node:http';
import { childArgs } from './children';

const ms = (from: bigint, to: bigint) => Number(to - from) / 1e6;

/** POST ListTables to an endpoint, as the SDK would send it (minus signing: local engines do not check it). */
function listTables(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const body = '{}';
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/',
        agent: false,
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'DynamoDB_20120810.ListTables',
          'content-length': Buffer.byteLength(body),
          // dynalite refuses unsigned requests; the engine ignores the header.
          'x-amz-date': '20260101T000000Z',
          authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c: string) => (text += c));
        res.on('end', () => (res.statusCode === 200 ? resolve(text) : reject(new Error(`ListTables answered ${res.statusCode}: ${text}`))));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function main(): Promise<void> {
  const [mode] = childArgs();
  let t1: bigint;
  let ready: bigint;
  let answer: string;
  if (mode === 'in-process') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createEngine } = require('../src/engine') as typeof import('../src/engine');
    t1 = process.hrtime.bigint();
    const engine = createEngine();
    ready = process.hrtime.bigint();
    answer = JSON.stringify(await engine.handle('ListTables', {}));
    await engine.close();
  } else if (mode === 'http') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { startEngineServer } = require('../src/engine') as typeof import('../src/engine');
    t1 = process.hrtime.bigint();
    const server = await startEngineServer({ port: 0 });
    ready = process.hrtime.bigint();
    answer = await listTables(server.port);
    await server.close();
  } else if (mode === 'dynalite') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const dynalite = require('dynalite') as (options: Record<string, unknown>) => import('node:http').Server;
    t1 = process.hrtime.bigint();
    const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    ready = process.hrtime.bigint();
    answer = await listTables((server.address() as import('node:net').AddressInfo).port);
    server.close();
  } else {
    throw new Error(`unknown mode ${String(mode)}`);
  }
  const t2 = process.hrtime.bigint();
  if (!answer.includes('TableNames')) throw new Error(`unexpected first answer: ${answer}`);
  process.stdout.write(`${JSON.stringify({ loadMs: ms(t0, t1), readyMs: ms(t1, ready), startMs: ms(t1, t2), totalMs: ms(t0, t2) })}\n`);
  // dynalite's store may keep the loop alive: the measurement is done.
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

/**
 * The wire side of the differential test: start the two servers, send one raw JSON request to a
 * server exactly as an SDK would put it on the wire, and read the answer back without any SDK in
 * between (an SDK would hide statuses, __type prefixes and unknown fields).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { resolve } from 'node:path';

/** One DynamoDB endpoint under test. */
export interface Target {
  readonly name: string;
  readonly endpoint: string;
  close(): Promise<void>;
  /** Starts the server afresh (empty) after it crashed. */
  restart?(): Promise<void>;
}

/** A JSON value as it travels on the wire. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A request body: JSON to serialise, or raw text (malformed JSON, an empty body). */
export type Body = { json: Json } | { raw: string };

/** The answer of one request, parsed. */
export interface WireResponse {
  status: number;
  /** The parsed body, or the raw text when it is not JSON (an HTTP 413 or a crash page). */
  body: Json;
}

/**
 * dynalite in a child process on 127.0.0.1, tables ACTIVE at once (createTableMs and friends 0).
 * A child, because some requests crash dynalite's whole process (uncaught TypeErrors in its
 * validation and condition code): the harness sees a closed connection, records the crash and
 * starts a fresh dynalite, instead of losing the test run.
 */
export async function startDynalite(name = 'dynalite'): Promise<Target & { restart(): Promise<void> }> {
  let child: ChildProcess | undefined;
  let endpoint = '';
  const start = async (): Promise<void> => {
    const entry = require.resolve('dynalite');
    const code = `const s = require(${JSON.stringify(entry)})({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });` +
      `s.listen(0, '127.0.0.1', () => process.stdout.write('port ' + s.address().port + '\\n'));` +
      // When the test process goes, its end of stdin closes: dynalite goes too, never left behind.
      `process.stdin.resume(); process.stdin.on('end', () => process.exit(0));`;
    const proc = spawn(process.execPath, ['-e', code], { stdio: ['pipe', 'pipe', 'pipe'] });
    child = proc;
    endpoint = await new Promise<string>((done, fail) => {
      let out = '';
      proc.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        const m = /port (\d+)/.exec(out);
        if (m) done(`http://127.0.0.1:${m[1]}`);
      });
      proc.once('exit', (code) => fail(new Error(`dynalite exited before listening (code ${String(code)})`)));
    });
    proc.stderr.resume();
  };
  await start();
  return {
    name,
    get endpoint() { return endpoint; },
    restart: async () => {
      child?.kill();
      await start();
    },
    close: async () => {
      const proc = child;
      if (!proc || proc.exitCode !== null) return;
      await new Promise<void>((done) => {
        proc.once('exit', () => done());
        proc.kill();
      });
    },
  };
}

interface EngineServer {
  endpoint: string;
  port: number;
  close(): Promise<void> | void;
}
interface EngineModule {
  startEngineServer?: (options: { port: number }) => Promise<EngineServer> | EngineServer;
}

export const ENGINE_ENTRY = resolve(__dirname, '..', '..', '..', 'src', 'engine', 'index.ts');

/**
 * The engine's HTTP server, or undefined while src/engine/index.ts does not export
 * startEngineServer yet (the engine is being written beside this harness).
 */
export async function startEngine(): Promise<Target | undefined> {
  if (!existsSync(ENGINE_ENTRY)) return undefined;
  // Loaded by path so this file compiles before the engine's entry exists.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const engine = require(ENGINE_ENTRY) as EngineModule;
  if (typeof engine.startEngineServer !== 'function') return undefined;
  const server = await engine.startEngineServer({ port: 0 });
  return { name: 'engine', endpoint: server.endpoint, close: async () => { await server.close(); } };
}

/** What the SDK's SigV4 signer puts in the headers; neither server checks the signature itself. */
const AUTHORIZATION =
  'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261204/us-east-1/dynamodb/aws4_request, ' +
  'SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=' + 'ab'.repeat(32);

/** One keep-alive agent: node's http is about three times faster than fetch here. */
const agent = new Agent({ keepAlive: true, maxSockets: 4 });

export function send(target: Target, operation: string, body: Body): Promise<WireResponse> {
  const text = Buffer.from('raw' in body ? body.raw : JSON.stringify(body.json), 'utf8');
  const url = new URL(target.endpoint);
  return new Promise<WireResponse>((done, fail) => {
    const outgoing = request({
      host: url.hostname,
      port: url.port,
      path: '/',
      method: 'POST',
      agent,
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'content-length': text.length,
        'x-amz-target': operation.includes('.') ? operation : `DynamoDB_20120810.${operation}`,
        'x-amz-date': '20261204T000000Z',
        authorization: AUTHORIZATION,
      },
    }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (c: Buffer) => chunks.push(c));
      incoming.on('error', fail);
      incoming.on('end', () => {
        const answer = Buffer.concat(chunks).toString('utf8');
        let parsed: Json;
        try {
          parsed = answer === '' ? '' : (JSON.parse(answer) as Json);
        } catch {
          parsed = answer;
        }
        done({ status: incoming.statusCode ?? 0, body: parsed });
      });
    });
    outgoing.on('error', fail);
    outgoing.end(text);
  });
}

/** Closes the keep-alive sockets (at the end of a test file). */
export function closeConnections(): void {
  agent.destroy();
}

/**
 * The wire side of the differential test: start the two servers, send one raw JSON request to a
 * server exactly as an SDK would put it on the wire, and read the answer back without any SDK in
 * between (an SDK would hide statuses, __type prefixes and unknown fields).
 */
import { existsSync } from 'node:fs';
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';

/** One DynamoDB endpoint under test. */
export interface Target {
  readonly name: string;
  readonly endpoint: string;
  close(): Promise<void>;
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

interface DynaliteServer {
  listen(port: number, host: string, cb: () => void): void;
  address(): AddressInfo | string | null;
  close(cb: (err?: Error) => void): void;
}
type DynaliteFactory = (options: Record<string, unknown>) => DynaliteServer;

/** dynalite in process on 127.0.0.1, tables ACTIVE at once (createTableMs and friends 0). */
export async function startDynalite(name = 'dynalite'): Promise<Target> {
  // dynalite ships no types; its factory is the module itself.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const dynalite = require('dynalite') as DynaliteFactory;
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address() as AddressInfo;
  return {
    name,
    endpoint: `http://127.0.0.1:${address.port}`,
    close: () => new Promise<void>((done, fail) => server.close((err) => (err ? fail(err) : done()))),
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

/**
 * The engine as an AWS SDK v3 `requestHandler`: the client's serialized request goes straight to
 * the engine, no socket. Typed structurally: the engine imports nothing of the SDK.
 */
import type { Engine } from '../engine';
import { dispatch } from './wire';

export interface EngineHttpRequest {
  method: string;
  headers: Record<string, string | undefined>;
  body?: unknown;
  path?: string;
  hostname?: string;
  protocol?: string;
  query?: Record<string, unknown>;
}

export interface EngineHttpResponse {
  statusCode: number;
  reason?: string;
  headers: Record<string, string>;
  body: Uint8Array;
}

export interface EngineRequestHandler {
  handle(request: EngineHttpRequest, options?: { abortSignal?: unknown }): Promise<{ response: EngineHttpResponse }>;
  destroy(): void;
  updateHttpClientConfig(key: string, value: unknown): void;
  httpHandlerConfigs(): Record<string, unknown>;
}

function header(headers: Record<string, string | undefined>, name: string): string | undefined {
  for (const k of Object.keys(headers)) if (k.toLowerCase() === name) return headers[k];
  return undefined;
}

function bodyText(body: unknown, name: string): string {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  if (body instanceof ArrayBuffer) return Buffer.from(body).toString('utf8');
  throw new TypeError(`${name}: streaming request bodies are not supported`);
}

/** Answers one JSON-protocol request from its X-Amz-Target and body text. */
export type InProcessServe = (target: string | undefined, body: string) => EngineHttpResponse | Promise<EngineHttpResponse>;

/**
 * An AWS SDK v3 requestHandler with no socket: `serve` answers each request the client serialized.
 * engineRequestHandler is this with the engine behind it; the toolkit's daxClient, with a DAX client.
 * `name` starts the error for a request body it cannot read (a stream).
 */
export function inProcessRequestHandler(name: string, serve: InProcessServe): EngineRequestHandler {
  const config: Record<string, unknown> = {};
  return {
    handle(request) {
      try {
        return Promise.resolve(serve(header(request.headers, 'x-amz-target'), bodyText(request.body, name))).then((response) => ({ response }));
      } catch (e) {
        return Promise.reject(e instanceof Error ? e : new Error(String(e)));
      }
    },
    destroy() {
      // Nothing to release: no sockets (whatever serve() talks to is its owner's to close).
    },
    updateHttpClientConfig(key, value) {
      config[key] = value;
    },
    httpHandlerConfigs() {
      return { ...config };
    },
  };
}

export function engineRequestHandler(engine: Engine): EngineRequestHandler {
  return inProcessRequestHandler('engineRequestHandler', (target, body) => {
    const r = dispatch(engine, target, body);
    return { statusCode: r.statusCode, headers: r.headers, body: r.body };
  });
}

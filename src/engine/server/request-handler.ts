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

function bodyText(body: unknown): string {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  if (body instanceof ArrayBuffer) return Buffer.from(body).toString('utf8');
  throw new TypeError('engineRequestHandler: streaming request bodies are not supported');
}

export function engineRequestHandler(engine: Engine): EngineRequestHandler {
  const config: Record<string, unknown> = {};
  return {
    handle(request) {
      try {
        const r = dispatch(engine, header(request.headers, 'x-amz-target'), bodyText(request.body));
        return Promise.resolve({ response: { statusCode: r.statusCode, headers: r.headers, body: r.body } });
      } catch (e) {
        return Promise.reject(e instanceof Error ? e : new Error(String(e)));
      }
    },
    destroy() {
      // Nothing to release: no sockets.
    },
    updateHttpClientConfig(key, value) {
      config[key] = value;
    },
    httpHandlerConfigs() {
      return { ...config };
    },
  };
}

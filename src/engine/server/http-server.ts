/**
 * The engine over HTTP on 127.0.0.1 only. No CORS headers at all (a browser page cannot read
 * answers), bodies over MAX_BODY refused from Content-Length or cut off while streaming, and
 * never a crash on bad input: any handler error is a counted 500.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEngine, type Engine } from '../engine';
import { dispatch, respond, JSON_CONTENT_TYPE, type WireResponse } from './wire';

/** DynamoDB's largest request (BatchWriteItem 16 MB) plus a margin for JSON encoding. */
export const MAX_BODY_BYTES = 17 * 1024 * 1024;

export interface EngineServerOptions {
  engine?: Engine;
  /** 0 (default): a free port. */
  port?: number;
  /** Only 127.0.0.1 is accepted. */
  host?: string;
}

export interface EngineServer {
  endpoint: string;
  port: number;
  engine: Engine;
  /** Requests answered with a 500 because a handler failed. */
  readonly internalErrors: number;
  close(): Promise<void>;
}

function send(res: ServerResponse, r: WireResponse): void {
  res.writeHead(r.statusCode, r.headers);
  res.end(r.body);
}

/** How long a refused body may go on streaming (read and dropped) before the connection is cut. */
const DRAIN_MS = 5000;

/**
 * A 413 for a body over MAX_BODY_BYTES, kept whole. The answer is sent at once and is complete to
 * the client (its Content-Length says so), but the response ends, and so the connection closes,
 * only once the client has stopped sending: closing a socket with unread bytes in it makes the
 * kernel send a reset, which can reach the client before it has read the 413 (seen on Node 24 as
 * ECONNRESET instead of the answer). The rest of the body is read and dropped, never kept; a
 * client that streams on past DRAIN_MS is cut off.
 */
function refuseTooLarge(req: IncomingMessage, res: ServerResponse): void {
  const r = respond(413, { __type: 'com.amazon.coral.service#SerializationException', Message: 'Request entity too large' }, JSON_CONTENT_TYPE, { connection: 'close' });
  res.writeHead(r.statusCode, r.headers);
  res.write(r.body);
  const timer = setTimeout(() => req.socket.destroy(), DRAIN_MS);
  timer.unref();
  const done = () => {
    clearTimeout(timer);
    if (!res.writableEnded && !req.socket.destroyed) res.end();
  };
  req.once('end', done);
  req.once('close', done);
  req.on('error', () => undefined);
  req.resume();
}

export function startEngineServer(options: EngineServerOptions = {}): Promise<EngineServer> {
  const host = options.host ?? '127.0.0.1';
  if (host !== '127.0.0.1') return Promise.reject(new RangeError(`startEngineServer: host must be 127.0.0.1 (got ${JSON.stringify(host)}); the engine never listens on other interfaces`));
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) return Promise.reject(new RangeError(`startEngineServer: port must be an integer 0-65535 (got ${String(port)})`));
  const engine = options.engine ?? createEngine();
  let internalErrors = 0;

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    try {
      if (req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'text/plain', 'x-amz-crc32': '3128867991' });
        res.end('healthy: dynamodb.us-east-1.amazonaws.com ');
        req.resume();
        return;
      }
      if (req.method !== 'POST') {
        // OPTIONS and the rest: no Access-Control-* headers, so browsers refuse cross-origin use.
        res.writeHead(404, { 'content-type': 'text/xml' });
        res.end('<UnknownOperationException/>\n');
        req.resume();
        return;
      }
      const declared = Number(req.headers['content-length'] ?? 0);
      if (declared > MAX_BODY_BYTES) {
        refuseTooLarge(req, res);
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      let aborted = false;
      req.on('data', (chunk: Buffer) => {
        if (aborted) return;
        size += chunk.length;
        if (size > MAX_BODY_BYTES) {
          aborted = true;
          chunks.length = 0;
          refuseTooLarge(req, res);
          return;
        }
        chunks.push(chunk);
      });
      req.on('error', () => {
        aborted = true;
      });
      req.on('end', () => {
        if (aborted) return;
        try {
          const contentType = String(req.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
          const text = Buffer.concat(chunks).toString('utf8');
          if (text.length && contentType !== 'application/json' && contentType !== JSON_CONTENT_TYPE) {
            // As DynamoDB (recorded by dynalite): an unknown content type is an unknown operation.
            res.writeHead(404, { 'content-type': 'text/xml' });
            res.end('<UnknownOperationException/>\n');
            return;
          }
          const target = req.headers['x-amz-target'];
          const r = dispatch(engine, Array.isArray(target) ? target[0] : target, text);
          if (r.statusCode >= 500) internalErrors++;
          if (contentType === 'application/json') r.headers['content-type'] = 'application/json';
          send(res, r);
        } catch {
          internalErrors++;
          if (!res.headersSent) send(res, respond(500, { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'Internal server error' }));
          else res.destroy();
        }
      });
    } catch {
      internalErrors++;
      try {
        if (!res.headersSent) send(res, respond(500, { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'Internal server error' }));
      } catch {
        res.destroy();
      }
    }
  };

  const server: Server = createServer(handler);
  server.keepAliveTimeout = 5000;
  server.on('clientError', (_err, socket) => {
    socket.destroy();
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const actual = (server.address() as AddressInfo).port;
      resolve({
        endpoint: `http://${host}:${actual}`,
        port: actual,
        engine,
        get internalErrors() {
          return internalErrors;
        },
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

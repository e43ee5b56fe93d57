/**
 * The JSON protocol's answers: a body, its status and headers, for a result or an error, shared by
 * the in-process SDK handler and the HTTP server.
 */
import { randomBytes } from 'node:crypto';
import type { Engine } from '../engine';
import { EngineError } from '../errors';
import { rawItemsJson } from '../operations/raw-items';
import { crc32 } from './crc32';

export const JSON_CONTENT_TYPE = 'application/x-amz-json-1.0';

/** Errors the coral framework (not DynamoDB itself) raises carry its namespace. */
const CORAL = new Set(['SerializationException', 'UnknownOperationException', 'AccessDeniedException', 'MissingAuthenticationTokenException', 'IncompleteSignatureException', 'InvalidSignatureException']);

export interface WireResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: Uint8Array;
}

/** Random bytes for request ids, drawn 128 ids at a time: one call to the CSPRNG per id cost ~4 µs. */
const ID_BYTES = 39;
let idPool = Buffer.alloc(0);
let idAt = 0;

function requestId(): string {
  if (idAt + ID_BYTES > idPool.length) {
    idPool = randomBytes(ID_BYTES * 128);
    idAt = 0;
  }
  const id = idPool.toString('base64', idAt, idAt + ID_BYTES);
  idAt += ID_BYTES;
  return id.toUpperCase().replace(/[+/]/g, '0');
}

export function respond(statusCode: number, payload: unknown, contentType = JSON_CONTENT_TYPE, extraHeaders: Record<string, string> = {}): WireResponse {
  // undefined: an empty body (TagResource and UntagResource answer so).
  const text = payload === undefined ? '' : (rawItemsJson(payload) ?? JSON.stringify(payload));
  const body = Buffer.from(text, 'utf8');
  const headers: Record<string, string> = {
    'content-type': contentType,
    'content-length': String(body.length),
    'x-amzn-requestid': requestId(),
    'x-amz-crc32': String(crc32(body)),
    ...extraHeaders,
  };
  return { statusCode, headers, body };
}

export function errorPayload(e: EngineError): Record<string, unknown> {
  const type = CORAL.has(e.type) ? 'com.amazon.coral.service#' + e.type : e.wireType;
  const payload: Record<string, unknown> = { __type: type };
  if (e.message !== '') {
    // Coral's own errors spell it "Message"; DynamoDB's "message". The SDK reads both.
    payload[CORAL.has(e.type) ? 'Message' : 'message'] = e.message;
  }
  if (e.extra) Object.assign(payload, e.extra);
  return payload;
}

export function errorResponse(e: unknown, onInternal?: (e: unknown) => void): WireResponse {
  if (e instanceof EngineError) {
    if (e.status >= 500) onInternal?.(e);
    return respond(e.status, errorPayload(e), JSON_CONTENT_TYPE, { 'x-amzn-errortype': e.type });
  }
  onInternal?.(e);
  // Never leak internals: a bug answers a plain 500 the SDK retries.
  return respond(500, { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'Internal server error' }, JSON_CONTENT_TYPE, {
    'x-amzn-errortype': 'InternalServerError',
  });
}

/** Runs one JSON-protocol request body against the engine. */
export function dispatch(engine: Engine, target: string | undefined, bodyText: string): WireResponse {
  const onInternal = () => {
    engine.stats.internalErrors++;
  };
  // DynamoDB's order (as dynalite records it): JSON first, then the target, then an empty body.
  let data: unknown = {};
  if (bodyText.length) {
    try {
      data = JSON.parse(bodyText);
    } catch {
      return errorResponse(new EngineError('SerializationException', ''), onInternal);
    }
  }
  const parts = (target ?? '').split('.');
  if (parts.length !== 2 || !/^(DynamoDB_20120810|DynamoDBStreams_20120810)$/.test(parts[0] as string)) {
    return errorResponse(new EngineError('UnknownOperationException', ''), onInternal);
  }
  if (!bodyText.length) return errorResponse(new EngineError('SerializationException', ''), onInternal);
  // A JSON value that is not an object (an array, a number) is read as an object without members.
  if (typeof data !== 'object' || data === null || Array.isArray(data)) data = {};
  try {
    const result = engine.handleSync(target as string, data);
    return respond(200, result);
  } catch (e) {
    return errorResponse(e, onInternal);
  }
}

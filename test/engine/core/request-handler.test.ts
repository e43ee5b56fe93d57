/**
 * The socketless SDK v3 transport both in-process clients stand on: engineRequestHandler (the engine
 * behind it) and the toolkit's daxClient (a DAX client behind it) are inProcessRequestHandler with
 * their own serve().
 */
import { Readable } from 'node:stream';
import { createEngine, engineRequestHandler, inProcessRequestHandler } from '../../../src/engine';

const text = (body: Uint8Array) => Buffer.from(body).toString('utf8');

describe('inProcessRequestHandler', () => {
  it('hands serve() the X-Amz-Target (any header case) and the body as text, whatever buffer it came in', async () => {
    const seen: [string | undefined, string][] = [];
    const handler = inProcessRequestHandler('probe', (target, body) => {
      seen.push([target, body]);
      return { statusCode: 200, headers: {}, body: new Uint8Array() };
    });
    const bytes = Buffer.from('xx{"a":1}yy', 'utf8');
    await handler.handle({ method: 'POST', headers: { 'X-AMZ-Target': 'Svc.Op' }, body: '{"s":1}' });
    await handler.handle({ method: 'POST', headers: { 'x-amz-target': 'Svc.Op2' }, body: new Uint8Array(bytes.buffer, bytes.byteOffset + 2, 7) });
    await handler.handle({ method: 'POST', headers: {}, body: new TextEncoder().encode('{"b":2}').buffer });
    await handler.handle({ method: 'POST', headers: {} });
    expect(seen).toEqual([
      ['Svc.Op', '{"s":1}'],
      ['Svc.Op2', '{"a":1}'],
      [undefined, '{"b":2}'],
      [undefined, ''],
    ]);
  });

  it('refuses a streaming body, naming the handler, and serves nothing', async () => {
    let served = 0;
    const handler = inProcessRequestHandler('daxClient', () => {
      served++;
      return { statusCode: 200, headers: {}, body: new Uint8Array() };
    });
    await expect(handler.handle({ method: 'POST', headers: { 'x-amz-target': 'DynamoDB_20120810.PutItem' }, body: Readable.from(['{}']) })).rejects.toThrow(
      new TypeError('daxClient: streaming request bodies are not supported'),
    );
    expect(served).toBe(0);
  });

  it('passes what an async serve() rejects with through unchanged, and turns a thrown non-Error into an Error', async () => {
    const rejection = { code: 'NotAnError' };
    await expect(inProcessRequestHandler('a', () => Promise.reject(rejection)).handle({ method: 'POST', headers: {} })).rejects.toBe(rejection);
    const sync = inProcessRequestHandler('b', () => {
      throw 'plain string';
    });
    await expect(sync.handle({ method: 'POST', headers: {} })).rejects.toThrow(new Error('plain string'));
  });

  it('keeps the SDK\'s handler settings', () => {
    const handler = inProcessRequestHandler('c', () => ({ statusCode: 200, headers: {}, body: new Uint8Array() }));
    handler.updateHttpClientConfig('requestTimeout', 5);
    expect(handler.httpHandlerConfigs()).toEqual({ requestTimeout: 5 });
  });
});

describe('engineRequestHandler', () => {
  it('answers a request the engine serves, and names itself for a streaming body', async () => {
    const handler = engineRequestHandler(createEngine());
    const { response } = await handler.handle({ method: 'POST', headers: { 'X-Amz-Target': 'DynamoDB_20120810.ListTables' }, body: '{}' });
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(text(response.body))).toEqual({ TableNames: [] });
    await expect(handler.handle({ method: 'POST', headers: {}, body: Readable.from(['{}']) })).rejects.toThrow('engineRequestHandler: streaming request bodies are not supported');
  });
});

import { connect } from 'node:net';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '../../src/toolkit';

/*
 * DynamoDB Local allows every CORS origin by default, so any web page open in the developer's
 * browser could read and write it. The embedded engine sends no Access-Control-* header at all,
 * and listens on 127.0.0.1 only.
 */
let local: EmbeddedDynamo;
beforeAll(async () => {
  local = await startEmbeddedDynamo();
});
afterAll(() => local.stop());

describe('the embedded engine refuses cross-origin browsers', () => {
  it('a cross-origin preflight gets no Access-Control-Allow-Origin', async () => {
    const response = await fetch(local.endpoint, {
      method: 'OPTIONS',
      headers: { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,x-amz-target,authorization' },
    });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('nor does a cross-origin request (a browser would not let the page read the answer)', async () => {
    const response = await fetch(local.endpoint, {
      method: 'POST',
      headers: {
        Origin: 'http://localhost:3000',
        'Content-Type': 'application/x-amz-json-1.0',
        'X-Amz-Target': 'DynamoDB_20120810.ListTables',
        Authorization: 'AWS4-HMAC-SHA256 Credential=local/20200101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
      },
      body: '{}',
    });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('listens on 127.0.0.1 only: another loopback address of this machine is refused', async () => {
    expect(new URL(local.endpoint).hostname).toBe('127.0.0.1');
    // A server bound to every interface would answer on 127.0.0.2 too (DynamoDB Local does).
    const outcome = await new Promise<string>((resolve) => {
      const socket = connect({ host: '127.0.0.2', port: local.port });
      socket.once('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    expect(outcome).toBe('ECONNREFUSED');
  });
});

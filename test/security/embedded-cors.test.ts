import { startLocalDynamo, type LocalDynamo } from '../../src/toolkit';

/*
 * DynamoDB Local allows every CORS origin by default, so any web page open in the developer's
 * browser could read and write it. The embedded one is started with an empty allow-list.
 */
let local: LocalDynamo;
beforeAll(async () => {
  local = await startLocalDynamo();
}, 90_000);
afterAll(() => local.stop());

describe('the embedded DynamoDB Local refuses cross-origin browsers', () => {
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
});

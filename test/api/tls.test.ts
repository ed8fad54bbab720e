import fs from 'node:fs';
import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTlsTestServer, type TlsTestServer } from '../helpers/tls.js';

let server: TlsTestServer;
let cert: Buffer;

beforeAll(async () => {
  server = await startTlsTestServer();
  cert = fs.readFileSync(server.certFile);
});
afterAll(async () => {
  await server?.close();
});

describe('HTTPS', () => {
  it('serves the API over TLS when TLS_CERT_FILE and TLS_KEY_FILE are set', async () => {
    const body = await new Promise<string>((resolve, reject) => {
      https
        .get(`https://${server.host}/users/me`, { ca: cert, headers: { authorization: `Bearer ${server.adminToken}` } }, (res) => {
          let text = '';
          res.on('data', (c) => (text += c));
          res.on('end', () => (res.statusCode === 200 ? resolve(text) : reject(new Error(`status ${res.statusCode}`))));
        })
        .on('error', reject);
    });
    expect(JSON.parse(body).sys.id).toBe(server.adminUserId);
  });

  it('works with the official client speaking https', async () => {
    const client = server.plainClient(undefined, { insecure: false, httpsAgent: new https.Agent({ ca: cert }) });
    const space = await client.space.create({}, { name: 'Over TLS' });
    expect((await client.space.get({ spaceId: space.sys.id })).name).toBe('Over TLS');
  });
});

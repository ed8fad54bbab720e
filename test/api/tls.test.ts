import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let dir: string;
let cert: Buffer;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cf-tls-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      path.join(dir, 'key.pem'),
      '-out',
      path.join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  cert = fs.readFileSync(path.join(dir, 'cert.pem'));
  server = await startTestServer({ TLS_CERT_FILE: path.join(dir, 'cert.pem'), TLS_KEY_FILE: path.join(dir, 'key.pem') });
});
afterAll(async () => {
  await server?.close();
  fs.rmSync(dir, { recursive: true, force: true });
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

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { freePort, startTestServer, type TestServer } from './server.js';

export interface TlsTestServer extends TestServer {
  certFile: string;
}

/**
 * A test server speaking HTTPS with a fresh self-signed certificate for 127.0.0.1, trusted by this
 * process's default HTTPS agent: Contentful's tools build `https://<host>/...` URLs and take no CA option,
 * just as they would trust a certificate named in NODE_EXTRA_CA_CERTS.
 */
export async function startTlsTestServer(env: Record<string, string> = {}): Promise<TlsTestServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cf-tls-'));
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
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
      keyFile,
      '-out',
      certFile,
    ],
    { stdio: 'ignore' },
  );
  https.globalAgent.options.ca = fs.readFileSync(certFile);
  // A known port, so PUBLIC_URL (and with it the URLs of processed files) is the real address.
  const port = await freePort();
  const server = await startTestServer({
    TLS_CERT_FILE: certFile,
    TLS_KEY_FILE: keyFile,
    PORT: String(port),
    PUBLIC_URL: `https://127.0.0.1:${port}`,
    ...env,
  });
  return {
    ...server,
    certFile,
    async close() {
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

import fs from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { startTlsTestServer, type TlsTestServer } from '../helpers/tls.js';

const LIMITS = { HTTP_HEADERS_TIMEOUT_MS: '500', HTTP_REQUEST_TIMEOUT_MS: '1500', HTTP_KEEP_ALIVE_TIMEOUT_MS: '500' };
/** How long a test waits for the server to close a connection; far above the limits, far below the defaults (30 s, 72 s). */
const CLOSE_DEADLINE_MS = 8_000;

/** Resolves with what the server sent once it closes the connection; fails after the deadline. */
function closed(socket: net.Socket): Promise<{ data: string; ms: number }> {
  const started = Date.now();
  let data = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (data += chunk));
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept the connection open for ${CLOSE_DEADLINE_MS} ms; received ${JSON.stringify(data)}`));
    }, CLOSE_DEADLINE_MS);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(deadline);
      resolve({ data, ms: Date.now() - started });
    });
  });
}

/** Sends a header line every 100 ms, never ending the headers, until the connection closes. */
function trickleHeaders(socket: net.Socket) {
  socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n');
  let n = 0;
  const timer = setInterval(() => {
    if (!socket.destroyed && socket.writable) socket.write(`X-Slow-${n++}: still coming\r\n`);
  }, 100);
  socket.on('close', () => clearInterval(timer));
}

const connect = (server: TestServer) => net.connect({ host: '127.0.0.1', port: Number(server.host.split(':')[1]) });
const STATUS_408 = /^HTTP\/1\.1 408 Request Timeout\r\n/;

describe('HTTP connection limits (HTTP_HEADERS_TIMEOUT_MS, HTTP_REQUEST_TIMEOUT_MS, HTTP_KEEP_ALIVE_TIMEOUT_MS)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(LIMITS);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers 408 and closes a connection that trickles header lines past the headers limit', async () => {
    const socket = connect(server);
    const done = closed(socket);
    socket.on('connect', () => trickleHeaders(socket));
    const { data } = await done;
    expect(data).toMatch(STATUS_408);
    expect(JSON.parse(data.slice(data.indexOf('\r\n\r\n') + 4))).toEqual({
      error: 'Request Timeout',
      message: 'Client Timeout',
      statusCode: 408,
    });
  });

  it('closes a connection that connects and sends nothing', async () => {
    const socket = connect(server);
    const { data } = await closed(socket);
    // Node counts a silent connection as a request whose headers are not complete: 408, then closed.
    expect(data).toMatch(STATUS_408);
  });

  it('answers 408 and closes a connection whose body trickles past the request limit', async () => {
    const socket = connect(server);
    const done = closed(socket);
    socket.on('connect', () => {
      socket.write(
        `PUT /users/me HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${server.adminToken}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{`,
      );
      const timer = setInterval(() => {
        if (!socket.destroyed && socket.writable) socket.write(' ');
      }, 100);
      socket.on('close', () => clearInterval(timer));
    });
    const { data } = await done;
    expect(data).toMatch(STATUS_408);
  });

  it('closes an idle keep-alive connection after the keep-alive limit', async () => {
    const socket = connect(server);
    const done = closed(socket);
    socket.on('connect', () => socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n'));
    const { data } = await done;
    expect(data).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(data).not.toMatch(/408/);
  });

  it('still serves ordinary requests', async () => {
    const response = await server.request('GET', '/users/me');
    expect(response.status).toBe(200);
    expect((await response.json()).sys.id).toBe(server.adminUserId);
  });
});

describe('HTTP connection limits over HTTPS', () => {
  let server: TlsTestServer;
  let cert: Buffer;
  beforeAll(async () => {
    server = await startTlsTestServer(LIMITS);
    cert = fs.readFileSync(server.certFile);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers 408 and closes a TLS connection that trickles header lines', async () => {
    const socket = tls.connect({ host: '127.0.0.1', port: Number(server.host.split(':')[1]), ca: cert });
    const done = closed(socket);
    socket.on('secureConnect', () => trickleHeaders(socket));
    const { data } = await done;
    expect(data).toMatch(STATUS_408);
  });

  it('closes a TCP connection that never starts the TLS handshake', async () => {
    const { data } = await closed(connect(server));
    expect(data).toBe('');
  });
});

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';

interface LogLine {
  level: number;
  msg: string;
  reqId?: string;
  err?: { type?: string; code?: string; message?: string };
  [key: string]: unknown;
}

/** The server's log lines, parsed as they are written. */
const lines: LogLine[] = [];
const logStream = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const text of chunk.toString('utf8').split('\n')) if (text.trim()) lines.push(JSON.parse(text) as LogLine);
    done();
  },
});

let server: TestServer;
let spaceId: string;

beforeAll(async () => {
  server = await startTestServer({ LOG_LEVEL: 'info' }, { logStream });
  spaceId = (await server.plainClient().space.create({}, { name: 'Uploads' })).sys.id;
});
afterAll(async () => {
  await server?.close();
});

/** Polls until `find` returns something, failing with the end of the server's log. */
function eventually<T>(find: () => T | undefined): Promise<T> {
  return waitFor(() => `a log line or file; log: ${JSON.stringify(lines.slice(-20))}`, find, 10_000);
}

/** Files of uploads in the blob store (DATA_DIR/files/uploads/...), complete or still being written. */
function uploadFiles(): string[] {
  const root = path.join(server.config.dataDir, 'files', 'uploads');
  if (!fs.existsSync(root)) return [];
  return (fs.readdirSync(root, { recursive: true }) as string[]).filter((p) => fs.statSync(path.join(root, p)).isFile());
}

describe('an upload the client abandons mid-body', () => {
  it('is logged at info as a client event, never as a server error, and leaves no file and no upload row', async () => {
    const port = Number(server.host.split(':')[1]);
    const request = http.request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: `/spaces/${spaceId}/uploads`,
      headers: {
        authorization: `Bearer ${server.adminToken}`,
        'content-type': 'application/octet-stream',
        'content-length': String(50 * 1024 * 1024),
      },
    });
    request.on('error', () => undefined);
    request.setTimeout(0);
    request.write(Buffer.alloc(256 * 1024, 1));

    // The server has started the request (and streams the body to storage) before the client goes away.
    const started = await eventually(() =>
      lines.find((l) => l.msg === 'incoming request' && (l.req as { url?: string })?.url === `/spaces/${spaceId}/uploads`),
    );
    const reqId = started.reqId!;
    await eventually(() => (uploadFiles().length > 0 ? true : undefined));
    request.socket?.destroy();
    request.destroy();

    const aborted = await eventually(() =>
      lines.find((l) => l.reqId === reqId && l.msg === 'the client closed the connection before the request was read'),
    );
    expect(aborted.level).toBe(30);
    expect(aborted.err).toMatchObject({ code: 'ECONNRESET', message: 'aborted' });

    // Nothing of the partial body stays: no temporary or final file, no upload row.
    await eventually(() => (uploadFiles().length === 0 ? true : undefined));
    const rows = await server.database.db.selectFrom('uploads').select('id').where('space_id', '=', spaceId).execute();
    expect(rows).toEqual([]);

    // Nothing the server logged for that request is at error level (nor a warning of a database outage:
    // the "aborted" error's ECONNRESET is the client's connection, not the database's).
    const forRequest = lines.filter((l) => l.reqId === reqId);
    expect(forRequest.filter((l) => l.level >= 40)).toEqual([]);
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);

    // The server keeps serving uploads.
    const ok = await server.request('POST', `/spaces/${spaceId}/uploads`, {
      body: 'hello',
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(ok.status).toBe(201);
  });
});

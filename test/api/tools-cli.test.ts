import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { PlainClientAPI } from 'contentful-management';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTlsTestServer, type TlsTestServer } from '../helpers/tls.js';

const run = promisify(execFile);
const cliBin = path.resolve('node_modules/.bin/contentful');

let server: TlsTestServer;
let client: PlainClientAPI;
let home: string;
let spaceId: string;
const env = (id: string) => ({ spaceId: id, environmentId: 'master' });

/** Runs `contentful <args>` as a user would: its config in HOME, the server's certificate trusted by Node. */
async function contentful(...args: string[]) {
  const { stdout } = await run(cliBin, args, {
    cwd: home,
    env: {
      ...process.env,
      HOME: home,
      NODE_EXTRA_CA_CERTS: server.certFile,
      CONTENTFUL_INTEGRATION_SOURCE: 'test',
      NO_COLOR: '1',
      FORCE_COLOR: '0',
    },
    timeout: 60_000,
  });
  return stdout;
}

beforeAll(async () => {
  server = await startTlsTestServer();
  client = server.plainClient(undefined, { insecure: false });
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'cf-cli-'));
  spaceId = (await client.space.create({}, { name: 'CLI source' })).sys.id;
  const ct = await client.contentType.createWithId({ ...env(spaceId), contentTypeId: 'note' }, {
    name: 'Note',
    displayField: 'title',
    fields: [{ id: 'title', name: 'Title', type: 'Symbol' }],
  } as never);
  await client.contentType.publish({ ...env(spaceId), contentTypeId: 'note' }, ct);
  const note = await client.entry.createWithId(
    { ...env(spaceId), contentTypeId: 'note', entryId: 'hello' },
    { fields: { title: { 'en-US': 'Hello from the CLI' } } },
  );
  await client.entry.publish({ ...env(spaceId), entryId: 'hello' }, note);
  await contentful('config', 'add', '--management-token', server.adminToken, '--host', server.host);
}, 60_000);
afterAll(async () => {
  await server?.close();
  fs.rmSync(home, { recursive: true, force: true });
});

describe('contentful-cli with `config add --management-token ... --host ...`', () => {
  it('space list', async () => {
    const out = await contentful('space', 'list');
    expect(out).toContain(spaceId);
    expect(out).toContain('CLI source');
  });

  it('space environment create', async () => {
    await contentful(
      'space',
      'environment',
      'create',
      '--space-id',
      spaceId,
      '--environment-id',
      'staging',
      '--name',
      'Staging',
      '--await-processing',
    );
    const staging = await client.environment.get({ spaceId, environmentId: 'staging' });
    expect(staging.name).toBe('Staging');
    expect((await client.entry.get({ spaceId, environmentId: 'staging', entryId: 'hello' })).fields.title).toEqual({
      'en-US': 'Hello from the CLI',
    });
  });

  it('space export, then space import into another space', async () => {
    await contentful(
      'space',
      'export',
      '--space-id',
      spaceId,
      '--export-dir',
      home,
      '--content-file',
      'export.json',
      '--skip-roles',
      '--skip-webhooks',
    );
    const exported = JSON.parse(fs.readFileSync(path.join(home, 'export.json'), 'utf8')) as { entries: { sys: { id: string } }[] };
    expect(exported.entries.map((e) => e.sys.id)).toEqual(['hello']);
    const target = (await client.space.create({}, { name: 'CLI target' })).sys.id;
    await contentful('space', 'import', '--space-id', target, '--content-file', path.join(home, 'export.json'));
    const copied = await client.entry.get({ ...env(target), entryId: 'hello' });
    expect(copied.fields.title).toEqual({ 'en-US': 'Hello from the CLI' });
    expect(copied.sys.publishedVersion).toBeDefined();
  });

  it('space migration', async () => {
    const script = path.join(home, 'add-tag-field.cjs');
    fs.writeFileSync(
      script,
      "module.exports = function (migration) { migration.editContentType('note').createField('mood').name('Mood').type('Symbol'); };\n",
    );
    await contentful('space', 'migration', '--space-id', spaceId, '--yes', script);
    const note = await client.contentType.get({ ...env(spaceId), contentTypeId: 'note' });
    expect(note.fields.map((f) => f.id)).toEqual(['title', 'mood']);
    expect(note.sys.publishedVersion).toBe(note.sys.version - 1);
  });
});

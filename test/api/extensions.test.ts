import type { PlainClientAPI } from 'contentful-management';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSdkError } from '../helpers/assertions.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let client: PlainClientAPI;
let spaceId: string;
const env = () => ({ spaceId, environmentId: 'master' });

beforeAll(async () => {
  server = await startTestServer();
  client = server.plainClient();
  spaceId = (await client.space.create({}, { name: 'Extensions' })).sys.id;
});
afterAll(async () => {
  await server?.close();
});

const parametrized = {
  name: 'My parametrized object editor',
  fieldTypes: [{ type: 'Object' }, { type: 'Array', items: { type: 'Link', linkType: 'Entry' } }],
  srcdoc: '<!DOCTYPE html><html></html>',
  parameters: {
    installation: [
      { id: 'devMode', type: 'Boolean', name: 'Run in development mode' },
      { id: 'retries', type: 'Number', name: 'Number of retries for API calls', required: true, default: 3 },
    ],
    instance: [
      { id: 'helpText', type: 'Symbol', name: 'Help text' },
      {
        id: 'theme',
        type: 'Enum',
        name: 'Theme',
        options: [{ light: 'Solarized light' }, { dark: 'Solarized dark' }],
        default: 'light',
        required: true,
      },
    ],
  },
};

describe('UI extensions', () => {
  it('creates with parameter definitions and values, updates with a version and deletes', async () => {
    const created = await client.extension.createWithId({ ...env(), extensionId: 'object-editor' }, {
      extension: parametrized,
      parameters: { devMode: true, retries: 10 },
    } as never);
    expect(created.sys).toMatchObject({ type: 'Extension', id: 'object-editor', version: 1 });
    expect(created.extension).toEqual(parametrized);
    expect(created.parameters).toEqual({ devMode: true, retries: 10 });
    const updated = await client.extension.update(
      { ...env(), extensionId: 'object-editor' },
      { ...created, extension: { ...created.extension, sidebar: true } },
    );
    expect(updated.sys.version).toBe(2);
    await expectSdkError(client.extension.update({ ...env(), extensionId: 'object-editor' }, { ...created }), 409, 'VersionMismatch');
    const posted = await client.extension.create(env(), {
      extension: { name: 'Hosted', src: 'https://example.com/ext.html', fieldTypes: [{ type: 'Symbol' }] },
    } as never);
    expect((await client.extension.getMany({ ...env(), query: {} })).items.map((e) => e.sys.id).sort()).toEqual(
      ['object-editor', posted.sys.id].sort(),
    );
    await client.extension.delete({ ...env(), extensionId: 'object-editor' });
    await expectSdkError(client.extension.get({ ...env(), extensionId: 'object-editor' }), 404, 'NotFound');
  });

  const invalid: [string, Record<string, unknown>, string][] = [
    ['no name', { extension: { src: 'https://x.example/a' } }, 'extension.name'],
    ['both src and srcdoc', { extension: { name: 'x', src: 'https://x.example/a', srcdoc: '<p>' } }, 'extension.src'],
    ['neither src nor srcdoc', { extension: { name: 'x' } }, 'extension.src'],
    ['srcdoc over 200 KB', { extension: { name: 'x', srcdoc: 'a'.repeat(200 * 1024 + 1) } }, 'extension.srcdoc'],
    ['unknown field type', { extension: { name: 'x', srcdoc: '<p>', fieldTypes: [{ type: 'Float' }] } }, 'extension.fieldTypes.0'],
    [
      'nine installation parameters',
      {
        extension: {
          name: 'x',
          srcdoc: '<p>',
          parameters: { installation: Array.from({ length: 9 }, (_, i) => ({ id: `p${i}`, name: 'P', type: 'Symbol' })) },
        },
      },
      'extension.parameters.installation',
    ],
    [
      'enum without options',
      { extension: { name: 'x', srcdoc: '<p>', parameters: { instance: [{ id: 'e', name: 'E', type: 'Enum' }] } } },
      'extension.parameters.instance.0.options',
    ],
    [
      'bad parameter id',
      { extension: { name: 'x', srcdoc: '<p>', parameters: { instance: [{ id: 'a-b', name: 'E', type: 'Symbol' }] } } },
      'extension.parameters.instance.0.id',
    ],
    [
      'default of the wrong type',
      { extension: { name: 'x', srcdoc: '<p>', parameters: { instance: [{ id: 'n', name: 'N', type: 'Number', default: 'three' }] } } },
      'extension.parameters.instance.0.default',
    ],
    ['undefined installation value', { extension: { name: 'x', srcdoc: '<p>' }, parameters: { nope: 1 } }, 'parameters.nope'],
    [
      'missing required installation value',
      { extension: { name: 'x', srcdoc: '<p>', parameters: { installation: [{ id: 'key', name: 'K', type: 'Symbol', required: true }] } } },
      'parameters.key',
    ],
  ];
  for (const [label, body, path] of invalid) {
    it(`refuses ${label} with 422 at ${path}`, async () => {
      const error = await expectSdkError(client.extension.create(env(), body as never), 422, 'ValidationFailed');
      expect((error.details.errors as { path: unknown[] }[]).map((e) => e.path.join('.'))).toContain(path);
    });
  }
});

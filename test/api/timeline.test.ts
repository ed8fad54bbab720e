import { createClient } from 'contentful';
import type { PlainClientAPI } from 'contentful-management';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../helpers/clock.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * Timeline preview on the CPA through contentful.js (`timelinePreview: { release: { lte }, timestamp: { lte } }`):
 * the preview with the content of the releases up to a release or a date laid over the drafts.
 */

const clock = new ManualClock(Date.parse('2026-12-01T10:00:00Z'));
let server: TestServer;
let cma: PlainClientAPI;
let spaceId: string;
let previewToken: string;
let deliveryToken: string;
const env = () => ({ spaceId, environmentId: 'master' });
const link = (linkType: 'Entry' | 'Asset' | 'Release' | 'Environment', id: string) => ({ sys: { type: 'Link' as const, linkType, id } });
const releases: Record<'spring' | 'summer', string> = { spring: '', summer: '' };

function preview(timelinePreview?: { release: { lte: string } } | { timestamp: { lte: string } }) {
  return createClient({
    space: spaceId,
    accessToken: previewToken,
    host: server.host,
    basePath: '/preview',
    insecure: true,
    ...(timelinePreview ? { timelinePreview } : {}),
  });
}

const titles = async (client: ReturnType<typeof preview>) =>
  Object.fromEntries(
    (await client.getEntries({ content_type: 'post', order: ['sys.id'] })).items.map((e) => [
      e.sys.id,
      (e.fields as { title: string }).title,
    ]),
  );

async function release(title: string, entries: { id: string; action: 'publish' | 'unpublish'; title?: string }[], publishAt: string) {
  const created = await cma.release.create(
    { ...env(), releaseSchemaVersion: 'Release.v2' } as never,
    {
      title,
      entities: { sys: { type: 'Array' }, items: entries.map((e) => ({ entity: link('Entry', e.id), action: e.action })) },
    } as never,
  );
  for (const entry of entries.filter((e) => e.title)) {
    const current = await cma.release.entry.get({ ...env(), releaseId: created.sys.id, entryId: entry.id });
    await cma.release.entry.update({ ...env(), releaseId: created.sys.id, entryId: entry.id }, {
      ...current,
      fields: { title: { 'en-US': entry.title } },
    } as never);
  }
  await cma.scheduledActions.create({ spaceId }, {
    entity: link('Release', created.sys.id),
    environment: link('Environment', 'master'),
    action: 'publish',
    scheduledFor: { datetime: publishAt },
  } as never);
  return created.sys.id;
}

beforeAll(async () => {
  server = await startTestServer({ SCHEDULER_POLL_MS: '3600000' }, { clock });
  cma = server.plainClient();
  spaceId = (await cma.space.create({}, { name: 'Timeline' })).sys.id;
  const ct = await cma.contentType.createWithId({ ...env(), contentTypeId: 'post' }, {
    name: 'Post',
    fields: [
      { id: 'title', name: 'Title', type: 'Symbol', required: true },
      { id: 'next', name: 'Next', type: 'Link', linkType: 'Entry' },
    ],
  } as never);
  await cma.contentType.publish({ ...env(), contentTypeId: 'post' }, ct);
  for (const [id, title] of [
    ['home', 'Home'],
    ['sale', 'Sale'],
    ['menu', 'Menu'],
  ] as const) {
    const entry = await cma.entry.createWithId({ ...env(), entryId: id, contentTypeId: 'post' }, {
      fields: { title: { 'en-US': title }, ...(id === 'menu' ? { next: { 'en-US': link('Entry', 'home') } } : {}) },
    } as never);
    await cma.entry.publish({ ...env(), entryId: id }, entry);
  }
  releases.spring = await release('Spring', [{ id: 'home', action: 'publish', title: 'Home in spring' }], '2027-03-01T00:00:00Z');
  releases.summer = await release(
    'Summer',
    [
      { id: 'home', action: 'publish', title: 'Home in summer' },
      { id: 'sale', action: 'unpublish' },
    ],
    '2027-06-01T00:00:00Z',
  );
  const key = await cma.apiKey.create({ spaceId }, { name: 'Site', environments: [link('Environment', 'master')] } as never);
  deliveryToken = key.accessToken;
  previewToken = (await cma.previewApiKey.get({ spaceId, previewApiKeyId: key.preview_api_key.sys.id })).accessToken;
});
afterAll(async () => {
  await server?.close();
});

describe('timeline preview', () => {
  it('shows the drafts without a timeline, and each release with those scheduled before it', async () => {
    expect(await titles(preview())).toEqual({ home: 'Home', menu: 'Menu', sale: 'Sale' });
    expect(await titles(preview({ release: { lte: releases.spring } }))).toEqual({ home: 'Home in spring', menu: 'Menu', sale: 'Sale' });
    // Summer comes after spring: its version of home wins and it takes the sale away.
    expect(await titles(preview({ release: { lte: releases.summer } }))).toEqual({ home: 'Home in summer', menu: 'Menu' });
  });

  it('shows what is scheduled up to a date', async () => {
    expect(await titles(preview({ timestamp: { lte: '2027-04-01T00:00:00Z' } }))).toEqual({
      home: 'Home in spring',
      menu: 'Menu',
      sale: 'Sale',
    });
    expect(await titles(preview({ timestamp: { lte: '2027-01-01T00:00:00Z' } }))).toEqual({ home: 'Home', menu: 'Menu', sale: 'Sale' });
  });

  it('lays the timeline over single entries and linked entries too', async () => {
    const client = preview({ release: { lte: releases.spring } });
    expect((await client.getEntry('home')).fields).toEqual({ title: 'Home in spring' });
    const menu = await client.getEntries({ 'sys.id': 'menu', include: 1 } as never);
    expect((menu.includes?.Entry ?? []).map((e) => [e.sys.id, (e.fields as { title: string }).title])).toEqual([
      ['home', 'Home in spring'],
    ]);
    const summer = preview({ release: { lte: releases.summer } });
    await expect(summer.getEntry('sale')).rejects.toThrow('The resource could not be found.');
  });

  it('answers 400 without a release or date, 404 for an unknown release, and only on the CPA', async () => {
    const base = `${server.baseUrl}/preview/spaces/${spaceId}/environments/master/timeline/entries`;
    const get = async (url: string, token = previewToken) => {
      const res = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
      return { status: res.status, id: ((await res.json()) as { sys: { id: string } }).sys.id };
    };
    expect(await get(base)).toEqual({ status: 400, id: 'BadRequest' });
    expect(await get(`${base}?release[lte]=nope`)).toEqual({ status: 404, id: 'NotFound' });
    expect(await get(`${base}?timestamp[lte]=soon`)).toEqual({ status: 400, id: 'BadRequest' });
    const cdaUrl = `${server.baseUrl}/cdn/spaces/${spaceId}/environments/master/timeline/entries?release[lte]=${releases.spring}`;
    expect(await get(cdaUrl, deliveryToken)).toEqual({ status: 404, id: 'NotFound' });
  });
});

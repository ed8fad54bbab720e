import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnvironmentScope } from '../../src/resources/environments/scope.js';
import { startServices, type ServiceSpec } from '../helpers/services.js';

/**
 * The editorial life cycle and version locking of entries, asked of the services directly (no HTTP):
 * a missing entry is 404 whatever version is sent, a stale version 409, a refused transition 400, and
 * each transition moves the sys versions as Contentful does (seed 001, "Publishing", "Archiving").
 */

let spec: ServiceSpec;
let scope: EnvironmentScope;

beforeAll(async () => {
  spec = await startServices();
  scope = await spec.master();
  const { contentTypes } = spec.services;
  const draft = await contentTypes.createOrUpdate(
    spec.admin,
    scope,
    'post',
    { name: 'Post', fields: [{ id: 'title', name: 'Title', type: 'Symbol' }] } as never,
    undefined,
  );
  await contentTypes.publish(spec.admin, scope, 'post', draft.item.sys.version);
});
afterAll(async () => {
  await spec?.close();
});

const entries = () => spec.services.entries;
const create = (id: string) => entries().create(spec.admin, scope, id, 'post', { fields: { title: { 'en-US': id } } });
const refused = (id: string, status: number) => expect.objectContaining({ id, status });

describe('version locking', () => {
  it('a missing entry is 404 NotFound before any version is compared; a stale version is 409 VersionMismatch', async () => {
    const entry = await create('locked');
    expect(entry.sys).toMatchObject({ id: 'locked', type: 'Entry', version: 1 });
    const body = { fields: { title: { 'en-US': 'changed' } } };
    await expect(entries().update(spec.admin, scope, 'nowhere', body, 1)).rejects.toEqual(refused('NotFound', 404));
    await expect(entries().update(spec.admin, scope, 'locked', body, 7)).rejects.toEqual(refused('VersionMismatch', 409));
    await expect(entries().update(spec.admin, scope, 'locked', body, undefined)).rejects.toEqual(refused('VersionMismatch', 409));
    await expect(entries().publish(spec.admin, scope, 'nowhere', 1)).rejects.toEqual(refused('NotFound', 404));
    await expect(entries().publish(spec.admin, scope, 'locked', 2)).rejects.toEqual(refused('VersionMismatch', 409));
    await expect(entries().delete(spec.admin, scope, 'nowhere', 1)).rejects.toEqual(refused('NotFound', 404));
    await expect(entries().delete(spec.admin, scope, 'locked', 2)).rejects.toEqual(refused('VersionMismatch', 409));

    const updated = await entries().update(spec.admin, scope, 'locked', body, 1);
    expect(updated.sys.version).toBe(2);
    await expect(entries().update(spec.admin, scope, 'locked', body, 1)).rejects.toEqual(refused('VersionMismatch', 409));
  });

  it('a taken id is 409 VersionMismatch on create', async () => {
    await create('taken');
    await expect(create('taken')).rejects.toEqual(refused('VersionMismatch', 409));
  });
});

describe('state transitions', () => {
  it('draft -> published -> unpublished -> archived -> unarchived -> deleted, with the sys versions of each', async () => {
    const draft = await create('cycle');
    expect(draft.sys).toMatchObject({ version: 1, publishedCounter: 0 });
    expect(draft.sys).not.toHaveProperty('publishedVersion');

    const published = await entries().publish(spec.admin, scope, 'cycle', 1);
    expect(published.sys).toMatchObject({ version: 2, publishedVersion: 1, publishedCounter: 1 });
    await expect(entries().archive(spec.admin, scope, 'cycle', 2)).rejects.toEqual(refused('BadRequest', 400));
    await expect(entries().delete(spec.admin, scope, 'cycle', 2)).rejects.toEqual(refused('BadRequest', 400));

    const unpublished = await entries().unpublish(spec.admin, scope, 'cycle', 2);
    expect(unpublished.sys).toMatchObject({ version: 3, publishedCounter: 1 });
    expect(unpublished.sys).not.toHaveProperty('publishedVersion');
    await expect(entries().unpublish(spec.admin, scope, 'cycle', 3)).rejects.toEqual(refused('BadRequest', 400));
    await expect(entries().unarchive(spec.admin, scope, 'cycle', 3)).rejects.toEqual(refused('BadRequest', 400));

    const archived = await entries().archive(spec.admin, scope, 'cycle', 3);
    expect(archived.sys).toMatchObject({ version: 4, archivedVersion: 3 });
    await expect(entries().publish(spec.admin, scope, 'cycle', 4)).rejects.toEqual(refused('BadRequest', 400));
    await expect(entries().update(spec.admin, scope, 'cycle', { fields: {} }, 4)).rejects.toEqual(refused('BadRequest', 400));
    await expect(entries().archive(spec.admin, scope, 'cycle', 4)).rejects.toEqual(refused('BadRequest', 400));

    const unarchived = await entries().unarchive(spec.admin, scope, 'cycle', 4);
    expect(unarchived.sys).toMatchObject({ version: 5 });
    expect(unarchived.sys).not.toHaveProperty('archivedVersion');
    const republished = await entries().publish(spec.admin, scope, 'cycle', 5);
    expect(republished.sys).toMatchObject({ version: 6, publishedVersion: 5, publishedCounter: 2 });

    await entries().unpublish(spec.admin, scope, 'cycle', 6);
    await entries().delete(spec.admin, scope, 'cycle', 7);
    await expect(entries().publish(spec.admin, scope, 'cycle', 7)).rejects.toEqual(refused('NotFound', 404));
  });
});

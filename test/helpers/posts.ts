import type { PlainClientAPI } from 'contentful-management';

/**
 * A new space with an active `post` content type (one required `title`), for tests of actions that
 * publish and unpublish entries; `draft` makes an entry (without a title it cannot be published).
 */
export async function postSpace(cma: PlainClientAPI, name: string) {
  const spaceId = (await cma.space.create({}, { name })).sys.id;
  const env = { spaceId, environmentId: 'master' };
  const ct = await cma.contentType.createWithId({ ...env, contentTypeId: 'post' }, {
    name: 'Post',
    fields: [{ id: 'title', name: 'Title', type: 'Symbol', required: true }],
  } as never);
  await cma.contentType.publish({ ...env, contentTypeId: 'post' }, ct);
  return {
    spaceId,
    draft: (entryId: string, title?: string) =>
      cma.entry.createWithId({ ...env, entryId, contentTypeId: 'post' }, { fields: title ? { title: { 'en-US': title } } : {} } as never),
  };
}

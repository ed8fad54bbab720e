import { Button, Form, FormControl, Heading, Paragraph, Select, TextInput } from '@contentful/f36-components';
import { type FormEvent, useId, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { CmaError } from '../../api/cma';
import { itemLink, newItem, type Release, releasesApi, sameItem } from '../../api/releases';
import { useQuery } from '../../api/use-query';
import { useCma } from '../../session';
import { ErrorNote } from '../common';
import { ConflictNote, ReleaseStatusBadge } from './shared';

const NEW_RELEASE = '';

/** "Add to release" for an entry or asset, shown in the entry editor's sidebar: the releases it is in, and adding it to one. */
export function AddToRelease({ entity }: { entity: { type: 'Entry' | 'Asset'; id: string } }) {
  const uid = useId();
  const { spaceId = '', environmentId = '' } = useParams();
  const cma = useCma();
  const api = useMemo(() => releasesApi(cma, spaceId, environmentId), [cma, spaceId, environmentId]);
  const ref = { linkType: entity.type, id: entity.id };
  const contains = (release: Release) => release.entities.items.some((item) => sameItem(itemLink(item), ref));
  const releases = useQuery(async () => {
    const [containing, active] = await Promise.all([api.list({ entityId: entity.id }), api.list({ statuses: ['active'] })]);
    return { containing: containing.items.filter(contains), open: active.items.filter((r) => !contains(r)) };
  }, [api, entity.type, entity.id]);
  const [chosen, setChosen] = useState<string>();
  const [title, setTitle] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CmaError>();
  const [added, setAdded] = useState<string>();

  const open = releases.data?.open ?? [];
  // The first open release unless the user chose another (or a new one).
  const target =
    chosen !== undefined && (chosen === NEW_RELEASE || open.some((r) => r.sys.id === chosen)) ? chosen : (open[0]?.sys.id ?? NEW_RELEASE);
  const base = `/spaces/${spaceId}/environments/${environmentId}`;

  async function add(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setAdded(undefined);
    try {
      const release = open.find((r) => r.sys.id === target);
      const saved = release
        ? await api.update(release, {
            entities: { items: [...release.entities.items, newItem(release.sys.schemaVersion, entity.type, entity.id)] },
          })
        : await api.create(title.trim(), [newItem(undefined, entity.type, entity.id)]);
      setAdded(saved.title);
      setTitle('');
      setChosen(undefined);
      releases.reload();
    } catch (err) {
      setError(err instanceof CmaError ? err : new CmaError(0, 'ClientError', String(err)));
    }
    setBusy(false);
  }

  const containing = releases.data?.containing ?? [];
  const noun = entity.type === 'Entry' ? 'entry' : 'asset';
  return (
    <section className="sidebar-panel" aria-labelledby={`${uid}-heading`}>
      <Heading as="h2" id={`${uid}-heading`} className="sidebar-heading">
        Releases
      </Heading>
      <ErrorNote error={releases.error} />
      {releases.data && containing.length === 0 ? <Paragraph className="sidebar-hint">This {noun} is in no release.</Paragraph> : null}
      {containing.length ? (
        <ul className="sidebar-list" aria-label={`Releases this ${noun} is in`}>
          {containing.map((release) => (
            <li key={release.sys.id} className="sidebar-item">
              <Link to={`${base}/releases/${release.sys.id}`}>{release.title}</Link> <ReleaseStatusBadge status={release.sys.status} />
            </li>
          ))}
        </ul>
      ) : null}
      {added ? (
        <Paragraph role="status" className="sidebar-hint">
          Added to {added}.
        </Paragraph>
      ) : null}
      {error?.id === 'VersionMismatch' ? (
        <ConflictNote
          onReload={() => {
            setError(undefined);
            releases.reload();
          }}
        />
      ) : (
        <ErrorNote error={error} title="Not added" />
      )}
      {releases.data ? (
        <Form onSubmit={add} aria-label="Add to a release" className="sidebar-form">
          <FormControl id={`${uid}-release`} marginBottom="spacingS">
            <FormControl.Label>Release</FormControl.Label>
            <Select value={target} onChange={(e) => setChosen(e.target.value)}>
              {open.map((release) => (
                <Select.Option key={release.sys.id} value={release.sys.id}>
                  {release.title}
                </Select.Option>
              ))}
              <Select.Option value={NEW_RELEASE}>New release…</Select.Option>
            </Select>
          </FormControl>
          {target === NEW_RELEASE ? (
            <FormControl id={`${uid}-title`} isRequired marginBottom="spacingS">
              <FormControl.Label>New release title</FormControl.Label>
              <TextInput value={title} maxLength={255} onChange={(e) => setTitle(e.target.value)} />
            </FormControl>
          ) : null}
          <Button type="submit" size="small" variant="secondary" isDisabled={busy || (target === NEW_RELEASE && !title.trim())}>
            Add to release
          </Button>
        </Form>
      ) : null}
    </section>
  );
}

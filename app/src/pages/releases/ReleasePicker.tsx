import { Button, Checkbox, EntityStatusBadge, Modal, Paragraph, Table, Tabs, TextInput } from '@contentful/f36-components';
import { useId, useState } from 'react';
import type { ReleasesApi } from '../../api/releases';
import { useQuery } from '../../api/use-query';
import { ErrorNote } from '../common';
import { describeAsset, describeEntry, type EntityInfo, type EntityRef, refKey } from './entities';

type Kind = 'entries' | 'assets';

/** Search results of one kind, described (titles from the display fields, content types, statuses). */
function Results({
  api,
  kind,
  search,
  present,
  picked,
  onToggle,
}: {
  api: ReleasesApi;
  kind: Kind;
  search: string;
  present: Set<string>;
  picked: Map<string, EntityRef>;
  onToggle(info: EntityInfo): void;
}) {
  const uid = useId();
  const basics = useQuery(() => Promise.all([api.contentTypes(), api.defaultLocale()]), [api]);
  const results = useQuery(() => api.search(kind, search), [api, kind, search]);
  if (!basics.data || !results.data) return <ErrorNote error={basics.error ?? results.error} />;
  const [contentTypes, locale] = basics.data;
  const found = results.data.items.map((item) =>
    kind === 'entries' ? describeEntry(item, contentTypes.items, locale) : describeAsset(item, locale),
  );
  if (found.length === 0) return <Paragraph marginTop="spacingS">Nothing found.</Paragraph>;
  return (
    <div className="table-scroll">
      <Table aria-label={kind === 'entries' ? 'Entries found' : 'Assets found'}>
        <Table.Body>
          {found.map((info) => {
            const inRelease = present.has(refKey(info));
            return (
              <Table.Row key={info.id}>
                <Table.Cell>
                  <Checkbox
                    id={`${uid}-${info.id}`}
                    isChecked={inRelease || picked.has(refKey(info))}
                    isDisabled={inRelease}
                    onChange={() => onToggle(info)}
                  >
                    {info.title}
                    {inRelease ? ' (already in the release)' : ''}
                  </Checkbox>
                </Table.Cell>
                <Table.Cell>{info.typeName}</Table.Cell>
                <Table.Cell>{info.status ? <EntityStatusBadge entityStatus={info.status} /> : null}</Table.Cell>
              </Table.Row>
            );
          })}
        </Table.Body>
      </Table>
    </div>
  );
}

/** Picks entries and assets (searched through the CMA) to add to a release; those already in it are shown checked. */
export function ReleasePicker({
  api,
  present,
  onAdd,
  onClose,
}: {
  api: ReleasesApi;
  /** `refKey`s of the release's entities. */
  present: Set<string>;
  onAdd(refs: EntityRef[]): void;
  onClose(): void;
}) {
  const uid = useId();
  const [kind, setKind] = useState<Kind>('entries');
  const [search, setSearch] = useState('');
  const [picked, setPicked] = useState<Map<string, EntityRef>>(new Map());
  const toggle = (info: EntityInfo) => {
    const next = new Map(picked);
    if (next.has(refKey(info))) next.delete(refKey(info));
    else next.set(refKey(info), { linkType: info.linkType, id: info.id });
    setPicked(next);
  };
  const results = (k: Kind) => <Results api={api} kind={k} search={search} present={present} picked={picked} onToggle={toggle} />;

  return (
    <Modal isShown onClose={onClose} size="large" aria={{ labelledby: `${uid}-title` }}>
      {() => (
        <>
          <Modal.Header title="Add content to the release" onClose={onClose} />
          <Modal.Content>
            <span id={`${uid}-title`} hidden>
              Add content to the release
            </span>
            <label htmlFor={`${uid}-search`}>Search</label>
            <TextInput
              id={`${uid}-search`}
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              placeholder="Words in the entries or assets"
            />
            <Tabs currentTab={kind} onTabChange={(tab) => setKind(tab as Kind)}>
              <Tabs.List>
                <Tabs.Tab panelId="entries">Entries</Tabs.Tab>
                <Tabs.Tab panelId="assets">Assets</Tabs.Tab>
              </Tabs.List>
              <Tabs.Panel id="entries">{kind === 'entries' ? results('entries') : null}</Tabs.Panel>
              <Tabs.Panel id="assets">{kind === 'assets' ? results('assets') : null}</Tabs.Panel>
            </Tabs>
          </Modal.Content>
          <Modal.Controls>
            <Button onClick={onClose}>Cancel</Button>
            <Button variant="primary" isDisabled={picked.size === 0} onClick={() => onAdd([...picked.values()])}>
              {`Add ${picked.size} to the release`}
            </Button>
          </Modal.Controls>
        </>
      )}
    </Modal>
  );
}

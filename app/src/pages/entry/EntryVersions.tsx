import { Button, Note, Table } from '@contentful/f36-components';
import { useState } from 'react';
import type { CmaError, ContentType } from '../../api/cma';
import type { EntriesApi, Fields, Snapshot } from '../../api/entries';
import { useQuery } from '../../api/use-query';
import { ErrorNote } from '../common';
import type { EntryDocument } from './entry-document';

const show = (value: unknown) => (value === undefined ? '(empty)' : typeof value === 'string' ? value : JSON.stringify(value));

/** The field values of a snapshot that differ from the current draft, field by field and locale by locale. */
export function snapshotDiff(snapshot: Fields, draft: Fields, contentType: ContentType) {
  const rows: { field: string; locale: string; before: unknown; now: unknown }[] = [];
  for (const field of contentType.fields) {
    const then = snapshot[field.id] ?? {};
    const now = draft[field.id] ?? {};
    for (const locale of new Set([...Object.keys(then), ...Object.keys(now)])) {
      if (JSON.stringify(then[locale]) !== JSON.stringify(now[locale]))
        rows.push({ field: field.name, locale, before: then[locale], now: now[locale] });
    }
  }
  return rows;
}

/** The versions tab: the entry's snapshots (one per publish), a diff against the current draft, and restore. */
export function EntryVersions({
  api,
  doc,
  contentType,
  onRestored,
  canRestore,
}: {
  api: EntriesApi;
  doc: EntryDocument;
  contentType: ContentType;
  onRestored(): void;
  canRestore: boolean;
}) {
  const snapshots = useQuery(() => api.snapshots(doc.sys.id), [api, doc]);
  const [selected, setSelected] = useState<Snapshot>();
  const [restoreError, setRestoreError] = useState<CmaError>();
  const restore = async (snapshot: Snapshot) => {
    try {
      await doc.save();
      await api.update(doc.sys.id, { fields: snapshot.snapshot.fields, metadata: doc.entry.metadata }, doc.sys.version);
      onRestored();
    } catch (error) {
      setRestoreError(error as CmaError);
    }
  };
  if (snapshots.error) return <ErrorNote error={snapshots.error} />;
  if (!snapshots.data) return null;
  if (snapshots.data.items.length === 0) return <p>No versions yet: a version is kept each time the entry is published.</p>;
  const diff = selected ? snapshotDiff(selected.snapshot.fields, doc.entry.fields, contentType) : [];
  return (
    <div className="entry-versions">
      <Table aria-label="Versions">
        <Table.Body>
          {snapshots.data.items.map((snapshot) => (
            <Table.Row key={snapshot.sys.id}>
              <Table.Cell>{new Date(snapshot.sys.createdAt).toLocaleString()}</Table.Cell>
              <Table.Cell>{snapshot.sys.snapshotType}</Table.Cell>
              <Table.Cell>
                <Button size="small" onClick={() => setSelected(snapshot)}>
                  Compare with current
                </Button>
              </Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table>
      {selected && (
        <section aria-label="Differences">
          {diff.length === 0 ? (
            <Note>This version has the same content as the current draft.</Note>
          ) : (
            <Table aria-label="Differences from the current draft">
              <Table.Head>
                <Table.Row>
                  <Table.Cell>Field</Table.Cell>
                  <Table.Cell>Locale</Table.Cell>
                  <Table.Cell>In this version</Table.Cell>
                  <Table.Cell>Current draft</Table.Cell>
                </Table.Row>
              </Table.Head>
              <Table.Body>
                {diff.map((row) => (
                  <Table.Row key={`${row.field}-${row.locale}`}>
                    <Table.Cell>{row.field}</Table.Cell>
                    <Table.Cell>{row.locale}</Table.Cell>
                    <Table.Cell>
                      <del>{show(row.before)}</del>
                    </Table.Cell>
                    <Table.Cell>
                      <ins>{show(row.now)}</ins>
                    </Table.Cell>
                  </Table.Row>
                ))}
              </Table.Body>
            </Table>
          )}
          {canRestore && (
            <Button variant="primary" onClick={() => restore(selected)}>
              Restore this version
            </Button>
          )}
          <ErrorNote error={restoreError} />
        </section>
      )}
    </div>
  );
}

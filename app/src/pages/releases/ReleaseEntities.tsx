import { Badge, Button, EntityStatusBadge, Note, Table } from '@contentful/f36-components';
import { Link } from 'react-router';
import { itemAction, itemLink, type RecordedError, type ReleaseItem } from '../../api/releases';
import { type EntityInfo, entityPath, refKey } from './entities';

/**
 * The lines a refusal reads as: each validation error with the path it concerns, each entity's own refusal (a
 * release's failed action) after the entity's type and id, or the message.
 */
export function errorLines(error: RecordedError): string[] {
  const items = error.details?.errors ?? [];
  if (!items.length) return [error.message ?? error.sys.id];
  return items.flatMap((item) => {
    const { entity, error: refusal } = item;
    if (entity && refusal) return errorLines(refusal).map((line) => `${entity.sys.linkType} ${entity.sys.id}: ${line}`);
    return [`${item.details ?? item.name ?? 'Invalid'}${item.path?.length ? ` (${item.path.join('.')})` : ''}`];
  });
}

/**
 * The entities of a release: title (a link to its editor), content type, status from its versions, what publishing
 * the release does with it (Release.v2), the problems the last validation or publish found with it; remove.
 */
export function ReleaseEntities({
  items,
  described,
  errors,
  base,
  canRemove,
  busy,
  onRemove,
}: {
  items: ReleaseItem[];
  described?: Map<string, EntityInfo>;
  errors: Map<string, RecordedError>;
  base: string;
  canRemove: boolean;
  busy: boolean;
  onRemove(ref: { linkType: 'Entry' | 'Asset'; id: string }): void;
}) {
  const v2 = items.some((item) => 'entity' in item);
  return (
    <div className="table-scroll">
      <Table aria-label="Entities of the release">
        <Table.Head>
          <Table.Row>
            <Table.Cell>Title</Table.Cell>
            <Table.Cell>Type</Table.Cell>
            <Table.Cell>Status</Table.Cell>
            {v2 ? <Table.Cell>On release</Table.Cell> : null}
            {canRemove ? <Table.Cell>Actions</Table.Cell> : null}
          </Table.Row>
        </Table.Head>
        <Table.Body>
          {items.map((item) => {
            const ref = itemLink(item);
            const info = described?.get(refKey(ref));
            const title = info?.title ?? '…';
            const problems = errors.get(refKey(ref));
            return (
              <Table.Row key={refKey(ref)}>
                <Table.Cell>
                  {info && !info.missing ? <Link to={`${base}/${entityPath(ref)}`}>{title}</Link> : title}
                  {problems ? (
                    <Note variant="negative" role="alert" aria-label={`Problems of ${title}`} style={{ marginTop: 8 }}>
                      {errorLines(problems).map((line) => (
                        <div key={line}>{line}</div>
                      ))}
                    </Note>
                  ) : null}
                </Table.Cell>
                <Table.Cell>{info?.typeName ?? ref.linkType}</Table.Cell>
                <Table.Cell>{info?.status ? <EntityStatusBadge entityStatus={info.status} /> : null}</Table.Cell>
                {v2 ? (
                  <Table.Cell>
                    <Badge variant={itemAction(item) === 'publish' ? 'positive' : 'warning'}>{itemAction(item)}</Badge>
                  </Table.Cell>
                ) : null}
                {canRemove ? (
                  <Table.Cell>
                    <Button size="small" isDisabled={busy} aria-label={`Remove ${title} from the release`} onClick={() => onRemove(ref)}>
                      Remove
                    </Button>
                  </Table.Cell>
                ) : null}
              </Table.Row>
            );
          })}
        </Table.Body>
      </Table>
    </div>
  );
}

import { Button, Checkbox, Modal, Stack, Table, TextInput } from '@contentful/f36-components';
import { useId, useState } from 'react';
import { type Cma, type ContentType, environmentPath } from '../../api/cma';
import type { Entry } from '../../api/entries';
import { useQuery } from '../../api/use-query';
import { ErrorNote } from '../common';

interface Asset {
  sys: { id: string };
  fields: { title?: Record<string, string>; file?: Record<string, { url?: string; contentType?: string }> };
}

export interface PickerRequest {
  linkType: 'Entry' | 'Asset';
  contentTypes?: string[];
  multiple: boolean;
  resolve(picked: unknown[] | null): void;
}

/** The entry or asset picker the reference, media and rich text editors open to link existing content. */
export function EntityPicker({
  request,
  cma,
  spaceId,
  environmentId,
  contentTypes,
  defaultLocale,
}: {
  request: PickerRequest;
  cma: Cma;
  spaceId: string;
  environmentId: string;
  contentTypes: ContentType[];
  defaultLocale: string;
}) {
  const searchId = useId();
  const [search, setSearch] = useState('');
  const [picked, setPicked] = useState<Map<string, unknown>>(new Map());
  const kind = request.linkType === 'Entry' ? 'entries' : 'assets';
  const results = useQuery(() => {
    const query = new URLSearchParams({ limit: '20', order: '-sys.updatedAt' });
    if (search) query.set('query', search);
    if (request.contentTypes?.length) query.set('sys.contentType.sys.id[in]', request.contentTypes.join(','));
    return cma.request<{ items: (Entry | Asset)[] }>('GET', `${environmentPath(spaceId, environmentId)}/${kind}?${query}`);
  }, [cma, spaceId, environmentId, kind, search, request.contentTypes?.join(',')]);

  const titleOf = (item: Entry | Asset) => {
    if ('sys' in item && (item as Entry).sys.contentType) {
      const entry = item as Entry;
      const type = contentTypes.find((t) => t.sys.id === entry.sys.contentType.sys.id);
      const value = type?.displayField ? entry.fields[type.displayField]?.[defaultLocale] : undefined;
      return typeof value === 'string' && value ? value : 'Untitled';
    }
    return (item as Asset).fields.title?.[defaultLocale] || 'Untitled';
  };
  const toggle = (item: Entry | Asset) => {
    if (!request.multiple) {
      request.resolve([item]);
      return;
    }
    const next = new Map(picked);
    if (next.has(item.sys.id)) next.delete(item.sys.id);
    else next.set(item.sys.id, item);
    setPicked(next);
  };
  const noun = request.linkType === 'Entry' ? 'entry' : 'asset';

  return (
    <Modal isShown onClose={() => request.resolve(null)} size="large" aria-label={`Select ${noun}`}>
      {() => (
        <>
          <Modal.Header title={request.multiple ? `Select ${kind}` : `Select an ${noun}`} onClose={() => request.resolve(null)} />
          <Modal.Content>
            <Stack flexDirection="column" alignItems="stretch">
              <label htmlFor={searchId}>Search {kind}</label>
              <TextInput id={searchId} value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Type to search" />
              <ErrorNote error={results.error} />
              <Table aria-label={`Pick ${kind}`}>
                <Table.Body>
                  {results.data?.items.map((item) => (
                    <Table.Row key={item.sys.id}>
                      <Table.Cell>
                        {request.multiple ? (
                          <Checkbox isChecked={picked.has(item.sys.id)} onChange={() => toggle(item)} aria-label={`Pick ${titleOf(item)}`}>
                            {titleOf(item)}
                          </Checkbox>
                        ) : (
                          <Button variant="transparent" onClick={() => toggle(item)} aria-label={`Pick ${titleOf(item)}`}>
                            {titleOf(item)}
                          </Button>
                        )}
                      </Table.Cell>
                      <Table.Cell>{item.sys.id}</Table.Cell>
                    </Table.Row>
                  ))}
                </Table.Body>
              </Table>
            </Stack>
          </Modal.Content>
          {request.multiple && (
            <Modal.Controls>
              <Button onClick={() => request.resolve(null)}>Cancel</Button>
              <Button variant="primary" isDisabled={picked.size === 0} onClick={() => request.resolve([...picked.values()])}>
                Insert {picked.size} selected
              </Button>
            </Modal.Controls>
          )}
        </>
      )}
    </Modal>
  );
}

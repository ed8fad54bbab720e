import { Button, Menu } from '@contentful/f36-components';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { useAccess } from '../../access';
import type { CmaError, ContentType } from '../../api/cma';
import { createEntry } from '../../api/entry-search';
import { useCma } from '../../session';
import { ErrorNote } from '../common';

/**
 * "Add entry": the active content types the user may create entries of; choosing one creates an empty entry
 * and opens it in the editor. Nothing is offered to a user who may create none.
 */
export function AddEntryMenu({ contentTypes }: { contentTypes: ContentType[] }) {
  const { spaceId = '', environmentId = '' } = useParams();
  const cma = useCma();
  const access = useAccess();
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CmaError>();
  const creatable = contentTypes.filter(
    (ct) => ct.sys.publishedVersion && access.can('create', { type: 'Entry', contentTypeId: ct.sys.id }),
  );

  async function add(contentType: ContentType) {
    setBusy(true);
    setError(undefined);
    try {
      const entry = await createEntry(cma, spaceId, environmentId, contentType.sys.id);
      navigate(entry.sys.id);
    } catch (err) {
      setError(err as CmaError);
      setBusy(false);
    }
  }

  if (creatable.length === 0) return null;
  return (
    <div>
      <Menu placement="bottom-end">
        <Menu.Trigger>
          <Button variant="primary" isLoading={busy} isDisabled={busy}>
            Add entry
          </Button>
        </Menu.Trigger>
        <Menu.List aria-label="Content type of the new entry">
          {creatable.map((ct) => (
            <Menu.Item key={ct.sys.id} onClick={() => void add(ct)}>
              {ct.name}
            </Menu.Item>
          ))}
        </Menu.List>
      </Menu>
      <ErrorNote error={error} title="The entry could not be created" />
    </div>
  );
}

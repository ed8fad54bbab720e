import { Badge, Button, Flex, Form, Heading, Radio, Table, TextInput } from '@contentful/f36-components';
import { useId, useState } from 'react';
import { useAccess } from '../../access';
import type { Tag, TagVisibility } from '../../api/settings-content';
import { useQuery } from '../../api/use-query';
import { ErrorNote, usePageTitle } from '../common';
import { ConfirmDelete } from '../shared/ConfirmDelete';
import { FormRow } from '../shared/FormRow';
import { ListTable, Page } from '../shared/Page';
import { ID_PATTERN, suggestId } from '../shared/ids';
import { atFields, RefusedNote } from '../shared/RefusedNote';
import { useAction } from '../shared/use-action';
import { fieldErrors, ReadOnlyNote, useSettingsContent } from './shared';

/** The environment's tags: created with an id and a visibility, renamed and deleted at the version shown. */
export default function Tags() {
  usePageTitle('Tags');
  const uid = useId();
  const api = useSettingsContent();
  const access = useAccess();
  const manage = access.admin || access.may('Tags', 'manage');
  const tags = useQuery(() => api.tags(), [api]);
  const [name, setName] = useState('');
  const [id, setId] = useState('');
  const [idTouched, setIdTouched] = useState(false);
  const [visibility, setVisibility] = useState<TagVisibility>('private');
  const creation = useAction();
  const change = useAction();
  const [renaming, setRenaming] = useState<{ tag: Tag; name: string }>();
  const effectiveId = idTouched ? id : suggestId(name);
  const createErrors = fieldErrors(creation.error);
  // A PUT to an id that exists is an update, which without a version the CMA answers with a 409.
  const idTaken = creation.error?.id === 'VersionMismatch';

  const create = creation.submit(async () => {
    await api.createTag(effectiveId.trim(), name.trim(), visibility);
    setName('');
    setId('');
    setIdTouched(false);
    tags.reload();
  });

  const rename = change.submit(async () => {
    if (!renaming) return;
    await api.renameTag(renaming.tag, renaming.name.trim());
    setRenaming(undefined);
    tags.reload();
  });

  const remove = (tag: Tag) =>
    change.run(async () => {
      await api.deleteTag(tag);
      tags.reload();
    });

  return (
    <Page title="Tags">
      {manage ? null : <ReadOnlyNote>Your role may read the tags but not change them.</ReadOnlyNote>}
      <ErrorNote error={tags.error} />
      <RefusedNote
        error={change.error}
        what="tag"
        onReload={() => {
          change.setError(undefined);
          tags.reload();
        }}
      />
      <ListTable
        label="Tags"
        columns={['Name', 'ID', 'Visibility', ...(manage ? ['Actions'] : [])]}
        empty={tags.data?.items.length === 0 ? 'No tags yet.' : undefined}
      >
        {(tags.data?.items ?? []).map((tag) => (
          <Table.Row key={tag.sys.id}>
            <Table.Cell>
              {renaming?.tag.sys.id === tag.sys.id ? (
                <form onSubmit={rename} aria-label={`Rename tag ${tag.name}`}>
                  <Flex gap="spacingXs" alignItems="center" flexWrap="wrap">
                    <TextInput
                      size="small"
                      aria-label="New name"
                      value={renaming.name}
                      maxLength={64}
                      autoFocus
                      onChange={(e) => setRenaming({ ...renaming, name: e.target.value })}
                      onKeyDown={(e) => e.key === 'Escape' && setRenaming(undefined)}
                    />
                    <Button size="small" variant="primary" type="submit" isDisabled={!renaming.name.trim()}>
                      Save name
                    </Button>
                    <Button size="small" variant="transparent" onClick={() => setRenaming(undefined)}>
                      Cancel
                    </Button>
                  </Flex>
                </form>
              ) : (
                tag.name
              )}
            </Table.Cell>
            <Table.Cell>
              <code>{tag.sys.id}</code>
            </Table.Cell>
            <Table.Cell>
              <Badge variant={tag.sys.visibility === 'public' ? 'primary' : 'secondary'}>{tag.sys.visibility}</Badge>
            </Table.Cell>
            {manage ? (
              <Table.Cell>
                <Flex gap="spacingXs" flexWrap="wrap">
                  <Button size="small" onClick={() => setRenaming({ tag, name: tag.name })} aria-label={`Rename tag ${tag.name}`}>
                    Rename
                  </Button>
                  <ConfirmDelete
                    title="Delete tag"
                    button="Delete"
                    buttonLabel={`Delete tag ${tag.name}`}
                    size="small"
                    onConfirm={() => void remove(tag)}
                  >
                    Delete the tag <strong>{tag.name}</strong>? It is removed from every entry and asset of this environment.
                  </ConfirmDelete>
                </Flex>
              </Table.Cell>
            ) : null}
          </Table.Row>
        ))}
      </ListTable>

      {manage ? (
        <>
          <Heading as="h2" marginTop="spacingXl">
            Create a tag
          </Heading>
          {idTaken ? null : <RefusedNote error={creation.error} what="tag" placeOf={atFields(['name'])} />}
          <Form onSubmit={create} aria-label="Create a tag" style={{ maxWidth: 640 }}>
            <FormRow label="Name" isRequired problems={createErrors.get('name')}>
              <TextInput name="tagName" value={name} maxLength={64} onChange={(e) => setName(e.target.value)} />
            </FormRow>
            <FormRow
              label="Tag ID"
              isRequired
              help="Letters, digits, -, _ and . (at most 64); it cannot be changed later."
              problems={idTaken ? ['A tag with this ID already exists.'] : []}
            >
              <TextInput
                name="tagId"
                value={effectiveId}
                pattern={ID_PATTERN}
                onChange={(e) => {
                  setIdTouched(true);
                  setId(e.target.value);
                }}
              />
            </FormRow>
            <fieldset style={{ marginBottom: 24, minWidth: 0 }}>
              <legend>
                <strong>Visibility</strong> (cannot be changed later)
              </legend>
              <Radio
                id={`${uid}-private`}
                name="visibility"
                value="private"
                isChecked={visibility === 'private'}
                onChange={() => setVisibility('private')}
                helpText="Only on the Content Management API: for organizing content"
              >
                Private
              </Radio>
              <Radio
                id={`${uid}-public`}
                name="visibility"
                value="public"
                isChecked={visibility === 'public'}
                onChange={() => setVisibility('public')}
                helpText="Also on the Content Delivery and Preview APIs"
              >
                Public
              </Radio>
            </fieldset>
            <Button
              variant="primary"
              type="submit"
              isLoading={creation.busy}
              isDisabled={creation.busy || !name.trim() || !effectiveId.trim()}
            >
              Create tag
            </Button>
          </Form>
        </>
      ) : null}
    </Page>
  );
}

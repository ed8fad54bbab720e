import {
  Badge,
  Button,
  Flex,
  Form,
  FormControl,
  Heading,
  ModalConfirm,
  Paragraph,
  Radio,
  Table,
  TextInput,
} from '@contentful/f36-components';
import { type FormEvent, useId, useState } from 'react';
import { useAccess } from '../../access';
import type { CmaError } from '../../api/cma';
import type { Tag, TagVisibility } from '../../api/settings-content';
import { useQuery } from '../../api/use-query';
import { ErrorNote, usePageTitle } from '../common';
import { asCmaError, fieldErrors, ReadOnlyNote, RefusedNote, useSettingsContent } from './shared';

const ID_PATTERN = '[a-zA-Z0-9\\-_.]{1,64}';

/** A tag id from its name, as Contentful's web app suggests one: camelCase letters and digits. */
function suggestId(name: string) {
  const words = name
    .normalize('NFKD')
    .replace(/[^a-zA-Z0-9 ]/g, ' ')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  return words.map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1))).join('');
}

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
  const [busy, setBusy] = useState(false);
  const [createError, setCreateError] = useState<CmaError>();
  const [error, setError] = useState<CmaError>();
  const [renaming, setRenaming] = useState<{ tag: Tag; name: string }>();
  const [deleting, setDeleting] = useState<Tag>();
  const effectiveId = idTouched ? id : suggestId(name);
  const createErrors = fieldErrors(createError);
  // A PUT to an id that exists is an update, which without a version the CMA answers with a 409.
  const idTaken = createError?.id === 'VersionMismatch';

  async function create(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setCreateError(undefined);
    try {
      await api.createTag(effectiveId.trim(), name.trim(), visibility);
      setName('');
      setId('');
      setIdTouched(false);
      tags.reload();
    } catch (err) {
      setCreateError(asCmaError(err));
    }
    setBusy(false);
  }

  async function rename(event: FormEvent) {
    event.preventDefault();
    if (!renaming) return;
    setError(undefined);
    try {
      await api.renameTag(renaming.tag, renaming.name.trim());
      setRenaming(undefined);
      tags.reload();
    } catch (err) {
      setError(asCmaError(err));
    }
  }

  async function remove(tag: Tag) {
    setDeleting(undefined);
    setError(undefined);
    try {
      await api.deleteTag(tag);
      tags.reload();
    } catch (err) {
      setError(asCmaError(err));
    }
  }

  return (
    <section aria-labelledby={`${uid}-title`}>
      <Heading as="h1" id={`${uid}-title`}>
        Tags
      </Heading>
      {manage ? null : <ReadOnlyNote>Your role may read the tags but not change them.</ReadOnlyNote>}
      <ErrorNote error={tags.error} />
      <RefusedNote
        error={error}
        what="tag"
        fields={[]}
        onReload={() => {
          setError(undefined);
          tags.reload();
        }}
      />
      <div className="table-scroll">
        <Table aria-label="Tags">
          <Table.Head>
            <Table.Row>
              <Table.Cell>Name</Table.Cell>
              <Table.Cell>ID</Table.Cell>
              <Table.Cell>Visibility</Table.Cell>
              {manage ? <Table.Cell>Actions</Table.Cell> : null}
            </Table.Row>
          </Table.Head>
          <Table.Body>
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
                      <Button size="small" variant="negative" onClick={() => setDeleting(tag)} aria-label={`Delete tag ${tag.name}`}>
                        Delete
                      </Button>
                    </Flex>
                  </Table.Cell>
                ) : null}
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      </div>
      {tags.data?.items.length === 0 ? <Paragraph marginTop="spacingS">No tags yet.</Paragraph> : null}

      {manage ? (
        <>
          <Heading as="h2" marginTop="spacingXl">
            Create a tag
          </Heading>
          {idTaken ? null : <RefusedNote error={createError} what="tag" fields={['name']} />}
          <Form onSubmit={create} aria-label="Create a tag" style={{ maxWidth: 640 }}>
            <FormControl id={`${uid}-name`} isRequired isInvalid={createErrors.has('name')}>
              <FormControl.Label>Name</FormControl.Label>
              <TextInput name="tagName" value={name} maxLength={64} onChange={(e) => setName(e.target.value)} />
              {createErrors.get('name')?.map((text) => (
                <FormControl.ValidationMessage key={text}>{text}</FormControl.ValidationMessage>
              ))}
            </FormControl>
            <FormControl id={`${uid}-id`} isRequired isInvalid={idTaken}>
              <FormControl.Label>Tag ID</FormControl.Label>
              <TextInput
                name="tagId"
                value={effectiveId}
                pattern={ID_PATTERN}
                onChange={(e) => {
                  setIdTouched(true);
                  setId(e.target.value);
                }}
              />
              <FormControl.HelpText>Letters, digits, -, _ and . (at most 64); it cannot be changed later.</FormControl.HelpText>
              {idTaken ? <FormControl.ValidationMessage>A tag with this ID already exists.</FormControl.ValidationMessage> : null}
            </FormControl>
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
            <Button variant="primary" type="submit" isLoading={busy} isDisabled={busy || !name.trim() || !effectiveId.trim()}>
              Create tag
            </Button>
          </Form>
        </>
      ) : null}

      <ModalConfirm
        isShown={deleting !== undefined}
        intent="negative"
        title="Delete tag"
        confirmLabel="Delete tag"
        onCancel={() => setDeleting(undefined)}
        onConfirm={() => deleting && void remove(deleting)}
      >
        <Paragraph>
          Delete the tag <strong>{deleting?.name}</strong>? It is removed from every entry and asset of this environment.
        </Paragraph>
      </ModalConfirm>
    </section>
  );
}

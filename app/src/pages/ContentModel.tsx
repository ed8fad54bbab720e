import { Badge, Button, Form, FormControl, Heading, Table, Textarea, TextInput } from '@contentful/f36-components';
import { type FormEvent, useId, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { CmaError, ContentType } from '../api/cma';
import { useQuery } from '../api/use-query';
import { useAccess } from '../access';
import { useCma } from '../session';
import { ErrorNote, usePageTitle } from './common';

const ID_PATTERN = '[a-zA-Z0-9\\-_.]{1,64}';

/** draft (never activated), published (the draft is what is active) or changed (a draft newer than the active version). */
export function contentTypeStatus(contentType: ContentType): 'draft' | 'published' | 'changed' {
  const published = contentType.sys.publishedVersion;
  if (!published) return 'draft';
  return contentType.sys.version === published + 1 ? 'published' : 'changed';
}

export function StatusBadge({ contentType }: { contentType: ContentType }) {
  const status = contentTypeStatus(contentType);
  return <Badge variant={status === 'published' ? 'positive' : status === 'changed' ? 'primary' : 'warning'}>{status}</Badge>;
}

/** A content type id from its name, as Contentful's web app suggests one: camelCase letters and digits. */
function suggestId(name: string) {
  const words = name
    .normalize('NFKD')
    .replace(/[^a-zA-Z0-9 ]/g, ' ')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  return words.map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1))).join('');
}

/** The environment's content types (name, id, fields, status), and creating one for those who may manage the content model. */
export default function ContentModel() {
  usePageTitle('Content model');
  // Every control gets an id of its own: Forma 36's (four random digits) collided in CI.
  const uid = useId();
  const mayManage = useAccess().may('ContentModel', 'manage');
  const { spaceId = '', environmentId = '' } = useParams();
  const cma = useCma();
  const navigate = useNavigate();
  const contentTypes = useQuery(() => cma.contentTypes(spaceId, environmentId), [cma, spaceId, environmentId]);
  const [name, setName] = useState('');
  const [id, setId] = useState('');
  const [idTouched, setIdTouched] = useState(false);
  const [description, setDescription] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CmaError>();
  const items = [...(contentTypes.data?.items ?? [])].sort((a, b) => a.name.localeCompare(b.name));
  const effectiveId = idTouched ? id : suggestId(name);

  async function create(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const created = await cma.putContentType(spaceId, environmentId, effectiveId.trim(), {
        name: name.trim(),
        description: description.trim() || undefined,
        displayField: null,
        fields: [],
      });
      navigate(created.sys.id);
    } catch (err) {
      setError(err as CmaError);
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="content-model-title">
      <Heading as="h1" id="content-model-title">
        Content model
      </Heading>
      <ErrorNote error={contentTypes.error} />
      <div className="table-scroll">
        <Table aria-label="Content types">
          <Table.Head>
            <Table.Row>
              <Table.Cell>Name</Table.Cell>
              <Table.Cell>ID</Table.Cell>
              <Table.Cell>Fields</Table.Cell>
              <Table.Cell>Status</Table.Cell>
            </Table.Row>
          </Table.Head>
          <Table.Body>
            {items.map((contentType) => (
              <Table.Row key={contentType.sys.id}>
                <Table.Cell>
                  <Link to={contentType.sys.id}>{contentType.name}</Link>
                </Table.Cell>
                <Table.Cell>
                  <code>{contentType.sys.id}</code>
                </Table.Cell>
                <Table.Cell>{contentType.fields.filter((f) => !f.deleted).length}</Table.Cell>
                <Table.Cell>
                  <StatusBadge contentType={contentType} />
                </Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      </div>

      {mayManage ? (
        <>
          <Heading as="h2" marginTop="spacingXl">
            Create a content type
          </Heading>
          <ErrorNote error={error} title="The server refused" />
          <Form onSubmit={create} aria-label="Create a content type">
            <FormControl id={`${uid}-name`} isRequired>
              <FormControl.Label>Name</FormControl.Label>
              <TextInput name="contentTypeName" value={name} maxLength={50} onChange={(e) => setName(e.target.value)} />
            </FormControl>
            <FormControl id={`${uid}-id`} isRequired>
              <FormControl.Label>Content type ID</FormControl.Label>
              <TextInput
                name="contentTypeId"
                value={effectiveId}
                pattern={ID_PATTERN}
                onChange={(e) => {
                  setIdTouched(true);
                  setId(e.target.value);
                }}
              />
              <FormControl.HelpText>Letters, digits, -, _ and . (at most 64); it cannot be changed later.</FormControl.HelpText>
            </FormControl>
            <FormControl id={`${uid}-description`}>
              <FormControl.Label>Description</FormControl.Label>
              <Textarea name="contentTypeDescription" value={description} onChange={(e) => setDescription(e.target.value)} />
            </FormControl>
            <Button variant="primary" type="submit" isLoading={busy} isDisabled={busy || !name.trim() || !effectiveId.trim()}>
              Create content type
            </Button>
          </Form>
        </>
      ) : null}
    </section>
  );
}

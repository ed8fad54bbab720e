import {
  Badge,
  Box,
  Button,
  Form,
  FormControl,
  Heading,
  ModalConfirm,
  Paragraph,
  Select,
  Table,
  TextInput,
} from '@contentful/f36-components';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import type { CmaError, Space } from '../api/cma';
import { useQuery } from '../api/use-query';
import { useCma } from '../session';
import { ErrorNote, usePageTitle } from './common';
import { TopBar } from './TopBar';

/** The first page after sign-in: the spaces the user can open, and creating or deleting one (the CMA decides who may). */
export default function Spaces() {
  usePageTitle('Spaces');
  const cma = useCma();
  const navigate = useNavigate();
  const spaces = useQuery(() => cma.spaces(), [cma]);
  const organizations = useQuery(() => cma.organizations(), [cma]);
  const [name, setName] = useState('');
  const [organizationId, setOrganizationId] = useState('');
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<CmaError>();
  const [deleting, setDeleting] = useState<Space>();

  const orgs = organizations.data?.items ?? [];
  const chosenOrganization = organizationId || orgs[0]?.sys.id || '';

  async function create(event: FormEvent) {
    event.preventDefault();
    setCreating(true);
    setError(undefined);
    try {
      const space = await cma.createSpace(name.trim(), chosenOrganization);
      navigate(`/spaces/${space.sys.id}/environments/master/content`);
    } catch (err) {
      setError(err as CmaError);
      setCreating(false);
    }
  }

  async function remove(space: Space) {
    setError(undefined);
    try {
      await cma.deleteSpace(space);
      spaces.reload();
    } catch (err) {
      setError(err as CmaError);
    }
    setDeleting(undefined);
  }

  return (
    <>
      <TopBar />
      <main id="main" className="app-page">
        <Heading as="h1">Spaces</Heading>
        <ErrorNote error={spaces.error ?? organizations.error} />
        <ErrorNote error={error} title="The server refused" />
        {spaces.data && spaces.data.items.length === 0 && <Paragraph>You have no spaces yet.</Paragraph>}
        {spaces.data && spaces.data.items.length > 0 && (
          <div className="table-scroll">
            <Table aria-label="Spaces">
              <Table.Head>
                <Table.Row>
                  <Table.Cell>Name</Table.Cell>
                  <Table.Cell>ID</Table.Cell>
                  <Table.Cell>Actions</Table.Cell>
                </Table.Row>
              </Table.Head>
              <Table.Body>
                {spaces.data.items.map((space) => (
                  <Table.Row key={space.sys.id}>
                    <Table.Cell>
                      <Link to={`/spaces/${space.sys.id}/environments/master/content`}>{space.name}</Link>
                    </Table.Cell>
                    <Table.Cell>
                      <code>{space.sys.id}</code>
                    </Table.Cell>
                    <Table.Cell>
                      <Button size="small" variant="negative" onClick={() => setDeleting(space)} aria-label={`Delete space ${space.name}`}>
                        Delete
                      </Button>
                    </Table.Cell>
                  </Table.Row>
                ))}
              </Table.Body>
            </Table>
          </div>
        )}

        <Heading as="h2" marginTop="spacingXl">
          Create a space
        </Heading>
        <Form onSubmit={create} aria-label="Create a space">
          <FormControl isRequired>
            <FormControl.Label>Space name</FormControl.Label>
            <TextInput name="spaceName" value={name} maxLength={255} onChange={(e) => setName(e.target.value)} />
          </FormControl>
          {orgs.length > 1 && (
            <FormControl>
              <FormControl.Label>Organization</FormControl.Label>
              <Select name="organization" value={chosenOrganization} onChange={(e) => setOrganizationId(e.target.value)}>
                {orgs.map((o) => (
                  <Select.Option key={o.sys.id} value={o.sys.id}>
                    {o.name}
                  </Select.Option>
                ))}
              </Select>
            </FormControl>
          )}
          {orgs.length === 1 && (
            <Box marginBottom="spacingM">
              In <Badge variant="secondary">{orgs[0].name}</Badge>
            </Box>
          )}
          <Button variant="primary" type="submit" isLoading={creating} isDisabled={creating || !name.trim() || !chosenOrganization}>
            Create space
          </Button>
        </Form>

        <ModalConfirm
          isShown={deleting !== undefined}
          intent="negative"
          title="Delete space"
          confirmLabel="Delete space"
          onCancel={() => setDeleting(undefined)}
          onConfirm={() => deleting && void remove(deleting)}
        >
          <Paragraph>
            Delete the space <strong>{deleting?.name}</strong> and everything in it? This cannot be undone.
          </Paragraph>
        </ModalConfirm>
      </main>
    </>
  );
}

import { Badge, Box, Button, Form, Heading, Paragraph, Select, Table, TextInput } from '@contentful/f36-components';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useQuery } from '../api/use-query';
import { useCma } from '../session';
import { ErrorNote, usePageTitle } from './common';
import { ConfirmDelete } from './shared/ConfirmDelete';
import { FormRow } from './shared/FormRow';
import { ListTable } from './shared/Page';
import { useAction } from './shared/use-action';
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
  const { busy, error, run, submit } = useAction();

  const orgs = organizations.data?.items ?? [];
  const chosenOrganization = organizationId || orgs[0]?.sys.id || '';

  const create = submit(async () => {
    const space = await cma.createSpace(name.trim(), chosenOrganization);
    navigate(`/spaces/${space.sys.id}/environments/master/content`);
  });

  return (
    <>
      <TopBar />
      <main id="main" className="app-page">
        <Heading as="h1">Spaces</Heading>
        <ErrorNote error={spaces.error ?? organizations.error} />
        <ErrorNote error={error} title="The server refused" />
        {spaces.data && spaces.data.items.length === 0 && <Paragraph>You have no spaces yet.</Paragraph>}
        {spaces.data && spaces.data.items.length > 0 && (
          <ListTable label="Spaces" columns={['Name', 'ID', 'Actions']}>
            {spaces.data.items.map((space) => (
              <Table.Row key={space.sys.id}>
                <Table.Cell>
                  <Link to={`/spaces/${space.sys.id}/environments/master/content`}>{space.name}</Link>
                </Table.Cell>
                <Table.Cell>
                  <code>{space.sys.id}</code>
                </Table.Cell>
                <Table.Cell>
                  <ConfirmDelete
                    title="Delete space"
                    button="Delete"
                    buttonLabel={`Delete space ${space.name}`}
                    size="small"
                    onConfirm={() =>
                      void run(async () => {
                        await cma.deleteSpace(space);
                        spaces.reload();
                      })
                    }
                  >
                    Delete the space <strong>{space.name}</strong> and everything in it? This cannot be undone.
                  </ConfirmDelete>
                </Table.Cell>
              </Table.Row>
            ))}
          </ListTable>
        )}

        <Heading as="h2" marginTop="spacingXl">
          Create a space
        </Heading>
        <Form onSubmit={create} aria-label="Create a space">
          <FormRow label="Space name" isRequired>
            <TextInput name="spaceName" value={name} maxLength={255} onChange={(e) => setName(e.target.value)} />
          </FormRow>
          {orgs.length > 1 && (
            <FormRow label="Organization">
              <Select name="organization" value={chosenOrganization} onChange={(e) => setOrganizationId(e.target.value)}>
                {orgs.map((o) => (
                  <Select.Option key={o.sys.id} value={o.sys.id}>
                    {o.name}
                  </Select.Option>
                ))}
              </Select>
            </FormRow>
          )}
          {orgs.length === 1 && (
            <Box marginBottom="spacingM">
              In <Badge variant="secondary">{orgs[0].name}</Badge>
            </Box>
          )}
          <Button variant="primary" type="submit" isLoading={busy} isDisabled={busy || !name.trim() || !chosenOrganization}>
            Create space
          </Button>
        </Form>
      </main>
    </>
  );
}

import { Badge, Button, Form, Heading, Paragraph, Select, Table, TextInput } from '@contentful/f36-components';
import { useState } from 'react';
import { useParams } from 'react-router';
import { useCma } from '../session';
import { ErrorNote, usePageTitle } from './common';
import { useEnvironments } from './Shell';
import { ConfirmDelete } from './shared/ConfirmDelete';
import { useAccess } from '../access';
import { FormRow } from './shared/FormRow';
import { ID_PATTERN } from './shared/ids';
import { ListTable, Page } from './shared/Page';
import { useAction } from './shared/use-action';

/** The space's environments with their aliases and status; creating (a copy of another) and deleting (the CMA decides who may). */
export default function Environments() {
  usePageTitle('Environments');
  const { spaceId = '' } = useParams();
  const cma = useCma();
  const environments = useEnvironments();
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [source, setSource] = useState('master');
  const { busy, error, run, submit } = useAction();
  const items = environments.data?.items ?? [];
  const mayManage = useAccess().may('Environments', 'manage');

  const create = submit(async () => {
    await cma.createEnvironment(spaceId, id.trim(), name.trim() || id.trim(), source);
    setId('');
    setName('');
    environments.reload();
  });

  return (
    <Page title="Environments">
      <ErrorNote error={error} title="The server refused" />
      <ListTable label="Environments" columns={['ID', 'Name', 'Aliases', 'Status', 'Actions']}>
        {items.map((environment) => (
          <Table.Row key={environment.sys.id}>
            <Table.Cell>
              <code>{environment.sys.id}</code>
            </Table.Cell>
            <Table.Cell>{environment.name}</Table.Cell>
            <Table.Cell>
              {(environment.sys.aliases ?? []).map((a) => (
                <Badge key={a.sys.id} variant="primary">
                  {a.sys.id}
                </Badge>
              ))}
            </Table.Cell>
            <Table.Cell>
              <Badge variant={environment.sys.status?.sys.id === 'ready' ? 'positive' : 'warning'}>
                {environment.sys.status?.sys.id ?? 'ready'}
              </Badge>
            </Table.Cell>
            <Table.Cell>
              {mayManage && environment.sys.id !== 'master' ? (
                <ConfirmDelete
                  title="Delete environment"
                  button="Delete"
                  buttonLabel={`Delete environment ${environment.sys.id}`}
                  size="small"
                  onConfirm={() =>
                    void run(async () => {
                      await cma.deleteEnvironment(spaceId, environment);
                      environments.reload();
                    })
                  }
                >
                  Delete the environment <strong>{environment.sys.id}</strong> and its content? This cannot be undone.
                </ConfirmDelete>
              ) : null}
            </Table.Cell>
          </Table.Row>
        ))}
      </ListTable>

      {mayManage ? (
        <>
          <Heading as="h2" marginTop="spacingXl">
            Create an environment
          </Heading>
          <Form onSubmit={create} aria-label="Create an environment">
            <FormRow label="Environment ID" isRequired help="Letters, digits, -, _ and . (at most 64).">
              <TextInput name="environmentId" value={id} pattern={ID_PATTERN} onChange={(e) => setId(e.target.value)} />
            </FormRow>
            <FormRow label="Name">
              <TextInput name="environmentName" value={name} onChange={(e) => setName(e.target.value)} />
            </FormRow>
            <FormRow label="Copy of">
              <Select name="source" value={source} onChange={(e) => setSource(e.target.value)}>
                {items.map((e) => (
                  <Select.Option key={e.sys.id} value={e.sys.id}>
                    {e.sys.id}
                  </Select.Option>
                ))}
              </Select>
            </FormRow>
            <Button variant="primary" type="submit" isLoading={busy} isDisabled={busy || !id.trim()}>
              Create environment
            </Button>
          </Form>
          <Paragraph marginTop="spacingM">
            A new environment is copied in the background; its status turns ready when the copy is done.
          </Paragraph>
        </>
      ) : (
        <Paragraph marginTop="spacingM">Your role may not create or delete environments.</Paragraph>
      )}
    </Page>
  );
}

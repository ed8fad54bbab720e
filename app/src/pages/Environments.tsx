import { Badge, Button, Form, FormControl, Heading, ModalConfirm, Paragraph, Select, Table, TextInput } from '@contentful/f36-components';
import { type FormEvent, useState } from 'react';
import { useParams } from 'react-router';
import type { CmaError, Environment } from '../api/cma';
import { useCma } from '../session';
import { ErrorNote, usePageTitle } from './common';
import { useEnvironments } from './Shell';

const ID_PATTERN = '[a-zA-Z0-9\\-_.]{1,64}';

/** The space's environments with their aliases and status; creating (a copy of another) and deleting (the CMA decides who may). */
export default function Environments() {
  usePageTitle('Environments');
  const { spaceId = '' } = useParams();
  const cma = useCma();
  const environments = useEnvironments();
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [source, setSource] = useState('master');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CmaError>();
  const [deleting, setDeleting] = useState<Environment>();
  const items = environments.data?.items ?? [];

  async function create(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await cma.createEnvironment(spaceId, id.trim(), name.trim() || id.trim(), source);
      setId('');
      setName('');
      environments.reload();
    } catch (err) {
      setError(err as CmaError);
    }
    setBusy(false);
  }

  async function remove(environment: Environment) {
    setError(undefined);
    try {
      await cma.deleteEnvironment(spaceId, environment);
      environments.reload();
    } catch (err) {
      setError(err as CmaError);
    }
    setDeleting(undefined);
  }

  return (
    <section aria-labelledby="environments-title">
      <Heading as="h1" id="environments-title">
        Environments
      </Heading>
      <ErrorNote error={error} title="The server refused" />
      <div className="table-scroll">
        <Table aria-label="Environments">
          <Table.Head>
            <Table.Row>
              <Table.Cell>ID</Table.Cell>
              <Table.Cell>Name</Table.Cell>
              <Table.Cell>Aliases</Table.Cell>
              <Table.Cell>Status</Table.Cell>
              <Table.Cell>Actions</Table.Cell>
            </Table.Row>
          </Table.Head>
          <Table.Body>
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
                  <Button
                    size="small"
                    variant="negative"
                    onClick={() => setDeleting(environment)}
                    aria-label={`Delete environment ${environment.sys.id}`}
                  >
                    Delete
                  </Button>
                </Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      </div>

      <Heading as="h2" marginTop="spacingXl">
        Create an environment
      </Heading>
      <Form onSubmit={create} aria-label="Create an environment">
        <FormControl isRequired>
          <FormControl.Label>Environment ID</FormControl.Label>
          <TextInput name="environmentId" value={id} pattern={ID_PATTERN} onChange={(e) => setId(e.target.value)} />
          <FormControl.HelpText>Letters, digits, -, _ and . (at most 64).</FormControl.HelpText>
        </FormControl>
        <FormControl>
          <FormControl.Label>Name</FormControl.Label>
          <TextInput name="environmentName" value={name} onChange={(e) => setName(e.target.value)} />
        </FormControl>
        <FormControl>
          <FormControl.Label>Copy of</FormControl.Label>
          <Select name="source" value={source} onChange={(e) => setSource(e.target.value)}>
            {items.map((e) => (
              <Select.Option key={e.sys.id} value={e.sys.id}>
                {e.sys.id}
              </Select.Option>
            ))}
          </Select>
        </FormControl>
        <Button variant="primary" type="submit" isLoading={busy} isDisabled={busy || !id.trim()}>
          Create environment
        </Button>
      </Form>
      <Paragraph marginTop="spacingM">
        A new environment is copied in the background; its status turns ready when the copy is done.
      </Paragraph>

      <ModalConfirm
        isShown={deleting !== undefined}
        intent="negative"
        title="Delete environment"
        confirmLabel="Delete environment"
        onCancel={() => setDeleting(undefined)}
        onConfirm={() => deleting && void remove(deleting)}
      >
        <Paragraph>
          Delete the environment <strong>{deleting?.sys.id}</strong> and its content? This cannot be undone.
        </Paragraph>
      </ModalConfirm>
    </section>
  );
}

import { Button, Flex, Heading, ModalConfirm, Paragraph, Table } from '@contentful/f36-components';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useAccess } from '../../access';
import type { CmaError } from '../../api/cma';
import { deleteRole, listRoles, listSpaceMembers, type Role } from '../../api/settings-access';
import { useQuery } from '../../api/use-query';
import { useCma } from '../../session';
import { ErrorNote, usePageTitle } from '../common';
import RoleEditor from './RoleEditor';

/** The space's roles with how many members have each; space admins create, open and delete them. */
function RoleList() {
  usePageTitle('Roles');
  const { spaceId = '' } = useParams();
  const cma = useCma();
  const navigate = useNavigate();
  const { admin } = useAccess();
  const roles = useQuery(() => listRoles(cma, spaceId), [cma, spaceId]);
  const members = useQuery(() => listSpaceMembers(cma, spaceId), [cma, spaceId]);
  const [deleting, setDeleting] = useState<Role>();
  const [error, setError] = useState<CmaError>();
  const items = [...(roles.data?.items ?? [])].sort((a, b) => a.name.localeCompare(b.name));
  const memberCount = (role: Role) => members.data?.items.filter((m) => m.roles.some((r) => r.sys.id === role.sys.id)).length;

  async function remove(role: Role) {
    setDeleting(undefined);
    setError(undefined);
    try {
      await deleteRole(cma, spaceId, role.sys.id);
      roles.reload();
    } catch (err) {
      setError(err as CmaError);
    }
  }

  return (
    <section aria-labelledby="roles-title">
      <Flex justifyContent="space-between" alignItems="center" flexWrap="wrap" gap="spacingS" marginBottom="spacingM">
        <Heading as="h1" id="roles-title" marginBottom="none">
          Roles and permissions
        </Heading>
        {admin ? (
          <Button variant="primary" onClick={() => navigate('new')}>
            Create a role
          </Button>
        ) : null}
      </Flex>
      <Paragraph>
        A role says what its members may do with content and which parts of the space they may read or manage. Space admins may do
        everything; being one is a flag of a membership, not a role.
      </Paragraph>
      <ErrorNote error={roles.error ?? members.error} />
      <ErrorNote error={error} title="The server refused" />
      <div className="table-scroll">
        <Table aria-label="Roles">
          <Table.Head>
            <Table.Row>
              <Table.Cell>Name</Table.Cell>
              <Table.Cell>Description</Table.Cell>
              <Table.Cell>Members</Table.Cell>
              {admin ? <Table.Cell>Actions</Table.Cell> : null}
            </Table.Row>
          </Table.Head>
          <Table.Body>
            {items.map((role) => (
              <Table.Row key={role.sys.id}>
                <Table.Cell>
                  <Link to={encodeURIComponent(role.sys.id)}>{role.name}</Link>
                </Table.Cell>
                <Table.Cell>{role.description}</Table.Cell>
                <Table.Cell>{memberCount(role) ?? ''}</Table.Cell>
                {admin ? (
                  <Table.Cell>
                    <Button size="small" variant="negative" onClick={() => setDeleting(role)} aria-label={`Delete role ${role.name}`}>
                      Delete
                    </Button>
                  </Table.Cell>
                ) : null}
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      </div>
      {roles.data && items.length === 0 ? <Paragraph marginTop="spacingM">The space has no roles.</Paragraph> : null}

      <ModalConfirm
        isShown={deleting !== undefined}
        intent="negative"
        title="Delete role"
        confirmLabel="Delete role"
        onCancel={() => setDeleting(undefined)}
        onConfirm={() => deleting && void remove(deleting)}
      >
        <Paragraph>
          Delete the role <strong>{deleting?.name}</strong>? Members who have it lose what it allows; a member whose only role it is must
          get another role first.
        </Paragraph>
      </ModalConfirm>
    </section>
  );
}

/** `settings/roles` lists the roles; `settings/roles/{roleId}` (or `new`) edits one. */
export default function Roles() {
  const { itemId } = useParams();
  return itemId ? <RoleEditor key={itemId} roleId={itemId} /> : <RoleList />;
}

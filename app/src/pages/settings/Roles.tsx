import { Paragraph, Table } from '@contentful/f36-components';
import { Link, useParams } from 'react-router';
import { useAccess } from '../../access';
import { deleteRole, listRoles, listSpaceMembers, type Role } from '../../api/settings-access';
import { useQuery } from '../../api/use-query';
import { useCma } from '../../session';
import { ErrorNote, usePageTitle } from '../common';
import { ConfirmDelete } from '../shared/ConfirmDelete';
import { ListTable, NewButton, Page } from '../shared/Page';
import { useAction } from '../shared/use-action';
import RoleEditor from './RoleEditor';

/** The space's roles with how many members have each; space admins create, open and delete them. */
function RoleList() {
  usePageTitle('Roles');
  const { spaceId = '' } = useParams();
  const cma = useCma();
  const { admin } = useAccess();
  const roles = useQuery(() => listRoles(cma, spaceId), [cma, spaceId]);
  const members = useQuery(() => listSpaceMembers(cma, spaceId), [cma, spaceId]);
  const removal = useAction();
  const items = [...(roles.data?.items ?? [])].sort((a, b) => a.name.localeCompare(b.name));
  const memberCount = (role: Role) => members.data?.items.filter((m) => m.roles.some((r) => r.sys.id === role.sys.id)).length;

  const remove = (role: Role) =>
    removal.run(async () => {
      await deleteRole(cma, spaceId, role.sys.id);
      roles.reload();
    });

  return (
    <Page title="Roles and permissions" actions={admin ? <NewButton>Create a role</NewButton> : null}>
      <Paragraph>
        A role says what its members may do with content and which parts of the space they may read or manage. Space admins may do
        everything; being one is a flag of a membership, not a role.
      </Paragraph>
      <ErrorNote error={roles.error ?? members.error} />
      <ErrorNote error={removal.error} title="The server refused" />
      <ListTable
        label="Roles"
        columns={['Name', 'Description', 'Members', ...(admin ? ['Actions'] : [])]}
        empty={roles.data && items.length === 0 ? 'The space has no roles.' : undefined}
      >
        {items.map((role) => (
          <Table.Row key={role.sys.id}>
            <Table.Cell>
              <Link to={encodeURIComponent(role.sys.id)}>{role.name}</Link>
            </Table.Cell>
            <Table.Cell>{role.description}</Table.Cell>
            <Table.Cell>{memberCount(role) ?? ''}</Table.Cell>
            {admin ? (
              <Table.Cell>
                <ConfirmDelete
                  title="Delete role"
                  button="Delete"
                  buttonLabel={`Delete role ${role.name}`}
                  size="small"
                  onConfirm={() => void remove(role)}
                >
                  Delete the role <strong>{role.name}</strong>? Members who have it lose what it allows; a member whose only role it is must
                  get another role first.
                </ConfirmDelete>
              </Table.Cell>
            ) : null}
          </Table.Row>
        ))}
      </ListTable>
    </Page>
  );
}

/** `settings/roles` lists the roles; `settings/roles/{roleId}` (or `new`) edits one. */
export default function Roles() {
  const { itemId } = useParams();
  return itemId ? <RoleEditor key={itemId} roleId={itemId} /> : <RoleList />;
}

import { Paragraph, Select, Table } from '@contentful/f36-components';
import { useState } from 'react';
import { useParams } from 'react-router';
import { useAccess } from '../../access';
import type { Cma } from '../../api/cma';
import {
  createTeamSpaceMembership,
  deleteTeamSpaceMembership,
  listOrganizationTeams,
  listRoles,
  listSpaceTeams,
  listTeamSpaceMemberships,
  type Role,
  type Team,
  type TeamSpaceMembership,
  updateTeamSpaceMembership,
} from '../../api/settings-access';
import { useQuery } from '../../api/use-query';
import { useCma } from '../../session';
import { ErrorNote, usePageTitle } from '../common';
import { ConfirmDelete } from '../shared/ConfirmDelete';
import { FormRow } from '../shared/FormRow';
import { ListTable, Page } from '../shared/Page';
import { useAction } from '../shared/use-action';
import { ChangeGrant, GrantForm, grantText } from './GrantFields';
import './settings-access.css';

/**
 * The team space memberships of the space with their teams; space admins also get the organization's
 * teams to add. Everyone else reads only what members may read (the teams with access), so nothing is refused.
 */
async function loadTeams(cma: Cma, spaceId: string, manage: boolean) {
  const [memberships, roles, spaceTeams] = await Promise.all([
    listTeamSpaceMemberships(cma, spaceId),
    listRoles(cma, spaceId),
    listSpaceTeams(cma, spaceId),
  ]);
  let organizationTeams: Team[] = [];
  if (manage) {
    const organizationId = (await cma.space(spaceId)).sys.organization?.sys.id;
    if (organizationId) organizationTeams = (await listOrganizationTeams(cma, organizationId)).items;
  }
  const teams = [...spaceTeams.items, ...organizationTeams.filter((t) => !spaceTeams.items.some((s) => s.sys.id === t.sys.id))];
  return { memberships: memberships.items, roles: roles.items, teams };
}

function AddTeam({
  spaceId,
  teams,
  roles,
  onAdded,
}: {
  spaceId: string;
  /** The organization's teams without access to the space yet. */
  teams: Team[];
  roles: Role[];
  onAdded(): void;
}) {
  const cma = useCma();
  const [teamId, setTeamId] = useState('');
  const chosen = teams.some((t) => t.sys.id === teamId) ? teamId : (teams[0]?.sys.id ?? '');

  return (
    <GrantForm
      title="Add a team to the space"
      submitLabel="Add team"
      roles={roles}
      ready={chosen !== ''}
      unavailable={
        teams.length === 0 ? 'Every team of the organization has access already (organization owners and admins make teams).' : undefined
      }
      onGrant={async (grant) => {
        await createTeamSpaceMembership(cma, spaceId, chosen, grant.admin, grant.roleIds);
        setTeamId('');
        onAdded();
      }}
    >
      <FormRow label="Team" isRequired help="Every member of the team gets this access.">
        <Select name="teamId" value={chosen} onChange={(e) => setTeamId(e.target.value)}>
          {teams.map((team) => (
            <Select.Option key={team.sys.id} value={team.sys.id}>
              {team.name}
            </Select.Option>
          ))}
        </Select>
      </FormRow>
    </GrantForm>
  );
}

/** The teams with access to the space and what each grants; space admins add, change and remove them. */
export default function Teams() {
  usePageTitle('Teams');
  const { spaceId = '' } = useParams();
  const cma = useCma();
  const { admin } = useAccess();
  const loaded = useQuery(() => loadTeams(cma, spaceId, admin), [cma, spaceId, admin]);
  const removal = useAction();
  const roles = loaded.data?.roles ?? [];
  const teams = loaded.data?.teams ?? [];
  const memberships = loaded.data?.memberships ?? [];
  const teamOf = (membership: TeamSpaceMembership) => teams.find((t) => t.sys.id === membership.sys.team.sys.id);
  const withoutAccess = teams.filter((t) => !memberships.some((m) => m.sys.team.sys.id === t.sys.id));

  return (
    <Page title="Teams">
      <Paragraph>A team with access to the space gives every one of its members what its membership grants.</Paragraph>
      <ErrorNote error={loaded.error} />
      <ErrorNote error={removal.error} title="The server refused" />
      <ListTable
        label="Teams with access"
        columns={['Team', 'Description', 'Members', 'Access', ...(admin ? ['Actions'] : [])]}
        empty={loaded.data && memberships.length === 0 ? 'No team has access to the space.' : undefined}
      >
        {memberships.map((membership) => {
          const team = teamOf(membership);
          const name = team?.name ?? membership.sys.team.sys.id;
          return (
            <Table.Row key={membership.sys.id}>
              <Table.Cell>{name}</Table.Cell>
              <Table.Cell>{team?.description}</Table.Cell>
              <Table.Cell>{team?.sys.memberCount ?? ''}</Table.Cell>
              <Table.Cell>{grantText(membership, roles)}</Table.Cell>
              {admin ? (
                <Table.Cell>
                  <ChangeGrant
                    label={`Change access of team ${name}`}
                    membership={membership}
                    roles={roles}
                    onSave={(grant) => updateTeamSpaceMembership(cma, spaceId, membership, grant.admin, grant.roleIds)}
                    onClosed={loaded.reload}
                  />{' '}
                  <ConfirmDelete
                    title="Remove team from the space"
                    confirmLabel="Remove team"
                    button="Remove"
                    buttonLabel={`Remove team ${name} from the space`}
                    size="small"
                    onConfirm={() => void removal.run(() => deleteTeamSpaceMembership(cma, spaceId, membership.sys.id)).then(loaded.reload)}
                  >
                    Remove the team <strong>{name}</strong> from the space? Its members lose the access it gave them at once.
                  </ConfirmDelete>
                </Table.Cell>
              ) : null}
            </Table.Row>
          );
        })}
      </ListTable>

      {admin && loaded.data ? <AddTeam spaceId={spaceId} teams={withoutAccess} roles={roles} onAdded={loaded.reload} /> : null}
    </Page>
  );
}

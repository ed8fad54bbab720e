import { Button, Form, FormControl, Heading, ModalConfirm, Paragraph, Select, Table } from '@contentful/f36-components';
import { type FormEvent, useId, useState } from 'react';
import { useParams } from 'react-router';
import { useAccess } from '../../access';
import { type Cma, CmaError } from '../../api/cma';
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
import { GrantDialog, GrantFields, grantProblem, grantText } from './GrantFields';
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
  const uid = useId();
  const cma = useCma();
  const [teamId, setTeamId] = useState('');
  const [admin, setAdmin] = useState(false);
  const [roleIds, setRoleIds] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CmaError>();
  const chosen = teams.some((t) => t.sys.id === teamId) ? teamId : (teams[0]?.sys.id ?? '');

  async function add(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await createTeamSpaceMembership(cma, spaceId, chosen, admin, roleIds);
      setTeamId('');
      setAdmin(false);
      setRoleIds([]);
      onAdded();
    } catch (err) {
      setError(err instanceof CmaError ? err : new CmaError(0, 'ClientError', String(err)));
    }
    setBusy(false);
  }

  return (
    <section aria-labelledby={`${uid}-title`} className="access-grant">
      <Heading as="h2" id={`${uid}-title`} marginTop="spacingXl">
        Add a team to the space
      </Heading>
      {teams.length === 0 ? (
        <Paragraph>Every team of the organization has access already (organization owners and admins make teams).</Paragraph>
      ) : (
        <>
          <ErrorNote error={error} title="The server refused" />
          <Form onSubmit={add} aria-label="Add a team to the space">
            <FormControl id={`${uid}-team`} isRequired>
              <FormControl.Label>Team</FormControl.Label>
              <Select name="teamId" value={chosen} onChange={(e) => setTeamId(e.target.value)}>
                {teams.map((team) => (
                  <Select.Option key={team.sys.id} value={team.sys.id}>
                    {team.name}
                  </Select.Option>
                ))}
              </Select>
              <FormControl.HelpText>Every member of the team gets this access.</FormControl.HelpText>
            </FormControl>
            <GrantFields
              admin={admin}
              roleIds={roleIds}
              roles={roles}
              onChange={(a, r) => {
                setAdmin(a);
                setRoleIds(r);
              }}
            />
            <Button
              variant="primary"
              type="submit"
              isLoading={busy}
              isDisabled={busy || !chosen || grantProblem(admin, roleIds) !== undefined}
            >
              Add team
            </Button>
          </Form>
        </>
      )}
    </section>
  );
}

/** The teams with access to the space and what each grants; space admins add, change and remove them. */
export default function Teams() {
  usePageTitle('Teams');
  const { spaceId = '' } = useParams();
  const cma = useCma();
  const { admin } = useAccess();
  const loaded = useQuery(() => loadTeams(cma, spaceId, admin), [cma, spaceId, admin]);
  const [changing, setChanging] = useState<{ membership: TeamSpaceMembership; name: string }>();
  const [removing, setRemoving] = useState<{ membership: TeamSpaceMembership; name: string }>();
  const [error, setError] = useState<CmaError>();
  const roles = loaded.data?.roles ?? [];
  const teams = loaded.data?.teams ?? [];
  const memberships = loaded.data?.memberships ?? [];
  const teamOf = (membership: TeamSpaceMembership) => teams.find((t) => t.sys.id === membership.sys.team.sys.id);
  const withoutAccess = teams.filter((t) => !memberships.some((m) => m.sys.team.sys.id === t.sys.id));

  async function remove(membership: TeamSpaceMembership) {
    setRemoving(undefined);
    setError(undefined);
    try {
      await deleteTeamSpaceMembership(cma, spaceId, membership.sys.id);
    } catch (err) {
      setError(err as CmaError);
    }
    loaded.reload();
  }

  return (
    <section aria-labelledby="teams-title">
      <Heading as="h1" id="teams-title">
        Teams
      </Heading>
      <Paragraph>A team with access to the space gives every one of its members what its membership grants.</Paragraph>
      <ErrorNote error={loaded.error} />
      <ErrorNote error={error} title="The server refused" />
      <div className="table-scroll">
        <Table aria-label="Teams with access">
          <Table.Head>
            <Table.Row>
              <Table.Cell>Team</Table.Cell>
              <Table.Cell>Description</Table.Cell>
              <Table.Cell>Members</Table.Cell>
              <Table.Cell>Access</Table.Cell>
              {admin ? <Table.Cell>Actions</Table.Cell> : null}
            </Table.Row>
          </Table.Head>
          <Table.Body>
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
                      <Button size="small" onClick={() => setChanging({ membership, name })} aria-label={`Change access of team ${name}`}>
                        Change
                      </Button>{' '}
                      <Button
                        size="small"
                        variant="negative"
                        onClick={() => setRemoving({ membership, name })}
                        aria-label={`Remove team ${name} from the space`}
                      >
                        Remove
                      </Button>
                    </Table.Cell>
                  ) : null}
                </Table.Row>
              );
            })}
          </Table.Body>
        </Table>
      </div>
      {loaded.data && memberships.length === 0 ? <Paragraph marginTop="spacingM">No team has access to the space.</Paragraph> : null}

      {admin && loaded.data ? <AddTeam spaceId={spaceId} teams={withoutAccess} roles={roles} onAdded={loaded.reload} /> : null}

      {changing ? (
        <GrantDialog
          title={`Change access of team ${changing.name}`}
          grant={changing.membership}
          roles={roles}
          onSave={(a, r) => updateTeamSpaceMembership(cma, spaceId, changing.membership, a, r)}
          onClose={() => {
            setChanging(undefined);
            loaded.reload();
          }}
        />
      ) : null}
      <ModalConfirm
        isShown={removing !== undefined}
        intent="negative"
        title="Remove team from the space"
        confirmLabel="Remove team"
        onCancel={() => setRemoving(undefined)}
        onConfirm={() => removing && void remove(removing.membership)}
      >
        <Paragraph>
          Remove the team <strong>{removing?.name}</strong> from the space? Its members lose the access it gave them at once.
        </Paragraph>
      </ModalConfirm>
    </section>
  );
}

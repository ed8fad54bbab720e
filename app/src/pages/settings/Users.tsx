import {
  Badge,
  Button,
  Form,
  FormControl,
  Heading,
  ModalConfirm,
  Note,
  Paragraph,
  Select,
  Table,
  TextInput,
} from '@contentful/f36-components';
import { type FormEvent, useId, useState } from 'react';
import { useParams } from 'react-router';
import { useAccess } from '../../access';
import { type Cma, CmaError } from '../../api/cma';
import {
  createSpaceMembership,
  deleteSpaceMembership,
  type Invitation,
  inviteToOrganization,
  listRoles,
  listSpaceMembers,
  listSpaceMemberships,
  listSpaceTeams,
  listSpaceUsers,
  listTeamSpaceMemberships,
  type Role,
  type SpaceMembership,
  updateSpaceMembership,
} from '../../api/settings-access';
import { useQuery } from '../../api/use-query';
import { useCma, useSession } from '../../session';
import { ErrorNote, usePageTitle } from '../common';
import { GrantDialog, GrantFields, grantProblem, grantText } from './GrantFields';
import './settings-access.css';

/** Everything the page shows, read at once: who has access, through what, and with which roles. */
async function loadUsers(cma: Cma, spaceId: string) {
  const [members, users, memberships, roles, teamMemberships, teams, space] = await Promise.all([
    listSpaceMembers(cma, spaceId),
    listSpaceUsers(cma, spaceId),
    listSpaceMemberships(cma, spaceId),
    listRoles(cma, spaceId),
    listTeamSpaceMemberships(cma, spaceId),
    listSpaceTeams(cma, spaceId),
    cma.space(spaceId),
  ]);
  const teamName = (teamSpaceMembershipId: string) => {
    const teamId = teamMemberships.items.find((m) => m.sys.id === teamSpaceMembershipId)?.sys.team.sys.id;
    return teams.items.find((t) => t.sys.id === teamId)?.name ?? teamId ?? teamSpaceMembershipId;
  };
  const rows = members.items.map((member) => {
    const userId = member.sys.user.sys.id;
    return {
      member,
      userId,
      user: users.items.find((u) => u.sys.id === userId),
      own: memberships.items.find((m) => m.user.sys.id === userId),
      teams: member.sys.relatedMemberships.filter((l) => l.sys.linkType === 'TeamSpaceMembership').map((l) => teamName(l.sys.id)),
    };
  });
  return { rows, roles: roles.items, organizationId: space.sys.organization?.sys.id };
}

/** Adding an existing user of the organization to the space, by the email they sign in with. */
function AddMember({ spaceId, roles, onAdded }: { spaceId: string; roles: Role[]; onAdded(): void }) {
  const uid = useId();
  const cma = useCma();
  const [email, setEmail] = useState('');
  const [admin, setAdmin] = useState(false);
  const [roleIds, setRoleIds] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CmaError>();
  const [added, setAdded] = useState<string>();

  async function add(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setAdded(undefined);
    try {
      await createSpaceMembership(cma, spaceId, email.trim(), admin, roleIds);
      setAdded(`${email.trim()} was added to the space.`);
      setEmail('');
      setAdmin(false);
      setRoleIds([]);
      onAdded();
    } catch (err) {
      setError(err instanceof CmaError ? err : new CmaError(0, 'ClientError', String(err)));
    }
    setBusy(false);
  }

  const unknownUser = error?.id === 'ValidationFailed' && JSON.stringify(error.details ?? '').includes('notResolvable');
  return (
    <section aria-labelledby={`${uid}-title`} className="access-grant">
      <Heading as="h2" id={`${uid}-title`} marginTop="spacingXl">
        Add a user to the space
      </Heading>
      {unknownUser ? (
        <Note variant="negative" role="alert" style={{ marginBottom: 16 }}>
          No user signs in with {email.trim()}. Invite them to the organization first (below), then add them here.
        </Note>
      ) : (
        <ErrorNote error={error} title="The server refused" />
      )}
      {added ? <Paragraph role="status">{added}</Paragraph> : null}
      <Form onSubmit={add} aria-label="Add a user to the space">
        <FormControl id={`${uid}-email`} isRequired>
          <FormControl.Label>Email</FormControl.Label>
          <TextInput type="email" name="memberEmail" value={email} onChange={(e) => setEmail(e.target.value)} />
          <FormControl.HelpText>A user of the organization, by the email they sign in with.</FormControl.HelpText>
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
          isDisabled={busy || !email.trim() || grantProblem(admin, roleIds) !== undefined}
        >
          Add to space
        </Button>
      </Form>
    </section>
  );
}

/** An invitation makes the user and their organization membership; the operator accepts it with the CLI. */
function InviteToOrganization({ organizationId }: { organizationId: string }) {
  const uid = useId();
  const cma = useCma();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<'member' | 'developer' | 'admin'>('member');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CmaError>();
  const [invitation, setInvitation] = useState<Invitation>();

  async function invite(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      setInvitation(await inviteToOrganization(cma, organizationId, email.trim(), role));
      setEmail('');
    } catch (err) {
      setError(err instanceof CmaError ? err : new CmaError(0, 'ClientError', String(err)));
    }
    setBusy(false);
  }

  return (
    <section aria-labelledby={`${uid}-title`} className="access-grant">
      <Heading as="h2" id={`${uid}-title`} marginTop="spacingXl">
        Invite someone new to the organization
      </Heading>
      <Paragraph>
        Organization owners and admins only. No email is sent: the server's operator accepts the invitation with{' '}
        <code>invitation accept --id ID</code>, which activates the user. They can be added to the space right away.
      </Paragraph>
      <ErrorNote error={error} title="The server refused" />
      {invitation ? (
        <Note variant="positive" role="status" style={{ marginBottom: 16 }}>
          {invitation.email} is invited (invitation <code>{invitation.sys.id}</code>); add them to the space above.
        </Note>
      ) : null}
      <Form onSubmit={invite} aria-label="Invite to the organization">
        <FormControl id={`${uid}-email`} isRequired>
          <FormControl.Label>Email</FormControl.Label>
          <TextInput type="email" name="inviteEmail" value={email} onChange={(e) => setEmail(e.target.value)} />
        </FormControl>
        <FormControl id={`${uid}-role`}>
          <FormControl.Label>Organization role</FormControl.Label>
          <Select name="inviteRole" value={role} onChange={(e) => setRole(e.target.value as typeof role)}>
            <Select.Option value="member">Member</Select.Option>
            <Select.Option value="developer">Developer</Select.Option>
            <Select.Option value="admin">Admin</Select.Option>
          </Select>
        </FormControl>
        <Button type="submit" isLoading={busy} isDisabled={busy || !email.trim()}>
          Invite
        </Button>
      </Form>
    </section>
  );
}

/** The space's users: their access (admin or roles), whether their own or through teams; space admins manage it. */
export default function Users() {
  usePageTitle('Users');
  const { spaceId = '' } = useParams();
  const cma = useCma();
  const { session } = useSession();
  const { admin } = useAccess();
  const loaded = useQuery(() => loadUsers(cma, spaceId), [cma, spaceId]);
  const [changing, setChanging] = useState<{ membership: SpaceMembership; label: string }>();
  const [removing, setRemoving] = useState<{ membership: SpaceMembership; label: string }>();
  const [error, setError] = useState<CmaError>();
  const roles = loaded.data?.roles ?? [];
  const rows = loaded.data?.rows ?? [];

  async function remove(membership: SpaceMembership) {
    setRemoving(undefined);
    setError(undefined);
    try {
      await deleteSpaceMembership(cma, spaceId, membership.sys.id);
    } catch (err) {
      setError(err as CmaError);
    }
    loaded.reload();
  }

  return (
    <section aria-labelledby="users-title">
      <Heading as="h1" id="users-title">
        Users
      </Heading>
      <Paragraph>
        Everyone with access to the space: through a membership of their own or through their teams (a user has what all of them grant
        together).
      </Paragraph>
      <ErrorNote error={loaded.error} />
      <ErrorNote error={error} title="The server refused" />
      <div className="table-scroll">
        <Table aria-label="Users">
          <Table.Head>
            <Table.Row>
              <Table.Cell>Name</Table.Cell>
              <Table.Cell>Email</Table.Cell>
              <Table.Cell>Access</Table.Cell>
              <Table.Cell>Through</Table.Cell>
              {admin ? <Table.Cell>Actions</Table.Cell> : null}
            </Table.Row>
          </Table.Head>
          <Table.Body>
            {rows.map(({ member, userId, user, own, teams }) => {
              const label = user?.email ?? userId;
              const name = user ? `${user.firstName} ${user.lastName}`.trim() : '';
              return (
                <Table.Row key={userId}>
                  <Table.Cell>
                    {name || '—'}
                    {userId === session?.user.sys.id ? ' (you)' : null}{' '}
                    {user?.activated === false ? <Badge variant="warning">invited</Badge> : null}
                  </Table.Cell>
                  <Table.Cell>{label}</Table.Cell>
                  <Table.Cell>{grantText(member, roles)}</Table.Cell>
                  <Table.Cell>{[...(own ? ['Own membership'] : []), ...teams.map((t) => `Team ${t}`)].join(', ')}</Table.Cell>
                  {admin ? (
                    <Table.Cell>
                      {own ? (
                        <>
                          <Button
                            size="small"
                            onClick={() => setChanging({ membership: own, label })}
                            aria-label={`Change access of ${label}`}
                          >
                            Change
                          </Button>{' '}
                          <Button
                            size="small"
                            variant="negative"
                            onClick={() => setRemoving({ membership: own, label })}
                            aria-label={`Remove ${label} from the space`}
                          >
                            Remove
                          </Button>
                        </>
                      ) : (
                        'Through teams only'
                      )}
                    </Table.Cell>
                  ) : null}
                </Table.Row>
              );
            })}
          </Table.Body>
        </Table>
      </div>

      {admin ? (
        <>
          <AddMember spaceId={spaceId} roles={roles} onAdded={loaded.reload} />
          {loaded.data?.organizationId ? <InviteToOrganization organizationId={loaded.data.organizationId} /> : null}
        </>
      ) : null}

      {changing ? (
        <GrantDialog
          title={`Change access of ${changing.label}`}
          grant={changing.membership}
          roles={roles}
          onSave={(a, r) => updateSpaceMembership(cma, spaceId, changing.membership, a, r)}
          onClose={() => {
            setChanging(undefined);
            loaded.reload();
          }}
        />
      ) : null}
      <ModalConfirm
        isShown={removing !== undefined}
        intent="negative"
        title="Remove from the space"
        confirmLabel="Remove"
        onCancel={() => setRemoving(undefined)}
        onConfirm={() => removing && void remove(removing.membership)}
      >
        <Paragraph>
          Remove the membership of <strong>{removing?.label}</strong>? They lose their access at once (unless a team of theirs still grants
          it).
        </Paragraph>
        {removing?.membership.user.sys.id === session?.user.sys.id ? (
          <Paragraph marginTop="spacingS">
            <strong>This is your own membership:</strong> without it you may no longer manage the space, or even see it.
          </Paragraph>
        ) : null}
      </ModalConfirm>
    </section>
  );
}

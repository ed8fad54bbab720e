import { Badge, Button, Form, Note, Paragraph, Select, Table, TextInput } from '@contentful/f36-components';
import { useState } from 'react';
import { useParams } from 'react-router';
import { useAccess } from '../../access';
import type { Cma, CmaError } from '../../api/cma';
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
  updateSpaceMembership,
} from '../../api/settings-access';
import { useQuery } from '../../api/use-query';
import { useCma, useSession } from '../../session';
import { ErrorNote, usePageTitle } from '../common';
import { ConfirmDelete } from '../shared/ConfirmDelete';
import { FormRow } from '../shared/FormRow';
import { ListTable, Page, Section } from '../shared/Page';
import { useAction } from '../shared/use-action';
import { ChangeGrant, GrantForm, grantText } from './GrantFields';
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

/** A 422 for an email no user of the organization signs in with. */
const isUnknownUser = (error: CmaError) => error.id === 'ValidationFailed' && JSON.stringify(error.details ?? '').includes('notResolvable');

/** Adding an existing user of the organization to the space, by the email they sign in with. */
function AddMember({ spaceId, roles, onAdded }: { spaceId: string; roles: Role[]; onAdded(): void }) {
  const cma = useCma();
  const [email, setEmail] = useState('');
  const [added, setAdded] = useState<string>();

  return (
    <GrantForm
      title="Add a user to the space"
      submitLabel="Add to space"
      roles={roles}
      ready={email.trim() !== ''}
      refusal={(error) =>
        isUnknownUser(error) ? (
          <Note variant="negative" role="alert" style={{ marginBottom: 16 }}>
            No user signs in with {email.trim()}. Invite them to the organization first (below), then add them here.
          </Note>
        ) : undefined
      }
      notice={added ? <Paragraph role="status">{added}</Paragraph> : null}
      onGrant={async (grant) => {
        setAdded(undefined);
        await createSpaceMembership(cma, spaceId, email.trim(), grant.admin, grant.roleIds);
        setAdded(`${email.trim()} was added to the space.`);
        setEmail('');
        onAdded();
      }}
    >
      <FormRow label="Email" isRequired help="A user of the organization, by the email they sign in with.">
        <TextInput type="email" name="memberEmail" value={email} onChange={(e) => setEmail(e.target.value)} />
      </FormRow>
    </GrantForm>
  );
}

/** An invitation makes the user and their organization membership; the operator accepts it with the CLI. */
function InviteToOrganization({ organizationId }: { organizationId: string }) {
  const cma = useCma();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<'member' | 'developer' | 'admin'>('member');
  const [invitation, setInvitation] = useState<Invitation>();
  const { busy, error, submit } = useAction();

  const invite = submit(async () => {
    setInvitation(await inviteToOrganization(cma, organizationId, email.trim(), role));
    setEmail('');
  });

  return (
    <Section title="Invite someone new to the organization" className="access-grant">
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
        <FormRow label="Email" isRequired>
          <TextInput type="email" name="inviteEmail" value={email} onChange={(e) => setEmail(e.target.value)} />
        </FormRow>
        <FormRow label="Organization role">
          <Select name="inviteRole" value={role} onChange={(e) => setRole(e.target.value as typeof role)}>
            <Select.Option value="member">Member</Select.Option>
            <Select.Option value="developer">Developer</Select.Option>
            <Select.Option value="admin">Admin</Select.Option>
          </Select>
        </FormRow>
        <Button type="submit" isLoading={busy} isDisabled={busy || !email.trim()}>
          Invite
        </Button>
      </Form>
    </Section>
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
  const removal = useAction();
  const roles = loaded.data?.roles ?? [];
  const rows = loaded.data?.rows ?? [];

  return (
    <Page title="Users">
      <Paragraph>
        Everyone with access to the space: through a membership of their own or through their teams (a user has what all of them grant
        together).
      </Paragraph>
      <ErrorNote error={loaded.error} />
      <ErrorNote error={removal.error} title="The server refused" />
      <ListTable label="Users" columns={['Name', 'Email', 'Access', 'Through', ...(admin ? ['Actions'] : [])]}>
        {rows.map(({ member, userId, user, own, teams }) => {
          const label = user?.email ?? userId;
          const name = user ? `${user.firstName} ${user.lastName}`.trim() : '';
          const you = userId === session?.user.sys.id;
          return (
            <Table.Row key={userId}>
              <Table.Cell>
                {name || '—'}
                {you ? ' (you)' : null} {user?.activated === false ? <Badge variant="warning">invited</Badge> : null}
              </Table.Cell>
              <Table.Cell>{label}</Table.Cell>
              <Table.Cell>{grantText(member, roles)}</Table.Cell>
              <Table.Cell>{[...(own ? ['Own membership'] : []), ...teams.map((t) => `Team ${t}`)].join(', ')}</Table.Cell>
              {admin ? (
                <Table.Cell>
                  {own ? (
                    <>
                      <ChangeGrant
                        label={`Change access of ${label}`}
                        membership={own}
                        roles={roles}
                        onSave={(grant) => updateSpaceMembership(cma, spaceId, own, grant.admin, grant.roleIds)}
                        onClosed={loaded.reload}
                      />{' '}
                      <ConfirmDelete
                        title="Remove from the space"
                        confirmLabel="Remove"
                        button="Remove"
                        buttonLabel={`Remove ${label} from the space`}
                        size="small"
                        onConfirm={() => void removal.run(() => deleteSpaceMembership(cma, spaceId, own.sys.id)).then(loaded.reload)}
                        note={
                          you ? (
                            <Paragraph marginTop="spacingS">
                              <strong>This is your own membership:</strong> without it you may no longer manage the space, or even see it.
                            </Paragraph>
                          ) : null
                        }
                      >
                        Remove the membership of <strong>{label}</strong>? They lose their access at once (unless a team of theirs still
                        grants it).
                      </ConfirmDelete>
                    </>
                  ) : (
                    'Through teams only'
                  )}
                </Table.Cell>
              ) : null}
            </Table.Row>
          );
        })}
      </ListTable>

      {admin ? (
        <>
          <AddMember spaceId={spaceId} roles={roles} onAdded={loaded.reload} />
          {loaded.data?.organizationId ? <InviteToOrganization organizationId={loaded.data.organizationId} /> : null}
        </>
      ) : null}
    </Page>
  );
}

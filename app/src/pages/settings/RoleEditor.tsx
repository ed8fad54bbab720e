import { Button, Form, Heading, Note, Paragraph, Select, Spinner, Textarea, TextInput } from '@contentful/f36-components';
import { useLocation, useNavigate, useParams } from 'react-router';
import { useAccess } from '../../access';
import { createRole, deleteRole, getRole, listLocales, updateRole } from '../../api/settings-access';
import { useQuery } from '../../api/use-query';
import { useCma } from '../../session';
import { ErrorNote, usePageTitle } from '../common';
import { ActionBar } from '../shared/ActionBar';
import { ConfirmDelete } from '../shared/ConfirmDelete';
import { FormRow } from '../shared/FormRow';
import { Page } from '../shared/Page';
import { RefusedNote } from '../shared/RefusedNote';
import { useVersionedDraft } from '../shared/use-versioned-draft';
import { PolicyEditor } from './PolicyEditor';
import { AREAS, type Level, ruleProblem, toDraft, toRoleInput } from './role-policies';
import './settings-access.css';

const LEVEL_LABELS: Record<Level, string> = { none: 'No access', read: 'Read', manage: 'Manage' };

/**
 * One role (or a new one at `roles/new`): name, description, the permission areas and the rules for
 * entries and assets, saved at the version it was loaded with. Users who are not space admins see it
 * read-only.
 */
export default function RoleEditor({ roleId }: { roleId: string }) {
  const { spaceId = '', environmentId = '' } = useParams();
  const cma = useCma();
  const navigate = useNavigate();
  const { admin } = useAccess();
  const isNew = roleId === 'new';
  const loaded = useQuery(() => (isNew ? Promise.resolve(undefined) : getRole(cma, spaceId, roleId)), [cma, spaceId, roleId]);
  const contentTypes = useQuery(() => cma.contentTypes(spaceId, environmentId), [cma, spaceId, environmentId]);
  const locales = useQuery(() => listLocales(cma, spaceId, environmentId), [cma, spaceId, environmentId]);
  // A role just created arrives here from `roles/new` with that news.
  const location = useLocation();
  const { server, draft, dirty, saved, busy, error, change, save, remove } = useVersionedDraft({
    loaded: loaded.data,
    toDraft,
    blank: toDraft(),
    savedNote: (location.state as { saved?: string } | null)?.saved,
  });
  usePageTitle(server ? `${server.name} — Roles` : 'New role — Roles');

  if (loaded.error) return <ErrorNote error={loaded.error} />;
  if (loaded.loading || (!isNew && !server)) return <Spinner size="large" />;
  if (isNew && !admin) return <Note variant="warning">Only space admins can create roles.</Note>;

  const input = toRoleInput(draft, server);
  const invalid = !draft.name.trim() || draft.rules.some((r) => ruleProblem(r) !== undefined);
  const saveRole = () =>
    save(
      (role) => updateRole(cma, spaceId, role.sys.id, input, role.sys.version),
      async () => {
        const created = await createRole(cma, spaceId, input);
        navigate(`../${encodeURIComponent(created.sys.id)}`, { relative: 'path', replace: true, state: { saved: 'Role created.' } });
      },
    );

  return (
    <Page title={server ? server.name : 'New role'} back="All roles">
      {admin ? (
        <ActionBar marginBottom="spacingM" dirty={dirty} done={saved}>
          <Button variant="primary" onClick={() => void saveRole()} isLoading={busy} isDisabled={busy || invalid || (!dirty && !!server)}>
            {server ? 'Save' : 'Create role'}
          </Button>
          {server ? (
            <ConfirmDelete
              title="Delete role"
              isDisabled={busy}
              onConfirm={() => void remove((role) => deleteRole(cma, spaceId, role.sys.id))}
            >
              Delete the role <strong>{server.name}</strong>? Members who have it lose what it allows; a member whose only role it is must
              get another role first.
            </ConfirmDelete>
          ) : null}
        </ActionBar>
      ) : (
        <Note variant="neutral" style={{ marginBottom: 16 }}>
          Only space admins can change roles; this is what the role allows.
        </Note>
      )}
      <RefusedNote error={error} what="role" onReload={loaded.reload} />
      <ErrorNote error={contentTypes.error ?? locales.error} />

      <Form aria-label="Role" onSubmit={(e) => e.preventDefault()}>
        <fieldset disabled={!admin} className="access-form">
          <FormRow label="Name" isRequired>
            <TextInput name="roleName" value={draft.name} maxLength={255} onChange={(e) => change({ name: e.target.value })} />
          </FormRow>
          <FormRow label="Description">
            <Textarea name="roleDescription" value={draft.description} onChange={(e) => change({ description: e.target.value })} />
          </FormRow>

          <Heading as="h2" marginTop="spacingL">
            Permissions
          </Heading>
          <div className="access-permissions">
            {AREAS.map(({ area, label, help, levels }) => {
              // A level Contentful does not offer for the area, but the role has, stays a choice (it is shown, not dropped).
              const offered = levels.includes(draft.levels[area]) ? levels : [...levels, draft.levels[area]];
              return (
                <FormRow key={area} label={label} marginBottom="none" help={help}>
                  <Select
                    name={`permission-${area}`}
                    value={draft.levels[area]}
                    onChange={(e) => change({ levels: { ...draft.levels, [area]: e.target.value as Level } })}
                  >
                    {offered.map((level) => (
                      <Select.Option key={level} value={level}>
                        {LEVEL_LABELS[level]}
                      </Select.Option>
                    ))}
                  </Select>
                </FormRow>
              );
            })}
          </div>

          <Heading as="h2" marginTop="spacingL">
            Content rules
          </Heading>
          {draft.rawPolicies ? (
            <>
              <Note variant="neutral" title="Policies written through the API" style={{ marginBottom: 8 }}>
                This role has policies the editor cannot show as rules (written by hand through the API). They are shown as they are and
                saved unchanged when you change the name, the description or the permissions.
              </Note>
              <pre className="access-json">{JSON.stringify(draft.rawPolicies, null, 2)}</pre>
            </>
          ) : (
            <>
              <Paragraph>
                A role allows only what its rules allow; a deny rule takes back what an allow rule gives. Locale limits narrow what updates
                may change: a translator reads everything and updates only their locale.
              </Paragraph>
              {(['Entry', 'Asset'] as const).map((type) => (
                <PolicyEditor
                  key={type}
                  type={type}
                  rules={draft.rules}
                  contentTypes={contentTypes.data?.items ?? []}
                  locales={locales.data?.items ?? []}
                  readOnly={!admin}
                  onChange={(rules) => change({ rules })}
                />
              ))}
            </>
          )}
        </fieldset>
      </Form>

      <details className="access-details">
        <summary>The role as JSON</summary>
        <pre className="access-json">{JSON.stringify(input, null, 2)}</pre>
      </details>
    </Page>
  );
}

import {
  Button,
  Flex,
  Form,
  FormControl,
  Heading,
  ModalConfirm,
  Note,
  Paragraph,
  Select,
  Spinner,
  Textarea,
  TextInput,
} from '@contentful/f36-components';
import { useEffect, useId, useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { useAccess } from '../../access';
import { CmaError } from '../../api/cma';
import { createRole, deleteRole, getRole, listLocales, type Role, updateRole } from '../../api/settings-access';
import { useQuery } from '../../api/use-query';
import { useCma } from '../../session';
import { ErrorNote, usePageTitle } from '../common';
import { PolicyEditor } from './PolicyEditor';
import { AREAS, type Level, type RoleDraft, ruleProblem, toDraft, toRoleInput } from './role-policies';
import './settings-access.css';

const LEVEL_LABELS: Record<Level, string> = { none: 'No access', read: 'Read', manage: 'Manage' };

/** The problems a 422 names, one line each. */
function validationLines(error: CmaError) {
  const items = (error.details as { errors?: { path?: unknown[]; details?: string; name?: string }[] } | undefined)?.errors ?? [];
  return items.map((item) => `${item.details ?? item.name ?? 'invalid'}${item.path ? ` (${item.path.join('.')})` : ''}`);
}

/**
 * One role (or a new one at `roles/new`): name, description, the permission areas and the rules for
 * entries and assets, saved at the version it was loaded with. Users who are not space admins see it
 * read-only.
 */
export default function RoleEditor({ roleId }: { roleId: string }) {
  // Forma 36 draws control ids from four random digits, which collide: every control gets one of its own.
  const uid = useId();
  const { spaceId = '', environmentId = '' } = useParams();
  const cma = useCma();
  const navigate = useNavigate();
  const { admin } = useAccess();
  const isNew = roleId === 'new';
  const loaded = useQuery(() => (isNew ? Promise.resolve(undefined) : getRole(cma, spaceId, roleId)), [cma, spaceId, roleId]);
  const contentTypes = useQuery(() => cma.contentTypes(spaceId, environmentId), [cma, spaceId, environmentId]);
  const locales = useQuery(() => listLocales(cma, spaceId, environmentId), [cma, spaceId, environmentId]);
  const [server, setServer] = useState<Role>();
  const [draft, setDraft] = useState<RoleDraft>();
  const [dirty, setDirty] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CmaError>();
  // A role just created arrives here from `roles/new` with that news.
  const location = useLocation();
  const [saved, setSaved] = useState<string | undefined>((location.state as { saved?: string } | null)?.saved);
  const [deleting, setDeleting] = useState(false);
  usePageTitle(server ? `${server.name} — Roles` : 'New role — Roles');

  useEffect(() => {
    if (loaded.loading) return;
    setServer(loaded.data);
    setDraft(toDraft(loaded.data));
    setDirty(false);
    setError(undefined);
  }, [loaded.data, loaded.loading]);

  if (loaded.error) return <ErrorNote error={loaded.error} />;
  if (!draft || loaded.loading) return <Spinner size="large" />;
  if (isNew && !admin) return <Note variant="warning">Only space admins can create roles.</Note>;

  const change = (next: Partial<RoleDraft>) => {
    setDraft({ ...draft, ...next });
    setDirty(true);
    setSaved(undefined);
  };
  const input = toRoleInput(draft, server);
  const invalid = !draft.name.trim() || draft.rules.some((r) => ruleProblem(r) !== undefined);

  async function save() {
    setBusy(true);
    setError(undefined);
    setSaved(undefined);
    try {
      if (server) {
        const updated = await updateRole(cma, spaceId, server.sys.id, input, server.sys.version);
        setServer(updated);
        setDraft(toDraft(updated));
        setDirty(false);
      } else {
        const created = await createRole(cma, spaceId, input);
        navigate(`../${encodeURIComponent(created.sys.id)}`, { relative: 'path', replace: true, state: { saved: 'Role created.' } });
        return;
      }
      setSaved('Saved.');
    } catch (err) {
      setError(err instanceof CmaError ? err : new CmaError(0, 'ClientError', String(err)));
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    if (!server) return;
    setDeleting(false);
    setError(undefined);
    try {
      await deleteRole(cma, spaceId, server.sys.id);
      navigate('..', { relative: 'path' });
    } catch (err) {
      setError(err as CmaError);
    }
  }

  const conflict = error?.id === 'VersionMismatch';
  return (
    <section aria-labelledby="role-title">
      <Paragraph>
        <Link to=".." relative="path">
          ← All roles
        </Link>
      </Paragraph>
      <Heading as="h1" id="role-title">
        {server ? server.name : 'New role'}
      </Heading>
      {admin ? (
        <Flex gap="spacingS" marginBottom="spacingM" flexWrap="wrap" alignItems="center">
          <Button variant="primary" onClick={() => void save()} isLoading={busy} isDisabled={busy || invalid || (!dirty && !!server)}>
            {server ? 'Save' : 'Create role'}
          </Button>
          {server ? (
            <Button variant="negative" onClick={() => setDeleting(true)} isDisabled={busy}>
              Delete role
            </Button>
          ) : null}
          {dirty ? <Paragraph marginBottom="none">Unsaved changes</Paragraph> : null}
          {saved ? (
            <Paragraph marginBottom="none" role="status">
              {saved}
            </Paragraph>
          ) : null}
        </Flex>
      ) : (
        <Note variant="neutral" style={{ marginBottom: 16 }}>
          Only space admins can change roles; this is what the role allows.
        </Note>
      )}

      {conflict ? (
        <Note variant="warning" title="Someone else changed this role" role="alert" style={{ marginBottom: 16 }}>
          <Paragraph>
            It was changed since you opened it, so your changes were not saved: saving them would overwrite theirs. Reload to see the
            current version (your unsaved changes are discarded), then make them again.
          </Paragraph>
          <Button variant="primary" size="small" onClick={loaded.reload}>
            Reload
          </Button>
        </Note>
      ) : error?.id === 'ValidationFailed' ? (
        <Note variant="negative" title="The role was not saved" role="alert" style={{ marginBottom: 16 }}>
          {error.message}
          {validationLines(error).map((line) => (
            <div key={line}>{line}</div>
          ))}
        </Note>
      ) : (
        <ErrorNote error={error} title="The server refused" />
      )}
      <ErrorNote error={contentTypes.error ?? locales.error} />

      <Form aria-label="Role" onSubmit={(e) => e.preventDefault()}>
        <fieldset disabled={!admin} className="access-form">
          <FormControl id={`${uid}-name`} isRequired>
            <FormControl.Label>Name</FormControl.Label>
            <TextInput name="roleName" value={draft.name} maxLength={255} onChange={(e) => change({ name: e.target.value })} />
          </FormControl>
          <FormControl id={`${uid}-description`}>
            <FormControl.Label>Description</FormControl.Label>
            <Textarea name="roleDescription" value={draft.description} onChange={(e) => change({ description: e.target.value })} />
          </FormControl>

          <Heading as="h2" marginTop="spacingL">
            Permissions
          </Heading>
          <div className="access-permissions">
            {AREAS.map(({ area, label, help, levels }) => {
              // A level Contentful does not offer for the area, but the role has, stays a choice (it is shown, not dropped).
              const offered = levels.includes(draft.levels[area]) ? levels : [...levels, draft.levels[area]];
              return (
                <FormControl key={area} id={`${uid}-${area}`} marginBottom="none">
                  <FormControl.Label>{label}</FormControl.Label>
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
                  <FormControl.HelpText>{help}</FormControl.HelpText>
                </FormControl>
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

      <ModalConfirm
        isShown={deleting}
        intent="negative"
        title="Delete role"
        confirmLabel="Delete role"
        onCancel={() => setDeleting(false)}
        onConfirm={() => void remove()}
      >
        <Paragraph>
          Delete the role <strong>{server?.name}</strong>? Members who have it lose what it allows; a member whose only role it is must get
          another role first.
        </Paragraph>
      </ModalConfirm>
    </section>
  );
}

import { Button, Checkbox, Flex, Form, Modal, Note, Paragraph } from '@contentful/f36-components';
import { type FormEvent, useId, useState } from 'react';
import { CmaError, type Link } from '../../api/cma';
import type { Role } from '../../api/settings-access';
import { ErrorNote } from '../common';

/** A grant is valid when it makes an admin or names at least one role (the CMA's rule for memberships). */
export const grantProblem = (admin: boolean, roleIds: string[]) =>
  admin || roleIds.length > 0 ? undefined : 'Choose at least one role, or make them an admin.';

/** What a membership grants, in words: admin, or its roles' names (in alphabetical order). */
export function grantText(grant: { admin: boolean; roles: Link[] }, roles: Role[]) {
  if (grant.admin) return 'Admin';
  const names = grant.roles.map((r) => roles.find((role) => role.sys.id === r.sys.id)?.name ?? r.sys.id).sort((a, b) => a.localeCompare(b));
  return names.length ? names.join(', ') : 'No role';
}

/** The admin flag and the roles of a (team) space membership. */
export function GrantFields({
  admin,
  roleIds,
  roles,
  onChange,
}: {
  admin: boolean;
  roleIds: string[];
  roles: Role[];
  onChange(admin: boolean, roleIds: string[]): void;
}) {
  const uid = useId();
  const sorted = [...roles].sort((a, b) => a.name.localeCompare(b.name));
  return (
    <>
      <Checkbox
        id={`${uid}-admin`}
        isChecked={admin}
        onChange={(e) => onChange(e.target.checked, roleIds)}
        helpText="Admins may do everything in the space, including managing its users, teams and roles."
      >
        Admin
      </Checkbox>
      {admin ? null : (
        <fieldset className="access-choices">
          <legend>Roles</legend>
          {sorted.length === 0 ? <Paragraph marginBottom="none">The space has no roles yet: create one first.</Paragraph> : null}
          <Flex flexDirection="column" gap="spacingXs">
            {sorted.map((role) => (
              <Checkbox
                key={role.sys.id}
                id={`${uid}-${role.sys.id}`}
                isChecked={roleIds.includes(role.sys.id)}
                onChange={(e) => onChange(admin, e.target.checked ? [...roleIds, role.sys.id] : roleIds.filter((id) => id !== role.sys.id))}
              >
                {role.name}
              </Checkbox>
            ))}
          </Flex>
        </fieldset>
      )}
    </>
  );
}

/** Changing what an existing (team) space membership grants, in a dialog; saved at the membership's version. */
export function GrantDialog({
  title,
  grant,
  roles,
  onSave,
  onClose,
}: {
  title: string;
  grant: { admin: boolean; roles: Link[] };
  roles: Role[];
  onSave(admin: boolean, roleIds: string[]): Promise<unknown>;
  onClose(): void;
}) {
  const [admin, setAdmin] = useState(grant.admin);
  const [roleIds, setRoleIds] = useState(grant.roles.map((r) => r.sys.id));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CmaError>();
  const problem = grantProblem(admin, roleIds);

  async function save(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await onSave(admin, roleIds);
      onClose();
    } catch (err) {
      setError(err instanceof CmaError ? err : new CmaError(0, 'ClientError', String(err)));
      setBusy(false);
    }
  }

  return (
    <Modal isShown onClose={onClose} size="medium">
      {() => (
        <Form onSubmit={save} aria-label={title}>
          <Modal.Header title={title} onClose={onClose} />
          <Modal.Content>
            {error?.id === 'VersionMismatch' ? (
              <Note variant="warning" role="alert" style={{ marginBottom: 16 }}>
                Someone else changed this membership meanwhile; nothing was saved. Close this dialog to see the current access and try
                again.
              </Note>
            ) : (
              <ErrorNote error={error} title="The server refused" />
            )}
            <GrantFields
              admin={admin}
              roleIds={roleIds}
              roles={roles}
              onChange={(a, r) => {
                setAdmin(a);
                setRoleIds(r);
              }}
            />
            {problem ? <Paragraph marginTop="spacingS">{problem}</Paragraph> : null}
          </Modal.Content>
          <Modal.Controls>
            <Button variant="secondary" onClick={onClose}>
              Cancel
            </Button>
            <Button variant="primary" type="submit" isLoading={busy} isDisabled={busy || problem !== undefined}>
              Save
            </Button>
          </Modal.Controls>
        </Form>
      )}
    </Modal>
  );
}

import { Button, Checkbox, Flex, Form, Modal, Note, Paragraph } from '@contentful/f36-components';
import { type ReactNode, useId, useState } from 'react';
import type { CmaError, Link } from '../../api/cma';
import type { Role } from '../../api/settings-access';
import { ErrorNote } from '../common';
import { Section } from '../shared/Page';
import { useAction } from '../shared/use-action';

/** What a (team) space membership grants: admin, or roles. */
export interface Grant {
  admin: boolean;
  roleIds: string[];
}

const NO_GRANT: Grant = { admin: false, roleIds: [] };

/** A grant is valid when it makes an admin or names at least one role (the CMA's rule for memberships). */
export const grantProblem = ({ admin, roleIds }: Grant) =>
  admin || roleIds.length > 0 ? undefined : 'Choose at least one role, or make them an admin.';

/** What a membership grants, in words: admin, or its roles' names (in alphabetical order). */
export function grantText(grant: { admin: boolean; roles: Link[] }, roles: Role[]) {
  if (grant.admin) return 'Admin';
  const names = grant.roles.map((r) => roles.find((role) => role.sys.id === r.sys.id)?.name ?? r.sys.id).sort((a, b) => a.localeCompare(b));
  return names.length ? names.join(', ') : 'No role';
}

/** The admin flag and the roles of a (team) space membership. */
function GrantFields({ grant, roles, onChange }: { grant: Grant; roles: Role[]; onChange(grant: Grant): void }) {
  const uid = useId();
  const sorted = [...roles].sort((a, b) => a.name.localeCompare(b.name));
  const { admin, roleIds } = grant;
  return (
    <>
      <Checkbox
        id={`${uid}-admin`}
        isChecked={admin}
        onChange={(e) => onChange({ admin: e.target.checked, roleIds })}
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
                onChange={(e) =>
                  onChange({ admin, roleIds: e.target.checked ? [...roleIds, role.sys.id] : roleIds.filter((id) => id !== role.sys.id) })
                }
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

/**
 * Giving a user or a team access to the space, in a section of its own: who (`children`), admin or roles, and the
 * button; `unavailable` is said instead when there is no one to give it to.
 */
export function GrantForm({
  title,
  submitLabel,
  roles,
  ready,
  unavailable,
  refusal,
  notice,
  onGrant,
  children,
}: {
  /** The section's heading and the form's name. */
  title: string;
  submitLabel: string;
  roles: Role[];
  /** Whether who gets access is given. */
  ready: boolean;
  unavailable?: string;
  /** How to explain a refusal, where the CMA's own message would not (undefined: it does). */
  refusal?(error: CmaError): ReactNode;
  /** What the last grant did. */
  notice?: ReactNode;
  onGrant(grant: Grant): Promise<unknown>;
  children: ReactNode;
}) {
  const [grant, setGrant] = useState(NO_GRANT);
  const { busy, error, submit } = useAction();
  if (unavailable) {
    return (
      <Section title={title} className="access-grant">
        <Paragraph>{unavailable}</Paragraph>
      </Section>
    );
  }
  return (
    <Section title={title} className="access-grant">
      {(error && refusal?.(error)) ?? <ErrorNote error={error} title="The server refused" />}
      {notice}
      <Form
        onSubmit={submit(async () => {
          await onGrant(grant);
          setGrant(NO_GRANT);
        })}
        aria-label={title}
      >
        {children}
        <GrantFields grant={grant} roles={roles} onChange={setGrant} />
        <Button variant="primary" type="submit" isLoading={busy} isDisabled={busy || !ready || grantProblem(grant) !== undefined}>
          {submitLabel}
        </Button>
      </Form>
    </Section>
  );
}

/** Changing what an existing (team) space membership grants, in a dialog; saved at the membership's version. */
function GrantDialog({
  title,
  grant: initial,
  roles,
  onSave,
  onClose,
}: {
  title: string;
  grant: Grant;
  roles: Role[];
  onSave(grant: Grant): Promise<unknown>;
  onClose(): void;
}) {
  const [grant, setGrant] = useState(initial);
  const { busy, error, submit } = useAction();
  const problem = grantProblem(grant);

  return (
    <Modal isShown onClose={onClose} size="medium">
      {() => (
        <Form
          onSubmit={submit(async () => {
            await onSave(grant);
            onClose();
          })}
          aria-label={title}
        >
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
            <GrantFields grant={grant} roles={roles} onChange={setGrant} />
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

/** A membership's "Change" button (named `label`, as is its dialog), which opens the dialog changing what it grants. */
export function ChangeGrant({
  label,
  membership,
  roles,
  onSave,
  onClosed,
}: {
  label: string;
  membership: { admin: boolean; roles: Link[] };
  roles: Role[];
  onSave(grant: Grant): Promise<unknown>;
  /** After the dialog closes, saved or not. */
  onClosed(): void;
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)} aria-label={label}>
        Change
      </Button>
      {open ? (
        <GrantDialog
          title={label}
          grant={{ admin: membership.admin, roleIds: membership.roles.map((r) => r.sys.id) }}
          roles={roles}
          onSave={onSave}
          onClose={() => {
            setOpen(false);
            onClosed();
          }}
        />
      ) : null}
    </>
  );
}

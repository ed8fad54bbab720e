import { createContext, type ReactNode, useContext } from 'react';
import { ADMIN, type Role, roleAccess, type SpaceAccess } from './access-policy';
import type { Cma, Link } from './api/cma';
import { useQuery } from './api/use-query';
import { useCma, useSession } from './session';

async function loadAccess(cma: Cma, spaceId: string, userId: string): Promise<SpaceAccess> {
  const member = await cma.spaceMember(spaceId, userId).catch(() => undefined);
  // Someone who reads the space without being a member of it is an organization owner or admin.
  if (!member || member.admin) return ADMIN;
  const roles = await Promise.all(member.roles.map((r: Link) => cma.role(spaceId, r.sys.id)));
  return roleAccess(roles as Role[], userId);
}

const AccessContext = createContext<SpaceAccess>(ADMIN);

/** Loads the user's access to the space once for the shell; pages read it with `useAccess()`. */
export function AccessProvider({ spaceId, children }: { spaceId: string; children: ReactNode }) {
  const cma = useCma();
  const { session } = useSession();
  const userId = session?.user.sys.id ?? '';
  const access = useQuery(() => loadAccess(cma, spaceId, userId), [cma, spaceId, userId]);
  // Should the roles not load, offer everything: the CMA still refuses what the user may not do.
  const value = access.data ?? (access.error ? ADMIN : undefined);
  if (!value) return null;
  return <AccessContext.Provider value={value}>{children}</AccessContext.Provider>;
}

export function useAccess(): SpaceAccess {
  return useContext(AccessContext);
}

export type { AccessSubject, PolicyAction, SpaceAccess } from './access-policy';

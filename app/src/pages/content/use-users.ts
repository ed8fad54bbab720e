import { useEffect, useState } from 'react';
import type { User } from '../../api/cma';
import { spaceUsers } from '../../api/entry-search';
import { useCma, useSession } from '../../session';

/** A user's name as the list shows it. */
export function userName(user: Pick<User, 'firstName' | 'lastName' | 'email'>) {
  return `${user.firstName ?? ''} ${user.lastName ?? ''}`.trim() || user.email;
}

/**
 * The users behind `userIds`, asked for in one request per set of ids not known yet (never one per row);
 * the signed-in user is known from the session.
 */
export function useUsers(spaceId: string, userIds: string[]): Map<string, User> {
  const cma = useCma();
  const { session } = useSession();
  const [known, setKnown] = useState(() => new Map<string, User>());
  const [asked, setAsked] = useState(() => new Set<string>());
  const me = session?.user;
  const missing = [...new Set(userIds)].filter((id) => !known.has(id) && !asked.has(id) && id !== me?.sys.id).sort();
  const missingKey = missing.join(',');

  // biome-ignore lint/correctness/useExhaustiveDependencies: `missingKey` stands for `missing`
  useEffect(() => {
    if (missing.length === 0) return;
    setAsked((previous) => new Set([...previous, ...missing]));
    spaceUsers(cma, spaceId, missing).then(
      (users) =>
        setKnown((previous) => {
          const next = new Map(previous);
          for (const user of users.items) next.set(user.sys.id, user);
          return next;
        }),
      // Without the names the list still works: the author column says it does not know them.
      () => undefined,
    );
  }, [cma, spaceId, missingKey]);

  if (!me || known.has(me.sys.id)) return known;
  return new Map(known).set(me.sys.id, me as User);
}

import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { type Cma, createCma, type User } from './api/cma';

/**
 * Who is signed in: the token (kept in this tab's sessionStorage, never in localStorage or a cookie), the
 * id of the token when sign-in made it (sign-out revokes it; a personal access token the user pasted is
 * only forgotten), and the user.
 */
export interface StoredSession {
  token: string;
  /** Set when the token came from the email-and-password sign-in. */
  tokenId?: string;
  user: Pick<User, 'email' | 'firstName' | 'lastName' | 'sys'>;
}

const STORAGE_KEY = 'contentful-selfhosted.session';

function load(): StoredSession | undefined {
  try {
    const text = sessionStorage.getItem(STORAGE_KEY);
    return text ? (JSON.parse(text) as StoredSession) : undefined;
  } catch {
    return undefined;
  }
}

interface SessionContextValue {
  session?: StoredSession;
  cma?: Cma;
  signIn(session: StoredSession): void;
  signOut(): Promise<void>;
  /** The token stopped working (expired or revoked elsewhere): forget it. */
  expire(): void;
}

const SessionContext = createContext<SessionContextValue | undefined>(undefined);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<StoredSession | undefined>(load);
  const cma = useMemo(() => (session ? createCma(session.token) : undefined), [session]);

  const signIn = useCallback((next: StoredSession) => {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(next));
    setSession(next);
  }, []);
  const expire = useCallback(() => {
    sessionStorage.removeItem(STORAGE_KEY);
    setSession(undefined);
  }, []);
  const signOut = useCallback(async () => {
    if (session?.tokenId && cma) {
      try {
        await cma.revokeToken(session.tokenId);
      } catch {
        // Already expired or revoked: forgetting it is all that is left.
      }
    }
    expire();
  }, [session, cma, expire]);

  const value = useMemo(() => ({ session, cma, signIn, signOut, expire }), [session, cma, signIn, signOut, expire]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The CMA client of the signed-in user (pages under the shell only render when someone is signed in). */
export function useCma(): Cma {
  const { cma } = useSession();
  if (!cma) throw new Error('useCma without a session');
  return cma;
}

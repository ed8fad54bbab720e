import { Button } from '@contentful/f36-components';
import type { ReactNode } from 'react';
import { Link, useNavigate } from 'react-router';
import { useSession } from '../session';

/** The dark bar on every signed-in page: home, whatever switchers the page adds, the user and sign-out. */
export function TopBar({ children }: { children?: ReactNode }) {
  const { session, signOut } = useSession();
  const navigate = useNavigate();
  return (
    <header className="app-header">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Link className="app-title" to="/">
        Contentful (self-hosted)
      </Link>
      {children}
      <span className="app-user">
        <span className="sr-only">Signed in as </span>
        {session?.user.email}
      </span>
      <Button
        size="small"
        variant="secondary"
        onClick={async () => {
          await signOut();
          navigate('/sign-in', { replace: true });
        }}
      >
        Sign out
      </Button>
    </header>
  );
}

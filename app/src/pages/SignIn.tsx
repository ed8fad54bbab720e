import { Box, Button, Card, Form, FormControl, Heading, Paragraph, TextInput } from '@contentful/f36-components';
import { type FormEvent, useState } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { CmaError, createCma, signInWithPassword } from '../api/cma';
import { useSession } from '../session';
import { ErrorNote, usePageTitle } from './common';

/** Email and password (set by the operator), or a personal access token. */
export default function SignIn() {
  usePageTitle('Sign in');
  const { session, signIn } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from ?? '/';
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState<'password' | 'token'>();
  const [error, setError] = useState<CmaError>();

  if (session && !busy) return <Navigate to={from} replace />;

  async function finish(kind: 'password' | 'token', work: () => Promise<{ token: string; tokenId?: string }>) {
    setBusy(kind);
    setError(undefined);
    try {
      const { token: value, tokenId } = await work();
      const user = await createCma(value).me();
      signIn({ token: value, tokenId, user: { email: user.email, firstName: user.firstName, lastName: user.lastName, sys: user.sys } });
      navigate(from, { replace: true });
    } catch (err) {
      setError(err instanceof CmaError ? err : new CmaError(0, 'ClientError', String(err)));
      setBusy(undefined);
    }
  }

  const withPassword = (event: FormEvent) => {
    event.preventDefault();
    void finish('password', async () => {
      const signedIn = await signInWithPassword(email.trim(), password);
      return { token: signedIn.token, tokenId: signedIn.sys.id };
    });
  };
  const withToken = (event: FormEvent) => {
    event.preventDefault();
    void finish('token', async () => ({ token: token.trim() }));
  };

  return (
    <main className="app-page" style={{ maxWidth: 480 }}>
      <Heading as="h1">Sign in</Heading>
      <Paragraph>Sign in with the email address and the password your operator set, or with a personal access token.</Paragraph>
      {error && (
        <ErrorNote
          error={error.id === 'AccessTokenInvalid' ? new CmaError(401, error.id, 'That access token is not valid.') : error}
          title="Could not sign in"
        />
      )}
      <Card padding="large" style={{ marginBottom: 24 }}>
        <Form onSubmit={withPassword} aria-label="Sign in with email and password">
          <FormControl isRequired>
            <FormControl.Label>Email</FormControl.Label>
            <TextInput name="email" type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} />
          </FormControl>
          <FormControl isRequired>
            <FormControl.Label>Password</FormControl.Label>
            <TextInput
              name="password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </FormControl>
          <Button variant="primary" type="submit" isLoading={busy === 'password'} isDisabled={busy !== undefined}>
            Sign in
          </Button>
        </Form>
      </Card>
      <Card padding="large">
        <Form onSubmit={withToken} aria-label="Sign in with a personal access token">
          <FormControl isRequired>
            <FormControl.Label>Personal access token</FormControl.Label>
            <TextInput name="token" type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} />
            <FormControl.HelpText>Kept in this browser tab only; signing out forgets it without revoking it.</FormControl.HelpText>
          </FormControl>
          <Box>
            <Button variant="secondary" type="submit" isLoading={busy === 'token'} isDisabled={busy !== undefined}>
              Sign in with token
            </Button>
          </Box>
        </Form>
      </Card>
    </main>
  );
}

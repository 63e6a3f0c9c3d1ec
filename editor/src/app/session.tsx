import { zodResolver } from '@hookform/resolvers/zod';
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import type { User } from '../../../engine/people/user.js';
import { ApiError, SIGNED_OUT_EVENT, api, setCsrfToken } from '../api/client.js';
import { ErrorMessage, Loading } from '../ui/states.js';

interface SessionInfo {
  user: User;
  csrfToken: string;
  expiresAt: string;
}

interface SessionValue {
  user: User;
  signOut: () => Promise<void>;
}
const SessionContext = createContext<SessionValue | undefined>(undefined);
export const useSession = () => useContext(SessionContext);

// What the sign-in form checks before asking the server (which has the last word on the credentials).
const Credentials = z.object({
  email: z.string().trim().min(1, { error: 'is required' }),
  password: z.string().min(1, { error: 'is required' }),
});

function SignInPage({ onSignedIn }: { onSignedIn: (session: SessionInfo) => void }) {
  const [failure, setFailure] = useState<unknown>();
  const form = useForm({ resolver: zodResolver(Credentials), defaultValues: { email: '', password: '' } });
  const { errors, isSubmitting } = form.formState;
  const submit = form.handleSubmit(async (values) => {
    setFailure(undefined);
    try {
      onSignedIn(await api.post<SessionInfo>('/api/session', values));
    } catch (error) {
      setFailure(error);
    }
  });
  return (
    <div className="page narrow">
      <h1>Sign in to Stayflow</h1>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <label className="field">
          <span>Email</span>
          <input
            type="email"
            autoComplete="username"
            {...form.register('email')}
            aria-invalid={errors.email ? true : undefined}
          />
          {errors.email && <span className="field-error">Email {errors.email.message}</span>}
        </label>
        <label className="field">
          <span>Password</span>
          <input
            type="password"
            autoComplete="current-password"
            {...form.register('password')}
            aria-invalid={errors.password ? true : undefined}
          />
          {errors.password && <span className="field-error">Password {errors.password.message}</span>}
        </label>
        {failure !== undefined && <ErrorMessage error={failure} />}
        <div className="actions">
          <button type="submit" className="primary" disabled={isSubmitting}>
            Sign in
          </button>
        </div>
      </form>
    </div>
  );
}

/**
 * The session of the web app: the signed-in user (GET /api/session), else the sign-in page. The cookie is the
 * browser's; the CSRF token the session answers goes on every write. A 401 later (the session ended) comes back
 * here through SIGNED_OUT_EVENT.
 */
export function SessionGate({ children }: { children: ReactNode }) {
  const [state, setState] = useState<
    { kind: 'loading' } | { kind: 'signed-out' } | { kind: 'in'; user: User } | { kind: 'error'; error: unknown }
  >({
    kind: 'loading',
  });
  const accept = useCallback((session: SessionInfo) => {
    setCsrfToken(session.csrfToken);
    setState({ kind: 'in', user: session.user });
  }, []);
  useEffect(() => {
    api
      .get<SessionInfo>('/api/session')
      .then(accept, (error: unknown) =>
        setState(error instanceof ApiError && error.status === 401 ? { kind: 'signed-out' } : { kind: 'error', error }),
      );
    const signedOut = () => {
      setCsrfToken(undefined);
      setState({ kind: 'signed-out' });
    };
    window.addEventListener(SIGNED_OUT_EVENT, signedOut);
    return () => window.removeEventListener(SIGNED_OUT_EVENT, signedOut);
  }, [accept]);
  const signOut = useCallback(async () => {
    await api.delete('/api/session').catch(() => undefined);
    setCsrfToken(undefined);
    setState({ kind: 'signed-out' });
  }, []);
  if (state.kind === 'loading') return <Loading what="your session" />;
  if (state.kind === 'error') return <ErrorMessage error={state.error} onRetry={() => window.location.reload()} />;
  if (state.kind === 'signed-out') return <SignInPage onSignedIn={accept} />;
  return <SessionContext.Provider value={{ user: state.user, signOut }}>{children}</SessionContext.Provider>;
}

export function SessionBadge() {
  const session = useSession();
  if (!session) return null;
  return (
    <div className="session">
      <span>{session.user.name ?? session.user.email}</span>
      <button type="button" className="link on-dark" onClick={() => void session.signOut()}>
        Sign out
      </button>
    </div>
  );
}

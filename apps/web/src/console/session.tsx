import { useQuery } from '@tanstack/react-query';
import { createContext, useContext, useEffect, type ReactNode } from 'react';
import { api, ApiFailure, useCsrfToken, whenUnauthorized } from '../shared/api';

export interface Me {
  userId: string;
  email: string;
  role: 'counsellor' | 'partner' | 'manager' | 'admin';
  territories?: string[];
  partnerId?: string;
  csrfToken: string | null;
}

const MeContext = createContext<Me | undefined>(undefined);
export const useMe = () => useContext(MeContext)!;

/** The console path the user is on (to come back to it after signing in again). */
const here = () => window.location.pathname + window.location.search;
export const signInPath = (next = here()) => `/console/connexion?next=${encodeURIComponent(next)}`;

/** A lost session brings back the sign-in page, with the page the user wanted. */
function toSignIn() {
  if (!window.location.pathname.startsWith('/console/connexion')) window.location.assign(signInPath());
}

/** Everything behind it needs a session: GET /v1/me, its CSRF token kept for writes. */
export function RequireSession({ children }: { children: ReactNode }) {
  const me = useQuery({ queryKey: ['me'], queryFn: () => api<Me>('/v1/me'), retry: false, staleTime: 60_000 });
  useEffect(() => whenUnauthorized(toSignIn), []);
  useEffect(() => {
    if (me.data) useCsrfToken(me.data.csrfToken);
  }, [me.data]);
  useEffect(() => {
    if (me.error instanceof ApiFailure && me.error.status === 401) toSignIn();
  }, [me.error]);
  if (me.data) return <MeContext.Provider value={me.data}>{children}</MeContext.Provider>;
  if (me.error && !(me.error instanceof ApiFailure && me.error.status === 401))
    return (
      <main>
        <p className="alert" role="alert">
          La console n'a pas pu se charger : {(me.error as Error).message}
        </p>
      </main>
    );
  return (
    <main>
      <p role="status">Chargement…</p>
    </main>
  );
}

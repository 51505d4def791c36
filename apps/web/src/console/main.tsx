import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Navigate, NavLink, Outlet, Route, Routes } from 'react-router';
import '../shared/theme.css';
import { api } from '../shared/api';
import { ROLE_LABELS } from '../shared/labels';
import { Partners } from './admin/Partners';
import { Policy } from './admin/Policy';
import { Users } from './admin/Users';
import { CaseList } from './cases/CaseList';
import { CasePage } from './cases/CasePage';
import { Nudges } from './reports/Nudges';
import { Inbox } from './partner/Inbox';
import { ReferralPage } from './partner/ReferralPage';
import { RequireSession, signInPath, useMe, type Me } from './session';
import { SignIn } from './SignIn';
import { Loading, Page } from './ui';

// The dashboard carries the chart library: loaded only when a manager opens it.
const Dashboard = lazy(() => import('./reports/Dashboard'));

const NAV: Record<Me['role'], [string, string][]> = {
  counsellor: [['/dossiers', 'Dossiers']],
  partner: [['/partenaire', 'Demandes']],
  manager: [
    ['/dossiers', 'Dossiers'],
    ['/pilotage', 'Pilotage'],
    ['/relances', 'Relances'],
  ],
  admin: [
    ['/dossiers', 'Dossiers'],
    ['/pilotage', 'Pilotage'],
    ['/relances', 'Relances'],
    ['/admin/partenaires', 'Partenaires'],
    ['/admin/politique', 'Politique'],
    ['/admin/utilisateurs', 'Utilisateurs'],
  ],
};

function Layout() {
  const me = useMe();
  async function signOut() {
    await api('/v1/auth/sign-out', { method: 'POST' }).catch(() => undefined);
    window.location.assign(signInPath('/console/'));
  }
  return (
    <>
      <a className="skip" href="#contenu">
        Aller au contenu
      </a>
      <header className="site-header">
        <a className="brand" href="/console/">
          W<span>a</span>lt <span className="muted">console</span>
        </a>
        <nav className="console-nav" aria-label="Navigation principale">
          <ul>
            {NAV[me.role].map(([to, label]) => (
              <li key={to}>
                <NavLink to={to}>{label}</NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <span style={{ marginLeft: 'auto' }} className="muted">
          {me.email} · {ROLE_LABELS[me.role]}
        </span>
        <button type="button" className="secondary" onClick={() => void signOut()}>
          Se déconnecter
        </button>
      </header>
      <main id="contenu">
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
    </>
  );
}

function Home() {
  return <Navigate to={NAV[useMe().role][0][0]} replace />;
}

function NotFound() {
  return (
    <Page title="Page introuvable">
      <p>Cette page n'existe pas.</p>
    </Page>
  );
}

const client = new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: true } } });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={client}>
      <BrowserRouter basename="/console">
        <Routes>
          <Route path="/connexion" element={<SignIn />} />
          <Route
            element={
              <RequireSession>
                <Layout />
              </RequireSession>
            }
          >
            <Route index element={<Home />} />
            <Route path="/dossiers" element={<CaseList />} />
            <Route path="/dossiers/:caseId" element={<CasePage />} />
            <Route path="/partenaire" element={<Inbox />} />
            <Route path="/partenaire/demandes/:referralId" element={<ReferralPage />} />
            <Route path="/pilotage" element={<Dashboard />} />
            <Route path="/relances" element={<Nudges />} />
            <Route path="/admin/partenaires" element={<Partners />} />
            <Route path="/admin/politique" element={<Policy />} />
            <Route path="/admin/utilisateurs" element={<Users />} />
            <Route path="*" element={<NotFound />} />
          </Route>
        </Routes>
      </BrowserRouter>
    </QueryClientProvider>
  </StrictMode>,
);

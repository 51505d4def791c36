import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../shared/theme.css';
import { IntakeForm } from './IntakeForm';
import { PartnerLink } from './PartnerLink';
import { Privacy } from './Privacy';

/** The public pages (API.md, Web): `/` the form, `/confidentialite`, `/lien/{token}`. No router: three pages. */
function Page() {
  const path = window.location.pathname;
  const link = /^\/lien\/([^/]+)\/?$/.exec(path);
  if (link) return <PartnerLink token={decodeURIComponent(link[1])} />;
  if (/^\/confidentialite\/?$/.test(path)) return <Privacy />;
  return <IntakeForm />;
}

function PublicSite() {
  const partner = window.location.pathname.startsWith('/lien/');
  return (
    <>
      <a className="skip" href="#contenu">
        Aller au contenu
      </a>
      <header className="site-header">
        <a className="brand" href="/">
          W<span>a</span>lt
        </a>
        <span className="muted">
          {partner ? 'Orientation des jeunes vers votre structure' : 'Emploi, formation : on t’aide à trouver ta voie'}
        </span>
      </header>
      <main id="contenu" className="narrow">
        <Page />
      </main>
      <footer className="site-footer">
        <a href="/confidentialite">Données personnelles</a>
      </footer>
    </>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <PublicSite />
  </StrictMode>,
);

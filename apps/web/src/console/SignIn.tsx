import { useState } from 'react';
import { api } from '../shared/api';
import { failureText, Page } from './ui';

/** Sign-in by a one-time link sent by email (the development outbox shows it). */
export function SignIn() {
  const next = new URLSearchParams(window.location.search).get('next') ?? undefined;
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!/^[^\s@]+@[^\s@]+$/.test(email.trim())) {
      setProblem('Saisissez votre adresse e-mail professionnelle.');
      return;
    }
    setBusy(true);
    setProblem(undefined);
    try {
      await api('/v1/auth/links', { method: 'POST', body: { email: email.trim(), ...(next ? { next } : {}) } });
      setSent(true);
    } catch (err) {
      setProblem(failureText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main id="contenu" className="narrow">
      <Page title="Connexion à la console">
        {sent ? (
          <div className="success" role="status">
            <p style={{ marginTop: 0 }}>
              Si <strong>{email}</strong> a un compte, un lien de connexion vient de lui être envoyé. Il fonctionne une fois, pendant 15
              minutes.
            </p>
            <button type="button" className="link" onClick={() => setSent(false)}>
              Utiliser une autre adresse
            </button>
          </div>
        ) : (
          <form onSubmit={(e) => void submit(e)} noValidate className="card">
            {next && <p className="notice">Connectez-vous pour continuer vers la page demandée.</p>}
            <div className="field">
              <label htmlFor="email">Adresse e-mail</label>
              <p className="hint" id="email-hint">
                Nous vous envoyons un lien de connexion : pas de mot de passe.
              </p>
              <input
                id="email"
                type="email"
                autoComplete="email"
                value={email}
                onChange={(e) => setEmail(e.target.value)}
                aria-invalid={problem ? true : undefined}
                aria-describedby={problem ? 'email-hint email-error' : 'email-hint'}
              />
              {problem && (
                <p className="error" id="email-error" role="alert">
                  {problem}
                </p>
              )}
            </div>
            <button type="submit" disabled={busy}>
              Recevoir un lien de connexion
            </button>
          </form>
        )}
      </Page>
    </main>
  );
}

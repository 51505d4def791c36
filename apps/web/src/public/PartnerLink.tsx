import { useEffect, useRef, useState } from 'react';
import { api, ApiFailure } from '../shared/api';
import { DeclineForm, type Decline } from '../shared/DeclineForm';
import { ReferralFacts } from '../shared/ReferralFacts';

interface Referral {
  referralId: string;
  status: string;
  dueAt: string;
  firstName: string | null;
  age: number;
  diplomaLevel: string;
  commune: string | null;
  segment: string;
  barriers?: string[];
  wishes: string[];
  appointmentAt?: string;
  reason?: string;
  lastName?: string | null;
  email?: string | null;
  phone?: string | null;
}

/** Why a link cannot be used, in the words of a professional ("vous"). */
function linkProblem(err: ApiFailure): string {
  if (err.status === 409) return 'Ce lien a déjà été utilisé : la demande a reçu une réponse, ou elle a été retirée ou a expiré.';
  if (err.status === 401)
    return /expired/i.test(err.message)
      ? 'Ce lien a expiré. Demandez un nouveau lien au conseiller du programme.'
      : "Ce lien n'est pas valide (il est peut-être incomplet). Copiez-le en entier depuis l'e-mail.";
  if (err.status === 404) return "Cette demande n'existe plus.";
  return "La demande n'a pas pu être chargée. Réessayez dans un instant.";
}

/** The page behind the signed link of a partner's email: no account needed, one referral. */
export function PartnerLink({ token }: { token: string }) {
  const [referral, setReferral] = useState<Referral>();
  const [problem, setProblem] = useState<string>();
  const [done, setDone] = useState<string>();
  const [mode, setMode] = useState<'accept' | 'decline'>();
  const [appointmentAt, setAppointmentAt] = useState('');
  const [declineError, setDeclineError] = useState<ApiFailure>();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const base = `/v1/partner/links/${encodeURIComponent(token)}`;

  useEffect(() => {
    api<Referral>(base).then(setReferral, (err: ApiFailure) => setProblem(linkProblem(err)));
  }, [base]);
  useEffect(() => heading.current?.focus(), [done, problem]);

  async function act(action: 'accept' | 'decline', decline?: Decline) {
    setFieldErrors({});
    setDeclineError(undefined);
    setBusy(true);
    try {
      const body = action === 'accept' ? { ...(appointmentAt ? { appointmentAt: new Date(appointmentAt).toISOString() } : {}) } : decline;
      const answered = await api<Referral>(`${base}/${action}`, { method: 'POST', body });
      setReferral(answered);
      setDone(
        action === 'accept'
          ? 'Merci : vous avez accepté cette orientation. Le jeune et son conseiller sont prévenus.'
          : 'Merci : votre refus est enregistré. Le programme cherche une autre structure.',
      );
    } catch (err) {
      const failed = err as ApiFailure;
      // A refused decline is said next to its fields by the DeclineForm; a refused date, here.
      if (failed.status === 400 && action === 'decline') setDeclineError(failed);
      else if (failed.status === 400)
        setFieldErrors({
          appointmentAt: failed.details.some((d) => d.field === 'appointmentAt')
            ? 'La date du rendez-vous doit être dans le futur.'
            : 'Vérifiez cette réponse.',
        });
      else setProblem(linkProblem(failed));
    } finally {
      setBusy(false);
    }
  }

  if (problem)
    return (
      <section className="card">
        <h1 tabIndex={-1} ref={heading}>
          Lien indisponible
        </h1>
        <p className="alert" role="alert">
          {problem}
        </p>
      </section>
    );
  if (!referral) return <p role="status">Chargement de la demande…</p>;

  return (
    <section>
      <h1 tabIndex={-1} ref={heading}>
        Demande d'accompagnement pour {referral.firstName ?? 'un jeune'}
      </h1>
      {done && (
        <p className="success" role="status">
          {done}
        </p>
      )}
      <ReferralFacts referral={referral} showContact={referral.status === 'ACCEPTED'} />

      {referral.status === 'PENDING' && !done && (
        <div className="card">
          <h2 style={{ marginTop: 0 }}>Votre réponse</h2>
          <div className="actions" style={{ marginTop: 0 }}>
            <button
              type="button"
              className={mode === 'accept' ? '' : 'secondary'}
              aria-pressed={mode === 'accept'}
              onClick={() => setMode('accept')}
            >
              Accepter
            </button>
            <button
              type="button"
              className={mode === 'decline' ? '' : 'secondary'}
              aria-pressed={mode === 'decline'}
              onClick={() => setMode('decline')}
            >
              Refuser
            </button>
          </div>
          {mode === 'accept' && (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                void act('accept');
              }}
            >
              <div className="field" style={{ marginTop: '1rem' }}>
                <label htmlFor="appointmentAt">Date du premier rendez-vous (facultatif)</label>
                <input
                  id="appointmentAt"
                  type="datetime-local"
                  value={appointmentAt}
                  onChange={(e) => setAppointmentAt(e.target.value)}
                  aria-invalid={fieldErrors.appointmentAt ? true : undefined}
                  aria-describedby={fieldErrors.appointmentAt ? 'appointmentAt-error' : undefined}
                />
                {fieldErrors.appointmentAt && (
                  <p className="error" id="appointmentAt-error">
                    {fieldErrors.appointmentAt}
                  </p>
                )}
              </div>
              <button type="submit" disabled={busy}>
                Confirmer l'acceptation
              </button>
            </form>
          )}
          {mode === 'decline' && (
            <DeclineForm
              style={{ marginTop: '1rem' }}
              submitLabel="Confirmer le refus"
              busy={busy}
              error={declineError}
              onDecline={(decline) => void act('decline', decline)}
            />
          )}
        </div>
      )}
    </section>
  );
}

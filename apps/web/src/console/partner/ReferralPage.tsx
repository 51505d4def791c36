import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../../shared/api';
import { dateTime, labelOf, OUTCOME_LABELS, REFERRAL_STATUS_LABELS } from '../../shared/labels';
import { CodeOptions } from '../../shared/CodeOptions';
import { DeclineForm } from '../../shared/DeclineForm';
import { ReferralFacts } from '../../shared/ReferralFacts';
import { Failure, Loading, Page } from '../ui';
import type { PartnerReferral } from './Inbox';

/** One referral for the partner: accept with an appointment, decline with a reason, then attendance and outcome. */
export function ReferralPage() {
  const { referralId = '' } = useParams();
  const client = useQueryClient();
  const key = ['partner-referral', referralId];
  const referral = useQuery({ queryKey: key, queryFn: () => api<PartnerReferral>(`/v1/partner/referrals/${referralId}`), retry: false });
  const [done, setDone] = useState<string>();
  const [appointmentAt, setAppointmentAt] = useState('');
  const [outcome, setOutcome] = useState('');
  const act = useMutation({
    mutationFn: ({ path, body }: { path: string; body: unknown; said: string }) =>
      api<PartnerReferral>(`/v1/partner/referrals/${referralId}/${path}`, { method: 'POST', body }),
    onMutate: () => setDone(undefined),
    onSuccess: (updated, { said }) => {
      client.setQueryData(key, updated);
      void client.invalidateQueries({ queryKey: ['partner-referrals'] });
      setDone(said);
    },
  });

  if (referral.isPending) return <Loading />;
  if (!referral.data)
    return (
      <Page title="Demande introuvable">
        <Failure error={referral.error} />
        <Link to="/partenaire">Retour aux demandes</Link>
      </Page>
    );
  const r = referral.data;
  return (
    <Page title={`Demande pour ${r.firstName ?? 'un jeune'}`} actions={<Link to="/partenaire">← Toutes les demandes</Link>}>
      <p>
        Statut : <strong data-testid="referral-status">{labelOf(REFERRAL_STATUS_LABELS, r.status)}</strong>
        {r.appointmentAt && ` · rendez-vous le ${dateTime(r.appointmentAt)}`}
      </p>
      <div aria-live="polite">{done && <p className="success">{done}</p>}</div>
      <Failure error={act.error} />
      <ReferralFacts referral={r} showContact={r.status !== 'PENDING' && r.lastName !== undefined} />

      {r.status === 'PENDING' && (
        <div className="grid">
          <form
            className="card"
            aria-labelledby="accept-title"
            onSubmit={(e) => {
              e.preventDefault();
              act.mutate({
                path: 'accept',
                body: appointmentAt ? { appointmentAt: new Date(appointmentAt).toISOString() } : {},
                said: 'Orientation acceptée. Le jeune et son conseiller sont prévenus.',
              });
            }}
          >
            <h2 id="accept-title" style={{ marginTop: 0 }}>
              Accepter
            </h2>
            <div className="field">
              <label htmlFor="appointmentAt">Date du premier rendez-vous (facultatif)</label>
              <input id="appointmentAt" type="datetime-local" value={appointmentAt} onChange={(e) => setAppointmentAt(e.target.value)} />
            </div>
            <button type="submit" disabled={act.isPending}>
              Accepter l'orientation
            </button>
          </form>
          <DeclineForm
            className="card"
            heading="Refuser"
            submitLabel="Refuser l'orientation"
            busy={act.isPending}
            error={act.variables?.path === 'decline' ? act.error : undefined}
            onDecline={(body) => act.mutate({ path: 'decline', body, said: 'Refus enregistré.' })}
          />
        </div>
      )}

      {r.status === 'ACCEPTED' && (
        <div className="card">
          <h2 style={{ marginTop: 0 }}>Suivi</h2>
          {r.attended === undefined ? (
            <div className="actions" style={{ marginTop: 0 }}>
              <button
                type="button"
                onClick={() => act.mutate({ path: 'attendance', body: { attended: true }, said: 'Présence enregistrée.' })}
              >
                Le jeune est venu
              </button>
              <button
                type="button"
                className="secondary"
                onClick={() => act.mutate({ path: 'attendance', body: { attended: false }, said: 'Absence enregistrée.' })}
              >
                Le jeune n'est pas venu
              </button>
            </div>
          ) : (
            <p>{r.attended ? 'Le jeune est venu au rendez-vous.' : "Le jeune n'est pas venu au rendez-vous."}</p>
          )}
          {r.attended && !r.outcome && (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                if (outcome) act.mutate({ path: 'outcome', body: { outcome }, said: 'Sortie enregistrée.' });
              }}
            >
              <div className="field">
                <label htmlFor="outcome">Sortie obtenue</label>
                <select id="outcome" value={outcome} onChange={(e) => setOutcome(e.target.value)}>
                  <option value="">Choisissez…</option>
                  <CodeOptions labels={OUTCOME_LABELS} />
                </select>
              </div>
              <button type="submit" disabled={!outcome || act.isPending}>
                Enregistrer la sortie
              </button>
            </form>
          )}
          {r.outcome && <p>Sortie : {labelOf(OUTCOME_LABELS, r.outcome)}</p>}
        </div>
      )}
    </Page>
  );
}

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, ApiFailure } from '../../shared/api';
import {
  BARRIER_LABELS,
  DECLINE_REASON_LABELS,
  DIPLOMA_LABELS,
  dateTime,
  entries,
  labelOf,
  OUTCOME_LABELS,
  REFERRAL_STATUS_LABELS,
  SEGMENT_LABELS,
  WISH_LABELS,
} from '../../shared/labels';
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
  const [reason, setReason] = useState('');
  const [comment, setComment] = useState('');
  const [commentError, setCommentError] = useState<string>();
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
    onError: (err) => {
      if (err instanceof ApiFailure && err.details.some((d) => d.field === 'comment'))
        setCommentError('Le commentaire est obligatoire pour « Autre raison ».');
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
      <div className="card">
        <dl className="facts">
          <dt>Âge</dt>
          <dd>{r.age} ans</dd>
          <dt>Commune</dt>
          <dd>{r.commune ?? '—'}</dd>
          <dt>Diplôme</dt>
          <dd>{labelOf(DIPLOMA_LABELS, r.diplomaLevel)}</dd>
          <dt>Profil</dt>
          <dd>{labelOf(SEGMENT_LABELS, r.segment)}</dd>
          <dt>Souhaits</dt>
          <dd>{r.wishes.map((w) => labelOf(WISH_LABELS, w)).join(', ') || '—'}</dd>
          {r.barriers && (
            <>
              <dt>Freins</dt>
              <dd>{r.barriers.map((b) => labelOf(BARRIER_LABELS, b)).join(', ') || 'Aucun indiqué'}</dd>
            </>
          )}
          <dt>Répondre avant le</dt>
          <dd>{dateTime(r.dueAt)}</dd>
          {r.status !== 'PENDING' && r.lastName !== undefined && (
            <>
              <dt>Nom</dt>
              <dd>{r.lastName ?? '—'}</dd>
              <dt>E-mail</dt>
              <dd>{r.email ?? '—'}</dd>
              <dt>Téléphone</dt>
              <dd>{r.phone ?? '—'}</dd>
            </>
          )}
        </dl>
        {r.status === 'PENDING' && <p className="hint">Les coordonnées du jeune s'affichent dès que vous acceptez.</p>}
      </div>

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
          <form
            className="card"
            aria-labelledby="decline-title"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              setCommentError(undefined);
              if (reason === 'OTHER' && !comment.trim()) {
                setCommentError('Le commentaire est obligatoire pour « Autre raison ».');
                return;
              }
              if (reason)
                act.mutate({
                  path: 'decline',
                  body: { reason, ...(comment.trim() ? { comment: comment.trim() } : {}) },
                  said: 'Refus enregistré.',
                });
            }}
          >
            <h2 id="decline-title" style={{ marginTop: 0 }}>
              Refuser
            </h2>
            <div className="field">
              <label htmlFor="reason">Motif</label>
              <select id="reason" value={reason} onChange={(e) => setReason(e.target.value)}>
                <option value="">Choisissez…</option>
                {entries(DECLINE_REASON_LABELS).map(([code, label]) => (
                  <option key={code} value={code}>
                    {label}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="comment">Commentaire {reason === 'OTHER' ? '(obligatoire)' : '(facultatif)'}</label>
              <textarea
                id="comment"
                value={comment}
                onChange={(e) => setComment(e.target.value)}
                aria-invalid={commentError ? true : undefined}
                aria-describedby={commentError ? 'comment-error' : undefined}
              />
              {commentError && (
                <p className="error" id="comment-error" role="alert">
                  {commentError}
                </p>
              )}
            </div>
            <button type="submit" className="secondary" disabled={act.isPending || !reason}>
              Refuser l'orientation
            </button>
          </form>
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
                  {entries(OUTCOME_LABELS).map(([code, label]) => (
                    <option key={code} value={code}>
                      {label}
                    </option>
                  ))}
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

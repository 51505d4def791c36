import { BARRIER_LABELS, DIPLOMA_LABELS, dateTime, labelOf, SEGMENT_LABELS, WISH_LABELS } from './labels';

/** What a partner is told about the young person of a referral (the partner portal and the signed-link page). */
export interface ReferralFactsView {
  status: string;
  dueAt: string;
  age: number;
  diplomaLevel: string;
  commune: string | null;
  segment: string;
  barriers?: string[];
  wishes: string[];
  lastName?: string | null;
  email?: string | null;
  phone?: string | null;
}

/** The facts card, the same on both pages; contact details only once the API gives them (accepted). */
export function ReferralFacts({ referral, showContact }: { referral: ReferralFactsView; showContact: boolean }) {
  return (
    <div className="card">
      <dl className="facts">
        <dt>Âge</dt>
        <dd>{referral.age} ans</dd>
        <dt>Commune</dt>
        <dd>{referral.commune ?? '—'}</dd>
        <dt>Diplôme</dt>
        <dd>{labelOf(DIPLOMA_LABELS, referral.diplomaLevel)}</dd>
        <dt>Profil</dt>
        <dd>{labelOf(SEGMENT_LABELS, referral.segment)}</dd>
        <dt>Souhaits</dt>
        <dd>{referral.wishes.map((w) => labelOf(WISH_LABELS, w)).join(', ') || '—'}</dd>
        {referral.barriers && (
          <>
            <dt>Freins</dt>
            <dd>{referral.barriers.map((b) => labelOf(BARRIER_LABELS, b)).join(', ') || 'Aucun indiqué'}</dd>
          </>
        )}
        <dt>Répondre avant le</dt>
        <dd>{dateTime(referral.dueAt)}</dd>
        {showContact && (
          <>
            <dt>Nom</dt>
            <dd>{referral.lastName ?? '—'}</dd>
            <dt>E-mail</dt>
            <dd>{referral.email ?? '—'}</dd>
            <dt>Téléphone</dt>
            <dd>{referral.phone ?? '—'}</dd>
          </>
        )}
      </dl>
      {referral.status === 'PENDING' && <p className="hint">Les coordonnées du jeune vous sont données dès que vous acceptez.</p>}
    </div>
  );
}

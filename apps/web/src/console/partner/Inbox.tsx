import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, type Page as ApiPage } from '../../shared/api';
import { DIPLOMA_LABELS, dateTime, labelOf, REFERRAL_STATUS_LABELS, SEGMENT_LABELS } from '../../shared/labels';
import { Failure, Loading, Page } from '../ui';

export interface PartnerReferral {
  referralId: string;
  caseId: string;
  status: string;
  sentAt: string;
  dueAt: string;
  decidedAt?: string;
  reason?: string;
  comment?: string;
  appointmentAt?: string;
  attended?: boolean;
  outcome?: string;
  firstName: string | null;
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

const ORDER: Record<string, number> = { PENDING: 0, ACCEPTED: 1 };

/** The partner's inbox: pending first (soonest due first), overdue highlighted. */
export function Inbox() {
  const list = useQuery({
    queryKey: ['partner-referrals'],
    queryFn: () => api<ApiPage<PartnerReferral>>('/v1/partner/referrals?pageSize=200'),
    refetchInterval: 5000,
  });
  const now = Date.now();
  const items = [...(list.data?.items ?? [])].sort(
    (a, b) => (ORDER[a.status] ?? 2) - (ORDER[b.status] ?? 2) || a.dueAt.localeCompare(b.dueAt),
  );
  const pending = items.filter((r) => r.status === 'PENDING').length;
  return (
    <Page title="Demandes d'orientation">
      <p>
        {pending} demande{pending > 1 ? 's' : ''} en attente de votre réponse.
      </p>
      <Failure error={list.error} />
      {list.isPending && <Loading />}
      {list.data && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Jeune</th>
                <th scope="col">Âge</th>
                <th scope="col">Commune</th>
                <th scope="col">Diplôme</th>
                <th scope="col">Profil</th>
                <th scope="col">Statut</th>
                <th scope="col">Répondre avant</th>
              </tr>
            </thead>
            <tbody>
              {items.map((r) => {
                const late = r.status === 'PENDING' && new Date(r.dueAt).getTime() < now;
                return (
                  <tr key={r.referralId}>
                    <td>
                      <Link to={`/partenaire/demandes/${r.referralId}`}>{r.firstName ?? 'Jeune'}</Link>
                    </td>
                    <td>{r.age}</td>
                    <td>{r.commune ?? '—'}</td>
                    <td>{labelOf(DIPLOMA_LABELS, r.diplomaLevel)}</td>
                    <td>{labelOf(SEGMENT_LABELS, r.segment)}</td>
                    <td>
                      <span className={r.status === 'PENDING' ? 'badge' : r.status === 'ACCEPTED' ? 'badge ok' : 'badge late'}>
                        {labelOf(REFERRAL_STATUS_LABELS, r.status)}
                      </span>
                    </td>
                    <td>
                      {dateTime(r.dueAt)} {late && <span className="badge late">en retard</span>}
                    </td>
                  </tr>
                );
              })}
              {items.length === 0 && (
                <tr>
                  <td colSpan={7}>Aucune demande pour votre structure.</td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../shared/api';
import { labelOf, PARTNER_TYPE_LABELS } from '../../shared/labels';
import { Failure, Loading } from '../ui';

interface MatchesView {
  eligible: { partnerId: string; partnerName: string; type: string; score: number }[];
  excluded: { partnerId: string; partnerName: string; type: string; detail: string }[];
  excludedOutsideTerritory: number;
}

/** Refer to a partner chosen from the matches, with the reason each other partner is excluded. */
export function Matches({ caseId, onRefer, busy }: { caseId: string; onRefer: (partnerId: string) => void; busy: boolean }) {
  const [open, setOpen] = useState(false);
  const matches = useQuery({
    queryKey: ['case', caseId, 'matches'],
    queryFn: () => api<MatchesView>(`/v1/cases/${caseId}/matches`),
    enabled: open,
  });
  return (
    <section aria-labelledby="matches-title">
      <h2 id="matches-title">Orienter vers un partenaire</h2>
      {!open ? (
        <button type="button" className="secondary" onClick={() => setOpen(true)}>
          Voir les partenaires possibles
        </button>
      ) : (
        <>
          <Failure error={matches.error} />
          {matches.isPending && <Loading />}
          {matches.data && (
            <div className="grid">
              <div>
                <h3>Possibles, les mieux placés d'abord</h3>
                {matches.data.eligible.length === 0 && <p>Aucun partenaire ne remplit tous les critères.</p>}
                <ul>
                  {matches.data.eligible.map((p) => (
                    <li key={p.partnerId} style={{ marginBottom: '0.5rem' }}>
                      {p.partnerName} ({labelOf(PARTNER_TYPE_LABELS, p.type)}, score {p.score}){' '}
                      <button
                        type="button"
                        className="link"
                        disabled={busy}
                        onClick={() => onRefer(p.partnerId)}
                        aria-label={`Orienter vers ${p.partnerName}`}
                      >
                        Orienter
                      </button>
                    </li>
                  ))}
                </ul>
              </div>
              <div>
                <h3>Exclus, et pourquoi</h3>
                <ul>
                  {matches.data.excluded.map((p) => (
                    <li key={p.partnerId}>
                      {p.partnerName} : {p.detail}
                    </li>
                  ))}
                </ul>
                <p className="muted">{matches.data.excludedOutsideTerritory} autre(s) partenaire(s) ne couvrent pas la commune du jeune.</p>
              </div>
            </div>
          )}
        </>
      )}
    </section>
  );
}

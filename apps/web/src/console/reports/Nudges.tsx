import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, query } from '../../shared/api';
import { useMe } from '../session';
import { Failure, Loading, Page } from '../ui';

interface ReplyRate {
  sent: number;
  replied: number;
  replyRate: number | null;
  replyRateLow: number | null;
  replyRateHigh: number | null;
}
interface Experiment {
  experiment: string;
  variants: (ReplyRate & { variant: string })[];
  ahead: string | null;
}
interface NudgeReport {
  replyWindowHours: number;
  experiments: Experiment[];
}
interface PolicyView {
  version: number;
  nudgeExperiment: { name: string; variants: string[] } | null;
}

const percent = (rate: number | null) =>
  rate == null ? '—' : `${new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 }).format(rate * 100)} %`;

/**
 * Which nudges bring young people back (GET /v1/reports/nudges): per experiment, each variant's
 * reply rate and its 95% interval, and whether one is ahead beyond the intervals. Retiring the
 * others is a new policy version (PUT /v1/policy), which only admins may save: managers are told so.
 */
export function Nudges() {
  const me = useMe();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [period, setPeriod] = useState<{ from?: string; to?: string }>({});
  const report = useQuery({
    queryKey: ['nudges', period],
    queryFn: () => api<NudgeReport>(`/v1/reports/nudges${query({ groupBy: 'variant', ...period })}`),
  });
  return (
    <Page title="Relances : quelles variantes font revenir les jeunes">
      <form
        className="filters card"
        onSubmit={(e) => {
          e.preventDefault();
          setPeriod({ ...(from ? { from } : {}), ...(to ? { to } : {}) });
        }}
      >
        <div className="field">
          <label htmlFor="nudges-from">Du</label>
          <input id="nudges-from" type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="nudges-to">Au</label>
          <input id="nudges-to" type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </div>
        <button type="submit">Afficher</button>
      </form>
      <Failure error={report.error} />
      {report.isPending && <Loading />}
      {report.data && report.data.experiments.length === 0 && <p>Aucune expérience de relance sur cette période.</p>}
      {report.data?.experiments.map((experiment) => (
        <ExperimentCard
          key={experiment.experiment}
          experiment={experiment}
          windowHours={report.data.replyWindowHours}
          canRetire={me.role === 'admin'}
        />
      ))}
    </Page>
  );
}

function ExperimentCard({ experiment, windowHours, canRetire }: { experiment: Experiment; windowHours: number; canRetire: boolean }) {
  const titleId = `experiment-${experiment.experiment}`;
  const losers = experiment.variants.map((v) => v.variant).filter((v) => v !== experiment.ahead);
  return (
    <section className="card" aria-labelledby={titleId}>
      <h2 id={titleId}>Expérience « {experiment.experiment} »</h2>
      <div className="table-wrap">
        <table>
          <caption>
            Réponses dans les {windowHours} h après une relance (réponse du jeune ou contact joint par un conseiller), par variante
          </caption>
          <thead>
            <tr>
              <th scope="col">Variante</th>
              <th scope="col">Relances envoyées</th>
              <th scope="col">Réponses</th>
              <th scope="col">Taux de réponse</th>
              <th scope="col">Intervalle à 95 %</th>
            </tr>
          </thead>
          <tbody>
            {experiment.variants.map((v) => (
              <tr key={v.variant} data-testid={`variant-${v.variant}`}>
                <th scope="row">{v.variant}</th>
                <td>{v.sent}</td>
                <td>{v.replied}</td>
                <td>{percent(v.replyRate)}</td>
                <td>
                  {percent(v.replyRateLow)} à {percent(v.replyRateHigh)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p data-testid="experiment-verdict">
        {experiment.ahead
          ? `La variante ${experiment.ahead} est devant au-delà des intervalles : son intervalle est entièrement au-dessus des autres.`
          : "Les intervalles se chevauchent : aucune variante n'est devant pour l'instant. Attendez plus de relances avant de conclure."}
      </p>
      {experiment.ahead &&
        (canRetire ? (
          <Retire experiment={experiment.experiment} keep={experiment.ahead} losers={losers} />
        ) : (
          <p className="muted">
            Seul un administrateur peut retirer {losers.length > 1 ? 'les variantes' : 'la variante'} {losers.join(', ')} : cela enregistre
            une nouvelle version de la politique des parcours. Demandez-le à un administrateur.
          </p>
        ))}
    </section>
  );
}

/** Keeps only the variant ahead: a new policy version, for the journeys that start afterwards. */
function Retire({ experiment, keep, losers }: { experiment: string; keep: string; losers: string[] }) {
  const client = useQueryClient();
  const policy = useQuery({ queryKey: ['policy'], queryFn: () => api<PolicyView>('/v1/policy') });
  const retire = useMutation({
    mutationFn: () => api<PolicyView>('/v1/policy', { method: 'PUT', body: { nudgeExperiment: { name: experiment, variants: [keep] } } }),
    onSuccess: (saved) => client.setQueryData(['policy'], saved),
  });
  const live = policy.data?.nudgeExperiment;
  const stillLive = live?.name === experiment && live.variants.some((v) => losers.includes(v));
  return (
    <div aria-live="polite">
      <Failure error={policy.error ?? retire.error} />
      {retire.data ? (
        <p className="success">
          Version {retire.data.version} enregistrée : seule la variante {keep} est envoyée aux parcours qui commencent à partir de
          maintenant.
        </p>
      ) : stillLive ? (
        <button type="button" onClick={() => retire.mutate()} disabled={retire.isPending}>
          Retirer la variante {losers.join(', ')} (nouvelle version de la politique)
        </button>
      ) : (
        policy.data && (
          <p className="muted">Cette expérience n'est plus celle de la politique en vigueur, ou la variante est déjà retirée.</p>
        )
      )}
    </div>
  );
}

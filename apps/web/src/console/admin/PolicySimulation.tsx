import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { api, ApiFailure } from '../../shared/api';
import { labelOf, STAGE_LABELS } from '../../shared/labels';
import { DraftErrors, Failure } from '../ui';

/** A figure over the seeds (libs/simulation `Summary`): its mean, spread and range. */
interface Interval {
  mean: number;
  sd: number;
  min: number;
  max: number;
}
interface Percentiles {
  count: Interval;
  p50Hours: Interval | null;
  p90Hours: Interval | null;
}
interface PolicyFigures {
  funnel: Record<string, Interval>;
  durations: Record<string, Percentiles>;
  escalations: Record<string, Interval>;
  expiries: Interval;
  counsellorWorkload: { perWeek: Interval };
  messages: { total: Interval; youth: Interval; partner: Interval };
}
interface SimulationView {
  status: 'RUNNING' | 'DONE' | 'FAILED';
  progress: { runsDone: number; runsTotal: number; fraction: number };
  error?: string;
  result?: {
    current: PolicyFigures;
    draft: PolicyFigures;
    runs: unknown[];
    model: { journeys: number; fromDefault: string[] };
    timeScale: { msPerDay: number; arrivalDays: number; horizonDays: number; wallSeconds: number };
  };
}

const FUNNEL: [string, string][] = [
  ['captured', 'Reçus'],
  ['engaged', 'Contactés'],
  ['referred', 'Orientés'],
  ['accepted', 'Acceptés'],
  ['inPathway', 'En parcours'],
  ['outcome', 'Sortie positive'],
  ['closedUnreachable', 'Clos, injoignables'],
  ['needsCounsellor', 'Passés par un conseiller'],
];
const END_TO_END: [string, string][] = [
  ['captureToReferral', 'De la demande à la première orientation'],
  ['referralToDecision', "De l'orientation à la décision du partenaire"],
  ['firstToSecondReferral', 'De la première à la deuxième orientation'],
  ['captureToAcceptance', "De la demande à l'acceptation"],
  ['captureToPathway', "De la demande à l'entrée en parcours"],
];
const ESCALATIONS: [string, string][] = [
  ['total', 'Toutes'],
  ['UNRESPONSIVE', 'Sans réponse du jeune'],
  ['ATTEMPTS_EXHAUSTED', 'Orientations épuisées'],
  ['NO_ELIGIBLE_PARTNER', 'Aucun partenaire possible'],
  ['NO_SHOW', 'Absent au rendez-vous'],
];

const ONE_DECIMAL = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });
const hours = (h: number) => (h < 48 ? `${ONE_DECIMAL.format(h)} h` : `${ONE_DECIMAL.format(h / 24)} j`);

/** A figure and, with several seeds, its range over them: "12 (10 à 14)". */
function Figure({ value, format = (n) => ONE_DECIMAL.format(n) }: { value: Interval | null | undefined; format?: (n: number) => string }) {
  if (!value) return <>—</>;
  if (value.min === value.max) return <>{format(value.mean)}</>;
  return (
    <>
      {format(value.mean)}{' '}
      <span className="muted">
        ({format(value.min)} à {format(value.max)})
      </span>
    </>
  );
}

/** One table: a row per figure, the current policy and the draft side by side. */
function SideBySide({ title, rows }: { title: string; rows: [string, ReactNode, ReactNode][] }) {
  return (
    <div className="table-wrap">
      <table>
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">Indicateur</th>
            <th scope="col">Politique en vigueur</th>
            <th scope="col">Brouillon</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([label, current, draft]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td>{current}</td>
              <td>{draft}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Result({ result }: { result: NonNullable<SimulationView['result']> }) {
  const { current, draft, timeScale } = result;
  const both = (pick: (f: PolicyFigures) => Interval | null | undefined, format?: (n: number) => string): [ReactNode, ReactNode] => [
    <Figure value={pick(current)} format={format} />,
    <Figure value={pick(draft)} format={format} />,
  ];
  const stages = Object.keys(STAGE_LABELS).filter((s) => current.durations[s] || draft.durations[s]);
  const durationRows = (keys: [string, string][]): [string, ReactNode, ReactNode][] =>
    keys.flatMap(([key, label]) => [
      [`${label} : médiane`, ...both((f) => f.durations[key]?.p50Hours, hours)],
      [`${label} : 9 sur 10 en moins de`, ...both((f) => f.durations[key]?.p90Hours, hours)],
    ]);
  return (
    <div data-testid="simulation-result">
      <p>
        {result.runs.length} tirage{result.runs.length > 1 ? 's' : ''} ; entre parenthèses, l'écart entre les tirages. Les durées sont
        ramenées au temps réel du programme (un jour a duré {timeScale.msPerDay} ms ; arrivées sur {timeScale.arrivalDays} jours, suivi sur{' '}
        {timeScale.horizonDays} jours). Simulation faite en {timeScale.wallSeconds} s.
        {result.model.fromDefault.length > 0 && (
          <> Comportements pris par défaut faute d'historique suffisant : {result.model.fromDefault.join(', ')}.</>
        )}
      </p>
      <SideBySide title="Entonnoir : nombre de jeunes" rows={FUNNEL.map(([key, label]) => [label, ...both((f) => f.funnel[key])])} />
      <SideBySide
        title="Durées par étape et de bout en bout"
        rows={[...durationRows(stages.map((s) => [s, labelOf(STAGE_LABELS, s)])), ...durationRows(END_TO_END)]}
      />
      <SideBySide
        title="Escalades, expirations, charge et messages"
        rows={[
          ...ESCALATIONS.map(([key, label]): [string, ReactNode, ReactNode] => [
            `Escalades : ${label.toLowerCase()}`,
            ...both((f) => f.escalations[key]),
          ]),
          ['Orientations expirées', ...both((f) => f.expiries)],
          ['Actions des conseillers par semaine', ...both((f) => f.counsellorWorkload.perWeek)],
          ['Messages envoyés', ...both((f) => f.messages.total)],
          ['dont aux jeunes', ...both((f) => f.messages.youth)],
          ['dont aux partenaires', ...both((f) => f.messages.partner)],
        ]}
      />
    </div>
  );
}

/**
 * "Simuler" on the policy page: the draft being edited runs beside the current policy on a
 * synthetic cohort (POST /v1/policy/simulations), before the admin saves it.
 */
export function PolicySimulation({ draftText }: { draftText: string }) {
  const [size, setSize] = useState('50');
  const [seeds, setSeeds] = useState('3');
  const [parseError, setParseError] = useState<string>();
  const start = useMutation({
    mutationFn: (body: unknown) => api<{ id: string }>('/v1/policy/simulations', { method: 'POST', body }),
  });
  const id = start.data?.id;
  const view = useQuery({
    queryKey: ['policy-simulation', id],
    queryFn: () => api<SimulationView>(`/v1/policy/simulations/${id}`),
    enabled: !!id,
    refetchInterval: (q) => (q.state.data?.status === 'RUNNING' || !q.state.data ? 2000 : false),
  });
  const details = start.error instanceof ApiFailure ? start.error.details : [];
  const running = start.isPending || view.data?.status === 'RUNNING' || (!!id && !view.data);

  return (
    <section className="card" aria-labelledby="simulation-title">
      <h2 id="simulation-title">Simuler le brouillon avant de l'enregistrer</h2>
      <p>
        Le brouillon ci-dessus et la politique en vigueur font vivre la même cohorte fictive, tirée de l'historique du programme, dans les
        vrais parcours. Aucun dossier, message ni rapport réel n'est touché.
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          let policy: unknown;
          try {
            policy = JSON.parse(draftText);
            setParseError(undefined);
          } catch {
            setParseError("Le brouillon n'est pas du JSON valide.");
            return;
          }
          start.mutate({ policy, cohort: { size: Number(size) }, seeds: Number(seeds) });
        }}
      >
        <div style={{ display: 'flex', gap: '1rem', flexWrap: 'wrap' }}>
          <div className="field">
            <label htmlFor="simulation-size">Taille de la cohorte (1 à 500 jeunes)</label>
            <input id="simulation-size" type="number" min={1} max={500} value={size} onChange={(e) => setSize(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="simulation-seeds">Nombre de tirages (1 à 5)</label>
            <input id="simulation-seeds" type="number" min={1} max={5} value={seeds} onChange={(e) => setSeeds(e.target.value)} />
          </div>
        </div>
        <DraftErrors parseError={parseError} details={details} />
        {!details.length && <Failure error={start.error ?? view.error} />}
        <button type="submit" disabled={running}>
          Simuler
        </button>
      </form>
      <div aria-live="polite">
        {running && (
          <p>
            <label htmlFor="simulation-progress">Simulation en cours : </label>
            <progress id="simulation-progress" max={view.data?.progress.runsTotal || 1} value={view.data?.progress.runsDone ?? 0} />{' '}
            {view.data?.progress.runsTotal
              ? `${view.data.progress.runsDone} exécution(s) sur ${view.data.progress.runsTotal}`
              : 'démarrage'}
          </p>
        )}
        {view.data?.status === 'FAILED' && (
          <p className="alert" role="alert">
            La simulation a échoué : {view.data.error}
          </p>
        )}
      </div>
      {view.data?.status === 'DONE' && view.data.result && <Result result={view.data.result} />}
    </section>
  );
}

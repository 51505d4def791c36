import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { api, query, type Page as ApiPage } from '../../shared/api';
import { dateTime, labelOf, PARTNER_TYPE_LABELS, SEGMENT_LABELS, STAGE_LABELS } from '../../shared/labels';
import { Failure, Loading, Page } from '../ui';
import { BarsChart } from './Chart';

interface Conversion {
  fromPrevious: number | null;
  fromCaptured: number | null;
}
type FunnelGroup = { group: string; conversion: Record<string, Conversion> } & Record<string, number | string | Record<string, Conversion>>;
interface DurationFigures {
  count: number;
  p50Hours: number | null;
  p90Hours: number | null;
}
interface PartnerFigures {
  partnerId: string;
  name: string;
  type: string;
  departement: string;
  received: number;
  accepted: number;
  declined: number;
  expired: number;
  pending: number;
  medianHoursToDecision: number | null;
  remindersSent: number;
}
interface OverdueItem {
  caseId: string;
  stage: string;
  dueAt: string;
  overdueHours: number;
  segment: string;
  departement: string;
}

const STEPS: [string, string][] = [
  ['captured', 'Reçus'],
  ['engaged', 'Contactés'],
  ['matched', 'En recherche'],
  ['referred', 'Orientés'],
  ['accepted', 'Acceptés'],
  ['inPathway', 'En parcours'],
  ['outcome', 'Sortie positive'],
];
const GROUP_BYS: [string, string][] = [
  ['', 'Tout le programme'],
  ['segment', 'Profil'],
  ['departement', 'Département'],
  ['channel', 'Canal'],
  ['partnerType', 'Type de partenaire'],
];
const percent = (rate: number | null | undefined) => (rate == null ? '—' : `${Math.round(rate * 100)} %`);
const ONE_DECIMAL = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });
const hours = (h: number | null | undefined) =>
  h == null ? '—' : h < 1 ? `${Math.round(h * 60)} min` : h < 48 ? `${ONE_DECIMAL.format(h)} h` : `${ONE_DECIMAL.format(h / 24)} j`;
const groupLabel = (g: string) =>
  g === 'ALL'
    ? 'Tout le programme'
    : ((SEGMENT_LABELS as Record<string, string>)[g] ?? (PARTNER_TYPE_LABELS as Record<string, string>)[g] ?? g);

/** The managers' dashboard: the four reports of the API, each with its CSV and a text alternative. */
export default function Dashboard() {
  const [filters, setFilters] = useState({ from: '', to: '', groupBy: '', departement: '', campaign: '' });
  const common = { from: filters.from, to: filters.to, departement: filters.departement, campaign: filters.campaign };
  const funnel = useQuery({
    queryKey: ['funnel', filters],
    queryFn: () => api<{ groups: FunnelGroup[] }>(`/v1/reports/funnel${query({ ...common, groupBy: filters.groupBy })}`),
  });
  const durations = useQuery({
    queryKey: ['durations', filters],
    queryFn: () =>
      api<{ groups: { group: string; stages: Record<string, DurationFigures> }[] }>(
        `/v1/reports/journey-durations${query({ ...common, groupBy: filters.groupBy })}`,
      ),
  });
  const partners = useQuery({
    queryKey: ['partners-report', filters],
    queryFn: () => api<{ partners: PartnerFigures[] }>(`/v1/reports/partners${query(common)}`),
  });
  const overdue = useQuery({
    queryKey: ['overdue', filters],
    queryFn: () =>
      api<ApiPage<OverdueItem>>(
        `/v1/reports/overdue${query({ departement: filters.departement, campaign: filters.campaign, pageSize: 20 })}`,
      ),
  });
  const csv = (report: string, extra: Record<string, string> = {}) =>
    `/v1/reports/${report}${query({ ...common, ...extra, format: 'csv' })}`;

  return (
    <Page title="Pilotage">
      <form
        className="filters card"
        onSubmit={(e) => {
          e.preventDefault();
          const data = Object.fromEntries([...new FormData(e.currentTarget).entries()].map(([k, v]) => [k, String(v)]));
          setFilters({ from: data.from, to: data.to, groupBy: data.groupBy, departement: data.departement, campaign: data.campaign });
        }}
      >
        <div className="field">
          <label htmlFor="from">Du</label>
          <input id="from" name="from" type="date" defaultValue={filters.from} />
        </div>
        <div className="field">
          <label htmlFor="to">Au</label>
          <input id="to" name="to" type="date" defaultValue={filters.to} />
        </div>
        <div className="field">
          <label htmlFor="groupBy">Regrouper par</label>
          <select id="groupBy" name="groupBy" defaultValue={filters.groupBy}>
            {GROUP_BYS.map(([code, label]) => (
              <option key={code} value={code}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="departement">Département</label>
          <input id="departement" name="departement" defaultValue={filters.departement} size={4} />
        </div>
        <div className="field">
          <label htmlFor="campaign">Campagne</label>
          <input id="campaign" name="campaign" defaultValue={filters.campaign} />
        </div>
        <button type="submit">Appliquer</button>
      </form>

      <section aria-labelledby="funnel-title" className="card">
        <h2 id="funnel-title" style={{ marginTop: 0 }}>
          Entonnoir
        </h2>
        <a href={csv('funnel', { groupBy: filters.groupBy })} download>
          Télécharger l'entonnoir (CSV)
        </a>
        <Failure error={funnel.error} />
        {funnel.isPending && <Loading />}
        {funnel.data && <FunnelView groups={funnel.data.groups} />}
      </section>

      <section aria-labelledby="durations-title" className="card">
        <h2 id="durations-title" style={{ marginTop: 0 }}>
          Durée des étapes
        </h2>
        <a href={csv('journey-durations', { groupBy: filters.groupBy })} download>
          Télécharger les durées (CSV)
        </a>
        <Failure error={durations.error} />
        {durations.data && <DurationsView groups={durations.data.groups} />}
      </section>

      <section aria-labelledby="partners-title" className="card">
        <h2 id="partners-title" style={{ marginTop: 0 }}>
          Réactivité des partenaires
        </h2>
        <a href={csv('partners')} download>
          Télécharger la réactivité des partenaires (CSV)
        </a>
        <Failure error={partners.error} />
        {partners.data && <PartnersTable partners={partners.data.partners} />}
      </section>

      <section aria-labelledby="overdue-title" className="card">
        <h2 id="overdue-title" style={{ marginTop: 0 }}>
          Dossiers en retard
        </h2>
        <a href={`/v1/reports/overdue${query({ departement: filters.departement, campaign: filters.campaign, format: 'csv' })}`} download>
          Télécharger les dossiers en retard (CSV)
        </a>
        <Failure error={overdue.error} />
        {overdue.data && (
          <>
            <p>
              <strong data-testid="overdue-total">{overdue.data.total}</strong> dossier(s) en retard.
            </p>
            {overdue.data.items.length > 0 && (
              <div className="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Dossier</th>
                      <th scope="col">Étape</th>
                      <th scope="col">Attendu le</th>
                      <th scope="col">Retard</th>
                      <th scope="col">Dép.</th>
                    </tr>
                  </thead>
                  <tbody>
                    {overdue.data.items.map((o) => (
                      <tr key={o.caseId}>
                        <td>
                          <a href={`/console/dossiers/${o.caseId}`}>{o.caseId.slice(0, 8)}</a>
                        </td>
                        <td>{labelOf(STAGE_LABELS, o.stage)}</td>
                        <td>{dateTime(o.dueAt)}</td>
                        <td>{hours(o.overdueHours)}</td>
                        <td>{o.departement}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </>
        )}
      </section>
    </Page>
  );
}

function FunnelView({ groups }: { groups: FunnelGroup[] }) {
  const series = useMemo(() => groups.map((g) => ({ name: groupLabel(g.group), values: STEPS.map(([k]) => Number(g[k] ?? 0)) })), [groups]);
  const first = groups[0];
  const description = first
    ? `Entonnoir, ${groupLabel(first.group)} : ${STEPS.map(([k, label]) => `${label} ${first[k] as number}`).join(', ')}.`
    : 'Aucune donnée.';
  const categories = useMemo(() => STEPS.map(([, label]) => label), []);
  return (
    <>
      <BarsChart title="Entonnoir" categories={categories} series={series} description={description} />
      <div className="table-wrap">
        <table>
          <caption>Entonnoir : nombre de jeunes à chaque étape et taux de passage depuis l'étape précédente</caption>
          <thead>
            <tr>
              <th scope="col">Groupe</th>
              {STEPS.map(([k, label]) => (
                <th scope="col" key={k}>
                  {label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {groups.map((g) => (
              <tr key={g.group}>
                <th scope="row">{groupLabel(g.group)}</th>
                {STEPS.map(([k]) => (
                  <td key={k} data-testid={`funnel-${k}`}>
                    {g[k] as number}
                    {k !== 'captured' && <span className="muted"> ({percent(g.conversion?.[k]?.fromPrevious)})</span>}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function DurationsView({ groups }: { groups: { group: string; stages: Record<string, DurationFigures> }[] }) {
  const stages = Object.keys(STAGE_LABELS).filter((s) => groups.some((g) => g.stages[s]));
  const first = groups[0];
  const categories = useMemo(() => stages.map((s) => labelOf(STAGE_LABELS, s)), [stages.join()]);
  const series = useMemo(
    () =>
      first
        ? [
            { name: 'Médiane (h)', values: stages.map((s) => first.stages[s]?.p50Hours ?? null) },
            { name: '9 sur 10 en moins de (h)', values: stages.map((s) => first.stages[s]?.p90Hours ?? null) },
          ]
        : [],
    [first, stages.join()],
  );
  if (!first) return <p>Aucune donnée.</p>;
  const description = `Durée des étapes, ${groupLabel(first.group)} : ${stages.map((s) => `${labelOf(STAGE_LABELS, s)} médiane ${hours(first.stages[s]?.p50Hours)}`).join(', ')}.`;
  return (
    <>
      <BarsChart title="Durée des étapes" categories={categories} series={series} description={description} />
      <div className="table-wrap">
        <table>
          <caption>Durée passée dans chaque étape : médiane (p50) et 90e centile (p90)</caption>
          <thead>
            <tr>
              <th scope="col">Groupe</th>
              <th scope="col">Étape</th>
              <th scope="col">Dossiers</th>
              <th scope="col">p50</th>
              <th scope="col">p90</th>
            </tr>
          </thead>
          <tbody>
            {groups.flatMap((g) =>
              stages
                .filter((s) => g.stages[s])
                .map((s) => (
                  <tr key={`${g.group}-${s}`}>
                    <th scope="row">{groupLabel(g.group)}</th>
                    <td>{labelOf(STAGE_LABELS, s)}</td>
                    <td>{g.stages[s].count}</td>
                    <td>{hours(g.stages[s].p50Hours)}</td>
                    <td>{hours(g.stages[s].p90Hours)}</td>
                  </tr>
                )),
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}

type SortKey = 'name' | 'received' | 'accepted' | 'declined' | 'expired' | 'medianHoursToDecision';
function PartnersTable({ partners }: { partners: PartnerFigures[] }) {
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'received', desc: true });
  const rows = [...partners.filter((p) => p.received > 0)].sort((a, b) => {
    const x = a[sort.key] ?? -1;
    const y = b[sort.key] ?? -1;
    const order = typeof x === 'string' ? x.localeCompare(String(y)) : (x as number) - (y as number);
    return sort.desc ? -order : order;
  });
  const header = (key: SortKey, label: string) => (
    <th scope="col" aria-sort={sort.key === key ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
      <button type="button" className="link" onClick={() => setSort({ key, desc: sort.key === key ? !sort.desc : true })}>
        {label}
        {sort.key === key ? (sort.desc ? ' ↓' : ' ↑') : ''}
      </button>
    </th>
  );
  if (rows.length === 0) return <p>Aucune orientation sur la période.</p>;
  return (
    <div className="table-wrap">
      <table>
        <caption className="visually-hidden">Partenaires ayant reçu des orientations ; cliquez un en-tête pour trier</caption>
        <thead>
          <tr>
            {header('name', 'Partenaire')}
            {header('received', 'Reçues')}
            {header('accepted', 'Acceptées')}
            {header('declined', 'Refusées')}
            {header('expired', 'Expirées')}
            {header('medianHoursToDecision', 'Délai médian de réponse')}
          </tr>
        </thead>
        <tbody>
          {rows.map((p) => (
            <tr key={p.partnerId}>
              <td>
                {p.name}{' '}
                <span className="muted">
                  ({labelOf(PARTNER_TYPE_LABELS, p.type)}, {p.departement})
                </span>
              </td>
              <td>{p.received}</td>
              <td>{p.accepted}</td>
              <td>{p.declined}</td>
              <td>{p.expired}</td>
              <td>{hours(p.medianHoursToDecision)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

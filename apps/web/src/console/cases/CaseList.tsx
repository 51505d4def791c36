import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { api, query, type Page as ApiPage } from '../../shared/api';
import { dateTime, labelOf, SEGMENT_LABELS, STAGE_LABELS } from '../../shared/labels';
import { CodeOptions } from '../../shared/CodeOptions';
import { Failure, Loading, Page, Pager } from '../ui';

export interface CaseListItem {
  caseId: string;
  stage: string;
  stageEnteredAt: string;
  segment: string;
  departement: string;
  age: number;
  firstName: string | null;
  lastName: string | null;
  nextActionAt: string | null;
  overdue: boolean;
}

const PAGE_SIZE = 25;

/** The counsellors' work list: filters in the URL (shareable, kept on back), paging, the overdue count. */
export function CaseList() {
  const [params, setParams] = useSearchParams();
  const filters = {
    stage: params.get('stage') ?? '',
    segment: params.get('segment') ?? '',
    departement: params.get('departement') ?? '',
    overdue: params.get('overdue') ?? '',
    q: params.get('q') ?? '',
  };
  const page = Number(params.get('page') ?? 1);
  const list = useQuery({
    queryKey: ['cases', filters, page],
    queryFn: () => api<ApiPage<CaseListItem>>(`/v1/cases${query({ ...filters, page, pageSize: PAGE_SIZE })}`),
    placeholderData: keepPreviousData,
    refetchInterval: 5000,
  });
  const overdue = useQuery({
    queryKey: ['cases', 'overdue-count', filters.stage, filters.segment, filters.departement, filters.q],
    queryFn: () => api<ApiPage<CaseListItem>>(`/v1/cases${query({ ...filters, overdue: true, pageSize: 1 })}`),
    refetchInterval: 5000,
  });

  const set = (change: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(change)) v ? next.set(k, v) : next.delete(k);
    if (!('page' in change)) next.delete('page');
    setParams(next);
  };
  const pages = list.data ? Math.max(1, Math.ceil(list.data.total / PAGE_SIZE)) : 1;

  return (
    <Page title="Dossiers">
      <form
        className="filters card"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          const data = new FormData(e.currentTarget);
          set(Object.fromEntries([...data.entries()].map(([k, v]) => [k, String(v)])));
        }}
      >
        <div className="field">
          <label htmlFor="q">Rechercher</label>
          <input id="q" name="q" type="search" defaultValue={filters.q} placeholder="Nom, e-mail, téléphone" />
        </div>
        <div className="field">
          <label htmlFor="stage">Étape</label>
          <select id="stage" name="stage" defaultValue={filters.stage}>
            <option value="">Toutes</option>
            <CodeOptions labels={STAGE_LABELS} />
          </select>
        </div>
        <div className="field">
          <label htmlFor="segment">Profil</label>
          <select id="segment" name="segment" defaultValue={filters.segment}>
            <option value="">Tous</option>
            <CodeOptions labels={SEGMENT_LABELS} />
          </select>
        </div>
        <div className="field">
          <label htmlFor="departement">Département</label>
          <input id="departement" name="departement" defaultValue={filters.departement} size={4} placeholder="75, 2A, 971…" />
        </div>
        <div className="field">
          <label htmlFor="overdue">En retard</label>
          <select id="overdue" name="overdue" defaultValue={filters.overdue}>
            <option value="">Peu importe</option>
            <option value="true">En retard seulement</option>
            <option value="false">À jour seulement</option>
          </select>
        </div>
        <button type="submit">Filtrer</button>
      </form>

      <p aria-live="polite">
        {list.data && (
          <>
            <strong>{list.data.total}</strong> dossier{list.data.total > 1 ? 's' : ''}
          </>
        )}
        {overdue.data && (
          <>
            {' · '}
            <span className={overdue.data.total ? 'badge late' : 'badge ok'}>{overdue.data.total} en retard</span>
          </>
        )}
      </p>
      <Failure error={list.error} />
      {list.isPending && <Loading />}
      {list.data && (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Dossiers, les plus récents d'abord</caption>
            <thead>
              <tr>
                <th scope="col">Jeune</th>
                <th scope="col">Âge</th>
                <th scope="col">Dép.</th>
                <th scope="col">Profil</th>
                <th scope="col">Étape</th>
                <th scope="col">Depuis</th>
                <th scope="col">Prochaine action</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((c) => (
                <tr key={c.caseId}>
                  <td>
                    <Link to={`/dossiers/${c.caseId}`}>
                      {[c.firstName, c.lastName].filter(Boolean).join(' ') || `Dossier ${c.caseId.slice(0, 8)}`}
                    </Link>
                  </td>
                  <td>{c.age}</td>
                  <td>{c.departement}</td>
                  <td>{labelOf(SEGMENT_LABELS, c.segment)}</td>
                  <td>
                    {labelOf(STAGE_LABELS, c.stage)} {c.overdue && <span className="badge late">en retard</span>}
                  </td>
                  <td>{dateTime(c.stageEnteredAt)}</td>
                  <td>{dateTime(c.nextActionAt)}</td>
                </tr>
              ))}
              {list.data.items.length === 0 && (
                <tr>
                  <td colSpan={7}>Aucun dossier ne correspond à ces filtres.</td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={page} pages={pages} onPage={(n) => set({ page: String(n) })} />
    </Page>
  );
}

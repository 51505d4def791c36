import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, query, type Page as ApiPage } from '../../shared/api';
import { dateTime, labelOf, POLICY_FIELD_LABELS } from '../../shared/labels';
import { Failure, Loading, Pager } from '../ui';
import { policyValueText } from './policy-values.fr';

interface VersionSummary {
  version: number;
  createdBy: string;
  createdAt: string;
  effectiveFrom: string;
  effectiveUntil: string | null;
  current: boolean;
}

interface VersionDetail extends VersionSummary {
  previousVersion: number | null;
  changes: { field: string; from: unknown; to: unknown }[];
}

const PAGE_SIZE = 10;

/** `admin:<userId>` → the user's e-mail when the admin can see it; the migration's first version said plainly. */
function authorOf(createdBy: string, emails: Map<string, string>): string {
  if (createdBy === 'migration') return 'Installation';
  const [role, id] = createdBy.split(':');
  return emails.get(id) ?? (role && id ? `${id} (${role})` : createdBy);
}

/**
 * The policy's history (admin): every version, newest first, and for the one chosen what it changed
 * from the one before. `currentVersion` is the page's: a version saved there refreshes the list.
 */
export function PolicyHistory({ currentVersion }: { currentVersion?: number }) {
  const [page, setPage] = useState(1);
  const [chosen, setChosen] = useState<number>();
  const versions = useQuery({
    queryKey: ['policy', 'versions', page, currentVersion],
    queryFn: () => api<ApiPage<VersionSummary>>(`/v1/policy/versions${query({ page, pageSize: PAGE_SIZE })}`),
    placeholderData: keepPreviousData,
  });
  const users = useQuery({
    queryKey: ['users', 'emails'],
    queryFn: () => api<ApiPage<{ userId: string; email: string }>>('/v1/users?pageSize=200'),
    staleTime: 60_000,
  });
  const emails = new Map(users.data?.items.map((u) => [u.userId, u.email]));
  const shown = chosen ?? versions.data?.items[0]?.version;
  const detail = useQuery({
    queryKey: ['policy', 'version', shown],
    queryFn: () => api<VersionDetail>(`/v1/policy/versions/${shown}`),
    enabled: shown !== undefined,
  });
  const pages = versions.data ? Math.max(1, Math.ceil(versions.data.total / PAGE_SIZE)) : 1;

  return (
    <section className="card" aria-labelledby="policy-history-title">
      <h2 id="policy-history-title" style={{ marginTop: 0 }}>
        Historique des versions
      </h2>
      <Failure error={versions.error} />
      {versions.isPending && <Loading />}
      {versions.data && (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Versions de la politique, de la plus récente à la plus ancienne</caption>
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Pour les parcours commencés</th>
                <th scope="col">Enregistrée par</th>
                <th scope="col">Changements</th>
              </tr>
            </thead>
            <tbody>
              {versions.data.items.map((v) => (
                <tr key={v.version} aria-current={v.version === shown ? 'true' : undefined}>
                  <th scope="row">
                    {v.version}
                    {v.current && <span className="badge ok"> en vigueur</span>}
                  </th>
                  <td>
                    {v.effectiveUntil
                      ? `du ${dateTime(v.effectiveFrom)} au ${dateTime(v.effectiveUntil)}`
                      : `depuis le ${dateTime(v.effectiveFrom)}`}
                  </td>
                  <td>{authorOf(v.createdBy, emails)}</td>
                  <td>
                    <button
                      type="button"
                      className="link"
                      aria-pressed={v.version === shown}
                      aria-controls="policy-changes"
                      onClick={() => setChosen(v.version)}
                    >
                      Voir la version {v.version}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={page} pages={pages} onPage={setPage} label="Pages de l'historique" previous="Plus récentes" next="Plus anciennes" />
      <div id="policy-changes" aria-live="polite" data-testid="policy-changes">
        <Failure error={detail.error} />
        {detail.data && <Changes detail={detail.data} />}
      </div>
    </section>
  );
}

function Changes({ detail }: { detail: VersionDetail }) {
  if (detail.previousVersion === null)
    return (
      <p>
        <strong>Version {detail.version}</strong> : la première version, installée avec le système.
      </p>
    );
  return (
    <>
      <h3>
        Version {detail.version} : ce qui a changé depuis la version {detail.previousVersion}
      </h3>
      {detail.changes.length === 0 ? (
        <p>Rien : cette version reprend la précédente à l'identique.</p>
      ) : (
        <ul>
          {detail.changes.map((change) => (
            <li key={change.field}>
              {labelOf(POLICY_FIELD_LABELS, change.field)} : <del>{policyValueText(change.from)}</del> →{' '}
              <ins>{policyValueText(change.to)}</ins>
              <span className="muted"> ({change.field})</span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ApiFailure, query, type Page as ApiPage } from '../../shared/api';
import { entries, labelOf, PARTNER_TYPE_LABELS } from '../../shared/labels';
import { Failure, failureText, Page } from '../ui';

interface Partner {
  id: string;
  type: string;
  name: string;
  communeCode: string;
  monthlyCapacity: number | null;
  active: boolean;
  contactEmail?: string | null;
}

/** The partner directory (admin): list, activate or deactivate, and the all-or-nothing CSV import with its errors by line. */
export function Partners() {
  const client = useQueryClient();
  const [filters, setFilters] = useState({ q: '', type: '', departement: '' });
  const [page, setPage] = useState(1);
  const list = useQuery({
    queryKey: ['partners', filters, page],
    queryFn: () => api<ApiPage<Partner>>(`/v1/partners${query({ ...filters, page, pageSize: 50 })}`),
    placeholderData: keepPreviousData,
  });
  const toggle = useMutation({
    mutationFn: (p: Partner) => api<Partner>(`/v1/partners/${encodeURIComponent(p.id)}`, { method: 'PATCH', body: { active: !p.active } }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['partners'] }),
  });
  const [csv, setCsv] = useState('');
  const [imported, setImported] = useState<string>();
  const importCsv = useMutation({
    mutationFn: (text: string) => api<Record<string, unknown>>('/v1/partners/import', { method: 'POST', csv: text }),
    onMutate: () => setImported(undefined),
    onSuccess: (result) => {
      setImported(
        `Import réussi : ${Object.entries(result)
          .filter(([, v]) => typeof v === 'number')
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}.`,
      );
      void client.invalidateQueries({ queryKey: ['partners'] });
    },
  });
  const importErrors = importCsv.error instanceof ApiFailure && importCsv.error.status === 400 ? importCsv.error.details : undefined;

  return (
    <Page title="Partenaires">
      <form
        className="filters card"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          const data = Object.fromEntries([...new FormData(e.currentTarget).entries()].map(([k, v]) => [k, String(v)]));
          setFilters({ q: data.q, type: data.type, departement: data.departement });
          setPage(1);
        }}
      >
        <div className="field">
          <label htmlFor="q">Nom</label>
          <input id="q" name="q" type="search" />
        </div>
        <div className="field">
          <label htmlFor="type">Type</label>
          <select id="type" name="type">
            <option value="">Tous</option>
            {entries(PARTNER_TYPE_LABELS).map(([code, label]) => (
              <option key={code} value={code}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="departement">Département</label>
          <input id="departement" name="departement" size={4} />
        </div>
        <button type="submit">Filtrer</button>
      </form>
      <Failure error={list.error ?? toggle.error} />
      {list.data && (
        <>
          <p>{list.data.total} partenaire(s)</p>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Identifiant</th>
                  <th scope="col">Nom</th>
                  <th scope="col">Type</th>
                  <th scope="col">Commune</th>
                  <th scope="col">Places / mois</th>
                  <th scope="col">Actif</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((p) => (
                  <tr key={p.id}>
                    <td>{p.id}</td>
                    <td>{p.name}</td>
                    <td>{labelOf(PARTNER_TYPE_LABELS, p.type)}</td>
                    <td>{p.communeCode}</td>
                    <td>{p.monthlyCapacity ?? '—'}</td>
                    <td>
                      <button
                        type="button"
                        className="link"
                        onClick={() => toggle.mutate(p)}
                        aria-label={`${p.active ? 'Désactiver' : 'Activer'} ${p.name}`}
                      >
                        {p.active ? 'Oui (désactiver)' : 'Non (activer)'}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <nav aria-label="Pages" className="actions">
            <button type="button" className="secondary" disabled={page <= 1} onClick={() => setPage(page - 1)}>
              Page précédente
            </button>
            <button type="button" className="secondary" disabled={page * 50 >= list.data.total} onClick={() => setPage(page + 1)}>
              Page suivante
            </button>
          </nav>
        </>
      )}

      <section className="card" aria-labelledby="import-title">
        <h2 id="import-title" style={{ marginTop: 0 }}>
          Importer un annuaire (CSV)
        </h2>
        <p className="hint">Mêmes colonnes que le fichier d'amorçage. Tout ou rien : une ligne en erreur et rien n'est importé.</p>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (csv.trim()) importCsv.mutate(csv);
          }}
        >
          <div className="field">
            <label htmlFor="csv-file">Fichier CSV</label>
            <input
              id="csv-file"
              type="file"
              accept=".csv,text/csv"
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (file) void file.text().then(setCsv);
              }}
            />
          </div>
          <button type="submit" disabled={!csv.trim() || importCsv.isPending}>
            Importer
          </button>
        </form>
        <div aria-live="polite">{imported && <p className="success">{imported}</p>}</div>
        {importErrors ? (
          <div className="alert" role="alert">
            <p style={{ marginTop: 0 }}>
              <strong>Rien n'a été importé</strong> : {importErrors.length} erreur(s) à corriger.
            </p>
            <ul data-testid="import-errors">
              {importErrors.map((d, i) => (
                <li key={i}>
                  {d.field.replace(/^line (\d+), column (.+)$/, 'Ligne $1, colonne $2').replace(/^line (\d+)$/, 'Ligne $1')} : {d.message}
                </li>
              ))}
            </ul>
          </div>
        ) : (
          importCsv.error && (
            <p className="alert" role="alert">
              {failureText(importCsv.error)}
            </p>
          )
        )}
      </section>
    </Page>
  );
}

import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { api, ApiFailure, query, type Page as ApiPage } from '../../shared/api';
import { DIPLOMA_LABELS, entries, labelOf, PARTNER_TYPE_LABELS, WISH_LABELS } from '../../shared/labels';
import { CodeOptions } from '../../shared/CodeOptions';
import { errorProps, FieldError, fieldErrors, FormFailure } from '../fields';
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
  const [editing, setEditing] = useState<string>();
  const [saved, setSaved] = useState<string>();
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
            <CodeOptions labels={PARTNER_TYPE_LABELS} />
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
                  <th scope="col">
                    <span className="visually-hidden">Modifier</span>
                  </th>
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
                    <td>
                      <button
                        type="button"
                        className="link"
                        aria-label={`Modifier ${p.name}`}
                        onClick={() => {
                          setSaved(undefined);
                          setEditing(p.id);
                        }}
                      >
                        Modifier
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

      <div aria-live="polite">{saved && <p className="success">{saved}</p>}</div>
      {editing && (
        <PartnerEditor
          key={editing}
          id={editing}
          onClose={() => setEditing(undefined)}
          onSaved={(p) => {
            setEditing(undefined);
            setSaved(`Partenaire « ${p.name} » enregistré.`);
            void client.invalidateQueries({ queryKey: ['partners'] });
          }}
        />
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

/** The whole partner, as `GET /v1/partners/{id}` answers it. */
interface PartnerDetail extends Partner {
  departement: string;
  zones: { kind: string; code: string }[];
  minAge: number;
  maxAge: number;
  diplomaLevels: string[];
  wishes: string[];
  contactEmail: string;
  referralExpiresAfter: string | null;
}

/** Zones written as in the CSV file: `KIND:code`, separated by `|` or spaces. */
const zonesText = (zones: PartnerDetail['zones']) => zones.map((z) => `${z.kind}:${z.code}`).join(' | ');
const zonesOf = (text: string) =>
  text
    .split(/[|\s]+/)
    .filter(Boolean)
    .map((z) => {
      const [kind, ...code] = z.split(':');
      return { kind: kind.toUpperCase(), code: code.join(':') };
    });

/**
 * Edits a partner with `PATCH /v1/partners/{id}`, sending only the fields that changed; the API's
 * refusals are shown next to their fields.
 */
function PartnerEditor({ id, onClose, onSaved }: { id: string; onClose: () => void; onSaved: (p: PartnerDetail) => void }) {
  const detail = useQuery({ queryKey: ['partner', id], queryFn: () => api<PartnerDetail>(`/v1/partners/${encodeURIComponent(id)}`) });
  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) => api<PartnerDetail>(`/v1/partners/${encodeURIComponent(id)}`, { method: 'PATCH', body }),
    onSuccess: onSaved,
  });
  if (detail.isPending) return <p role="status">Chargement du partenaire…</p>;
  if (detail.error) return <Failure error={detail.error} />;
  return <PartnerForm partner={detail.data} onClose={onClose} busy={save.isPending} error={save.error} onSubmit={(b) => save.mutate(b)} />;
}

function PartnerForm({
  partner,
  busy,
  error,
  onSubmit,
  onClose,
}: {
  partner: PartnerDetail;
  busy: boolean;
  error: unknown;
  onSubmit: (body: Record<string, unknown>) => void;
  onClose: () => void;
}) {
  const [v, setV] = useState({
    name: partner.name,
    type: partner.type,
    communeCode: partner.communeCode,
    contactEmail: partner.contactEmail,
    monthlyCapacity: String(partner.monthlyCapacity ?? ''),
    minAge: String(partner.minAge),
    maxAge: String(partner.maxAge),
    zones: zonesText(partner.zones),
    referralExpiresAfter: partner.referralExpiresAfter ?? '',
  });
  // The editor opens below the list: its title takes the focus, which brings it into view.
  const title = useRef<HTMLHeadingElement>(null);
  useEffect(() => title.current?.focus(), []);
  const [diplomaLevels, setDiplomaLevels] = useState(partner.diplomaLevels);
  const [wishes, setWishes] = useState(partner.wishes);
  const errors = fieldErrors(error);
  const set = (field: keyof typeof v) => (e: { target: { value: string } }) => setV({ ...v, [field]: e.target.value });
  const toggle = (list: string[], code: string) => (list.includes(code) ? list.filter((c) => c !== code) : [...list, code]);
  const same = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));
  /** A number field: sent as a number when it reads as one, else as typed (the API says why not). */
  const num = (text: string) => (text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text);

  const changes = () => {
    const body: Record<string, unknown> = {};
    for (const field of ['name', 'type', 'communeCode', 'contactEmail'] as const)
      if (v[field].trim() !== partner[field]) body[field] = v[field].trim();
    for (const field of ['monthlyCapacity', 'minAge', 'maxAge'] as const)
      if (v[field].trim() !== String(partner[field] ?? '')) body[field] = num(v[field]);
    if (v.zones.trim() !== zonesText(partner.zones)) body.zones = zonesOf(v.zones);
    if (v.referralExpiresAfter.trim() !== (partner.referralExpiresAfter ?? ''))
      body.referralExpiresAfter = v.referralExpiresAfter.trim() || null;
    if (!same(diplomaLevels, partner.diplomaLevels)) body.diplomaLevels = diplomaLevels;
    if (!same(wishes, partner.wishes)) body.wishes = wishes;
    return body;
  };
  const text = (field: keyof typeof v, label: string, props: React.InputHTMLAttributes<HTMLInputElement> = {}, hint?: string) => (
    <div className="field">
      <label htmlFor={`partner-${field}`}>{label}</label>
      {hint && (
        <p className="hint" id={`partner-${field}-hint`}>
          {hint}
        </p>
      )}
      <input
        id={`partner-${field}`}
        value={v[field]}
        onChange={set(field)}
        {...props}
        {...(hint ? { 'aria-describedby': `partner-${field}-hint` } : {})}
        {...errorProps(errors, field, `partner-${field}`)}
        {...(hint && errors[field] ? { 'aria-describedby': `partner-${field}-hint partner-${field}-error` } : {})}
      />
      <FieldError errors={errors} field={field} id={`partner-${field}`} />
    </div>
  );
  const boxes = (
    field: 'diplomaLevels' | 'wishes',
    legend: string,
    labels: Record<string, string>,
    list: string[],
    setList: (l: string[]) => void,
  ) => (
    <fieldset {...(errors[field] ? { 'aria-describedby': `partner-${field}-error` } : {})}>
      <legend>{legend}</legend>
      {entries(labels).map(([code, label]) => (
        <div className="choice" key={code}>
          <input
            type="checkbox"
            id={`partner-${field}-${code}`}
            checked={list.includes(code)}
            onChange={() => setList(toggle(list, code))}
          />
          <label htmlFor={`partner-${field}-${code}`}>{label}</label>
        </div>
      ))}
      <FieldError errors={errors} field={field} id={`partner-${field}`} />
    </fieldset>
  );

  return (
    <section className="card" aria-labelledby="partner-edit-title">
      <h2 id="partner-edit-title" style={{ marginTop: 0 }} tabIndex={-1} ref={title}>
        Modifier {partner.name} <span className="muted">({partner.id})</span>
      </h2>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const body = changes();
          if (Object.keys(body).length === 0) onClose();
          else onSubmit(body);
        }}
      >
        <FormFailure error={error} errors={errors} />
        <div className="grid">
          <div>
            {text('name', 'Nom')}
            <div className="field">
              <label htmlFor="partner-type">Type</label>
              <select id="partner-type" value={v.type} onChange={set('type')} {...errorProps(errors, 'type', 'partner-type')}>
                <CodeOptions labels={PARTNER_TYPE_LABELS} />
              </select>
              <FieldError errors={errors} field="type" id="partner-type" />
            </div>
            {text('communeCode', 'Code INSEE de la commune')}
            {text('contactEmail', 'E-mail de contact', { type: 'email' })}
            {text('monthlyCapacity', 'Places par mois', { inputMode: 'numeric' }, '0 met le partenaire en pause.')}
            {text('minAge', 'Âge minimum', { inputMode: 'numeric' })}
            {text('maxAge', 'Âge maximum', { inputMode: 'numeric' })}
            {text('zones', 'Zones de recrutement', {}, 'Comme dans le fichier CSV : DEPARTEMENT:75 | COMMUNE:75056.')}
            {text(
              'referralExpiresAfter',
              'Délai de réponse propre (facultatif)',
              {},
              'Durée ISO 8601, par exemple P14D ; vide : celui de la politique.',
            )}
          </div>
          <div>
            {boxes('diplomaLevels', 'Diplômes acceptés', DIPLOMA_LABELS, diplomaLevels, setDiplomaLevels)}
            {boxes('wishes', 'Projets accompagnés', WISH_LABELS, wishes, setWishes)}
          </div>
        </div>
        <div className="actions">
          <button type="submit" disabled={busy}>
            Enregistrer le partenaire
          </button>
          <button type="button" className="secondary" onClick={onClose}>
            Annuler
          </button>
        </div>
      </form>
    </section>
  );
}

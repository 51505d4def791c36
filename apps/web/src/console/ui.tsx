import { useEffect, useRef, type ReactNode } from 'react';
import { ApiFailure } from '../shared/api';
import { frenchConflict } from './conflict-messages.fr';

/** The French sentence for a failed call: what the API said, never swallowed. */
export function failureText(err: unknown): string {
  if (!(err instanceof ApiFailure)) return (err as Error)?.message ?? 'Erreur inconnue.';
  if (err.status === 409) return frenchConflict(err.message);
  if (err.status === 404) return "Introuvable : cet élément n'existe pas ou ne vous est pas accessible.";
  if (err.status === 403) return `Vous n'avez pas le droit de faire cela (${err.message}).`;
  if (err.status === 400) return `Données refusées : ${err.details.map((d) => `${d.field} ${d.message}`).join(' ; ') || err.message}`;
  if (err.status === 0) return err.message;
  return `Erreur du serveur (${err.status}) : ${err.message}`;
}

export function Failure({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <div className="alert" role="alert">
      {failureText(error)}
    </div>
  );
}

/** A draft policy's problems: the JSON that does not parse, or the API's refusal field by field. */
export function DraftErrors({
  id,
  parseError,
  details,
}: {
  id?: string;
  parseError?: string;
  details: { field: string; message: string }[];
}) {
  return (
    <div id={id} role="alert">
      {parseError && <p className="error">{parseError}</p>}
      {details.length > 0 && (
        <ul className="error">
          {details.map((d, i) => (
            <li key={i}>
              {d.field} : {d.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Previous / next page of a list, with where the reader is. */
export function Pager({
  page,
  pages,
  onPage,
  label = 'Pages',
  previous = 'Page précédente',
  next = 'Page suivante',
}: {
  page: number;
  pages: number;
  onPage: (page: number) => void;
  label?: string;
  previous?: string;
  next?: string;
}) {
  if (pages <= 1) return null;
  return (
    <nav aria-label={label} className="actions">
      <button type="button" className="secondary" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        {previous}
      </button>
      <span>
        Page {page} sur {pages}
      </span>
      <button type="button" className="secondary" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        {next}
      </button>
    </nav>
  );
}

export function Loading({ what = 'Chargement…' }: { what?: string }) {
  return <p role="status">{what}</p>;
}

/** A page: its title gets the focus when the page changes (keyboard and screen reader users start there). */
export function Page({ title, children, actions }: { title: string; children: ReactNode; actions?: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Walt`;
    heading.current?.focus();
  }, [title]);
  return (
    <>
      <div style={{ display: 'flex', flexWrap: 'wrap', justifyContent: 'space-between', alignItems: 'baseline', gap: '1rem' }}>
        <h1 tabIndex={-1} ref={heading}>
          {title}
        </h1>
        {actions}
      </div>
      {children}
    </>
  );
}

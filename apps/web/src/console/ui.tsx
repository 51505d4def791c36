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

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, ApiFailure } from '../../shared/api';
import { DraftErrors, Failure, Loading, Page } from '../ui';
import { PolicyHistory } from './PolicyHistory';
import { PolicySimulation } from './PolicySimulation';

/** The journey policy (admin): the current version, edited as a new version for journeys started afterwards. */
export function Policy() {
  const client = useQueryClient();
  const current = useQuery({ queryKey: ['policy'], queryFn: () => api<{ version: number } & Record<string, unknown>>('/v1/policy') });
  const [text, setText] = useState('');
  const [saved, setSaved] = useState<string>();
  useEffect(() => {
    if (current.data) {
      const { version: _version, ...body } = current.data;
      void _version;
      setText(JSON.stringify(body, null, 2));
    }
  }, [current.data]);
  const [parseError, setParseError] = useState<string>();
  const save = useMutation({
    mutationFn: (body: unknown) => api<{ version: number }>('/v1/policy', { method: 'PUT', body }),
    onMutate: () => setSaved(undefined),
    onSuccess: (policy) => {
      setSaved(`Version ${policy.version} enregistrée : elle s'applique aux parcours qui commencent à partir de maintenant.`);
      client.setQueryData(['policy'], policy);
    },
  });
  const details = save.error instanceof ApiFailure ? save.error.details : [];

  if (current.isPending) return <Loading />;
  return (
    <Page title="Politique des parcours">
      <Failure error={current.error} />
      {current.data && (
        <p>
          Version en vigueur : <strong>{current.data.version}</strong>. Les parcours en cours gardent la version avec laquelle ils ont
          commencé.
        </p>
      )}
      <form
        className="card"
        onSubmit={(e) => {
          e.preventDefault();
          try {
            setParseError(undefined);
            save.mutate(JSON.parse(text));
          } catch {
            setParseError("Ce n'est pas du JSON valide.");
          }
        }}
      >
        <div className="field">
          <label htmlFor="policy">Politique (JSON ; durées ISO 8601, par exemple P2D pour 2 jours)</label>
          <textarea
            id="policy"
            rows={18}
            style={{ fontFamily: 'monospace', maxWidth: '48rem' }}
            value={text}
            onChange={(e) => setText(e.target.value)}
            aria-invalid={parseError || details.length ? true : undefined}
            aria-describedby={parseError || details.length ? 'policy-errors' : undefined}
          />
        </div>
        <DraftErrors id="policy-errors" parseError={parseError} details={details} />
        {!details.length && <Failure error={save.error} />}
        <button type="submit" disabled={save.isPending}>
          Enregistrer comme nouvelle version
        </button>
        <div aria-live="polite">{saved && <p className="success">{saved}</p>}</div>
      </form>
      <PolicySimulation draftText={text} />
      <PolicyHistory currentVersion={current.data?.version} />
    </Page>
  );
}

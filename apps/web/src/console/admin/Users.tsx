import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../shared/api';
import { entries, labelOf, ROLE_LABELS } from '../../shared/labels';
import { Failure, Loading, Page } from '../ui';

interface User {
  userId: string;
  email: string;
  role: string;
  territories?: string[];
  partnerId?: string;
  active: boolean;
}

/** Console users (admin): who may sign in, with which role, territories or structure. */
export function Users() {
  const client = useQueryClient();
  const list = useQuery({ queryKey: ['users'], queryFn: () => api<{ items: User[] }>('/v1/users') });
  const [email, setEmail] = useState('');
  const [role, setRole] = useState('counsellor');
  const [territories, setTerritories] = useState('');
  const [partnerId, setPartnerId] = useState('');
  const [said, setSaid] = useState<string>();
  const refresh = () => client.invalidateQueries({ queryKey: ['users'] });
  const create = useMutation({
    mutationFn: () =>
      api<User>('/v1/users', {
        method: 'POST',
        body: {
          email: email.trim(),
          role,
          ...(role === 'counsellor' && territories.trim() ? { territories: territories.split(/[\s,;]+/).filter(Boolean) } : {}),
          ...(role === 'partner' ? { partnerId: partnerId.trim() } : {}),
        },
      }),
    onMutate: () => setSaid(undefined),
    onSuccess: (user) => {
      setSaid(`${user.email} peut maintenant se connecter (lien par e-mail depuis la page de connexion).`);
      setEmail('');
      void refresh();
    },
  });
  const toggle = useMutation({
    mutationFn: (u: User) => api<User>(`/v1/users/${u.userId}`, { method: 'PATCH', body: { active: !u.active } }),
    onSuccess: () => void refresh(),
  });

  return (
    <Page title="Utilisateurs">
      <form
        className="card"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <h2 style={{ marginTop: 0 }}>Ajouter un utilisateur</h2>
        <div className="field">
          <label htmlFor="user-email">Adresse e-mail</label>
          <input id="user-email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="user-role">Rôle</label>
          <select id="user-role" value={role} onChange={(e) => setRole(e.target.value)}>
            {entries(ROLE_LABELS).map(([code, label]) => (
              <option key={code} value={code}>
                {label}
              </option>
            ))}
          </select>
        </div>
        {role === 'counsellor' && (
          <div className="field">
            <label htmlFor="user-territories">Départements suivis (vide : tous)</label>
            <input id="user-territories" value={territories} onChange={(e) => setTerritories(e.target.value)} placeholder="75, 93, 971" />
          </div>
        )}
        {role === 'partner' && (
          <div className="field">
            <label htmlFor="user-partner">Identifiant de la structure</label>
            <input id="user-partner" value={partnerId} onChange={(e) => setPartnerId(e.target.value)} placeholder="ml-75-01" />
          </div>
        )}
        <Failure error={create.error} />
        <button type="submit" disabled={create.isPending || !email.trim()}>
          Ajouter
        </button>
        <div aria-live="polite">{said && <p className="success">{said}</p>}</div>
      </form>
      <Failure error={list.error ?? toggle.error} />
      {list.isPending && <Loading />}
      {list.data && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">E-mail</th>
                <th scope="col">Rôle</th>
                <th scope="col">Périmètre</th>
                <th scope="col">Actif</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((u) => (
                <tr key={u.userId}>
                  <td>{u.email}</td>
                  <td>{labelOf(ROLE_LABELS, u.role)}</td>
                  <td>{u.partnerId ?? u.territories?.join(', ') ?? 'Tout'}</td>
                  <td>
                    <button
                      type="button"
                      className="link"
                      onClick={() => toggle.mutate(u)}
                      aria-label={`${u.active ? 'Désactiver' : 'Réactiver'} ${u.email}`}
                    >
                      {u.active ? 'Oui (désactiver)' : 'Non (réactiver)'}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}

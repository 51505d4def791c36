import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../../shared/api';
import {
  BARRIER_LABELS,
  CHECK_IN_LABELS,
  CLOSURE_REASON_LABELS,
  CONTACT_CHANNEL_LABELS,
  DECLINE_REASON_LABELS,
  DIPLOMA_LABELS,
  dateTime,
  entries,
  labelOf,
  OUTCOME_LABELS,
  REFERRAL_STATUS_LABELS,
  SEGMENT_LABELS,
  SITUATION_LABELS,
  STAGE_LABELS,
  WISH_LABELS,
} from '../../shared/labels';
import { CodeOptions } from '../../shared/CodeOptions';
import { errorProps, FieldError, fieldErrors, FormFailure } from '../fields';
import { Failure, Loading, Page } from '../ui';
import { Matches } from './Matches';

interface CaseView {
  caseId: string;
  stage: string;
  stageEnteredAt: string;
  segment: string;
  eligible: boolean;
  closure?: { reason: string; outcome?: string };
  counsellorId: string | null;
  profile: {
    firstName: string | null;
    lastName: string | null;
    birthDate: string | null;
    email: string | null;
    phone: string | null;
    postalCode: string;
    departement: string;
    diplomaLevel: string;
    situation: string;
    barriers: string[];
    wishes: string[];
    consent: { shareWithPartners: boolean; channels: string[] };
    source: { channel: string; campaign?: string };
  };
  referrals: {
    referralId: string;
    partnerName: string | null;
    partnerId: string;
    attempt: number;
    status: string;
    reason?: string;
    comment?: string;
    sentAt: string;
    dueAt: string;
    decidedAt?: string;
    appointmentAt?: string;
  }[];
  checkIns: { seq: number; dueAt: string; at?: string; status?: string; note?: string }[];
  messages: { purpose: string; channel: string; status: string; at: string }[];
}
interface TimelineEvent {
  at: string;
  type: string;
  actor: string;
  data: Record<string, unknown>;
}

const EVENT_LABELS: Record<string, string> = {
  CAPTURED: 'Demande reçue',
  STAGE_CHANGED: "Changement d'étape",
  CONTACT_LOGGED: 'Contact enregistré',
  NUDGE_SENT: 'Relance envoyée',
  MATCHED: 'Partenaires proposés',
  REFERRAL_SENT: 'Orientation envoyée',
  REFERRAL_ACCEPTED: 'Orientation acceptée',
  REFERRAL_DECLINED: 'Orientation refusée',
  REFERRAL_EXPIRED: 'Orientation expirée',
  NOTE_ADDED: 'Note ajoutée',
  PAUSED: 'Mis en pause',
  RESUMED: 'Repris',
  CLOSED: 'Clôturé',
  PATHWAY_STARTED: 'Parcours commencé',
  CHECK_IN_RECORDED: 'Point de suivi',
  YOUTH_REPLIED: 'Le jeune a répondu',
  MESSAGE_QUEUED: 'Message programmé',
  PROFILE_UPDATED: 'Profil modifié',
  REFERRAL_REMINDED: 'Relance du partenaire',
  REFERRAL_WITHDRAWN: 'Orientation retirée',
  ATTENDANCE_RECORDED: 'Présence au rendez-vous',
  OUTCOME_REPORTED: 'Sortie déclarée',
  ESCALATED: 'Transmis à un conseiller',
  MESSAGE_FAILED: 'Message non distribué',
  SMS_OPT_OUT: 'STOP SMS',
  PERSONAL_DATA_ERASED: 'Données personnelles effacées',
};

const eventText = (e: TimelineEvent) => {
  const label = EVENT_LABELS[e.type] ?? e.type;
  if (e.type === 'STAGE_CHANGED')
    return `${label} : ${labelOf(STAGE_LABELS, String(e.data.from ?? ''))} → ${labelOf(STAGE_LABELS, String(e.data.to ?? ''))}`;
  return label;
};

/** The case page: follows the journey live (polled each second), every action answered by the new state. */
export function CasePage() {
  const { caseId = '' } = useParams();
  const client = useQueryClient();
  const view = useQuery({ queryKey: ['case', caseId], queryFn: () => api<CaseView>(`/v1/cases/${caseId}`), refetchInterval: 1000 });
  const timeline = useQuery({
    queryKey: ['case', caseId, 'timeline'],
    queryFn: () => api<TimelineEvent[]>(`/v1/cases/${caseId}/timeline`),
    refetchInterval: 2000,
  });
  const [done, setDone] = useState<string>();
  const [editing, setEditing] = useState(false);
  const act = useMutation({
    mutationFn: ({ path, body, method = 'POST' }: { path: string; body: unknown; said: string; form?: string; method?: string }) =>
      api<CaseView>(`/v1/cases/${caseId}/${path}`, { method, body }),
    onSuccess: (updated, { said, form }) => {
      client.setQueryData(['case', caseId], updated);
      if (form === 'profile') setEditing(false);
      void client.invalidateQueries({ queryKey: ['case', caseId, 'timeline'] });
      setDone(said);
    },
    onMutate: () => setDone(undefined),
  });

  if (view.isPending) return <Loading />;
  if (view.error && !view.data)
    return (
      <Page title="Dossier">
        <Failure error={view.error} />
        <Link to="/dossiers">Retour aux dossiers</Link>
      </Page>
    );
  const c = view.data!;
  const p = c.profile;
  const name = [p.firstName, p.lastName].filter(Boolean).join(' ') || 'Identité effacée';
  /** The error of the last action, for the form that sent it (its fields show the details). */
  const failedIn = (form: string) => (act.variables?.form === form ? act.error : null);
  const open = c.stage !== 'CLOSED';
  const checkInsOpen = c.stage === 'IN_PATHWAY' || (c.stage === 'NEEDS_COUNSELLOR' && c.checkIns.length > 0);

  return (
    <Page title={name} actions={<Link to="/dossiers">← Tous les dossiers</Link>}>
      <p>
        Étape : <strong data-testid="stage">{labelOf(STAGE_LABELS, c.stage)}</strong> depuis le {dateTime(c.stageEnteredAt)}
        {c.closure &&
          ` · ${labelOf(CLOSURE_REASON_LABELS, c.closure.reason)}${c.closure.outcome ? ` (${labelOf(OUTCOME_LABELS, c.closure.outcome)})` : ''}`}
      </p>
      <div aria-live="polite">{done && <p className="success">{done}</p>}</div>
      {/* A form's own failure is said in the form; the others here. */}
      <Failure error={act.variables?.form ? null : act.error} />

      <div className="grid">
        <section className="card" aria-labelledby="profile-title">
          <h2 id="profile-title" style={{ marginTop: 0 }}>
            Profil
          </h2>
          {editing ? (
            <ProfileForm
              profile={p}
              busy={act.isPending}
              error={failedIn('profile')}
              onCancel={() => setEditing(false)}
              onSubmit={(body) => act.mutate({ path: 'profile', method: 'PATCH', body, said: 'Profil modifié.', form: 'profile' })}
            />
          ) : (
            <dl className="facts">
              <dt>Né(e) le</dt>
              <dd>{p.birthDate ?? '—'}</dd>
              <dt>E-mail</dt>
              <dd>{p.email ?? '—'}</dd>
              <dt>Téléphone</dt>
              <dd>{p.phone ?? '—'}</dd>
              <dt>Code postal</dt>
              <dd>
                {p.postalCode} ({p.departement})
              </dd>
              <dt>Diplôme</dt>
              <dd>{labelOf(DIPLOMA_LABELS, p.diplomaLevel)}</dd>
              <dt>Situation</dt>
              <dd>{labelOf(SITUATION_LABELS, p.situation)}</dd>
              <dt>Souhaits</dt>
              <dd>{p.wishes.map((w) => labelOf(WISH_LABELS, w)).join(', ') || '—'}</dd>
              <dt>Freins</dt>
              <dd>{p.barriers.map((b) => labelOf(BARRIER_LABELS, b)).join(', ') || '—'}</dd>
              <dt>Profil</dt>
              <dd>{labelOf(SEGMENT_LABELS, c.segment)}</dd>
              <dt>Source</dt>
              <dd>
                {p.source.channel}
                {p.source.campaign && ` · ${p.source.campaign}`}
              </dd>
            </dl>
          )}
          {!editing && open && p.firstName !== null && (
            <button type="button" className="secondary" onClick={() => setEditing(true)}>
              Modifier le profil
            </button>
          )}
        </section>
        <ContactForm onSubmit={(body) => act.mutate({ path: 'contacts', body, said: 'Contact enregistré.' })} busy={act.isPending} />
        <section className="card" aria-labelledby="more-title">
          <h2 id="more-title" style={{ marginTop: 0 }}>
            Autres actions
          </h2>
          <NoteForm onSubmit={(text) => act.mutate({ path: 'notes', body: { text }, said: 'Note ajoutée.' })} busy={act.isPending} />
          <div className="actions">
            {c.stage === 'PAUSED' ? (
              <button type="button" className="secondary" onClick={() => act.mutate({ path: 'resume', body: {}, said: 'Dossier repris.' })}>
                Reprendre
              </button>
            ) : null}
            {c.stage === 'NEEDS_COUNSELLOR' || c.stage === 'MATCHING' ? (
              <button
                type="button"
                className="secondary"
                onClick={() => act.mutate({ path: 'rematch', body: {}, said: 'Nouvelle recherche de partenaire lancée.' })}
              >
                Chercher un autre partenaire
              </button>
            ) : null}
          </div>
          {open && c.stage !== 'PAUSED' && (
            <PauseForm
              busy={act.isPending}
              error={failedIn('pause')}
              onSubmit={(body) => act.mutate({ path: 'pause', body, said: 'Dossier mis en pause.', form: 'pause' })}
            />
          )}
          {open && <CloseForm onSubmit={(body) => act.mutate({ path: 'close', body, said: 'Dossier clôturé.' })} busy={act.isPending} />}
        </section>
      </div>

      <section aria-labelledby="referrals-title">
        <h2 id="referrals-title">Orientations</h2>
        {c.referrals.length === 0 ? (
          <p>Aucune orientation pour l'instant.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">Partenaire</th>
                  <th scope="col">Statut</th>
                  <th scope="col">Envoyée</th>
                  <th scope="col">Réponse attendue avant</th>
                  <th scope="col">Rendez-vous</th>
                </tr>
              </thead>
              <tbody>
                {c.referrals.map((r) => (
                  <tr key={r.referralId}>
                    <td>{r.attempt}</td>
                    <td>{r.partnerName ?? r.partnerId}</td>
                    <td data-testid="referral-status">
                      {labelOf(REFERRAL_STATUS_LABELS, r.status)}
                      {r.reason && ` (${labelOf(DECLINE_REASON_LABELS, r.reason)}${r.comment ? ` : ${r.comment}` : ''})`}
                    </td>
                    <td>{dateTime(r.sentAt)}</td>
                    <td>{dateTime(r.dueAt)}</td>
                    <td>{dateTime(r.appointmentAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {c.stage !== 'CLOSED' && (
        <Matches
          caseId={caseId}
          busy={act.isPending}
          onRefer={(partnerId) => act.mutate({ path: 'referrals', body: { partnerId }, said: 'Orientation envoyée.' })}
        />
      )}

      <div className="grid">
        <section aria-labelledby="checkins-title">
          <h2 id="checkins-title">Points de suivi</h2>
          {c.checkIns.length === 0 ? (
            <p>Aucun point de suivi prévu.</p>
          ) : (
            <ul>
              {c.checkIns.map((k) => (
                <li key={k.seq}>
                  Prévu le {dateTime(k.dueAt)} : {k.status ? `${labelOf(CHECK_IN_LABELS, k.status)} (${dateTime(k.at)})` : 'à faire'}
                </li>
              ))}
            </ul>
          )}
          {checkInsOpen && (
            <CheckInForm
              busy={act.isPending}
              error={failedIn('check-in')}
              onSubmit={(body) => act.mutate({ path: 'check-ins', body, said: 'Point de suivi enregistré.', form: 'check-in' })}
            />
          )}
        </section>
        <section aria-labelledby="messages-title">
          <h2 id="messages-title">Messages</h2>
          {c.messages.length === 0 ? (
            <p>Aucun message.</p>
          ) : (
            <ul>
              {c.messages.map((m, i) => (
                <li key={i}>
                  {dateTime(m.at)} · {m.channel} · {m.purpose} · <span className="badge">{m.status}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>

      <section aria-labelledby="timeline-title">
        <h2 id="timeline-title">Historique</h2>
        <Failure error={timeline.error} />
        <ol className="timeline">
          {(timeline.data ?? []).map((e, i) => (
            <li key={i}>
              <strong>{eventText(e)}</strong>
              <br />
              <span className="muted">
                {dateTime(e.at)} · {e.actor}
              </span>
            </li>
          ))}
        </ol>
      </section>
    </Page>
  );
}

function ContactForm({
  onSubmit,
  busy,
}: {
  onSubmit: (body: { channel: string; reached: boolean; note?: string }) => void;
  busy: boolean;
}) {
  const [channel, setChannel] = useState('PHONE');
  const [reached, setReached] = useState(true);
  const [note, setNote] = useState('');
  return (
    <form
      className="card"
      aria-labelledby="contact-title"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit({ channel, reached, ...(note.trim() ? { note: note.trim() } : {}) });
        setNote('');
      }}
    >
      <h2 id="contact-title" style={{ marginTop: 0 }}>
        Enregistrer un contact
      </h2>
      <div className="field">
        <label htmlFor="contact-channel">Moyen</label>
        <select id="contact-channel" value={channel} onChange={(e) => setChannel(e.target.value)}>
          <CodeOptions labels={CONTACT_CHANNEL_LABELS} />
        </select>
      </div>
      <fieldset>
        <legend>Résultat</legend>
        <div className="choice">
          <input type="radio" id="reached-yes" name="reached" checked={reached} onChange={() => setReached(true)} />
          <label htmlFor="reached-yes">Jeune joint</label>
        </div>
        <div className="choice">
          <input type="radio" id="reached-no" name="reached" checked={!reached} onChange={() => setReached(false)} />
          <label htmlFor="reached-no">Pas de réponse</label>
        </div>
      </fieldset>
      <div className="field">
        <label htmlFor="contact-note">Note (facultatif)</label>
        <textarea id="contact-note" value={note} onChange={(e) => setNote(e.target.value)} />
      </div>
      <button type="submit" disabled={busy}>
        Enregistrer le contact
      </button>
    </form>
  );
}

function NoteForm({ onSubmit, busy }: { onSubmit: (text: string) => void; busy: boolean }) {
  const [text, setText] = useState('');
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (text.trim()) onSubmit(text.trim());
        setText('');
      }}
    >
      <div className="field">
        <label htmlFor="note-text">Ajouter une note</label>
        <textarea id="note-text" value={text} onChange={(e) => setText(e.target.value)} />
      </div>
      <button type="submit" className="secondary" disabled={busy || !text.trim()}>
        Ajouter la note
      </button>
    </form>
  );
}

function CloseForm({ onSubmit, busy }: { onSubmit: (body: { reason: string; outcome?: string }) => void; busy: boolean }) {
  const [reason, setReason] = useState('');
  const [outcome, setOutcome] = useState('');
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (reason) onSubmit({ reason, ...(outcome ? { outcome } : {}) });
      }}
    >
      <h3>Clôturer le dossier</h3>
      <div className="field">
        <label htmlFor="close-reason">Motif</label>
        <select id="close-reason" value={reason} onChange={(e) => setReason(e.target.value)}>
          <option value="">Choisissez…</option>
          <CodeOptions labels={CLOSURE_REASON_LABELS} />
        </select>
      </div>
      {reason === 'OUTCOME_REACHED' && (
        <div className="field">
          <label htmlFor="close-outcome">Sortie</label>
          <select id="close-outcome" value={outcome} onChange={(e) => setOutcome(e.target.value)}>
            <option value="">Choisissez…</option>
            <CodeOptions labels={OUTCOME_LABELS} />
          </select>
        </div>
      )}
      <button type="submit" className="secondary" disabled={busy || !reason}>
        Clôturer
      </button>
    </form>
  );
}

type Profile = CaseView['profile'];
const PROFILE_TEXT: { field: 'firstName' | 'lastName' | 'birthDate' | 'email' | 'phone' | 'postalCode'; label: string; type?: string }[] = [
  { field: 'firstName', label: 'Prénom' },
  { field: 'lastName', label: 'Nom' },
  { field: 'birthDate', label: 'Date de naissance', type: 'date' },
  { field: 'email', label: 'E-mail', type: 'email' },
  { field: 'phone', label: 'Téléphone', type: 'tel' },
  { field: 'postalCode', label: 'Code postal' },
];

/**
 * `PATCH /v1/cases/{caseId}/profile` sends only what changed (API.md: all fields optional); an
 * emptied email or phone is cleared with null, which the API refuses if no contact remains.
 */
function ProfileForm({
  profile,
  busy,
  error,
  onSubmit,
  onCancel,
}: {
  profile: Profile;
  busy: boolean;
  error: unknown;
  onSubmit: (body: Record<string, unknown>) => void;
  onCancel: () => void;
}) {
  const [values, setValues] = useState(() => ({
    firstName: profile.firstName ?? '',
    lastName: profile.lastName ?? '',
    birthDate: profile.birthDate ?? '',
    email: profile.email ?? '',
    phone: profile.phone ?? '',
    postalCode: profile.postalCode,
    diplomaLevel: profile.diplomaLevel,
    situation: profile.situation,
  }));
  const [wishes, setWishes] = useState(profile.wishes);
  const [barriers, setBarriers] = useState(profile.barriers);
  const errors = fieldErrors(error);
  const set = (field: keyof typeof values) => (e: { target: { value: string } }) => setValues({ ...values, [field]: e.target.value });
  const toggle = (list: string[], code: string) => (list.includes(code) ? list.filter((c) => c !== code) : [...list, code]);
  const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

  const changes = () => {
    const body: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(values)) {
      const before = (profile as unknown as Record<string, string | null>)[field] ?? '';
      const now = value.trim();
      if (now !== before) body[field] = now === '' && (field === 'email' || field === 'phone') ? null : now;
    }
    if (!sameSet(wishes, profile.wishes)) body.wishes = wishes;
    if (!sameSet(barriers, profile.barriers)) body.barriers = barriers;
    return body;
  };
  const select = (field: 'diplomaLevel' | 'situation', label: string, labels: Record<string, string>) => (
    <div className="field">
      <label htmlFor={`profile-${field}`}>{label}</label>
      <select id={`profile-${field}`} value={values[field]} onChange={set(field)} {...errorProps(errors, field, `profile-${field}`)}>
        {entries(labels).map(([code, text]) => (
          <option key={code} value={code}>
            {text}
          </option>
        ))}
      </select>
      <FieldError errors={errors} field={field} id={`profile-${field}`} />
    </div>
  );
  const boxes = (
    field: 'wishes' | 'barriers',
    legend: string,
    labels: Record<string, string>,
    list: string[],
    setList: (l: string[]) => void,
  ) => (
    <fieldset {...(errors[field] ? { 'aria-describedby': `profile-${field}-error` } : {})}>
      <legend>{legend}</legend>
      {entries(labels).map(([code, text]) => (
        <div className="choice" key={code}>
          <input
            type="checkbox"
            id={`profile-${field}-${code}`}
            checked={list.includes(code)}
            onChange={() => setList(toggle(list, code))}
          />
          <label htmlFor={`profile-${field}-${code}`}>{text}</label>
        </div>
      ))}
      <FieldError errors={errors} field={field} id={`profile-${field}`} />
    </fieldset>
  );

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const body = changes();
        if (Object.keys(body).length === 0) onCancel();
        else onSubmit(body);
      }}
    >
      <FormFailure error={error} errors={errors} />
      {PROFILE_TEXT.map(({ field, label, type }) => (
        <div className="field" key={field}>
          <label htmlFor={`profile-${field}`}>{label}</label>
          <input
            id={`profile-${field}`}
            type={type ?? 'text'}
            value={values[field]}
            onChange={set(field)}
            {...errorProps(errors, field, `profile-${field}`)}
          />
          <FieldError errors={errors} field={field} id={`profile-${field}`} />
        </div>
      ))}
      {select('diplomaLevel', 'Diplôme', DIPLOMA_LABELS)}
      {select('situation', 'Situation', SITUATION_LABELS)}
      {boxes('wishes', 'Souhaits', WISH_LABELS, wishes, setWishes)}
      {boxes('barriers', 'Freins', BARRIER_LABELS, barriers, setBarriers)}
      <div className="actions">
        <button type="submit" disabled={busy}>
          Enregistrer le profil
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          Annuler
        </button>
      </div>
    </form>
  );
}

/** Reasons a counsellor often gives; any other may be typed (the reason is free text, kept in the notes). */
const PAUSE_REASONS = [
  'Le jeune est indisponible pour raison de santé',
  'Le jeune a demandé une pause',
  'Déménagement en cours',
  'Situation familiale à régler d’abord',
  'En attente d’un document',
];

function PauseForm({
  onSubmit,
  busy,
  error,
}: {
  onSubmit: (body: { reason: string; until?: string }) => void;
  busy: boolean;
  error: unknown;
}) {
  const [reason, setReason] = useState('');
  const [until, setUntil] = useState('');
  const errors = fieldErrors(error);
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit({ reason: reason.trim(), ...(until ? { until: new Date(until).toISOString() } : {}) });
      }}
    >
      <h3>Mettre en pause</h3>
      <div className="field">
        <label htmlFor="pause-reason">Motif de la pause</label>
        <p className="hint" id="pause-reason-hint">
          Choisissez un motif proposé ou écrivez le vôtre.
        </p>
        <input
          id="pause-reason"
          list="pause-reasons"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          aria-invalid={errors.reason ? true : undefined}
          aria-describedby={['pause-reason-hint', errors.reason && 'pause-reason-error'].filter(Boolean).join(' ')}
        />
        <datalist id="pause-reasons">
          {PAUSE_REASONS.map((r) => (
            <option key={r} value={r} />
          ))}
        </datalist>
        <FieldError errors={errors} field="reason" id="pause-reason" />
      </div>
      <div className="field">
        <label htmlFor="pause-until">Reprise automatique le (facultatif)</label>
        <input
          id="pause-until"
          type="datetime-local"
          value={until}
          onChange={(e) => setUntil(e.target.value)}
          {...errorProps(errors, 'until', 'pause-until')}
        />
        <FieldError errors={errors} field="until" id="pause-until" />
      </div>
      <FormFailure error={error} errors={errors} testId="pause-refused" />
      <button type="submit" className="secondary" disabled={busy}>
        Mettre en pause
      </button>
    </form>
  );
}

function CheckInForm({
  onSubmit,
  busy,
  error,
}: {
  onSubmit: (body: { status: string; outcome?: string; note?: string }) => void;
  busy: boolean;
  error: unknown;
}) {
  const [status, setStatus] = useState('');
  const [outcome, setOutcome] = useState('');
  const [note, setNote] = useState('');
  const errors = fieldErrors(error);
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit({ status, ...(status === 'OUTCOME' && outcome ? { outcome } : {}), ...(note.trim() ? { note: note.trim() } : {}) });
      }}
    >
      <h3>Enregistrer un point de suivi</h3>
      <div className="field">
        <label htmlFor="checkin-status">Où en est le jeune ?</label>
        <select
          id="checkin-status"
          value={status}
          onChange={(e) => setStatus(e.target.value)}
          {...errorProps(errors, 'status', 'checkin-status')}
        >
          <option value="">Choisissez…</option>
          <CodeOptions labels={CHECK_IN_LABELS} />
        </select>
        <FieldError errors={errors} field="status" id="checkin-status" />
      </div>
      {status === 'OUTCOME' && (
        <div className="field">
          <label htmlFor="checkin-outcome">Sortie</label>
          <select
            id="checkin-outcome"
            value={outcome}
            onChange={(e) => setOutcome(e.target.value)}
            {...errorProps(errors, 'outcome', 'checkin-outcome')}
          >
            <option value="">Choisissez…</option>
            <CodeOptions labels={OUTCOME_LABELS} />
          </select>
          <FieldError errors={errors} field="outcome" id="checkin-outcome" />
        </div>
      )}
      <div className="field">
        <label htmlFor="checkin-note">Note du point de suivi (facultatif)</label>
        <textarea
          id="checkin-note"
          value={note}
          onChange={(e) => setNote(e.target.value)}
          {...errorProps(errors, 'note', 'checkin-note')}
        />
        <FieldError errors={errors} field="note" id="checkin-note" />
      </div>
      <FormFailure error={error} errors={errors} />
      <button type="submit" disabled={busy}>
        Enregistrer le point de suivi
      </button>
    </form>
  );
}

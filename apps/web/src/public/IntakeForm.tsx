import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useRef, useState } from 'react';
import { useForm, type FieldPath } from 'react-hook-form';
import { z } from 'zod/mini';
import { api, ApiFailure } from '../shared/api';
import { BARRIER_LABELS, DIPLOMA_LABELS, entries, SITUATION_LABELS, WISH_LABELS } from '../shared/labels';
import { CodeOptions } from '../shared/CodeOptions';
import { fieldOf, frenchMessage } from './api-messages.fr';

/** The form's answers, as the fields hold them (the body of POST /v1/intake/forms is built from it). */
const trimmed = (max: number, ...checks: z.core.$ZodCheck<string>[]) =>
  z.string().check(z.trim(), ...checks, z.maxLength(max, `${max} caractères au maximum.`));
const schema = z
  .object({
    firstName: trimmed(100, z.minLength(1, 'Indique ton prénom.')),
    lastName: trimmed(100, z.minLength(1, 'Indique ton nom.')),
    birthDate: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'Indique ta date de naissance (jour, mois, année).')),
    postalCode: trimmed(5, z.regex(/^\d{5}$/, 'Le code postal a 5 chiffres (exemple : 75011).')),
    communeCode: z.string(),
    diplomaLevel: z.string().check(z.minLength(1, 'Choisis ton diplôme le plus haut.')),
    situation: z.string().check(z.minLength(1, 'Choisis ce qui te ressemble le plus.')),
    barriers: z.array(z.string()),
    wishes: z.array(z.string()),
    email: trimmed(254),
    phone: trimmed(30),
    channels: z.array(z.string()),
    dataProcessing: z.boolean(),
    shareWithPartners: z.boolean(),
  })
  .check(
    z.superRefine((v, ctx) => {
      if (!v.email && !v.phone)
        ctx.addIssue({ code: 'custom', path: ['email'], message: 'Donne au moins un e-mail ou un numéro de téléphone.' });
      if (v.email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.email))
        ctx.addIssue({
          code: 'custom',
          path: ['email'],
          message: "Cette adresse e-mail n'a pas l'air complète (exemple : prenom@exemple.fr).",
        });
      if (!v.dataProcessing)
        ctx.addIssue({
          code: 'custom',
          path: ['dataProcessing'],
          message: 'Coche cette case : sans ton accord, on ne peut pas traiter ta demande.',
        });
      if (v.channels.includes('SMS') && !v.phone)
        ctx.addIssue({ code: 'custom', path: ['phone'], message: 'Pour recevoir des SMS, indique ton numéro de téléphone.' });
      if (v.channels.includes('EMAIL') && !v.email)
        ctx.addIssue({ code: 'custom', path: ['email'], message: 'Pour recevoir des e-mails, indique ton adresse e-mail.' });
    }),
  );
type Answers = z.infer<typeof schema>;
type Field = Extract<FieldPath<Answers>, keyof Answers>;

const STEPS: { title: string; fields: Field[] }[] = [
  { title: 'Toi', fields: ['firstName', 'lastName', 'birthDate'] },
  { title: 'Où tu habites', fields: ['postalCode', 'communeCode'] },
  { title: 'Où tu en es', fields: ['diplomaLevel', 'situation', 'barriers', 'wishes'] },
  { title: 'Comment te joindre', fields: ['email', 'phone', 'channels', 'dataProcessing', 'shareWithPartners'] },
];

/** The API's field paths as the form names them. */
const FORM_FIELD: Record<string, Field> = {
  'consent.dataProcessing': 'dataProcessing',
  'consent.shareWithPartners': 'shareWithPartners',
  'consent.channels': 'channels',
  consent: 'dataProcessing',
};
const formField = (path: string): Field | undefined => {
  const field = FORM_FIELD[fieldOf(path)] ?? fieldOf(path);
  return STEPS.some((s) => s.fields.includes(field as Field)) ? (field as Field) : undefined;
};

interface Commune {
  communeCode: string;
  name: string;
  departement: string;
}
interface IntakeAnswer {
  caseId: string;
  stage: string;
  eligible: boolean;
  message: string;
}

const SOURCES = ['INSTAGRAM', 'TIKTOK', 'FACEBOOK', 'SNAPCHAT', 'WEBSITE', 'CHATBOT', 'PARTNER', 'OTHER'];
function sourceOfPage() {
  const params = new URLSearchParams(window.location.search);
  const channel = (params.get('source') ?? params.get('utm_source') ?? '').toUpperCase();
  const campaign = params.get('campagne') ?? params.get('utm_campaign') ?? undefined;
  return { channel: SOURCES.includes(channel) ? channel : 'WEBSITE', ...(campaign ? { campaign: campaign.slice(0, 100) } : {}) };
}

/** A v4 UUID, also where crypto.randomUUID is missing (a page served over plain HTTP). */
function uuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function IntakeForm() {
  // One id for this filling of the form: sent twice (a double tap, a retry), it makes one case.
  const [submissionId] = useState(uuid);
  const [step, setStep] = useState(0);
  const [answer, setAnswer] = useState<IntakeAnswer>();
  const [failure, setFailure] = useState<string>();
  const [communes, setCommunes] = useState<{ code: string; list: Commune[]; problem?: string }>();
  const heading = useRef<HTMLHeadingElement>(null);
  const {
    register,
    handleSubmit,
    trigger,
    watch,
    setValue,
    setError,
    setFocus,
    formState: { errors, isSubmitting },
  } = useForm<Answers>({
    resolver: zodResolver(schema),
    // Checked when the step is sent, not on blur: an error vanishing on blur would move the
    // button under the pointer between press and release, and the tap would be lost.
    mode: 'onSubmit',
    reValidateMode: 'onSubmit',
    defaultValues: {
      firstName: '',
      lastName: '',
      birthDate: '',
      postalCode: '',
      communeCode: '',
      diplomaLevel: '',
      situation: '',
      barriers: [],
      wishes: [],
      email: '',
      phone: '',
      channels: ['SMS', 'EMAIL'],
      dataProcessing: false,
      shareWithPartners: true,
    },
  });

  const postalCode = watch('postalCode')?.trim();
  useEffect(() => {
    if (!/^\d{5}$/.test(postalCode ?? '')) return;
    let current = true;
    api<{ communes: Commune[]; defaultCommuneCode: string }>(`/v1/intake/postal-codes/${postalCode}`)
      .then((found) => {
        if (!current) return;
        setCommunes({ code: postalCode, list: found.communes });
        setValue('communeCode', found.defaultCommuneCode);
      })
      .catch((err: ApiFailure) => {
        if (!current) return;
        setValue('communeCode', '');
        setCommunes({
          code: postalCode,
          list: [],
          problem:
            err.status === 404
              ? 'On ne trouve pas ce code postal : vérifie-le.'
              : "On n'a pas pu vérifier ce code postal, réessaie dans un instant.",
        });
      });
    return () => {
      current = false;
    };
  }, [postalCode, setValue]);

  useEffect(() => heading.current?.focus(), [step, answer]);

  async function next() {
    if (step === 1 && communes?.problem) {
      setError('postalCode', { message: communes.problem });
      setFocus('postalCode');
      return;
    }
    if (await trigger(STEPS[step].fields, { shouldFocus: true })) setStep(step + 1);
  }

  const submit = handleSubmit(async (v) => {
    setFailure(undefined);
    try {
      const body = {
        submissionId,
        firstName: v.firstName.trim(),
        lastName: v.lastName.trim(),
        birthDate: v.birthDate,
        ...(v.email ? { email: v.email.trim() } : {}),
        ...(v.phone ? { phone: v.phone.trim() } : {}),
        postalCode: v.postalCode.trim(),
        ...(v.communeCode ? { communeCode: v.communeCode } : {}),
        diplomaLevel: v.diplomaLevel,
        situation: v.situation,
        barriers: v.barriers,
        wishes: v.wishes,
        consent: { dataProcessing: v.dataProcessing, shareWithPartners: v.shareWithPartners, channels: v.channels },
        source: sourceOfPage(),
      };
      setAnswer(await api<IntakeAnswer>('/v1/intake/forms', { method: 'POST', body }));
    } catch (err) {
      const failed = err as ApiFailure;
      const placed = failed.details.map((d) => ({ field: formField(d.field), message: frenchMessage(d.field, d.message) }));
      for (const { field, message } of placed) if (field) setError(field, { message });
      const first = placed.find((p) => p.field);
      if (first?.field) {
        setStep(STEPS.findIndex((s) => s.fields.includes(first.field!)));
        setTimeout(() => setFocus(first.field!), 0);
      }
      setFailure(
        failed.status === 429
          ? 'Beaucoup de demandes en ce moment : attends une minute puis renvoie le formulaire.'
          : failed.status === 400
            ? 'Quelques réponses sont à vérifier.'
            : "L'envoi n'a pas marché. Vérifie ta connexion et réessaie : tes réponses sont gardées.",
      );
    }
  });

  if (answer) {
    return (
      <section aria-labelledby="done-title" className="card">
        <h1 id="done-title" tabIndex={-1} ref={heading}>
          {answer.eligible ? "C'est envoyé !" : 'Merci de nous avoir écrit'}
        </h1>
        <p className={answer.eligible ? 'success' : 'notice'} role="status">
          {answer.message}
        </p>
        {answer.eligible && <p>Tu peux fermer cette page. Pour arrêter les messages à tout moment, réponds STOP à un SMS.</p>}
      </section>
    );
  }

  const error = (field: Field) => errors[field]?.message;
  const describedBy = (field: Field, hint?: string) =>
    [hint, error(field) ? `${field}-error` : undefined].filter(Boolean).join(' ') || undefined;
  const ErrorText = ({ field }: { field: Field }) =>
    error(field) ? (
      <p className="error" id={`${field}-error`}>
        {error(field)}
      </p>
    ) : null;
  const text = (field: Field, label: string, props: React.InputHTMLAttributes<HTMLInputElement> = {}, hint?: string) => (
    <div className="field">
      <label htmlFor={field}>{label}</label>
      {hint && (
        <p className="hint" id={`${field}-hint`}>
          {hint}
        </p>
      )}
      <input
        id={field}
        type="text"
        {...props}
        {...register(field)}
        aria-invalid={error(field) ? true : undefined}
        aria-describedby={describedBy(field, hint && `${field}-hint`)}
      />
      <ErrorText field={field} />
    </div>
  );
  const checkboxes = (field: 'barriers' | 'wishes' | 'channels', legend: string, options: [string, string][], hint?: string) => (
    <fieldset aria-describedby={describedBy(field, hint && `${field}-hint`)}>
      <legend>{legend}</legend>
      {hint && (
        <p className="hint" id={`${field}-hint`}>
          {hint}
        </p>
      )}
      {options.map(([code, label]) => (
        <div className="choice" key={code}>
          <input type="checkbox" id={`${field}-${code}`} value={code} {...register(field)} />
          <label htmlFor={`${field}-${code}`}>{label}</label>
        </div>
      ))}
      <ErrorText field={field} />
    </fieldset>
  );
  const errorCount = STEPS[step].fields.filter((f) => error(f)).length;
  const chosen = communes?.code === postalCode ? communes : undefined;

  return (
    <form onSubmit={(e) => (step < STEPS.length - 1 ? (e.preventDefault(), void next()) : void submit(e))} noValidate>
      <ol className="steps" aria-hidden="true">
        {STEPS.map((s, i) => (
          <li key={s.title} className={i <= step ? 'done' : ''} />
        ))}
      </ol>
      <h1 tabIndex={-1} ref={heading}>
        <span className="hint">
          Étape {step + 1} sur {STEPS.length}
        </span>
        <br />
        {STEPS[step].title}
      </h1>
      <div role="alert">
        {(failure || errorCount > 0) && (
          <div className="alert">
            <p style={{ margin: 0 }}>
              {failure ?? (errorCount === 1 ? 'Une réponse est à vérifier.' : `${errorCount} réponses sont à vérifier.`)}
            </p>
          </div>
        )}
      </div>

      {step === 0 && (
        <>
          <p>Quelques questions pour savoir qui tu es et t'orienter vers la bonne structure. Ça prend 3 minutes.</p>
          {text('firstName', 'Ton prénom', { autoComplete: 'given-name' })}
          {text('lastName', 'Ton nom', { autoComplete: 'family-name' })}
          {text('birthDate', 'Ta date de naissance', { type: 'date', autoComplete: 'bday' })}
        </>
      )}

      {step === 1 && (
        <>
          {text(
            'postalCode',
            'Ton code postal',
            { inputMode: 'numeric', autoComplete: 'postal-code', maxLength: 5 },
            '5 chiffres, par exemple 75011',
          )}
          <div aria-live="polite">
            {chosen && chosen.list.length === 1 && (
              <p className="notice">
                Commune : <strong>{chosen.list[0].name}</strong> ({chosen.list[0].departement})
              </p>
            )}
            {chosen && chosen.list.length > 1 && (
              <div className="field">
                <label htmlFor="communeCode">Ta commune</label>
                <select
                  id="communeCode"
                  {...register('communeCode')}
                  aria-invalid={error('communeCode') ? true : undefined}
                  aria-describedby={describedBy('communeCode')}
                >
                  {chosen.list.map((c) => (
                    <option key={c.communeCode} value={c.communeCode}>
                      {c.name}
                    </option>
                  ))}
                </select>
                <ErrorText field="communeCode" />
              </div>
            )}
            {chosen?.problem && !error('postalCode') && <p className="error">{chosen.problem}</p>}
          </div>
        </>
      )}

      {step === 2 && (
        <>
          <div className="field">
            <label htmlFor="diplomaLevel">Ton diplôme le plus haut</label>
            <select
              id="diplomaLevel"
              {...register('diplomaLevel')}
              aria-invalid={error('diplomaLevel') ? true : undefined}
              aria-describedby={describedBy('diplomaLevel')}
            >
              <option value="">Choisis…</option>
              <CodeOptions labels={DIPLOMA_LABELS} />
            </select>
            <ErrorText field="diplomaLevel" />
          </div>
          <div className="field">
            <label htmlFor="situation">Ce qui te ressemble le plus en ce moment</label>
            <select
              id="situation"
              {...register('situation')}
              aria-invalid={error('situation') ? true : undefined}
              aria-describedby={describedBy('situation')}
            >
              <option value="">Choisis…</option>
              <CodeOptions labels={SITUATION_LABELS} />
            </select>
            <ErrorText field="situation" />
          </div>
          {checkboxes('wishes', 'Ce que tu aimerais (plusieurs choix possibles)', entries(WISH_LABELS))}
          {checkboxes(
            'barriers',
            'Ce qui te complique la vie en ce moment (si tu veux)',
            entries(BARRIER_LABELS),
            'Ça nous aide à trouver la structure qui peut t’aider. Tu peux ne rien cocher.',
          )}
        </>
      )}

      {step === 3 && (
        <>
          <p>Donne au moins un moyen de te joindre : quelqu'un de l'équipe te contacte pour en parler avec toi.</p>
          {text('email', 'Ton adresse e-mail', { type: 'email', autoComplete: 'email' })}
          {text('phone', 'Ton numéro de téléphone', { type: 'tel', autoComplete: 'tel' }, 'Par exemple 06 12 34 56 78')}
          {checkboxes('channels', 'On peut t’écrire par', [
            ['SMS', 'SMS'],
            ['EMAIL', 'E-mail'],
          ])}
          <div className="card">
            <h2 style={{ marginTop: 0 }}>Ton accord</h2>
            <p>
              On garde tes réponses pour t'accompagner, pas pour autre chose. Tu peux demander à les voir ou à les effacer quand tu veux.{' '}
              <a href="/confidentialite" target="_blank" rel="noopener">
                Ce qu'on fait de tes données (s'ouvre dans un nouvel onglet)
              </a>
            </p>
            <div className="choice">
              <input
                type="checkbox"
                id="dataProcessing"
                {...register('dataProcessing')}
                aria-invalid={error('dataProcessing') ? true : undefined}
                aria-describedby={describedBy('dataProcessing')}
              />
              <label htmlFor="dataProcessing">J'accepte que le programme garde mes réponses pour m'accompagner (obligatoire)</label>
            </div>
            <ErrorText field="dataProcessing" />
            <div className="choice">
              <input type="checkbox" id="shareWithPartners" {...register('shareWithPartners')} />
              <label htmlFor="shareWithPartners">
                J'accepte que la structure qui m'accompagnera (Mission Locale, France Travail…) voie ce qui me complique la vie
              </label>
            </div>
          </div>
        </>
      )}

      <div className="actions">
        {step > 0 && (
          <button type="button" className="secondary" onClick={() => setStep(step - 1)}>
            Retour
          </button>
        )}
        <button type="submit" disabled={isSubmitting}>
          {step < STEPS.length - 1 ? 'Continuer' : isSubmitting ? 'Envoi…' : 'Envoyer ma demande'}
        </button>
      </div>
    </form>
  );
}

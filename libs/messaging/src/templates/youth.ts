import type { NudgeVariant } from '@walt/domain';
import type { MessageContext, RenderedMessage } from './context';
import { dateTimeFr } from './format';

/**
 * To young people (PRODUCT.md, "Voice"): "tu", short, warm, no jargon, one next step, and a
 * way to stop. The SMS is the body and the STOP line; the email adds a greeting and a subject.
 * SMS bodies avoid ç, ê, â, î, ô where they can: outside the GSM alphabet, one of them makes
 * the operator bill every 70 characters instead of 160.
 */
export const SMS_STOP = 'Réponds STOP pour ne plus recevoir de SMS.';
export const EMAIL_STOP = 'Tu ne veux plus recevoir nos e-mails ? Réponds simplement STOP à ce message.';

/** `n` is " Léa" (with its space) or "" when the first name is unknown: "Salut${n} !". */
type YouthTemplate = (ctx: MessageContext, n: string) => { subject: string; body: string };

const partnerName = (ctx: MessageContext) => ctx.partner?.name ?? 'la structure';
const appointment = (ctx: MessageContext) => ctx.referral?.appointmentAt && dateTimeFr(ctx.referral.appointmentAt, ctx.timeZone);

/**
 * The nudges, in each variant of the wording experiment (libs/domain `experiment.ts`). A is the
 * programme's original wording (a warm reminder); B names a concrete next step and its cost in
 * time, which field teams said brings replies from those who fear a long procedure.
 */
const NUDGES: Record<NudgeVariant, ((n: string) => string)[]> = {
  A: [
    (n) => `Salut${n}, on pense à toi ! Tu as deux minutes ? Réponds à ce message et on avance ensemble sur ton projet.`,
    (n) => `Salut${n}, on est toujours là pour toi. Réponds juste « oui » à ce message et quelqu'un de l'équipe te rappelle.`,
    (n) => `Salut${n}, petit dernier message de notre part : si tu veux un coup de main, réponds à ce message, on te rappelle.`,
  ],
  B: [
    (n) =>
      `Salut${n} ! Un appel de 10 minutes suffit pour trouver des pistes de job ou de formation près de chez toi. Réponds « oui » et on t'appelle.`,
    (n) => `Salut${n}, des structures près de chez toi peuvent te recevoir ce mois-ci. Réponds « oui » et on te dit lesquelles.`,
    (n) => `Salut${n}, dernier message : ta place dans le programme t'attend encore. Réponds « oui » et on t'appelle quand tu veux.`,
  ],
};

export const YOUTH_TEMPLATES: Record<string, YouthTemplate> = {
  // Before an anonymisation after inactivity (policy anonymiseNoticeBefore): one reply keeps the file.
  ANONYMISATION_NOTICE: (_ctx, n) => ({
    subject: 'Ton dossier va être anonymisé',
    body: `Salut${n}, on n'a pas eu de nouvelles depuis longtemps  : ton dossier sera bientot anonymise. Tu veux le garder ? Reponds simplement a ce message.`,
  }),
  WELCOME: (_ctx, n) => ({
    subject: 'On a bien reçu ta demande',
    body: `Salut${n} ! Ta demande est bien arrivée. Réponds à ce message et on en parle ensemble pour trouver ta suite : job, formation ou autre projet.`,
  }),
  REFERRAL_ACCEPTED: (ctx, n) => {
    const when = appointment(ctx);
    const contact = ctx.partner?.contactEmail;
    return {
      subject: `${partnerName(ctx)} accepte de t'accompagner`,
      body: when
        ? `Bonne nouvelle${n} ! ${partnerName(ctx)} accepte de t'accompagner. Ton rendez-vous : ${when}. Une question ? Écris-leur à ${contact}.`
        : `Bonne nouvelle${n} ! ${partnerName(ctx)} accepte de t'accompagner et va te contacter pour fixer un rendez-vous. Tu peux aussi leur écrire à ${contact}.`,
    };
  },
  APPOINTMENT_REMINDER: (ctx, n) => ({
    subject: 'Rappel de ton rendez-vous',
    body: appointment(ctx)
      ? `Petit rappel${n} : ton rendez-vous chez ${partnerName(ctx)}, c'est ${appointment(ctx)}. Tu ne peux pas y aller ? Préviens-les à ${ctx.partner?.contactEmail}.`
      : `Petit rappel${n} : pense à ton rendez-vous chez ${partnerName(ctx)}. Tu ne peux pas y aller ? Préviens-les à ${ctx.partner?.contactEmail}.`,
  }),
  NO_SHOW: (ctx, n) => ({
    subject: 'On fixe un autre rendez-vous ?',
    body: `Salut${n}, tu n'as pas pu aller au rendez-vous chez ${partnerName(ctx)} ? Pas de souci ! Réponds à ce message et on t'aide à en fixer un autre.`,
  }),
  CHECK_IN: (ctx, n) => ({
    subject: 'Comment se passe ton parcours ?',
    body: `Salut${n} ! Comment se passe ton parcours${ctx.partner ? ` chez ${ctx.partner.name}` : ''} ? Réponds à ce message pour nous dire où tu en es, on est là si besoin.`,
  }),
};

/** A nudge in the journey's variant; messages queued before the experiment read the original wording. */
export function nudgeTemplate(purpose: string, variant: string | null = null): YouthTemplate | undefined {
  const match = /^NUDGE_(\d+)$/.exec(purpose);
  if (!match) return undefined;
  const lines = variant && Object.hasOwn(NUDGES, variant) ? NUDGES[variant as NudgeVariant] : NUDGES.A;
  const line = lines[Math.min(Number(match[1]), lines.length) - 1];
  return line && ((_ctx, n) => ({ subject: 'On est là pour toi', body: line(n) }));
}

export function renderYouth(ctx: MessageContext): RenderedMessage | undefined {
  const template = YOUTH_TEMPLATES[ctx.purpose] ?? nudgeTemplate(ctx.purpose, ctx.variant);
  if (!template) return undefined;
  const firstName = ctx.youth.firstName?.trim();
  const { subject, body: text } = template(ctx, firstName ? ` ${firstName}` : '');
  if (ctx.channel === 'SMS') return { text: `${text} ${SMS_STOP}` };
  return { subject, text: `${text}\n\nÀ très vite,\nL'équipe qui t'accompagne\n\n${EMAIL_STOP}\n` };
}

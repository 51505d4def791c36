import type { MessageContext, RenderedMessage } from './context';
import { dateFr, dateTimeFr, DIPLOMA_FR, ESCALATION_FR, list, purposeFr, WISH_FR } from './format';

/**
 * To partners and counsellors: professional French ("vous"), the facts needed to act, and the
 * one link to act with. No contact details of the young person: a partner sees them only
 * after accepting, from the link, and an email may be forwarded or archived anywhere.
 */
type ProTemplate = (ctx: MessageContext) => { subject: string; lines: string[] } | undefined;

const SIGNATURE = "Cordialement,\nL'équipe du programme d'accompagnement des jeunes";

function profile(ctx: MessageContext): string[] {
  const y = ctx.youth;
  const place = y.communeName ? `${y.communeName} (${y.departement})` : `département ${y.departement}`;
  const wishes = y.wishes.map((w) => WISH_FR[w] ?? w);
  return [
    `- ${y.age} ans, ${DIPLOMA_FR[y.diplomaLevel] ?? y.diplomaLevel}, habite ${place}`,
    ...(wishes.length ? [`- souhaite : ${list(wishes)}`] : []),
  ];
}

function askToAnswer(ctx: MessageContext): string[] {
  const r = ctx.referral!;
  return [
    `Merci d'accepter ou de décliner cette orientation avant le ${dateTimeFr(r.dueAt, ctx.timeZone)}, en un clic :`,
    r.link ?? '(lien indisponible : répondez depuis votre espace partenaire)',
    '',
    "Ce lien est personnel et vaut jusqu'à cette date. Les coordonnées du jeune vous sont communiquées dès votre acceptation.",
  ];
}

export const PARTNER_TEMPLATES: Record<string, ProTemplate> = {
  REFERRAL_NEW: (ctx) =>
    ctx.referral && {
      subject: `Nouvelle orientation à traiter avant le ${dateFr(ctx.referral.dueAt, ctx.timeZone)}`,
      lines: ['Bonjour,', '', "Le programme vous propose d'accompagner un jeune :", ...profile(ctx), '', ...askToAnswer(ctx)],
    },
  REFERRAL_REMINDER: (ctx) =>
    ctx.referral && {
      subject: `Rappel : orientation en attente de votre réponse (avant le ${dateFr(ctx.referral.dueAt, ctx.timeZone)})`,
      lines: [
        'Bonjour,',
        '',
        `L'orientation que nous vous avons adressée le ${dateFr(ctx.referral.sentAt, ctx.timeZone)} attend toujours votre réponse :`,
        ...profile(ctx),
        '',
        ...askToAnswer(ctx),
      ],
    },
  REFERRAL_EXPIRED: (ctx) =>
    ctx.referral && {
      subject: 'Orientation expirée',
      lines: [
        'Bonjour,',
        '',
        `L'orientation que nous vous avons adressée le ${dateFr(ctx.referral.sentAt, ctx.timeZone)} n'a pas reçu de réponse avant le ${dateTimeFr(ctx.referral.dueAt, ctx.timeZone)}.`,
        "Elle a expiré et le programme prend le relais pour ce jeune. Aucune action n'est attendue de votre part.",
        `Référence : ${ctx.referral.id}`,
      ],
    },
};

export const COUNSELLOR_TEMPLATES: Record<string, ProTemplate> = {
  COUNSELLOR_ALERT: (ctx) => {
    const why = String(ctx.event.why ?? '');
    return {
      subject: `Dossier à reprendre : ${ESCALATION_FR[why] ?? why.toLowerCase()}`,
      lines: [
        'Bonjour,',
        '',
        `Un dossier demande votre intervention : ${ESCALATION_FR[why] ?? why}.`,
        `Ouvrir le dossier : ${ctx.caseUrl}`,
      ],
    };
  },
  CHECK_IN_DUE: (ctx) => ({
    subject: `Point de suivi${ctx.event.seq ? ` n°${ctx.event.seq}` : ''} à faire`,
    lines: [
      'Bonjour,',
      '',
      `Le point de suivi${ctx.event.seq ? ` n°${ctx.event.seq}` : ''} d'un jeune${ctx.partner ? ` accompagné par ${ctx.partner.name}` : ''} est à faire : en parcours, besoin de soutien, abandon ou sortie positive.`,
      `Enregistrer le point : ${ctx.caseUrl}`,
    ],
  }),
  DELIVERY_FAILED: (ctx) => {
    const e = ctx.event;
    return {
      subject: `Message non distribué : ${purposeFr(String(e.purpose))} (${e.channel})`,
      lines: [
        'Bonjour,',
        '',
        `Le message « ${purposeFr(String(e.purpose))} » (${e.channel}) n'a pas pu être envoyé après ${e.attempts} tentative(s).`,
        `Dernière erreur : ${e.error ?? 'inconnue'}.`,
        'Merci de joindre la personne par un autre moyen.',
        `Ouvrir le dossier : ${ctx.caseUrl}`,
      ],
    };
  },
};

export function renderProfessional(ctx: MessageContext, recipient: 'PARTNER' | 'COUNSELLOR'): RenderedMessage | undefined {
  const template = (recipient === 'PARTNER' ? PARTNER_TEMPLATES : COUNSELLOR_TEMPLATES)[ctx.purpose];
  const rendered = template?.(ctx);
  return rendered && { subject: rendered.subject, text: `${[...rendered.lines, '', SIGNATURE].join('\n')}\n` };
}

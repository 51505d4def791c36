/** French wording of dates and codes, shared by the templates. */
const parts = (date: Date, timeZone: string, options: Intl.DateTimeFormatOptions) =>
  Object.fromEntries(new Intl.DateTimeFormat('fr-FR', { timeZone, ...options }).formatToParts(date).map((p) => [p.type, p.value]));

/** « mardi 20 janvier à 14h30 », in the recipient's time zone. */
export function dateTimeFr(date: Date, timeZone: string): string {
  const p = parts(date, timeZone, { weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return `${p.weekday} ${p.day} ${p.month} à ${p.hour}h${p.minute}`;
}

/** « 20/01/2026 ». */
export function dateFr(date: Date, timeZone: string): string {
  const p = parts(date, timeZone, { day: '2-digit', month: '2-digit', year: 'numeric' });
  return `${p.day}/${p.month}/${p.year}`;
}

export const DIPLOMA_FR: Record<string, string> = {
  NONE: 'sans diplôme',
  CAP_BEP: 'niveau CAP/BEP',
  BAC: 'niveau bac',
  BAC_2: 'niveau bac+2',
  BAC_3_PLUS: 'niveau bac+3 ou plus',
};

export const WISH_FR: Record<string, string> = {
  JOB: 'un emploi',
  TRAINING: 'une formation',
  ALTERNANCE: "l'alternance",
  CIVIC_SERVICE: 'un service civique',
  BUSINESS_CREATION: 'créer son activité',
  NOT_SURE: 'pas encore décidé',
};

export const ESCALATION_FR: Record<string, string> = {
  UNRESPONSIVE: 'le jeune ne répond pas aux relances',
  NO_ELIGIBLE_PARTNER: "aucune structure éligible n'a été trouvée : orientation manuelle à faire",
  ATTEMPTS_EXHAUSTED: "les structures sollicitées n'ont pas accepté l'orientation",
  NO_SHOW: "le jeune ne s'est pas présenté à son premier rendez-vous",
  NEEDS_SUPPORT: "le jeune a besoin d'un accompagnement (point de suivi)",
  PARTNER_UNKNOWN: "la structure choisie n'existe pas ou n'est plus active",
};

export const PURPOSE_FR: Record<string, string> = {
  WELCOME: 'message de bienvenue',
  REFERRAL_NEW: "demande d'orientation",
  REFERRAL_REMINDER: "relance d'orientation",
  REFERRAL_EXPIRED: "expiration d'orientation",
  REFERRAL_ACCEPTED: "confirmation d'orientation",
  APPOINTMENT_REMINDER: 'rappel de rendez-vous',
  NO_SHOW: 'message après absence au rendez-vous',
  CHECK_IN: 'point de suivi',
  CHECK_IN_DUE: 'point de suivi à faire',
  COUNSELLOR_ALERT: 'alerte conseiller',
};

export const purposeFr = (purpose: string) =>
  PURPOSE_FR[purpose] ?? (/^NUDGE_\d+$/.test(purpose) ? `relance n°${purpose.slice(6)}` : purpose);

export const list = (items: string[]) =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} et ${items[items.length - 1]}`;

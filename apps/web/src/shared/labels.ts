/**
 * French labels of the API's codes, one map per code list of libs/domain (the compiler checks
 * that every code has its label): pages never re-type a code's wording.
 */
import type {
  Barrier,
  CheckInStatus,
  ClosureReason,
  ContactChannel,
  DeclineReason,
  DiplomaLevel,
  Outcome,
  PartnerType,
  Role,
  Segment,
  Situation,
  Stage,
  Wish,
} from '../../../../libs/domain/src/codes';
import type { Policy } from '../../../../libs/domain/src/policy';

export const DIPLOMA_LABELS: Record<DiplomaLevel, string> = {
  NONE: 'Pas de diplôme',
  CAP_BEP: 'CAP ou BEP',
  BAC: 'Bac',
  BAC_2: 'Bac +2',
  BAC_3_PLUS: 'Bac +3 ou plus',
};

export const SITUATION_LABELS: Record<Situation, string> = {
  LEFT_SCHOOL: "J'ai arrêté l'école ou les études",
  LOOKING_FOR_JOB: 'Je cherche un emploi',
  SHORT_CONTRACTS: "J'enchaîne les petits contrats",
  INACTIVE: 'Je ne fais rien en ce moment',
  OTHER: 'Autre chose',
};

export const BARRIER_LABELS: Record<Barrier, string> = {
  HEALTH: 'Santé',
  HOUSING: 'Logement',
  MOBILITY: 'Transport, permis',
  FAMILY: 'Famille, garde d’enfants',
  RESOURCES: 'Argent',
  ADMIN: 'Papiers, démarches',
  LANGUAGE: 'Langue française',
  JUSTICE: 'Justice',
};

export const WISH_LABELS: Record<Wish, string> = {
  JOB: 'Trouver un emploi',
  TRAINING: 'Suivre une formation',
  ALTERNANCE: 'Faire une alternance',
  CIVIC_SERVICE: 'Faire un service civique',
  BUSINESS_CREATION: 'Créer mon activité',
  NOT_SURE: 'Je ne sais pas encore',
};

export const STAGE_LABELS: Record<Stage, string> = {
  CAPTURED: 'Reçu',
  ENGAGING: 'Prise de contact',
  MATCHING: 'Recherche de partenaire',
  REFERRED: 'Orienté',
  ACCEPTED: 'Accepté',
  IN_PATHWAY: 'En parcours',
  NEEDS_COUNSELLOR: 'À traiter par un conseiller',
  PAUSED: 'En pause',
  CLOSED: 'Clôturé',
};

export const SEGMENT_LABELS: Record<Segment, string> = {
  EMPECHE: 'Empêché',
  DECROCHEUR: 'Décrocheur',
  INVISIBLE: 'Invisible',
  CHERCHEUR_OPPORTUNITES: "Chercheur d'opportunités",
  CHOMEUR_CLASSIQUE: 'Demandeur d’emploi',
};

export const CONTACT_CHANNEL_LABELS: Record<ContactChannel, string> = {
  PHONE: 'Téléphone',
  SMS: 'SMS',
  EMAIL: 'E-mail',
  IN_PERSON: 'En personne',
};

export const DECLINE_REASON_LABELS: Record<DeclineReason, string> = {
  YOUTH_UNREACHABLE: 'Jeune injoignable',
  YOUTH_ABSENT: 'Jeune absent au rendez-vous',
  YOUTH_EMPLOYED: 'Jeune déjà en emploi',
  YOUTH_IN_TRAINING: 'Jeune déjà en formation',
  NOT_ELIGIBLE: 'Ne remplit pas nos critères',
  NOT_MOBILE: 'Trop éloigné, pas mobile',
  NOT_INTERESTED: 'Jeune pas intéressé',
  PERIPHERAL_BARRIERS: 'Freins à lever d’abord',
  CAPACITY_FULL: 'Plus de place',
  DUPLICATE: 'Déjà suivi chez nous',
  OTHER: 'Autre raison (à préciser)',
};

export const CLOSURE_REASON_LABELS: Record<ClosureReason, string> = {
  OUTCOME_REACHED: 'Sortie positive',
  WITHDRAWN: 'Abandon',
  UNREACHABLE: 'Injoignable',
  MOVED: 'Déménagement',
  OUT_OF_SCOPE: 'Hors du programme',
  OTHER: 'Autre',
};

export const OUTCOME_LABELS: Record<Outcome, string> = {
  EMPLOYMENT: 'Emploi',
  TRAINING: 'Formation',
  ALTERNANCE: 'Alternance',
  CIVIC_SERVICE: 'Service civique',
  BUSINESS_CREATION: "Création d'activité",
  OTHER: 'Autre',
};

export const CHECK_IN_LABELS: Record<CheckInStatus, string> = {
  ON_TRACK: 'Tout va bien',
  NEEDS_SUPPORT: 'Besoin de soutien',
  DROPPED_OUT: 'A décroché',
  OUTCOME: 'Sortie obtenue',
};

export const PARTNER_TYPE_LABELS: Record<PartnerType, string> = {
  MISSION_LOCALE: 'Mission Locale',
  FRANCE_TRAVAIL: 'France Travail',
  E2C: 'École de la 2e Chance',
  EPIDE: 'EPIDE',
  CCI: 'CCI',
  GEIQ: 'GEIQ',
  MFR: 'Maison Familiale Rurale',
};

export const ROLE_LABELS: Record<Role, string> = {
  counsellor: 'Conseiller',
  partner: 'Partenaire',
  manager: 'Responsable de programme',
  admin: 'Administrateur',
};

export const REFERRAL_STATUS_LABELS: Record<string, string> = {
  PENDING: 'En attente',
  ACCEPTED: 'Acceptée',
  DECLINED: 'Refusée',
  EXPIRED: 'Expirée',
  WITHDRAWN: 'Retirée',
};

/** The fields of the journey policy (libs/domain/src/policy.ts), as an admin reads them. */
export const POLICY_FIELD_LABELS: Record<keyof Policy, string> = {
  nudgeOffsets: 'Relances du jeune sans réponse (après la prise de contact)',
  escalateUnresponsiveAfter: 'Passage à un conseiller si le jeune ne répond pas, après',
  closeUnreachableAfter: 'Clôture pour injoignable, après',
  partnerReminderAfter: 'Rappel au partenaire qui n’a pas répondu, après',
  referralExpiresAfter: 'Expiration d’une orientation sans réponse, après',
  maxReferralAttempts: 'Nombre maximal de partenaires sollicités',
  appointmentReminderBefore: 'Rappel du rendez-vous au jeune, avant',
  checkInOffsets: 'Points de suivi après l’entrée en parcours',
  quietHours: 'Heures sans message',
  chatIdleExpiry: 'Expiration d’une conversation du chat laissée en suspens, après',
  nudgeExperiment: 'Test A/B des relances',
  anonymiseAfterInactivity: 'Anonymisation d’un dossier sans activité, après',
  anonymiseNoticeBefore: 'Avis au jeune avant l’anonymisation',
};

/** A code's label, or the code itself for one the web does not know yet. */
export const labelOf = (labels: Record<string, string>, code: string | null | undefined) => (code ? (labels[code] ?? code) : '—');

export const entries = <K extends string>(labels: Record<K, string>) => Object.entries(labels) as [K, string][];

const DATE_TIME = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Paris' });
const DATE = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'medium', timeZone: 'Europe/Paris' });
export const dateTime = (iso: string | null | undefined) => (iso ? DATE_TIME.format(new Date(iso)) : '—');
export const date = (iso: string | null | undefined) => (iso ? DATE.format(new Date(iso)) : '—');

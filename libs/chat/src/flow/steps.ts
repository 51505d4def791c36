/**
 * The chatbot's vocabulary, shared by the workflow (which only knows these codes), the
 * activities (which parse and render) and the API. Pure: the workflow bundle imports this file.
 */

/** The intake questions, asked one at a time in this order (PRODUCT.md's form, in the young person's words). */
export const QUESTIONS = [
  'FIRST_NAME',
  'BIRTH_DATE',
  'POSTAL_CODE',
  'DIPLOMA',
  'SITUATION',
  'BARRIERS',
  'WISHES',
  'CONTACT',
  'CONSENT',
] as const;
export type Question = (typeof QUESTIONS)[number];

/**
 * Where a conversation can stand: a question, or one of the steps between them: COMMUNE (the
 * postal code or city serves several communes: which one), AGE_CHECK (the birth date is outside
 * 16-25: correct it, go on anyway, or stop), RECAP (before sending), DONE (the case exists).
 */
export const CHAT_STEPS = [...QUESTIONS, 'COMMUNE', 'AGE_CHECK', 'RECAP', 'DONE'] as const;
export type ChatStep = (typeof CHAT_STEPS)[number];

/** Why an answer could not be used: the reply says so calmly and asks again. */
export const UNUSABLE_REASONS = [
  'EMPTY',
  'NOT_UNDERSTOOD',
  'EMOJI',
  'OTHER_LANGUAGE',
  'MARKUP',
  'TOO_LONG',
  'NAME_INVALID',
  'DATE_NO_YEAR',
  'DATE_INCOMPLETE',
  'DATE_INVALID',
  'DATE_FUTURE',
  'DATE_IMPLAUSIBLE',
  'POSTAL_UNKNOWN',
  'CITY_UNKNOWN',
  'PHONE_INVALID',
  'EMAIL_INVALID',
  'CHOICE_UNKNOWN',
  'CONSENT_UNCLEAR',
] as const;
export type Unusable = (typeof UNUSABLE_REASONS)[number];

export const COMMANDS = ['RESTART', 'BACK', 'RECAP', 'ERASE', 'STOP', 'CONTINUE'] as const;
export type ChatCommand = (typeof COMMANDS)[number];

/** Age at the date given, as a band: the only thing about a birth date the workflow learns. */
export type AgeBand = 'TOO_YOUNG' | 'IN_SCOPE' | 'TOO_OLD';

/** Non-identifying facts a reading may carry (PRODUCT.md: département, age band, codes). */
export interface ReadingFacts {
  ageBand?: AgeBand;
  departement?: string;
}

/**
 * What the activity made of one message, relative to the step it was expecting. The text and
 * the values it found stay in PostgreSQL (message and draft rows); this carries codes only.
 */
export type ChatReading =
  /** A value for `field` is now in the draft (the answer to the step, or a correction of another). */
  | { kind: 'FILLED'; field: Question; correction: boolean; facts?: ReadingFacts }
  /** The postal code or city serves several communes: the draft lists them, the young person picks one. */
  | { kind: 'CHOICES'; field: 'POSTAL_CODE'; count: number }
  /** "j'ai 19 ans": an age, but the date is what counts. */
  | { kind: 'AGE_ONLY'; ageBand: AgeBand }
  /** An explicit yes (consent given, recap confirmed) or no (consent refused, recap not right). */
  | { kind: 'YES' }
  | { kind: 'NO' }
  /** The young person wants to change `field` and did not give the new value yet. */
  | { kind: 'EDIT'; field: Question }
  | { kind: 'FAQ'; faqId: string; human: boolean }
  | { kind: 'COMMAND'; command: ChatCommand }
  | { kind: 'UNUSABLE'; why: Unusable };

/** How a session ended; a new message after it starts a new session. */
export type ChatEndReason = 'COMPLETED' | 'EXPIRED' | 'ERASED' | 'REFUSED' | 'STOPPED';

/** The young person's answers that make a submission; BARRIERS counts as answered when left empty. */
export const REQUIRED_FOR_SUBMISSION: readonly Question[] = QUESTIONS;

/** The fields of the intake form a question fills, to map intake's refusals back to a question. */
export const QUESTION_OF_FORM_FIELD: Record<string, Question> = {
  firstName: 'FIRST_NAME',
  birthDate: 'BIRTH_DATE',
  postalCode: 'POSTAL_CODE',
  communeCode: 'POSTAL_CODE',
  diplomaLevel: 'DIPLOMA',
  situation: 'SITUATION',
  barriers: 'BARRIERS',
  wishes: 'WISHES',
  email: 'CONTACT',
  phone: 'CONTACT',
  'consent.channels': 'CONTACT',
  'consent.dataProcessing': 'CONSENT',
};

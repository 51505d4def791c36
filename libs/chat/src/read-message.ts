import { ageOn, isInScope, MIN_AGE } from '@walt/domain';
import type { ChatDraftFields, PlaceChoice } from '@walt/persistence';
import { placeOfCommune } from '@walt/territory';
import type { AgeBand, ChatReading, ChatStep, Question, ReadingFacts, Unusable } from './flow/steps';
import { parseContact } from './parse/contact';
import { parseBirthDate } from './parse/dates';
import { CORRECTION, EDIT, matchCommand, matchFaq, namedField, POSSESSIVE } from './parse/intents';
import { parseFirstName } from './parse/names';
import { parsePlace, pickPlace } from './parse/places';
import { hasNoWords, isOnlyEmoji, LONG_MESSAGE, looksForeign, messageText, MessageText } from './parse/text';
import {
  allOf,
  BARRIER_WORDS,
  DIPLOMA_WORDS,
  firstOf,
  NO,
  NO_BARRIER,
  SITUATION_WORDS,
  WISH_WORDS,
  WITHOUT_SHARING,
  YES,
} from './parse/vocabulary';

export interface ReadContext {
  /** The step the conversation stands at. */
  expecting: ChatStep;
  /** The first message of a session: a greeting, usually, so only an introduced name counts. */
  firstTurn: boolean;
  draft: ChatDraftFields;
  now: Date;
}

/** The reading (codes, for the workflow) and the draft as it now is, when the message changed it. */
export interface ReadResult {
  reading: ChatReading;
  draft: ChatDraftFields | null;
}

/** What one field's parser made of a text. */
type FieldParse =
  | { filled: Question; patch: Partial<ChatDraftFields>; facts?: ReadingFacts }
  | { choices: PlaceChoice[] }
  | { age: number }
  | { yes: true }
  | { no: true }
  | { problem: Unusable }
  | null;

/**
 * Reads one message against the step the conversation stands at: a command ("retour",
 * "recommencer"), a question from the FAQ, an edit or a correction of another answer, or the
 * answer to the step. Whatever it understood goes into the draft; the reading carries codes.
 */
export function readMessage(input: string, ctx: ReadContext): ReadResult {
  const text = messageText(input);
  const { folded } = text;
  const none = (reading: ChatReading): ReadResult => ({ reading, draft: null });
  if (folded) {
    const command = matchCommand(folded);
    if (command) return none({ kind: 'COMMAND', command });
    const faq = matchFaq(folded);
    if (faq) return none({ kind: 'FAQ', faqId: faq.id, human: faq.human });
  }
  if (ctx.expecting === 'DONE' || !folded) return none({ kind: 'UNUSABLE', why: diagnose(text, null) });

  if ((ctx.expecting === 'CONSENT' || ctx.expecting === 'RECAP') && NO.test(folded) && folded.split(' ').length <= 3) {
    return none({ kind: 'NO' });
  }

  // An edit or a correction: "changer mon code postal", "non c'est 69003", "ma date c'est le 3 mars 2005".
  const marker = EDIT.exec(folded) ?? CORRECTION.exec(folded) ?? (POSSESSIVE.test(folded) ? ['', ''] : null);
  let answerText = text.plain;
  if (marker) {
    const rest = text.plain.slice(marker[0].length).trim();
    const restFolded = folded.slice(marker[0].length).trim();
    const current = questionOf(ctx.expecting);
    const field = namedField(restFolded) ?? (EDIT.test(folded) ? null : fieldByShape(rest, ctx.now));
    if (field && field !== current) {
      const value = parseField(field, rest, ctx, false);
      if (value && 'filled' in value) return filled(value, ctx, true);
      if (value && 'choices' in value) return choices(value.choices, ctx);
      return none({ kind: 'EDIT', field });
    }
    if (!field && !rest && /trompe|gourre|erreur/.test(folded)) return none({ kind: 'COMMAND', command: 'BACK' });
    if (EDIT.test(folded) && field && field === current) return none({ kind: 'EDIT', field });
    // "changer une réponse" at the recap: which one is asked next.
    if (EDIT.test(folded) && !field && ctx.expecting === 'RECAP') return none({ kind: 'NO' });
    if (rest) answerText = rest;
  }

  const parsed = parseField(ctx.expecting, answerText, ctx, ctx.firstTurn);
  if (parsed && 'filled' in parsed) return filled(parsed, ctx, false);
  if (parsed && 'choices' in parsed) return choices(parsed.choices, ctx);
  if (parsed && 'age' in parsed) return none({ kind: 'AGE_ONLY', ageBand: bandOf(parsed.age) });
  if (parsed && 'yes' in parsed) return none({ kind: 'YES' });
  if (parsed && 'no' in parsed) return none({ kind: 'NO' });
  return none({ kind: 'UNUSABLE', why: diagnose(text, parsed?.problem ?? null, ctx.expecting) });
}

function filled(parse: Extract<FieldParse, { filled: Question }>, ctx: ReadContext, correction: boolean): ReadResult {
  const draft: ChatDraftFields = { ...ctx.draft, ...parse.patch };
  if (parse.filled === 'POSTAL_CODE') delete draft.choices;
  return { reading: { kind: 'FILLED', field: parse.filled, correction, facts: parse.facts }, draft };
}

function choices(places: PlaceChoice[], ctx: ReadContext): ReadResult {
  return { reading: { kind: 'CHOICES', field: 'POSTAL_CODE', count: places.length }, draft: { ...ctx.draft, choices: places } };
}

/** The question a step answers (its sub-steps belong to it). */
function questionOf(step: ChatStep): Question | null {
  if (step === 'COMMUNE') return 'POSTAL_CODE';
  if (step === 'AGE_CHECK') return 'BIRTH_DATE';
  if (step === 'RECAP' || step === 'DONE') return null;
  return step;
}

/** A correction without the field's name: what the value looks like. */
function fieldByShape(text: string, now: Date): Question | null {
  if (/@/.test(text) || /(?:\+|00)?\d(?:[\s.\-]?\d){8,}/.test(text)) return 'CONTACT';
  const date = parseBirthDate(text, now);
  if (date && 'date' in date) return 'BIRTH_DATE';
  if (/(?<!\d)\d{2} ?\d{3}(?!\d)/.test(text)) return 'POSTAL_CODE';
  return null;
}

export function bandOf(age: number): AgeBand {
  return isInScope(age) ? 'IN_SCOPE' : age < MIN_AGE ? 'TOO_YOUNG' : 'TOO_OLD';
}

function parseField(step: ChatStep, plain: string, ctx: ReadContext, firstTurn: boolean): FieldParse {
  const folded = messageText(plain).folded;
  switch (step) {
    case 'FIRST_NAME': {
      const firstName = parseFirstName(plain, { introOnly: firstTurn });
      return firstName ? { filled: 'FIRST_NAME', patch: { firstName } } : { problem: 'NAME_INVALID' };
    }
    case 'BIRTH_DATE':
    case 'AGE_CHECK': {
      const parsed = parseBirthDate(plain, ctx.now);
      if (!parsed || !('date' in parsed)) return parsed;
      const timeZone = ctx.draft.communeCode ? placeOfCommune(ctx.draft.communeCode)?.timeZone : undefined;
      const ageBand = bandOf(ageOn(parsed.date, ctx.now, timeZone));
      return { filled: 'BIRTH_DATE', patch: { birthDate: parsed.date }, facts: { ageBand } };
    }
    case 'POSTAL_CODE': {
      const parsed = parsePlace(plain);
      if (!parsed || 'problem' in parsed) return parsed;
      return parsed.places.length === 1 ? placeFilled(parsed.places[0]) : { choices: parsed.places };
    }
    case 'COMMUNE': {
      const picked = pickPlace(plain, ctx.draft.choices ?? []);
      if (picked) return placeFilled(picked);
      const parsed = parsePlace(plain);
      if (parsed && 'places' in parsed) return parsed.places.length === 1 ? placeFilled(parsed.places[0]) : { choices: parsed.places };
      return { problem: 'CHOICE_UNKNOWN' };
    }
    case 'DIPLOMA': {
      const diplomaLevel = firstOf(DIPLOMA_WORDS, folded);
      return diplomaLevel ? { filled: 'DIPLOMA', patch: { diplomaLevel } } : null;
    }
    case 'SITUATION': {
      const situation = firstOf(SITUATION_WORDS, folded);
      return situation ? { filled: 'SITUATION', patch: { situation } } : null;
    }
    case 'BARRIERS': {
      const barriers = allOf(BARRIER_WORDS, folded);
      if (barriers.length) return { filled: 'BARRIERS', patch: { barriers } };
      return NO_BARRIER.test(folded) ? { filled: 'BARRIERS', patch: { barriers: [] } } : null;
    }
    case 'WISHES': {
      const found = allOf(WISH_WORDS, folded);
      const wishes = found.length > 1 ? found.filter((w) => w !== 'NOT_SURE') : found;
      return wishes.length ? { filled: 'WISHES', patch: { wishes } } : null;
    }
    case 'CONTACT': {
      const parsed = parseContact(plain);
      if (!parsed || 'problem' in parsed) return parsed;
      return { filled: 'CONTACT', patch: { phone: parsed.phone ?? ctx.draft.phone, email: parsed.email ?? ctx.draft.email } };
    }
    case 'CONSENT':
      if (YES.test(folded) || WITHOUT_SHARING.test(folded)) {
        const shareWithPartners = !WITHOUT_SHARING.test(folded);
        return { filled: 'CONSENT', patch: { consent: { dataProcessing: true, shareWithPartners } } };
      }
      return NO.test(folded) ? { no: true } : { problem: 'CONSENT_UNCLEAR' };
    case 'RECAP':
      return YES.test(folded) ? { yes: true } : NO.test(folded) ? { no: true } : null;
    case 'DONE':
      return null;
  }
}

function placeFilled(place: PlaceChoice): FieldParse {
  const commune = placeOfCommune(place.communeCode);
  return {
    filled: 'POSTAL_CODE',
    patch: { postalCode: place.postalCode, communeCode: place.communeCode, communeName: commune?.communeName ?? place.label },
    facts: commune ? { departement: commune.departement } : undefined,
  };
}

/** Why nothing could be used: the parser's own reason first, then what the message looks like. */
function diagnose(text: MessageText, problem: Unusable | null, step?: ChatStep): Unusable {
  if (!text.plain) return text.hadMarkup ? 'MARKUP' : text.raw ? (isOnlyEmoji(text.raw) ? 'EMOJI' : 'NOT_UNDERSTOOD') : 'EMPTY';
  if (isOnlyEmoji(text.raw)) return 'EMOJI';
  if (problem && problem !== 'NAME_INVALID') return problem;
  if (hasNoWords(text.plain)) return 'NOT_UNDERSTOOD';
  if (looksForeign(text.plain)) return 'OTHER_LANGUAGE';
  if (text.hadMarkup) return 'MARKUP';
  if (text.plain.length > LONG_MESSAGE) return 'TOO_LONG';
  return problem ?? (step === 'FIRST_NAME' ? 'NAME_INVALID' : 'NOT_UNDERSTOOD');
}

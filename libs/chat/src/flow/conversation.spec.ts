import { ChatConversation } from './conversation';
import type { ChatReading, Question } from './steps';

const AT = '2026-06-15T10:00:00.000Z';
const filled = (field: Question, extra: Partial<Extract<ChatReading, { kind: 'FILLED' }>> = {}): ChatReading => ({
  kind: 'FILLED',
  field,
  correction: false,
  ...extra,
});

/** A conversation that has answered every question up to (not including) `until`. */
function upTo(until: Question | 'RECAP'): ChatConversation {
  const chat = ChatConversation.start('s', 'c', AT, 'NEW');
  chat.decide({ kind: 'UNUSABLE', why: 'NOT_UNDERSTOOD' }, AT); // the greeting
  for (const q of [
    'FIRST_NAME',
    'BIRTH_DATE',
    'POSTAL_CODE',
    'DIPLOMA',
    'SITUATION',
    'BARRIERS',
    'WISHES',
    'CONTACT',
    'CONSENT',
  ] as const) {
    if (q === until) break;
    chat.decide(filled(q, q === 'BIRTH_DATE' ? { facts: { ageBand: 'IN_SCOPE' } } : {}), AT);
  }
  return chat;
}

describe('the conversation, step by step (pure: no service)', () => {
  it('welcomes whatever the first message, then asks one question at a time, then the recap', () => {
    const chat = ChatConversation.start('s', 'c', AT, 'AFTER_EXPIRY');
    expect(chat.decide({ kind: 'UNUSABLE', why: 'NAME_INVALID' }, AT).reply).toEqual({
      intent: 'WELCOME',
      ask: 'FIRST_NAME',
      welcome: 'AFTER_EXPIRY',
    });
    expect(chat.decide(filled('FIRST_NAME'), AT).reply).toEqual({ intent: 'ASK', detail: 'FIRST_NAME', ask: 'BIRTH_DATE' });
    expect(upTo('RECAP').state).toMatchObject({ step: 'RECAP', recapAt: AT, unusable: 0 });
  });

  it('three answers it cannot use for one question turn into help, and failures count per question', () => {
    const chat = upTo('DIPLOMA');
    const intents = [1, 2, 3, 4].map(() => chat.decide({ kind: 'UNUSABLE', why: 'NOT_UNDERSTOOD' }, AT).reply.intent);
    expect(intents).toEqual(['UNUSABLE', 'UNUSABLE', 'HELP', 'HELP']);
    chat.decide(filled('DIPLOMA'), AT);
    expect(chat.decide({ kind: 'UNUSABLE', why: 'NOT_UNDERSTOOD' }, AT).reply.intent).toBe('UNUSABLE');
  });

  it('a correction of another answer resumes the question it stood at; a FAQ too', () => {
    const chat = upTo('SITUATION');
    expect(chat.decide(filled('POSTAL_CODE', { correction: true }), AT).reply).toMatchObject({ intent: 'CORRECTED', ask: 'SITUATION' });
    expect(chat.decide({ kind: 'FAQ', faqId: 'free', human: false }, AT).reply).toEqual({
      intent: 'FAQ',
      detail: 'free',
      ask: 'SITUATION',
    });
    expect(chat.decide({ kind: 'FAQ', faqId: 'human', human: true }, AT).reply.intent).toBe('HUMAN');
    expect(chat.state.humanRequested).toBe(true);
  });

  it('an edit from the recap comes back to the recap; "retour" goes to the question before', () => {
    const chat = upTo('RECAP');
    expect(chat.decide({ kind: 'EDIT', field: 'DIPLOMA' }, AT).reply).toEqual({ intent: 'EDIT', detail: 'DIPLOMA', ask: 'DIPLOMA' });
    expect(chat.decide(filled('DIPLOMA'), AT).reply).toMatchObject({ intent: 'RECAP', ask: 'RECAP' });
    expect(chat.decide({ kind: 'COMMAND', command: 'BACK' }, AT).reply).toEqual({ intent: 'BACK', detail: 'CONSENT', ask: 'CONSENT' });
  });

  it('out of 16-25: the age check first, until corrected or accepted', () => {
    const chat = upTo('BIRTH_DATE');
    expect(chat.decide(filled('BIRTH_DATE', { facts: { ageBand: 'TOO_OLD' } }), AT).reply).toMatchObject({
      intent: 'AGE_CHECK',
      ask: 'AGE_CHECK',
      ageBand: 'TOO_OLD',
    });
    expect(chat.decide({ kind: 'FAQ', faqId: 'free', human: false }, AT).reply.ask).toBe('AGE_CHECK');
    expect(chat.decide({ kind: 'COMMAND', command: 'CONTINUE' }, AT).reply).toEqual({ intent: 'ASK', ask: 'POSTAL_CODE' });
    expect(chat.decide(filled('BIRTH_DATE', { correction: true, facts: { ageBand: 'TOO_YOUNG' } }), AT).reply.ask).toBe('AGE_CHECK');
  });

  it('the recap confirmed submits; intake refusing a field asks it again; accepted, the conversation is done', () => {
    const chat = upTo('RECAP');
    expect(chat.decide({ kind: 'YES' }, AT).submit).toBe(true);
    expect(chat.submitted({ outcome: 'REJECTED', fields: ['phone'] })).toEqual({
      intent: 'INTAKE_PROBLEM',
      detail: 'CONTACT',
      ask: 'CONTACT',
    });
    chat.decide(filled('CONTACT'), AT);
    expect(chat.submitted({ outcome: 'CREATED', caseId: 'k', eligible: true, messageKey: 'created' })).toEqual({
      intent: 'SUBMITTED',
      detail: 'created',
      ask: null,
    });
    expect(chat.done).toBe(true);
    expect(chat.decide({ kind: 'FAQ', faqId: 'human', human: true }, AT)).toMatchObject({
      flagHuman: true,
      reply: { intent: 'HUMAN', ask: null },
    });
  });

  it('consent refused, "efface tout" and "stop" end the session; "recommencer" empties the draft', () => {
    expect(upTo('CONSENT').decide({ kind: 'NO' }, AT)).toEqual({ reply: { intent: 'CONSENT_REFUSED', ask: null }, end: 'REFUSED' });
    expect(upTo('DIPLOMA').decide({ kind: 'COMMAND', command: 'ERASE' }, AT).end).toBe('ERASED');
    const chat = upTo('WISHES');
    expect(chat.decide({ kind: 'COMMAND', command: 'RESTART' }, AT)).toEqual({
      reply: { intent: 'RESTARTED', ask: 'FIRST_NAME' },
      clearDraft: true,
    });
    expect(chat.state.filled).toEqual([]);
  });
});

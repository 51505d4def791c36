import { AgeBand, ChatCommand, ChatEndReason, ChatReading, ChatStep, QUESTION_OF_FORM_FIELD, QUESTIONS, Question, Unusable } from './steps';

/**
 * The conversation's rules, pure: given what the activity read in a message, where it stands
 * now, what to answer, and what to do besides answering. The workflow holds one of these; the
 * fast specs beside this file drive it without any service.
 */

export type ReplyIntent =
  /** The first reply of a session: who the bot is and what it will ask, then the first question. */
  | 'WELCOME'
  /** `detail` was understood (or nothing to acknowledge): the next question. */
  | 'ASK'
  | 'AGE_ONLY'
  | 'AGE_CHECK'
  | 'CHOOSE_PLACE'
  | 'UNUSABLE'
  /** Three answers in a row it could not use for one question: no more insisting, help instead. */
  | 'HELP'
  | 'FAQ'
  | 'HUMAN'
  | 'CORRECTED'
  | 'EDIT'
  | 'BACK'
  | 'RESTARTED'
  /** What is filled so far ("récap" before the end), then the question where it stood. */
  | 'PROGRESS'
  | 'RECAP'
  | 'RECAP_CHANGE'
  | 'SUBMITTED'
  | 'INTAKE_PROBLEM'
  | 'AFTER_DONE'
  | 'CONSENT_REFUSED'
  | 'ERASED'
  | 'STOPPED';

/** What to answer, in codes: the activity renders the text from the templates and the draft. */
export interface ChatReply {
  intent: ReplyIntent;
  /** The field acknowledged or corrected, the reason a message was unusable, the FAQ id, the intake message key. */
  detail?: string;
  /** The step the reply asks for at its end; null once the conversation is over. */
  ask: ChatStep | null;
  /** Set on the first reply of a session, which then starts with who the bot is. */
  welcome?: SessionStart;
  ageBand?: AgeBand;
}

export type SessionStart = 'NEW' | 'AFTER_EXPIRY' | 'AFTER_COMPLETION';

/** What the workflow does besides answering. */
export interface ChatDecision {
  reply: ChatReply;
  /** "recommencer": the draft is emptied. */
  clearDraft?: boolean;
  /** The recap is confirmed: submit the draft to intake. */
  submit?: boolean;
  /** The session ends now and its draft and transcript are deleted. */
  end?: Exclude<ChatEndReason, 'COMPLETED' | 'EXPIRED'>;
  /** After the case exists, asking for a person adds a note to the case. */
  flagHuman?: boolean;
}

/** What intake answered, in codes. */
export type ChatSubmission =
  { outcome: 'CREATED' | 'REPEATED'; caseId: string; eligible: boolean; messageKey: string } | { outcome: 'REJECTED'; fields: string[] };

/** Everything the workflow knows about a conversation: codes, counts and times, never a value typed. */
export interface ChatState {
  sessionId: string;
  conversationId: string;
  startedAt: string;
  step: ChatStep;
  filled: Question[];
  /** Answers it could not use, per step (reset when the step is answered). */
  failures: Partial<Record<ChatStep, number>>;
  reached: ChatStep[];
  turns: number;
  unusable: number;
  humanRequested: boolean;
  ageBand?: AgeBand;
  /** Out of 16-25 and chose to go on anyway: intake will close the case OUT_OF_SCOPE, as for a form. */
  ageAccepted: boolean;
  departement?: string;
  recapAt?: string;
  caseId?: string;
  ended?: ChatEndReason;
  start: SessionStart;
}

/** What the conversation writer records (chat_conversations): the funnel's facts. */
export interface ChatProgress {
  sessionId: string;
  conversationId: string;
  step: ChatStep;
  reached: ChatStep[];
  turns: number;
  unusable: number;
  humanRequested: boolean;
  departement: string | null;
  recapAt: string | null;
  at: string;
}

export const FAILURES_BEFORE_HELP = 3;

/** The question before `step` in the order asked (the step of a question's sub-steps is the question itself). */
function previousQuestion(step: ChatStep): Question {
  if (step === 'COMMUNE') return 'POSTAL_CODE';
  if (step === 'AGE_CHECK') return 'BIRTH_DATE';
  if (step === 'RECAP' || step === 'DONE') return 'CONSENT';
  const index = QUESTIONS.indexOf(step);
  return QUESTIONS[Math.max(0, index - 1)];
}

export class ChatConversation {
  constructor(readonly state: ChatState) {}

  static start(sessionId: string, conversationId: string, startedAt: string, start: SessionStart): ChatConversation {
    return new ChatConversation({
      sessionId,
      conversationId,
      startedAt,
      step: 'FIRST_NAME',
      filled: [],
      failures: {},
      reached: ['FIRST_NAME'],
      turns: 0,
      unusable: 0,
      humanRequested: false,
      ageAccepted: false,
      start,
    });
  }

  get done(): boolean {
    return this.state.step === 'DONE';
  }

  get ended(): boolean {
    return this.state.ended !== undefined;
  }

  /** The step the next message is read against. */
  get expecting(): ChatStep {
    return this.state.step;
  }

  get isFirstTurn(): boolean {
    return this.state.turns === 0;
  }

  progress(at: string): ChatProgress {
    const s = this.state;
    return {
      sessionId: s.sessionId,
      conversationId: s.conversationId,
      step: s.step,
      reached: [...s.reached],
      turns: s.turns,
      unusable: s.unusable,
      humanRequested: s.humanRequested,
      departement: s.departement ?? null,
      recapAt: s.recapAt ?? null,
      at,
    };
  }

  /** One message read: the state moves, and the answer and side effects are returned. */
  decide(reading: ChatReading, now: string): ChatDecision {
    const first = this.isFirstTurn;
    this.state.turns += 1;
    if (this.done) return this.afterDone(reading);
    // The first message is most often a greeting: anything but a name, a question or a command gets the welcome.
    if (first && !['FILLED', 'FAQ', 'COMMAND'].includes(reading.kind)) {
      return { reply: { intent: 'WELCOME', ask: 'FIRST_NAME', welcome: this.state.start } };
    }
    const decision = this.read(reading, now);
    if (first) decision.reply.welcome = this.state.start;
    return decision;
  }

  /** Intake's answer to the submission. */
  submitted(result: ChatSubmission): ChatReply {
    if (result.outcome === 'REJECTED') {
      const questions = QUESTIONS.filter((q) => result.fields.some((f) => QUESTION_OF_FORM_FIELD[f] === q));
      const refused = questions.length ? questions : (['CONTACT'] as Question[]);
      this.state.filled = this.state.filled.filter((q) => !refused.includes(q));
      this.goTo(refused[0]);
      return { intent: 'INTAKE_PROBLEM', detail: refused[0], ask: refused[0] };
    }
    this.state.caseId = result.caseId;
    this.goTo('DONE');
    return { intent: 'SUBMITTED', detail: result.messageKey, ask: null };
  }

  /** The session ends for `reason` (expiry, or an ending decision already applied). */
  end(reason: ChatEndReason): void {
    this.state.ended ??= reason;
  }

  private read(reading: ChatReading, now: string): ChatDecision {
    switch (reading.kind) {
      case 'COMMAND':
        return this.command(reading.command, now);
      case 'FAQ':
        if (reading.human) this.state.humanRequested = true;
        return { reply: { intent: reading.human ? 'HUMAN' : 'FAQ', detail: reading.faqId, ask: this.resumeStep(now) } };
      case 'FILLED':
        return this.filled(reading, now);
      case 'CHOICES':
        this.goTo('COMMUNE');
        return { reply: { intent: 'CHOOSE_PLACE', detail: String(reading.count), ask: 'COMMUNE' } };
      case 'AGE_ONLY':
        this.goTo('BIRTH_DATE');
        return { reply: { intent: 'AGE_ONLY', ask: 'BIRTH_DATE', ageBand: reading.ageBand } };
      case 'YES':
        if (this.state.step === 'RECAP') return { reply: { intent: 'RECAP', ask: 'RECAP' }, submit: true };
        return this.unusable('NOT_UNDERSTOOD');
      case 'NO':
        if (this.state.step === 'CONSENT') return this.ending('REFUSED', 'CONSENT_REFUSED');
        if (this.state.step === 'RECAP') return { reply: { intent: 'RECAP_CHANGE', ask: 'RECAP' } };
        return this.unusable('NOT_UNDERSTOOD');
      case 'EDIT':
        this.goTo(reading.field);
        return { reply: { intent: 'EDIT', detail: reading.field, ask: reading.field } };
      case 'UNUSABLE':
        return this.unusable(reading.why);
    }
  }

  private filled(reading: Extract<ChatReading, { kind: 'FILLED' }>, now: string): ChatDecision {
    const { field, facts } = reading;
    const s = this.state;
    if (!s.filled.includes(field)) s.filled.push(field);
    if (facts?.departement) s.departement = facts.departement;
    if (field === 'BIRTH_DATE') {
      s.ageBand = facts?.ageBand;
      s.ageAccepted = false;
    }
    const answered: ChatStep = field === 'POSTAL_CODE' && s.step === 'COMMUNE' ? 'COMMUNE' : field;
    const correction = reading.correction && answered !== s.step && !(s.step === 'AGE_CHECK' && field === 'BIRTH_DATE');
    if (!correction) s.failures[s.step] = 0;
    const ask = correction ? this.resumeStep(now) : this.advance(now);
    const intent = ask === 'AGE_CHECK' ? 'AGE_CHECK' : correction ? 'CORRECTED' : ask === 'RECAP' ? 'RECAP' : 'ASK';
    return { reply: { intent, detail: field, ask, ageBand: ask === 'AGE_CHECK' ? s.ageBand : undefined } };
  }

  private command(command: ChatCommand, now: string): ChatDecision {
    const s = this.state;
    switch (command) {
      case 'RESTART':
        Object.assign(s, { filled: [], failures: {}, ageBand: undefined, ageAccepted: false, departement: undefined });
        this.goTo('FIRST_NAME');
        return { reply: { intent: 'RESTARTED', ask: 'FIRST_NAME' }, clearDraft: true };
      case 'BACK': {
        const previous = previousQuestion(s.step);
        this.goTo(previous);
        return { reply: { intent: 'BACK', detail: previous, ask: previous } };
      }
      case 'RECAP': {
        const ask = this.resumeStep(now);
        return { reply: { intent: ask === 'RECAP' ? 'RECAP' : 'PROGRESS', ask } };
      }
      case 'ERASE':
        return this.ending('ERASED', 'ERASED');
      case 'STOP':
        return this.ending('STOPPED', 'STOPPED');
      case 'CONTINUE':
        if (s.step === 'AGE_CHECK') {
          s.ageAccepted = true;
          return { reply: { intent: 'ASK', ask: this.advance(now) } };
        }
        return { reply: { intent: 'ASK', ask: this.resumeStep(now) } };
    }
  }

  private unusable(why: Unusable): ChatDecision {
    const s = this.state;
    s.unusable += 1;
    const failures = (s.failures[s.step] ?? 0) + 1;
    s.failures[s.step] = failures;
    return { reply: { intent: failures >= FAILURES_BEFORE_HELP ? 'HELP' : 'UNUSABLE', detail: why, ask: s.step } };
  }

  private ending(reason: NonNullable<ChatDecision['end']>, intent: ReplyIntent): ChatDecision {
    this.state.ended = reason;
    return { reply: { intent, ask: null }, end: reason };
  }

  private afterDone(reading: ChatReading): ChatDecision {
    if (reading.kind === 'FAQ') {
      if (reading.human) this.state.humanRequested = true;
      return { reply: { intent: reading.human ? 'HUMAN' : 'FAQ', detail: reading.faqId, ask: null }, flagHuman: reading.human };
    }
    return { reply: { intent: 'AFTER_DONE', ask: null } };
  }

  /** Where the questions go next: a pending age check, the first question not answered, then the recap. */
  private nextStep(): ChatStep {
    const s = this.state;
    if (s.filled.includes('BIRTH_DATE') && s.ageBand && s.ageBand !== 'IN_SCOPE' && !s.ageAccepted) return 'AGE_CHECK';
    return QUESTIONS.find((q) => !s.filled.includes(q)) ?? 'RECAP';
  }

  private advance(now: string): ChatStep {
    return this.goTo(this.nextStep(), now);
  }

  /** After a question, a correction or a FAQ: the step it stood at, unless the age check now comes first or is settled. */
  private resumeStep(now: string): ChatStep {
    const next = this.nextStep();
    if (next === 'AGE_CHECK' || this.state.step === 'AGE_CHECK') return this.goTo(next, now);
    return this.state.step;
  }

  private goTo(step: ChatStep, now?: string): ChatStep {
    const s = this.state;
    s.step = step;
    if (!s.reached.includes(step)) s.reached.push(step);
    if (step === 'RECAP' && now && !s.recapAt) s.recapAt = now;
    return step;
  }
}

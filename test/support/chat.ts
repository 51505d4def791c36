import { randomUUID } from 'node:crypto';
import type { TestSystem } from './test-system';

/** A reply of POST /v1/intake/chat/messages, as the tests read it. */
export interface ChatAnswer {
  reply: string;
  quickReplies: { label: string; value: string }[];
  done: boolean;
  caseId?: string;
  intent: string;
  detail?: string;
  question: string | null;
  turn: number;
}

/** One young person chatting through the real API: every message typed is remembered, for the history scan. */
export class ChatTester {
  readonly conversationId = randomUUID();
  readonly typed: string[] = [];
  /** The personal values this young person typed, as they could appear in a history (see personalValuesOf). */
  readonly personal: string[] = [];

  constructor(
    private readonly sys: TestSystem,
    private readonly options: { campaign?: string } = {},
  ) {}

  async say(text: string): Promise<ChatAnswer> {
    this.typed.push(text);
    const res = await this.sys
      .http()
      .post('/v1/intake/chat/messages')
      .send({ conversationId: this.conversationId, text, ...(this.options.campaign ? { campaign: this.options.campaign } : {}) });
    if (res.status !== 200) throw new Error(`POST chat message ${JSON.stringify(text)} → ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** Remembers personal values typed (and the forms they take once normalised), for the history scan. */
  remember(...values: string[]): this {
    for (const value of values) {
      this.personal.push(value);
      const digits = value.replace(/\D/g, '');
      if (digits.length >= 9) this.personal.push(digits, digits.replace(/^0+/, '').replace(/^33/, ''));
    }
    return this;
  }

  /** Says each message in turn, expecting each answer's intent and question: `[text, intent, question]`. */
  async script(steps: [string, string, string | null][]): Promise<ChatAnswer[]> {
    const answers: ChatAnswer[] = [];
    for (const [text, intent, question] of steps) {
      const answer = await this.say(text);
      expect({ text, intent: answer.intent, question: answer.question }).toEqual({ text, intent, question });
      answers.push(answer);
    }
    return answers;
  }
}

let counter = 0;
/** A mobile number and email nobody else in the run has (the same person must not match another test's). */
export function uniqueContact(): { phone: string; email: string } {
  counter += 1;
  const digits = String((Date.now() * 7 + counter * 7919) % 100_000_000).padStart(8, '0');
  return { phone: `07${digits}`, email: `chat.${Date.now().toString(36)}${counter}@example.org` };
}

/** A birth date `years` years and a few days ago, in the French shape people type (DD/MM/YYYY). */
export function typedBirthDate(years: number): { typed: string; iso: string } {
  const d = new Date();
  d.setUTCFullYear(d.getUTCFullYear() - years);
  d.setUTCDate(d.getUTCDate() - 3);
  const iso = d.toISOString().slice(0, 10);
  const [y, m, day] = iso.split('-');
  return { typed: `${day}/${m}/${y}`, iso };
}

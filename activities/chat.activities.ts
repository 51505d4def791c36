import { Context } from '@temporalio/activity';
import type { DataSource } from 'typeorm';
import { durationMs } from '@walt/domain';
import { ChatEndReason, ChatProgress, ChatReading, ChatReply, ChatStep, ChatSubmission, readMessage, renderReply } from '@walt/chat';
import { IntakeCapture, IntakeRejected, IntakeSubmission, PolicyChoice } from '@walt/intake';
import {
  CaseNotesRepository,
  ChatConversationsWriter,
  ChatDraftFields,
  ChatSessionEnd,
  ChatTranscriptRepository,
  JourneyEventsRepository,
  JourneyEventEntity,
  PoliciesRepository,
} from '@walt/persistence';
import { JourneyStarter } from '@walt/temporal';

export type { ChatProgress, ChatReading, ChatReply, ChatSubmission };

export interface OpenedChat {
  /** The policy's chatIdleExpiry, in ms, as the session started. */
  idleExpiryMs: number;
  /** How the conversation's previous session ended (a new session is polite about it). */
  previous: ChatSessionEnd | null;
}

export interface ChatMessageToRead {
  messageId: string;
  turn: number;
  expecting: ChatStep;
  firstTurn: boolean;
  progress: ChatProgress;
}

const HUMAN_NOTE = 'Demande à parler à une personne (chatbot) : à rappeler en priorité.';

/**
 * The chat intake's activities: the only place its text is read and written. They take and
 * return ids and codes; the message, the draft and the rendered replies stay in PostgreSQL.
 */
export class ChatActivities {
  private readonly transcript: ChatTranscriptRepository;
  private readonly sessions: ChatConversationsWriter;
  private readonly policies: PolicyChoice;
  private readonly events: JourneyEventsRepository;
  private readonly notes: CaseNotesRepository;

  constructor(
    private readonly dataSource: DataSource,
    /** Starts the journey of a new case (default: through the worker's own client). */
    private readonly journeyStarter?: Pick<JourneyStarter, 'start'>,
    /** The policy a conversation and its journey start with (tests give theirs a version of their own). */
    policies?: PolicyChoice,
  ) {
    this.transcript = new ChatTranscriptRepository(dataSource);
    this.sessions = new ChatConversationsWriter(dataSource);
    this.policies = policies ?? new PolicyChoice(new PoliciesRepository(dataSource));
    this.events = new JourneyEventsRepository(dataSource);
    this.notes = new CaseNotesRepository(dataSource);
  }

  async openChat(session: { sessionId: string; conversationId: string; campaign: string | null; at: string }): Promise<OpenedChat> {
    const previous = await this.sessions.open(session);
    const policy = await this.policies.versionFor(session.conversationId);
    return { idleExpiryMs: durationMs(policy.chatIdleExpiry), previous };
  }

  /**
   * Reads a message against the step expected, keeps what it understood in the draft, returns
   * codes. (The session's progress is recorded with the reply, which every turn writes.)
   */
  async readChatMessage(message: ChatMessageToRead): Promise<ChatReading> {
    const { sessionId, conversationId } = message.progress;
    const [text, draft] = await Promise.all([
      this.transcript.readForTurn(message.messageId, conversationId, sessionId, message.turn),
      this.sessions.draft(sessionId),
    ]);
    if (text === null) return { kind: 'UNUSABLE', why: 'EMPTY' };
    const { reading, draft: changed } = readMessage(text, {
      expecting: message.expecting,
      firstTurn: message.firstTurn,
      draft,
      now: new Date(),
    });
    if (changed) await this.sessions.saveDraft(sessionId, conversationId, changed);
    return reading;
  }

  /** Renders the reply from its codes and the draft, and stores it in the transcript (once per turn). */
  async replyChat(turn: { turn: number; reply: ChatReply; progress: ChatProgress }): Promise<{ replyId: string }> {
    const { sessionId, conversationId } = turn.progress;
    const [draft] = await Promise.all([this.sessions.draft(sessionId), this.sessions.progress(turn.progress)]);
    const { text, quickReplies } = renderReply(turn.reply, draft);
    const replyId = await this.transcript.addReply({
      sessionId,
      conversationId,
      turn: turn.turn,
      text,
      intent: turn.reply.intent,
      quickReplies,
    });
    return { replyId };
  }

  async clearChatDraft(session: { sessionId: string }): Promise<void> {
    await this.sessions.clearDraft(session.sessionId);
  }

  /**
   * The recap is confirmed: the draft goes to the same intake as the form (rules, dedupe on the
   * same person, OUT_OF_SCOPE, consent), source CHATBOT; the journey starts as for a form.
   */
  async submitChat(submission: { campaign: string | null; progress: ChatProgress }): Promise<ChatSubmission> {
    const { sessionId, conversationId } = submission.progress;
    const draft = await this.sessions.draft(sessionId);
    const capture = new IntakeCapture(this.dataSource, this.events, this.policies, this.journeyStarter ?? this.workerStarter());
    const missing = missingFields(draft);
    if (missing.length) return { outcome: 'REJECTED', fields: missing };
    try {
      const result = await capture.submit(toSubmission(conversationId, draft, submission.campaign), new Date());
      if (submission.progress.humanRequested) await this.flagForCounsellor({ caseId: result.caseId, sessionId });
      await this.sessions.complete(submission.progress, { caseId: result.caseId, outcome: result.status, eligible: result.eligible });
      return { outcome: result.status, caseId: result.caseId, eligible: result.eligible, messageKey: result.messageKey };
    } catch (err) {
      if (err instanceof IntakeRejected) return { outcome: 'REJECTED', fields: err.problems.map((p) => p.field) };
      throw err;
    }
  }

  /**
   * Asking for a person flags the case for a counsellor: a note and its NOTE_ADDED event in the
   * timeline, once per session whatever the retries.
   */
  async flagForCounsellor(flag: { caseId: string; sessionId: string }): Promise<void> {
    const idempotencyKey = `chat-human:${flag.sessionId}`;
    await this.dataSource.transaction(async (manager) => {
      if (await manager.existsBy(JourneyEventEntity, { idempotencyKey })) return;
      const note = await this.notes.add(flag.caseId, 'chatbot', HUMAN_NOTE, manager);
      await this.events.recordIn(manager, {
        caseId: flag.caseId,
        idempotencyKey,
        type: 'NOTE_ADDED',
        actor: 'chatbot',
        at: note.createdAt,
        data: { noteId: note.id },
      });
    });
  }

  /** The session ends: recorded, its draft and transcript deleted (but the closing reply, if any). */
  async endChat(end: { reason: ChatEndReason; progress: ChatProgress; keepReplyId?: string }): Promise<void> {
    await this.sessions.end(end.progress, end.reason, end.keepReplyId);
  }

  private workerStarter(): JourneyStarter {
    return new JourneyStarter(Context.current().client, this.dataSource);
  }
}

/** The form's fields a draft still lacks (the flow asks them all; a draft emptied meanwhile lacks them). */
function missingFields(draft: ChatDraftFields): string[] {
  const required: [string, unknown][] = [
    ['firstName', draft.firstName],
    ['birthDate', draft.birthDate],
    ['postalCode', draft.postalCode],
    ['diplomaLevel', draft.diplomaLevel],
    ['situation', draft.situation],
    ['wishes', draft.wishes?.length ? draft.wishes : undefined],
    ['email', draft.email ?? draft.phone],
    ['consent.dataProcessing', draft.consent?.dataProcessing || undefined],
  ];
  return required.filter(([, value]) => value === undefined || value === '').map(([field]) => field);
}

/** The draft as the form's fields, once missingFields found none missing. */
function toSubmission(conversationId: string, draft: ChatDraftFields, campaign: string | null): IntakeSubmission {
  const channels = [...(draft.phone ? (['SMS'] as const) : []), ...(draft.email ? (['EMAIL'] as const) : [])];
  return {
    submissionId: conversationId,
    firstName: draft.firstName!,
    lastName: null,
    birthDate: draft.birthDate!,
    email: draft.email ?? null,
    phone: draft.phone ?? null,
    postalCode: draft.postalCode!,
    communeCode: draft.communeCode,
    diplomaLevel: draft.diplomaLevel!,
    situation: draft.situation!,
    barriers: draft.barriers ?? [],
    wishes: draft.wishes ?? [],
    consent: {
      dataProcessing: draft.consent?.dataProcessing === true,
      shareWithPartners: draft.consent?.shareWithPartners ?? false,
      channels,
    },
    source: { channel: 'CHATBOT', campaign },
  };
}

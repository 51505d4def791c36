import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { RetryPolicy } from '@temporalio/common';
import type { ChatActivities } from '../activities/chat.activities';
import { ChatConversation, ChatState, SessionStart } from '../libs/chat/src/flow/conversation';
import type { ChatEndReason } from '../libs/chat/src/flow/steps';
import * as m from './messages';
import type { ChatIntakeInput } from './messages';

const retry: RetryPolicy = { initialInterval: '200 milliseconds', maximumInterval: '5 seconds', maximumAttempts: 20 };
// Reading and replying are short database work on the worker's own connection: local activities,
// so a turn costs no extra round trip to the Temporal server.
const turnSteps = proxyLocalActivities<ChatActivities>({ startToCloseTimeout: '15 seconds', retry });
// Submitting writes the case and starts its journey on the server: a regular activity.
const intake = proxyActivities<ChatActivities>({ startToCloseTimeout: '1 minute', retry });

/** What continue-as-new carries: the conversation's codes and its idle expiry. */
export interface ChatCarried {
  state: ChatState;
  idleExpiryMs: number;
}

export interface ChatOutcome {
  ended: ChatEndReason;
  caseId?: string;
}

const START_AFTER: Record<string, SessionStart> = { EXPIRED: 'AFTER_EXPIRY', COMPLETED: 'AFTER_COMPLETION' };

/**
 * Handlers that await activities would interleave: each turn, the expiry and an end run alone,
 * in the order they arrived (two messages sent at once are answered one after the other).
 */
class TurnLock {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/**
 * One chatbot conversation (`chat-<conversationId>`), reached by update-with-start: the first
 * message starts it. It asks the intake questions one at a time, answers questions, takes
 * corrections, and ends by submitting to the same intake as the form. It knows the step, the
 * fields filled and non-identifying facts; the text of every message and the draft of what was
 * understood are in PostgreSQL. Left alone for the policy's chatIdleExpiry, it deletes its
 * draft and transcript and ends; a message after that starts a new session, politely.
 */
export async function chatIntakeWorkflow(input: ChatIntakeInput, carried?: ChatCarried): Promise<ChatOutcome> {
  const lock = new TurnLock();
  let chat: ChatConversation | undefined = carried && new ChatConversation(carried.state);
  let idleExpiryMs = carried?.idleExpiryMs ?? 0;
  /** Messages and ends received (counted as they arrive, before they wait for the lock). */
  let arrivals = 0;
  const now = () => new Date().toISOString();

  // Queued first: an update that came with the start is delivered as soon as its handler is set.
  const opening = chat
    ? Promise.resolve()
    : lock.run(async () => {
        const sessionId = uuid4();
        const startedAt = now();
        const opened = await turnSteps.openChat({
          sessionId,
          conversationId: input.conversationId,
          campaign: input.campaign ?? null,
          at: startedAt,
        });
        idleExpiryMs = opened.idleExpiryMs;
        chat = ChatConversation.start(
          sessionId,
          input.conversationId,
          startedAt,
          (opened.previous && START_AFTER[opened.previous]) ?? 'NEW',
        );
      });

  setHandler(
    m.chatMessageUpdate,
    (arrived) => {
      arrivals += 1;
      return lock.run(() => turn(arrived));
    },
    { validator: (_: m.ChatMessageArrived) => refuseOnceEnded() },
  );
  setHandler(m.endChatUpdate, () => {
    arrivals += 1;
    return lock.run(() => endNow('ERASED'));
  });
  setHandler(m.chatStateQuery, () => view());

  await opening;
  const conversation = current();

  while (!conversation.ended) {
    const seen = arrivals;
    const active = await condition(() => conversation.ended || arrivals !== seen, idleExpiryMs);
    if (!active) await lock.run(() => (arrivals === seen ? endNow(conversation.done ? 'COMPLETED' : 'EXPIRED') : Promise.resolve()));
    if (!conversation.ended && workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      return continueAsNew<typeof chatIntakeWorkflow>(input, { state: conversation.state, idleExpiryMs });
    }
  }
  await condition(allHandlersFinished);
  return { ended: conversation.state.ended!, caseId: conversation.state.caseId };

  /** One message: read by an activity, decided here, answered by an activity. */
  async function turn({ messageId }: m.ChatMessageArrived): Promise<m.ChatTurn> {
    if (current().ended) throw ended();
    const number = current().state.turns + 1;
    const reading = await turnSteps.readChatMessage({
      messageId,
      turn: number,
      expecting: current().expecting,
      firstTurn: current().isFirstTurn,
      progress: current().progress(now()),
    });
    const decision = current().decide(reading, now());
    let reply = decision.reply;
    if (decision.clearDraft) await turnSteps.clearChatDraft({ sessionId: current().state.sessionId });
    if (decision.submit)
      reply = current().submitted(await intake.submitChat({ campaign: input.campaign ?? null, progress: current().progress(now()) }));
    const caseId = current().state.caseId;
    if (decision.flagHuman && caseId) await intake.flagForCounsellor({ caseId, sessionId: current().state.sessionId });
    const { replyId } = await turnSteps.replyChat({ turn: number, reply, progress: current().progress(now()) });
    if (decision.end) await turnSteps.endChat({ reason: decision.end, progress: current().progress(now()), keepReplyId: replyId });
    return {
      turn: number,
      replyId,
      intent: reply.intent,
      detail: reply.detail,
      ask: reply.ask,
      done: current().done || current().ended,
      caseId: current().state.caseId,
    };
  }

  async function endNow(reason: ChatEndReason): Promise<void> {
    if (current().ended) return;
    current().end(reason);
    await turnSteps.endChat({ reason, progress: current().progress(now()) });
  }

  /** Set once the session is open, before any turn runs (turns wait for the opening in the lock). */
  function current(): ChatConversation {
    return chat!;
  }

  function refuseOnceEnded(): void {
    if (chat?.ended) throw ended();
  }

  function ended(): ApplicationFailure {
    return ApplicationFailure.create({
      type: m.CHAT_ENDED,
      message: 'This conversation has ended; a new message starts a new one.',
      nonRetryable: true,
    });
  }

  function view(): m.ChatView {
    const s = chat?.state;
    return {
      sessionId: s?.sessionId ?? '',
      step: s?.step ?? 'FIRST_NAME',
      filled: [...(s?.filled ?? [])],
      turns: s?.turns ?? 0,
      done: chat?.done ?? false,
      ended: s?.ended ?? null,
      humanRequested: s?.humanRequested ?? false,
      caseId: s?.caseId,
    };
  }
}

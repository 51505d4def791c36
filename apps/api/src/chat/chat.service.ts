import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  Client,
  WithStartWorkflowOperation,
  WorkflowIdConflictPolicy,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { DataSource } from 'typeorm';
import { ChatConversationsWriter, ChatTranscriptRepository } from '@walt/persistence';
import { chatWorkflowId, TASK_QUEUE } from '@walt/temporal';
import { CHAT_ENDED, ChatIntakeInput, chatMessageUpdate, ChatTurn, endChatUpdate } from '../../../../workflows/messages';
import { notFound, unavailable } from '../common/api-error';
import { TEMPORAL_CLIENT } from '../infrastructure/tokens';
import { ChatMessageDto, ChatReplyDto, ChatTranscriptDto } from './dto/chat.dto';

/** A session that had just ended when a message reached it: the message goes again, to a new session. */
const ENDED_RETRIES = 5;

/**
 * The chatbot's door. A message is stored, then handed to the conversation's workflow by its id
 * (update-with-start: the first one starts it); the reply the workflow stored is read back by id.
 */
@Injectable()
export class ChatService {
  private readonly logger = new Logger(ChatService.name);
  private readonly transcript: ChatTranscriptRepository;
  private readonly sessions: ChatConversationsWriter;

  constructor(
    dataSource: DataSource,
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
  ) {
    this.transcript = new ChatTranscriptRepository(dataSource);
    this.sessions = new ChatConversationsWriter(dataSource);
  }

  async send(dto: ChatMessageDto): Promise<ChatReplyDto> {
    const message = await this.transcript.addYouthMessage(dto.conversationId, dto.text);
    let turn: ChatTurn;
    try {
      turn = await this.deliver(dto, message.id);
    } catch (err) {
      // Nothing is kept of a message the conversation never heard.
      await this.transcript.remove(message.id);
      this.logger.warn(`chat message not delivered: ${(err as Error).message}`);
      throw unavailable('The chatbot cannot answer right now; try again in a moment.');
    }
    const reply = await this.transcript.message(turn.replyId);
    return {
      reply: reply?.text ?? '',
      quickReplies: reply?.quickReplies ?? [],
      done: turn.done,
      ...(turn.caseId ? { caseId: turn.caseId } : {}),
      intent: turn.intent,
      ...(turn.detail ? { detail: turn.detail } : {}),
      question: turn.ask,
      turn: turn.turn,
    };
  }

  async transcriptOf(conversationId: string): Promise<ChatTranscriptDto> {
    const [session, messages] = await Promise.all([this.sessions.latest(conversationId), this.transcript.transcript(conversationId)]);
    if (!session && !messages.length) throw notFound(`Conversation ${conversationId}`);
    const lastBot = [...messages].reverse().find((m) => m.sender === 'bot');
    return {
      messages: messages.map((m) => ({
        from: m.sender,
        text: m.text,
        at: m.at.toISOString(),
        ...(m === lastBot && m.quickReplies?.length ? { quickReplies: m.quickReplies } : {}),
      })),
      done: Boolean(session?.completedAt) || Boolean(session?.endReason && session.endReason !== 'EXPIRED'),
      ...(session?.caseId ? { caseId: session.caseId } : {}),
    };
  }

  /** The young person ends the conversation: the workflow deletes the draft and the transcript. */
  async end(conversationId: string): Promise<void> {
    const session = await this.sessions.latest(conversationId);
    if (!session) throw notFound(`Conversation ${conversationId}`);
    try {
      await this.client.workflow.getHandle(chatWorkflowId(conversationId)).executeUpdate(endChatUpdate);
    } catch (err) {
      const finished = err instanceof WorkflowNotFoundError || /already completed/i.test((err as Error).message);
      if (!finished) throw unavailable('The chatbot cannot answer right now; try again in a moment.');
      // Already over (expired, stopped): what may remain of its transcript goes all the same.
      await this.transcript.removeConversation(conversationId);
    }
  }

  private async deliver(dto: ChatMessageDto, messageId: string, attempt = 0): Promise<ChatTurn> {
    const input: ChatIntakeInput = { conversationId: dto.conversationId, ...(dto.campaign ? { campaign: dto.campaign } : {}) };
    try {
      return await this.client.workflow.executeUpdateWithStart(chatMessageUpdate, {
        args: [{ messageId }],
        startWorkflowOperation: new WithStartWorkflowOperation('chatIntakeWorkflow', {
          workflowId: chatWorkflowId(dto.conversationId),
          taskQueue: TASK_QUEUE,
          args: [input],
          workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        }),
      });
    } catch (err) {
      const sessionEnded =
        err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure && err.cause.type === CHAT_ENDED;
      if (!sessionEnded || attempt >= ENDED_RETRIES) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100 * (attempt + 1)));
      return this.deliver(dto, messageId, attempt + 1);
    }
  }
}

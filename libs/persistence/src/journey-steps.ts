import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In } from 'typeorm';
import type { CheckInStatus, Outcome } from '@walt/domain';
import { CaseNoteEntity } from './entities/case-note.entity';
import { CheckInEntity } from './entities/check-in.entity';
import { MessageRecipient, OutboundMessageEntity } from './entities/outbound-message.entity';
import { ReferralEntity, ReferralStatus } from './entities/referral.entity';
import { YouthEntity } from './entities/youth.entity';
import { JourneyEventsRepository, NewJourneyEvent, ProjectionChange } from './journey-events.repository';

export interface ReferralWrite {
  id: string;
  create?: { partnerId: string; attempt: number; sentAt: Date; dueAt: Date; noteId?: string };
  change?: {
    status?: ReferralStatus;
    reason?: string;
    commentNoteId?: string;
    decidedAt?: Date;
    decidedBy?: string;
    remindedAt?: Date;
    appointmentAt?: Date;
    attended?: boolean;
    attendanceAt?: Date;
    outcome?: Outcome;
  };
}

export interface CheckInWrite {
  schedule?: { seq: number; dueAt: Date }[];
  record?: { seq: number; at: Date; status: CheckInStatus; outcome?: Outcome; noteId?: string };
}

export interface MessageWrite {
  purpose: string;
  recipient: MessageRecipient;
  partnerId?: string;
  referralId?: string;
}

/** One step of a journey: an event, and everything it changes, committed together once. */
export interface JourneyStepWrite {
  event: NewJourneyEvent;
  projection?: ProjectionChange;
  referral?: ReferralWrite;
  checkIns?: CheckInWrite;
  messages?: MessageWrite[];
}

/** Drops undefined keys, so a partial change never overwrites a column with NULL by accident. */
function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Channels a message can take, in order of preference, when the recipient allows them. */
const YOUTH_CHANNELS = ['SMS', 'EMAIL'] as const;

/**
 * Writes journey steps for the activities. Idempotent as a whole: if the event's key was
 * already recorded, nothing else is written either, so a retried activity changes nothing.
 */
export class JourneyStepsWriter {
  private readonly events: JourneyEventsRepository;

  constructor(private readonly dataSource: DataSource) {
    this.events = new JourneyEventsRepository(dataSource);
  }

  /** Returns the outbound messages created by this step (empty on a repeat). */
  async write(step: JourneyStepWrite): Promise<OutboundMessageEntity[]> {
    return this.dataSource.transaction(async (manager) => {
      if (!(await this.events.recordIn(manager, step.event, step.projection))) return [];
      if (step.referral) await this.writeReferral(manager, step.event.caseId, step.referral);
      if (step.checkIns) await this.writeCheckIns(manager, step.event.caseId, step.checkIns);
      const messages: OutboundMessageEntity[] = [];
      for (const [i, message] of (step.messages ?? []).entries()) {
        messages.push(...(await this.queueMessage(manager, step.event, i, message)));
      }
      return messages;
    });
  }

  private async writeReferral(manager: EntityManager, caseId: string, write: ReferralWrite) {
    if (write.create) {
      const { noteId, ...create } = write.create;
      await manager.insert(ReferralEntity, {
        id: write.id,
        caseId,
        status: 'PENDING',
        note: await this.noteText(manager, noteId),
        ...create,
      });
    }
    if (write.change) {
      const { commentNoteId, ...change } = write.change;
      const comment = await this.noteText(manager, commentNoteId);
      await manager.update(ReferralEntity, { id: write.id }, definedOnly({ ...change, ...(comment ? { comment } : {}) }));
    }
  }

  private async writeCheckIns(manager: EntityManager, caseId: string, write: CheckInWrite) {
    for (const { seq, dueAt } of write.schedule ?? []) {
      await manager.createQueryBuilder().insert().into(CheckInEntity).values({ caseId, seq, dueAt }).orIgnore().execute();
    }
    if (write.record) {
      const { noteId, ...record } = write.record;
      await manager.update(CheckInEntity, { caseId, seq: record.seq }, { ...record, note: await this.noteText(manager, noteId) });
    }
  }

  /**
   * One row per channel the recipient can be reached on. The job id is deterministic (the
   * step's key, the message's index, the channel), so a retry never creates a second message.
   */
  private async queueMessage(manager: EntityManager, event: NewJourneyEvent, index: number, message: MessageWrite) {
    const channels = await this.channelsFor(manager, event.caseId, message);
    const rows = channels.map((channel) =>
      manager.create(OutboundMessageEntity, {
        id: randomUUID(),
        caseId: event.caseId,
        jobId: `${event.idempotencyKey}:${index}:${channel}`,
        purpose: message.purpose,
        channel,
        recipient: message.recipient,
        partnerId: message.partnerId ?? null,
        referralId: message.referralId ?? null,
        status: 'QUEUED',
        scheduledAt: event.at,
      }),
    );
    if (rows.length) await manager.insert(OutboundMessageEntity, rows);
    return rows;
  }

  private async channelsFor(manager: EntityManager, caseId: string, message: MessageWrite): Promise<string[]> {
    if (message.recipient !== 'YOUTH') return ['EMAIL'];
    const youth = await manager
      .createQueryBuilder(YouthEntity, 'y')
      .innerJoin('cases', 'c', 'c.youth_id = y.id')
      .where('c.id = :caseId', { caseId })
      .getOne();
    if (!youth || youth.erasedAt) return [];
    const contact = { SMS: youth.phone, EMAIL: youth.email };
    return YOUTH_CHANNELS.filter((channel) => youth.consent.channels.includes(channel) && contact[channel]);
  }

  private async noteText(manager: EntityManager, noteId?: string): Promise<string | null> {
    if (!noteId) return null;
    const [note] = await manager.findBy(CaseNoteEntity, { id: In([noteId]) });
    return note?.text ?? null;
  }
}

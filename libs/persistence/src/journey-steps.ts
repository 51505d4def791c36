import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import type { CheckInStatus, ClosureReason, JourneyEventBody, Outcome, Segment, Stage } from '@walt/domain';
import { CaseEntity } from './entities/case.entity';
import { CaseNoteEntity } from './entities/case-note.entity';
import { CheckInEntity } from './entities/check-in.entity';
import { MessageRecipient, OutboundMessageEntity } from './entities/outbound-message.entity';
import { ReferralEntity, ReferralStatus } from './entities/referral.entity';
import { YouthEntity } from './entities/youth.entity';
import { JourneyEventsRepository, NewJourneyEvent, ProjectionChange } from './journey-events.repository';

/** An instant as the workflow clock gives it: ISO 8601 (what travels through Temporal). */
type Iso = string;

export interface MessageWrite {
  purpose: string;
  recipient: MessageRecipient;
  partnerId?: string;
  referralId?: string;
  /** The nudge experiment's name and this journey's variant of it. */
  experiment?: string;
  variant?: string;
}

/**
 * One step of a journey as the workflow describes it (ids, codes and times only): an event
 * (a type with its own payload), and everything it changes, committed together once.
 */
export type JourneyStep = JourneyEventBody & StepHeader & StepEffects;

export interface StepHeader {
  caseId: string;
  /** Unique per step; recording the same key twice is a no-op. */
  idempotencyKey: string;
  /** The journey workflow's sequence number (steps of a referral's workflow have none). */
  seq?: number;
  actor: string;
  /** From the workflow clock, so a retry records the same instant. */
  at: Iso;
}

/** What a step changes besides appending its event. */
export interface StepEffects {
  stage?: Stage;
  projection?: {
    segment?: Segment;
    departement?: string;
    partnerId?: string | null;
    nextActionAt?: Iso | null;
    closure?: { reason: ClosureReason; outcome?: Outcome };
  };
  referral?: {
    id: string;
    create?: { partnerId: string; attempt: number; sentAt: Iso; dueAt: Iso; noteId?: string };
    change?: {
      status?: ReferralStatus;
      reason?: string;
      commentNoteId?: string;
      decidedAt?: Iso;
      decidedBy?: string;
      remindedAt?: Iso;
      appointmentAt?: Iso;
      attended?: boolean;
      attendanceAt?: Iso;
      outcome?: Outcome;
    };
  };
  checkIns?: {
    schedule?: { seq: number; dueAt: Iso }[];
    record?: { seq: number; at: Iso; status: CheckInStatus; outcome?: Outcome; noteId?: string };
  };
  messages?: MessageWrite[];
}

/** Drops undefined keys, so a partial change never overwrites a column with NULL by accident. */
function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const at = (iso: Iso): Date => new Date(iso);
const maybeAt = (iso: Iso | undefined): Date | undefined => (iso === undefined ? undefined : new Date(iso));

/** The `cases` columns a step changes. */
function projectionOf(step: JourneyStep): ProjectionChange {
  const p = step.projection ?? {};
  return definedOnly({
    stage: step.stage,
    segment: p.segment,
    departement: p.departement,
    partnerId: p.partnerId,
    nextActionAt: p.nextActionAt === null ? null : maybeAt(p.nextActionAt),
    closureReason: p.closure?.reason,
    closureOutcome: p.closure && (p.closure.outcome ?? null),
  });
}

/** A step changes a referral whose row the journey has not written yet: retried, not lost. */
export class ReferralNotWrittenYet extends Error {
  constructor(referralId: string) {
    super(`Referral ${referralId} has no row yet (the journey's REFERRAL_SENT step is still to come); retried.`);
    this.name = 'ReferralNotWrittenYet';
  }
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
  async write(step: JourneyStep): Promise<OutboundMessageEntity[]> {
    return this.dataSource.transaction((manager) => this.writeIn(manager, step));
  }

  /**
   * Several steps of one journey in one transaction, in order (the journey's first write:
   * CAPTURED, ENGAGING and the welcome). Each is idempotent on its own key, like `write`.
   */
  async writeAll(steps: JourneyStep[]): Promise<OutboundMessageEntity[]> {
    return this.dataSource.transaction(async (manager) => {
      const messages: OutboundMessageEntity[] = [];
      for (const step of steps) messages.push(...(await this.writeIn(manager, step)));
      return messages;
    });
  }

  private async writeIn(manager: EntityManager, step: JourneyStep): Promise<OutboundMessageEntity[]> {
    // type and data come from one member of the union (the compiler loses the pair across fields).
    const event = {
      caseId: step.caseId,
      idempotencyKey: step.idempotencyKey,
      seq: step.seq,
      type: step.type,
      actor: step.actor,
      at: at(step.at),
      data: step.data,
    } as NewJourneyEvent;
    if (!(await this.events.recordIn(manager, event, projectionOf(step)))) return [];
    // The journey's first write is the proof that it started: the reconciler leaves the case alone.
    if (step.type === 'CAPTURED') {
      await manager.update(CaseEntity, { id: step.caseId, journeyStartedAt: IsNull() }, { journeyStartedAt: new Date() });
    }
    if (step.referral) await this.writeReferral(manager, step.caseId, step.referral);
    if (step.checkIns) await this.writeCheckIns(manager, step.caseId, step.checkIns);
    const messages: OutboundMessageEntity[] = [];
    for (const [i, message] of (step.messages ?? []).entries()) {
      messages.push(...(await this.queueMessage(manager, event, i, message)));
    }
    return messages;
  }

  private async writeReferral(manager: EntityManager, caseId: string, write: NonNullable<JourneyStep['referral']>) {
    if (write.create) {
      const { noteId, sentAt, dueAt, ...create } = write.create;
      await manager.insert(ReferralEntity, {
        id: write.id,
        caseId,
        status: 'PENDING',
        note: await this.noteText(manager, noteId),
        sentAt: at(sentAt),
        dueAt: at(dueAt),
        ...create,
      });
    }
    if (write.change) {
      // The referral's own workflow starts before the journey's step that writes its row (so a
      // partner can never see a referral nobody waits on); when that step is slow (a worker
      // crash, PostgreSQL restarting), the child's reminder or expiry may come first. Writing it
      // then would change no row and leave the referral PENDING past its expiry: it fails
      // instead, the whole step with it, and the activity's retries write it once the row is there.
      if (!write.create && !(await manager.existsBy(ReferralEntity, { id: write.id }))) throw new ReferralNotWrittenYet(write.id);
      const { commentNoteId, decidedAt, remindedAt, appointmentAt, attendanceAt, ...change } = write.change;
      const comment = await this.noteText(manager, commentNoteId);
      // A decision is taken once: a status change applies to a PENDING referral only, so a late
      // writer (a withdrawal recorded after the partner accepted) cannot undo it.
      await manager.update(
        ReferralEntity,
        change.status ? { id: write.id, status: 'PENDING' } : { id: write.id },
        definedOnly({
          ...change,
          decidedAt: maybeAt(decidedAt),
          remindedAt: maybeAt(remindedAt),
          appointmentAt: maybeAt(appointmentAt),
          attendanceAt: maybeAt(attendanceAt),
          comment: comment ?? undefined,
        }),
      );
    }
  }

  private async writeCheckIns(manager: EntityManager, caseId: string, write: NonNullable<JourneyStep['checkIns']>) {
    if (write.schedule?.length) {
      // Check-ins still to come take their new due date (a pause of the journey moves them).
      const rows = write.schedule.map(({ seq, dueAt }) => ({ caseId, seq, dueAt: at(dueAt) }));
      await manager.createQueryBuilder().insert().into(CheckInEntity).values(rows).orUpdate(['due_at'], ['case_id', 'seq']).execute();
    }
    if (write.record) {
      const { noteId, ...record } = write.record;
      await manager.update(
        CheckInEntity,
        { caseId, seq: record.seq },
        { ...record, at: at(record.at), note: await this.noteText(manager, noteId) },
      );
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
        experiment: message.experiment ?? null,
        variant: message.variant ?? null,
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
    return (await manager.findOneBy(CaseNoteEntity, { id: noteId }))?.text ?? null;
  }
}

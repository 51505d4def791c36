import type { DataSource } from 'typeorm';
import type { CheckInStatus, ClosureReason, Outcome, Policy, Segment, Stage } from '@walt/domain';
import type { MessageDispatcher } from '@walt/messaging';
import {
  JourneyStepsWriter,
  MessageWrite,
  PoliciesRepository,
  ProjectionChange,
  ReferralWrite,
} from '@walt/persistence';

/**
 * A step as the workflow describes it: JSON-friendly (ISO times), ids and codes only. The
 * activity turns it into rows; personal data is read here, never carried by the workflow.
 */
export interface JourneyStep {
  caseId: string;
  idempotencyKey: string;
  type: string;
  actor: string;
  /** From the workflow clock, so a retry records the same instant. */
  at: string;
  data: Record<string, unknown>;
  stage?: Stage;
  projection?: {
    segment?: Segment;
    departement?: string;
    partnerId?: string | null;
    nextActionAt?: string | null;
    closure?: { reason: ClosureReason; outcome?: Outcome };
  };
  referral?: {
    id: string;
    create?: { partnerId: string; attempt: number; sentAt: string; dueAt: string; noteId?: string };
    change?: Omit<NonNullable<ReferralWrite['change']>, 'decidedAt' | 'remindedAt' | 'appointmentAt' | 'attendanceAt'> & {
      decidedAt?: string;
      remindedAt?: string;
      appointmentAt?: string;
      attendanceAt?: string;
    };
  };
  checkIns?: {
    schedule?: { seq: number; dueAt: string }[];
    record?: { seq: number; at: string; status: CheckInStatus; outcome?: Outcome; noteId?: string };
  };
  messages?: MessageWrite[];
}

const date = (iso?: string | null) => (iso ? new Date(iso) : iso === null ? null : undefined);

/** Writes the journey's steps: the event and all it changes, together, at most once. */
export class JourneyActivities {
  private readonly steps: JourneyStepsWriter;
  private readonly policies: PoliciesRepository;

  constructor(dataSource: DataSource, private readonly options: { dispatcher?: MessageDispatcher } = {}) {
    this.steps = new JourneyStepsWriter(dataSource);
    this.policies = new PoliciesRepository(dataSource);
  }

  async loadPolicy(version: number): Promise<Policy> {
    const policy = await this.policies.version(version);
    if (!policy) throw new Error(`Policy version ${version} does not exist`);
    const { version: _, ...body } = policy;
    return body;
  }

  /** Returns the number of outbound messages queued by this step (0 on a repeat). */
  async recordStep(step: JourneyStep): Promise<number> {
    const p = step.projection ?? {};
    const projection: ProjectionChange = {
      ...(step.stage ? { stage: step.stage } : {}),
      ...(p.segment ? { segment: p.segment } : {}),
      ...(p.departement ? { departement: p.departement } : {}),
      ...(p.partnerId !== undefined ? { partnerId: p.partnerId } : {}),
      ...(p.nextActionAt !== undefined ? { nextActionAt: date(p.nextActionAt) } : {}),
      ...(p.closure ? { closureReason: p.closure.reason, closureOutcome: p.closure.outcome ?? null } : {}),
    };
    const r = step.referral;
    const c = step.checkIns;
    const messages = await this.steps.write({
      event: { caseId: step.caseId, idempotencyKey: step.idempotencyKey, type: step.type, actor: step.actor, at: new Date(step.at), data: step.data },
      projection,
      referral: r && {
        id: r.id,
        create: r.create && { ...r.create, sentAt: new Date(r.create.sentAt), dueAt: new Date(r.create.dueAt) },
        change: r.change && {
          ...r.change,
          decidedAt: date(r.change.decidedAt) ?? undefined,
          remindedAt: date(r.change.remindedAt) ?? undefined,
          appointmentAt: date(r.change.appointmentAt) ?? undefined,
          attendanceAt: date(r.change.attendanceAt) ?? undefined,
        },
      },
      checkIns: c && {
        schedule: c.schedule?.map((s) => ({ seq: s.seq, dueAt: new Date(s.dueAt) })),
        record: c.record && { ...c.record, at: new Date(c.record.at) },
      },
      messages: step.messages,
    });
    await this.options.dispatcher?.dispatch(messages); // after the commit; never throws (the sweeper catches up)
    return messages.length;
  }
}

import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import {
  ageOn,
  Barrier,
  DiplomaLevel,
  isInScope,
  MessageChannel,
  MIN_AGE,
  normalizeEmail,
  normalizePhone,
  segmentOf,
  Situation,
  SourceChannel,
  VersionedPolicy,
  Wish,
} from '@walt/domain';
import { CaseEntity, JourneyEventsRepository, YouthEntity } from '@walt/persistence';
import type { PolicyChoice } from './policy-choice';
import type { JourneyStarter } from '@walt/temporal';
import type { Place } from '@walt/territory';
import { birthDateProblem, FieldProblem, NOT_A_PHONE, resolvePlace } from './form-rules';
import { INTAKE_MESSAGES, IntakeMessageKey } from './intake-messages';

/**
 * What the form and the chatbot hand to intake, field for field as API.md's form. Shapes
 * (UUID, YYYY-MM-DD, codes of the vocabulary) are the caller's to check: the form's DTO, the
 * chatbot's parsers. The chatbot asks the first name only, so `lastName` may be null.
 */
export interface IntakeSubmission {
  submissionId: string;
  firstName: string;
  lastName: string | null;
  birthDate: string;
  email?: string | null;
  phone?: string | null;
  postalCode: string;
  communeCode?: string;
  diplomaLevel: DiplomaLevel;
  situation: Situation;
  barriers: Barrier[];
  wishes: Wish[];
  consent: { dataProcessing: boolean; shareWithPartners: boolean; channels: MessageChannel[] };
  source: { channel: SourceChannel; campaign?: string | null };
}

export interface IntakeResult {
  /** CREATED: a new case; REPEATED: the same submission, or the same person with an open case. */
  status: 'CREATED' | 'REPEATED';
  caseId: string;
  stage: string;
  eligible: boolean;
  segment: string;
  messageKey: IntakeMessageKey;
  message: string;
}

/** Every semantic problem of a submission at once; nothing was written. */
export class IntakeRejected extends Error {
  constructor(readonly problems: FieldProblem[]) {
    super(`The submission is not valid: ${problems.map((p) => p.field).join(', ')}`);
  }
}

type Checked = { submission: IntakeSubmission; email: string | null; phone: string | null; place: Place; age: number };

/**
 * Turns a submission (a form, a chatbot conversation) into a case. The young person and the case
 * commit together; the answer goes at the commit and the journey's start is requested then,
 * without waiting for Temporal to accept it: a start that fails or is lost with the process is
 * logged and left to the worker's reconciler (the case's journey_started_at stays null until the
 * journey's first write). Repeats never open a second case.
 */
export class IntakeCapture {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: JourneyEventsRepository,
    private readonly policies: PolicyChoice,
    private readonly starter: Pick<JourneyStarter, 'start'>,
    private readonly onJourneyNotStarted: (caseId: string, err: Error) => void = () => undefined,
  ) {}

  /** Starts requested and not answered yet. */
  private readonly starting = new Set<Promise<void>>();

  /** Throws IntakeRejected when a rule refuses the submission. */
  async submit(submission: IntakeSubmission, now: Date): Promise<IntakeResult> {
    const checked = this.check(submission, now);
    const { result, kase, policy } = await this.dataSource.transaction((manager) => this.capture(manager, checked, now));
    if (result.status === 'CREATED' && kase.stage !== 'CLOSED') {
      const started: Promise<void> = this.startJourney(kase, policy).finally(() => this.starting.delete(started));
      this.starting.add(started);
    }
    return result;
  }

  /** Resolves once every start requested so far has been answered (a process shutting down waits for them). */
  async idle(): Promise<void> {
    await Promise.all([...this.starting]);
  }

  /** Semantic checks beyond the shape; reports every problem at once. */
  private check(submission: IntakeSubmission, now: Date): Checked {
    const details: FieldProblem[] = [];
    const birthDate = birthDateProblem(submission.birthDate, now);
    if (birthDate) details.push({ field: 'birthDate', message: birthDate });
    const email = submission.email ? normalizeEmail(submission.email) : null;
    const phone = submission.phone ? normalizePhone(submission.phone) : null;
    if (submission.phone && !phone) details.push({ field: 'phone', message: NOT_A_PHONE });
    if (!submission.email && !submission.phone)
      details.push({ field: 'email', message: 'email or phone is required, so we can reach you' });
    if (submission.consent.dataProcessing !== true) {
      details.push({ field: 'consent.dataProcessing', message: 'must be true: we cannot process the request without consent' });
    }
    if (submission.consent.channels.includes('SMS') && !submission.phone) {
      details.push({ field: 'consent.channels', message: 'SMS needs a phone number' });
    }
    if (submission.consent.channels.includes('EMAIL') && !submission.email) {
      details.push({ field: 'consent.channels', message: 'EMAIL needs an email address' });
    }
    const place = resolvePlace(submission.postalCode, submission.communeCode, details);
    if (details.length) throw new IntakeRejected(details);
    // The age by the young person's own calendar: a birthday starts at local midnight.
    return { submission, email, phone, place: place!, age: ageOn(submission.birthDate, now, place!.timeZone) };
  }

  private async capture(
    manager: EntityManager,
    c: Checked,
    now: Date,
  ): Promise<{ result: IntakeResult; kase: CaseEntity; policy?: VersionedPolicy }> {
    // Serialise concurrent submissions of the same form or the same person (released at commit).
    for (const key of [c.submission.submissionId, c.email, c.phone]) {
      if (key) await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [key]);
    }
    const repeated =
      (await manager.findOneBy(CaseEntity, { submissionId: c.submission.submissionId })) ?? (await this.openCaseOf(manager, c));
    if (repeated) return { result: this.result('REPEATED', repeated, 'alreadyKnown'), kase: repeated };

    const { submission, place } = c;
    const youth = await manager.save(
      manager.create(YouthEntity, {
        firstName: submission.firstName.trim(),
        lastName: submission.lastName?.trim() || null,
        birthDate: submission.birthDate,
        email: c.email,
        phone: c.phone,
        postalCode: submission.postalCode,
        communeCode: place.communeCode,
        diplomaLevel: submission.diplomaLevel,
        situation: submission.situation,
        barriers: [...new Set(submission.barriers)],
        wishes: [...new Set(submission.wishes)],
        consent: { dataProcessing: true, shareWithPartners: submission.consent.shareWithPartners, channels: submission.consent.channels },
      }),
    );
    const eligible = isInScope(c.age);
    const policy = await this.policies.versionFor(submission.submissionId, manager);
    const kase = await manager.save(
      manager.create(CaseEntity, {
        id: randomUUID(),
        youthId: youth.id,
        submissionId: submission.submissionId,
        stage: eligible ? 'CAPTURED' : 'CLOSED',
        stageEnteredAt: now,
        segment: segmentOf({ ...submission, age: c.age }),
        eligible,
        ageAtCapture: c.age,
        departement: place.departement,
        region: place.region,
        sourceChannel: submission.source.channel,
        sourceCampaign: submission.source.campaign ?? null,
        policyVersion: policy.version,
        closureReason: eligible ? null : 'OUT_OF_SCOPE',
        createdAt: now,
      }),
    );
    if (!eligible) await this.closeOutOfScope(manager, kase, now);
    const key: IntakeMessageKey = eligible ? 'created' : c.age < MIN_AGE ? 'tooYoung' : 'tooOld';
    return { result: this.result('CREATED', kase, key), kase, policy };
  }

  /** The same person (email or phone) with a case still open. */
  private openCaseOf(manager: EntityManager, c: Checked): Promise<CaseEntity | null> {
    const query = manager
      .createQueryBuilder(CaseEntity, 'c')
      .innerJoin(YouthEntity, 'y', 'y.id = c.youth_id')
      .where(`c.stage <> 'CLOSED'`)
      .andWhere('y.erased_at IS NULL');
    if (c.email && c.phone) query.andWhere('(y.email = :email OR y.phone = :phone)', { email: c.email, phone: c.phone });
    else if (c.email) query.andWhere('y.email = :email', { email: c.email });
    else query.andWhere('y.phone = :phone', { phone: c.phone });
    return query.orderBy('c.created_at', 'DESC').getOne();
  }

  /** Out of scope at capture: the case exists (it counts in the funnel) and is closed at once, no journey. */
  private async closeOutOfScope(manager: EntityManager, kase: CaseEntity, now: Date) {
    // The same CAPTURED as a journey writes; channel and age are on the case row.
    await this.events.recordIn(manager, {
      caseId: kase.id,
      idempotencyKey: `${kase.id}:1`,
      seq: 1,
      type: 'CAPTURED',
      actor: 'intake',
      at: now,
      data: { segment: kase.segment, departement: kase.departement },
    });
    await this.events.recordIn(manager, {
      caseId: kase.id,
      idempotencyKey: `${kase.id}:2`,
      seq: 2,
      type: 'STAGE_CHANGED',
      actor: 'intake',
      at: now,
      data: { from: 'CAPTURED', to: 'CLOSED', reason: 'OUT_OF_SCOPE' },
    });
    await this.events.recordIn(manager, {
      caseId: kase.id,
      idempotencyKey: `${kase.id}:3`,
      seq: 3,
      type: 'CLOSED',
      actor: 'intake',
      at: now,
      data: { reason: 'OUT_OF_SCOPE' },
    });
  }

  private async startJourney(kase: CaseEntity, policy?: VersionedPolicy): Promise<void> {
    try {
      await this.starter.start(kase, policy);
    } catch (err) {
      // The case is committed; the worker's reconciler starts the journey once Temporal answers.
      this.onJourneyNotStarted(kase.id, err as Error);
    }
  }

  private result(status: IntakeResult['status'], kase: CaseEntity, messageKey: IntakeMessageKey): IntakeResult {
    return {
      status,
      caseId: kase.id,
      stage: kase.stage,
      eligible: kase.eligible,
      segment: kase.segment,
      messageKey,
      message: INTAKE_MESSAGES[messageKey],
    };
  }
}

import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { ageOn, isInScope, MIN_AGE, normalizeEmail, normalizePhone, segmentOf } from '@walt/domain';
import { CaseEntity, JourneyEventsRepository, YouthEntity } from '@walt/persistence';
import { JourneyStarter } from '@walt/temporal';
import type { Place } from '@walt/territory';
import { ErrorBody, validationError } from '../common/api-error';
import { Clock } from '../common/clock';
import { IntakeFormDto, IntakeResultDto } from './dto/intake-form.dto';
import { JourneyPolicyChoice } from './journey-policy';
import { birthDateProblem, NOT_A_PHONE, resolvePlace } from './form-rules';
import { INTAKE_MESSAGES } from './intake-messages';

export interface IntakeOutcome {
  status: HttpStatus.CREATED | HttpStatus.OK;
  body: IntakeResultDto;
}

type Checked = { form: IntakeFormDto; email: string | null; phone: string | null; place: Place; age: number };

/**
 * Turns a form into a case. The young person and the case commit together; the journey starts
 * after the commit (the reconciler covers a crash in between). Repeats never open a second case.
 */
@Injectable()
export class IntakeService {
  private readonly logger = new Logger(IntakeService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly events: JourneyEventsRepository,
    private readonly policies: JourneyPolicyChoice,
    private readonly starter: JourneyStarter,
    private readonly clock: Clock,
  ) {}

  async submitForm(form: IntakeFormDto): Promise<IntakeOutcome> {
    const now = this.clock.now();
    const checked = this.check(form, now);
    const { outcome, kase } = await this.dataSource.transaction((manager) => this.capture(manager, checked, now));
    if (outcome.status === HttpStatus.CREATED && kase.stage !== 'CLOSED') await this.startJourney(kase);
    return outcome;
  }

  /** Semantic checks beyond the DTO's shape; reports every problem at once. */
  private check(form: IntakeFormDto, now: Date): Checked {
    const details: ErrorBody['details'] = [];
    const birthDate = birthDateProblem(form.birthDate, now);
    if (birthDate) details.push({ field: 'birthDate', message: birthDate });
    const email = form.email ? normalizeEmail(form.email) : null;
    const phone = form.phone ? normalizePhone(form.phone) : null;
    if (form.phone && !phone) details.push({ field: 'phone', message: NOT_A_PHONE });
    if (!form.email && !form.phone) details.push({ field: 'email', message: 'email or phone is required, so we can reach you' });
    if (form.consent.channels.includes('SMS') && !form.phone) {
      details.push({ field: 'consent.channels', message: 'SMS needs a phone number' });
    }
    if (form.consent.channels.includes('EMAIL') && !form.email) {
      details.push({ field: 'consent.channels', message: 'EMAIL needs an email address' });
    }
    const place = resolvePlace(form.postalCode, form.communeCode, details);
    if (details.length) throw validationError(details);
    // The age by the young person's own calendar: a birthday starts at local midnight.
    return { form, email, phone, place: place!, age: ageOn(form.birthDate, now, place!.timeZone) };
  }

  private async capture(manager: EntityManager, c: Checked, now: Date): Promise<{ outcome: IntakeOutcome; kase: CaseEntity }> {
    // Serialise concurrent submissions of the same form or the same person (released at commit).
    for (const key of [c.form.submissionId, c.email, c.phone]) {
      if (key) await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [key]);
    }
    const repeated = (await manager.findOneBy(CaseEntity, { submissionId: c.form.submissionId })) ?? (await this.openCaseOf(manager, c));
    if (repeated) return { outcome: this.answer(HttpStatus.OK, repeated, INTAKE_MESSAGES.alreadyKnown), kase: repeated };

    const { form, place } = c;
    const youth = await manager.save(
      manager.create(YouthEntity, {
        firstName: form.firstName.trim(),
        lastName: form.lastName.trim(),
        birthDate: form.birthDate,
        email: c.email,
        phone: c.phone,
        postalCode: form.postalCode,
        communeCode: place.communeCode,
        diplomaLevel: form.diplomaLevel,
        situation: form.situation,
        barriers: [...new Set(form.barriers)],
        wishes: [...new Set(form.wishes)],
        consent: { dataProcessing: true, shareWithPartners: form.consent.shareWithPartners, channels: form.consent.channels },
      }),
    );
    const eligible = isInScope(c.age);
    const policy = await this.policies.versionFor(form.submissionId, manager);
    const kase = await manager.save(
      manager.create(CaseEntity, {
        id: randomUUID(),
        youthId: youth.id,
        submissionId: form.submissionId,
        stage: eligible ? 'CAPTURED' : 'CLOSED',
        stageEnteredAt: now,
        segment: segmentOf({ ...form, age: c.age }),
        eligible,
        ageAtCapture: c.age,
        departement: place.departement,
        region: place.region,
        sourceChannel: form.source.channel,
        sourceCampaign: form.source.campaign ?? null,
        policyVersion: policy.version,
        closureReason: eligible ? null : 'OUT_OF_SCOPE',
        createdAt: now,
      }),
    );
    if (!eligible) await this.closeOutOfScope(manager, kase, now);
    const message = eligible ? INTAKE_MESSAGES.created : c.age < MIN_AGE ? INTAKE_MESSAGES.tooYoung : INTAKE_MESSAGES.tooOld;
    return { outcome: this.answer(HttpStatus.CREATED, kase, message), kase };
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

  private async startJourney(kase: CaseEntity): Promise<void> {
    try {
      await this.starter.start(kase);
    } catch (err) {
      // The case is committed; the worker's reconciler starts the journey once Temporal answers.
      this.logger.warn(`journey of case ${kase.id} not started yet (${(err as Error).message}); the reconciler will retry`);
    }
  }

  private answer(status: IntakeOutcome['status'], kase: CaseEntity, message: string): IntakeOutcome {
    return { status, body: { caseId: kase.id, stage: kase.stage, eligible: kase.eligible, segment: kase.segment, message } };
  }
}

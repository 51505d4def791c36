import { randomUUID } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import {
  type ClosureReason,
  type JourneyEventPayloads,
  type JourneyEventType,
  type PartnerType,
  type Policy,
  type Role,
  type Segment,
  type SourceChannel,
  type Stage,
} from '@walt/domain';
import { JourneyEventsRepository, NewJourneyEvent, ProjectionChange } from '@walt/persistence';
import { AppModule } from '../../apps/api/src/app.module';
import { configureApp } from '../../apps/api/src/app';
import { Clock } from '../../apps/api/src/common/clock';
import { signToken } from '@walt/auth';
import { savePolicyVersion } from './policies';
import { requireServices, testDatabase } from './services';

const HOUR = 3_600_000;

/** The HTTP app alone (the reports read SQL; no worker needed), as startTestSystem builds it. */
export async function startHttpApp(options: { clock?: Clock } = {}) {
  await requireServices();
  const dataSource = await testDatabase();
  let builder = Test.createTestingModule({ imports: [AppModule] });
  if (options.clock) builder = builder.overrideProvider(Clock).useValue(options.clock);
  const moduleRef = await builder.compile();
  const app: INestApplication = configureApp(moduleRef.createNestApplication({ logger: ['error'] }));
  await app.init();
  return {
    app,
    dataSource,
    http: () => request(app.getHttpServer()),
    token: (role: Role, extra: { partnerId?: string } = {}) => signToken({ sub: `test-${role}`, role, ...extra }),
    async stop() {
      await app.close();
      await dataSource.destroy();
    },
  };
}

export interface CaseSpec {
  segment: Segment;
  departement: string;
  channel: SourceChannel;
  capturedAt: Date;
  eligible?: boolean;
  policyVersion?: number;
}

/**
 * Journeys written the way the activities write them (JourneyEventsRepository.record: the
 * event and the `cases` projection together), with the youth, case, partner and referral rows
 * inserted directly. Everything carries this run's campaign (and partner ids), so reports
 * filtered by it see these rows only, whatever else the database holds.
 */
export class ReportFixtures {
  readonly campaign = `reports-test-${randomUUID()}`;
  private readonly events: JourneyEventsRepository;
  private readonly partnerIds: string[] = [];
  private policyVersions: number[] = [];

  constructor(private readonly dataSource: DataSource) {
    this.events = new JourneyEventsRepository(dataSource);
  }

  async partner(type: PartnerType, departement = '75'): Promise<{ id: string; type: PartnerType }> {
    const id = `${this.campaign}-${this.partnerIds.length + 1}`;
    await this.dataSource.query(
      `INSERT INTO partners (id, type, name, commune_code, departement, zones, min_age, max_age, diploma_levels, monthly_capacity, contact_email)
       VALUES ($1, $2, $3, '75056', $4, '[]', 16, 25, '{NONE}', 10, 'partner@example.org')`,
      [id, type, `Partner ${type} ${this.partnerIds.length + 1}`, departement],
    );
    this.partnerIds.push(id);
    return { id, type };
  }

  /**
   * A policy version only these cases use. Negative, so it is never the "current" version
   * (the highest) that intake gives new journeys in a database shared with other tests.
   */
  async policy(change: Partial<Policy>): Promise<number> {
    const version = await savePolicyVersion(this.dataSource, change, 'reports-test');
    this.policyVersions.push(version);
    return version;
  }

  /** A captured case: youth and case rows, then CAPTURED (and CLOSED OUT_OF_SCOPE if not eligible, as intake does). */
  async journey(spec: CaseSpec): Promise<JourneyFixture> {
    const caseId = randomUUID();
    const eligible = spec.eligible ?? true;
    const [{ id: youthId }] = await this.dataSource.query(
      `INSERT INTO youths (postal_code, commune_code, diploma_level, situation, consent)
       VALUES ('75011', '75111', 'CAP_BEP', 'LOOKING_FOR_JOB', '{"dataProcessing": true, "shareWithPartners": true, "channels": []}') RETURNING id`,
    );
    await this.dataSource.query(
      `INSERT INTO cases (id, youth_id, submission_id, stage, stage_entered_at, segment, eligible, age_at_capture, departement, region,
                          source_channel, source_campaign, policy_version, closure_reason, journey_started_at, created_at)
       VALUES ($1, $2, $13, $3, $4, $5, $6, $7, $8, '11', $9, $10, $11, $12, $4, $4)`,
      [
        caseId,
        youthId,
        eligible ? 'CAPTURED' : 'CLOSED',
        spec.capturedAt,
        spec.segment,
        eligible,
        eligible ? 20 : 27,
        spec.departement,
        spec.channel,
        this.campaign,
        spec.policyVersion ?? 1,
        eligible ? null : 'OUT_OF_SCOPE',
        `submission-${caseId}`,
      ],
    );
    const journey = new JourneyFixture(this.dataSource, this.events, caseId, spec.capturedAt);
    await journey.event('CAPTURED', 0, { segment: spec.segment, departement: spec.departement });
    if (!eligible) await journey.event('CLOSED', 0, { reason: 'OUT_OF_SCOPE' });
    return journey;
  }

  /** Removes this run's rows (the event log is append-only in production, not in a test database). */
  async cleanup(): Promise<void> {
    const cases = `SELECT id FROM cases WHERE source_campaign = $1`;
    for (const table of ['journey_events', 'referrals', 'outbound_messages', 'check_ins', 'case_notes']) {
      await this.dataSource.query(`DELETE FROM ${table} WHERE case_id IN (${cases})`, [this.campaign]);
    }
    const youths = await this.dataSource.query(`DELETE FROM cases WHERE source_campaign = $1 RETURNING youth_id`, [this.campaign]);
    await this.dataSource.query(`DELETE FROM youths WHERE id = ANY($1)`, [youths[0].map((r: { youth_id: string }) => r.youth_id)]);
    await this.dataSource.query(`DELETE FROM partners WHERE id = ANY($1)`, [this.partnerIds]);
    await this.dataSource.query(`DELETE FROM policies WHERE version = ANY($1)`, [this.policyVersions]);
  }
}

export interface ReferralFixture {
  id: string;
  partner: { id: string; type: PartnerType };
  attempt: number;
}

/** One case's journey; times are hours after capture, or absolute dates. */
export class JourneyFixture {
  private seq = 0;
  private stage: Stage = 'CAPTURED';

  constructor(
    private readonly dataSource: DataSource,
    private readonly events: JourneyEventsRepository,
    readonly caseId: string,
    readonly capturedAt: Date,
  ) {}

  at(when: number | Date): Date {
    return typeof when === 'number' ? new Date(this.capturedAt.getTime() + when * HOUR) : when;
  }

  async event<T extends JourneyEventType>(
    type: T,
    when: number | Date,
    data: JourneyEventPayloads[T],
    change: ProjectionChange = {},
  ): Promise<void> {
    this.seq += 1;
    const at = this.at(when);
    const event = { caseId: this.caseId, idempotencyKey: `${this.caseId}:${this.seq}`, seq: this.seq, type, actor: 'system', at, data };
    await this.events.record(event as NewJourneyEvent, change);
  }

  async moveTo(stage: Stage, when: number | Date): Promise<this> {
    await this.event('STAGE_CHANGED', when, { from: this.stage, to: stage }, { stage });
    this.stage = stage;
    return this;
  }

  async close(reason: ClosureReason, when: number | Date): Promise<void> {
    await this.moveTo('CLOSED', when);
    await this.event('CLOSED', when, { reason }, { closureReason: reason });
  }

  async refer(partner: { id: string; type: PartnerType }, attempt: number, when: number | Date): Promise<ReferralFixture> {
    const referral = { id: randomUUID(), partner, attempt };
    const sentAt = this.at(when);
    await this.dataSource.query(
      `INSERT INTO referrals (id, case_id, partner_id, attempt, status, sent_at, due_at) VALUES ($1, $2, $3, $4, 'PENDING', $5, $6)`,
      [referral.id, this.caseId, partner.id, attempt, sentAt, new Date(sentAt.getTime() + 7 * 24 * HOUR)],
    );
    await this.event('REFERRAL_SENT', sentAt, { ...this.facts(referral), override: false });
    return referral;
  }

  async remind(referral: ReferralFixture, when: number | Date): Promise<void> {
    await this.dataSource.query(`UPDATE referrals SET reminded_at = $2 WHERE id = $1`, [referral.id, this.at(when)]);
    await this.event('REFERRAL_REMINDED', when, this.facts(referral));
  }

  /** A message to the young person, as the step writer queues it and the sender leaves it. */
  async message(
    purpose: string,
    when: number | Date,
    extra: { channel?: 'SMS' | 'EMAIL'; status?: 'SENT' | 'FAILED' | 'SUPPRESSED'; experiment?: string; variant?: string } = {},
  ): Promise<void> {
    const at = this.at(when);
    const status = extra.status ?? 'SENT';
    const channel = extra.channel ?? 'SMS';
    await this.dataSource.query(
      `INSERT INTO outbound_messages (id, case_id, job_id, purpose, channel, recipient, status, scheduled_at, sent_at, experiment, variant)
       VALUES ($1, $2, $3, $4, $5, 'YOUTH', $6, $7, $8, $9, $10)`,
      [
        randomUUID(),
        this.caseId,
        `${this.caseId}:${purpose}:${channel}`,
        purpose,
        channel,
        status,
        at,
        status === 'SENT' ? at : null,
        extra.experiment ?? null,
        extra.variant ?? null,
      ],
    );
  }

  async decide(
    referral: ReferralFixture,
    status: 'ACCEPTED' | 'DECLINED' | 'EXPIRED' | 'WITHDRAWN',
    when: number | Date,
    extra: { reason?: string; appointmentAt?: Date } = {},
  ): Promise<void> {
    const reason = status === 'EXPIRED' ? 'EXPIRED' : (extra.reason ?? null);
    await this.dataSource.query(
      `UPDATE referrals SET status = $2, reason = $3, decided_at = $4, decided_by = 'test', appointment_at = $5 WHERE id = $1`,
      [referral.id, status, reason, this.at(when), extra.appointmentAt ?? null],
    );
    const data = {
      ...this.facts(referral),
      ...(extra.reason ? { reason: extra.reason } : {}),
      ...(extra.appointmentAt ? { appointmentAt: extra.appointmentAt.toISOString() } : {}),
    };
    await this.event(`REFERRAL_${status}`, when, data);
  }

  private facts(r: ReferralFixture) {
    return { referralId: r.id, partnerId: r.partner.id, partnerType: r.partner.type, attempt: r.attempt };
  }
}

import { Injectable } from '@nestjs/common';
import { decideReferralUpdate, recordAttendanceUpdate, ReferralDecision, reportOutcomeUpdate } from '../../../../workflows/messages';
import { conflict, validationError } from '../common/api-error';
import { Clock } from '../common/clock';
import { JourneyCommands } from '../infrastructure/journey-commands';
import { AcceptReferralDto, DeclineReferralDto } from './dto/decide-referral.dto';
import { AttendanceDto, OutcomeDto } from './dto/follow-up.dto';
import { PartnerReferralDto } from './dto/partner-referral.dto';
import { ReferralRecord } from './partner-referral-view';
import { PartnerReferralsService } from './partner-referrals.service';

type Via = NonNullable<ReferralDecision['via']>;

/** Clocks drift: an attendance "now" from a partner's machine may be a little ahead of ours. */
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * A partner's actions on a referral, from the portal or a signed link. Each is a Temporal
 * update (the referral child for a decision, the journey for what follows), which writes
 * PostgreSQL before answering; the row is checked first for a clear 409, and the workflow's
 * validator stays the authority when two actions race.
 */
@Injectable()
export class ReferralDecisionsService {
  constructor(
    private readonly commands: JourneyCommands,
    private readonly referrals: PartnerReferralsService,
    private readonly clock: Clock,
  ) {}

  async accept(record: ReferralRecord, body: AcceptReferralDto, actor: string, via: Via = 'portal'): Promise<PartnerReferralDto> {
    if (body.appointmentAt && Date.parse(body.appointmentAt) <= this.clock.now().getTime()) {
      throw validationError([{ field: 'appointmentAt', message: 'must be in the future' }]);
    }
    requirePending(record);
    await this.decide(record, actor, body.message, (noteId) => ({
      decision: 'ACCEPTED',
      via,
      appointmentAt: body.appointmentAt && new Date(body.appointmentAt).toISOString(),
      noteId,
      actor,
    }));
    // The referral's update returns once its row is ACCEPTED: the answer reads it. The journey
    // follows a moment later; what the partner does next waits for it there, not here.
    return this.referrals.view(record.referral.id);
  }

  async decline(record: ReferralRecord, body: DeclineReferralDto, actor: string, via: Via = 'portal'): Promise<PartnerReferralDto> {
    if (body.reason === 'OTHER' && !body.comment?.trim()) {
      throw validationError([{ field: 'comment', message: 'is required when the reason is OTHER: say why in a few words' }]);
    }
    requirePending(record);
    await this.decide(record, actor, body.comment, (noteId) => ({ decision: 'DECLINED', reason: body.reason, noteId, actor, via }));
    return this.referrals.view(record.referral.id);
  }

  async recordAttendance(record: ReferralRecord, body: AttendanceDto, actor: string): Promise<PartnerReferralDto> {
    if (body.at && Date.parse(body.at) > this.clock.now().getTime() + CLOCK_SKEW_MS) {
      throw validationError([{ field: 'at', message: 'must not be in the future' }]);
    }
    requireAccepted(record, 'Attendance is recorded');
    const at = body.at && new Date(body.at).toISOString();
    await this.commands.updateJourney(record.kase.id, recordAttendanceUpdate, {
      referralId: record.referral.id,
      attended: body.attended,
      at,
      actor,
    });
    return this.referrals.view(record.referral.id);
  }

  async reportOutcome(record: ReferralRecord, body: OutcomeDto, actor: string): Promise<PartnerReferralDto> {
    requireAccepted(record, 'An outcome is reported');
    await this.commands.withNote(record.kase.id, actor, body.note, (noteId) =>
      this.commands.updateJourney(record.kase.id, reportOutcomeUpdate, {
        referralId: record.referral.id,
        outcome: body.outcome,
        noteId,
        actor,
      }),
    );
    return this.referrals.view(record.referral.id);
  }

  private decide(
    record: ReferralRecord,
    actor: string,
    text: string | undefined,
    decision: (noteId?: string) => ReferralDecision,
  ): Promise<void> {
    return this.commands.withNote(record.kase.id, actor, text, (noteId) =>
      this.commands.updateReferral(record.kase.id, record.referral.attempt, decideReferralUpdate, decision(noteId)),
    );
  }
}

function requirePending({ referral }: ReferralRecord): void {
  if (referral.status !== 'PENDING') {
    const since = referral.decidedAt ? ` since ${referral.decidedAt.toISOString()}` : '';
    throw conflict(`This referral is ${referral.status}${since}: only a PENDING referral can be accepted or declined.`);
  }
}

function requireAccepted({ referral }: ReferralRecord, what: string): void {
  if (referral.status !== 'ACCEPTED') throw conflict(`${what} on an ACCEPTED referral only; this referral is ${referral.status}.`);
}

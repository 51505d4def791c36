import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { NUDGE_VARIANTS } from '@walt/domain';

/**
 * OpenAPI documentation of the policy bodies. The PUT body is checked by PolicyService with
 * the domain's validatePolicy (one source of truth for what a valid policy is), not by
 * class-validator, whose global whitelist would silently drop unknown fields.
 */
export class QuietHoursDto {
  @ApiProperty({ example: '20:00', description: 'HH:MM, local time of the young person' }) start: string;
  @ApiProperty({ example: '09:00' }) end: string;
}

export class NudgeExperimentDto {
  @ApiProperty({
    example: 'nudge-wording-1',
    description: 'Lowercase letters, digits, dashes; a new name reshuffles who gets which variant',
  })
  name: string;
  @ApiProperty({ type: [String], enum: NUDGE_VARIANTS, example: ['A', 'B'], description: 'Live variants; leave one out to retire it' })
  variants: string[];
}

const duration = (example: string, description: string) => ({ example, description: `${description} (ISO 8601 duration)` });

export class PolicyChangeDto {
  @ApiPropertyOptional({ description: 'Expected current version: a stale one answers 409 instead of overwriting a newer change' })
  version?: number;
  @ApiPropertyOptional({
    type: [String],
    example: ['PT0S', 'P2D', 'P5D', 'P10D'],
    description: 'Nudges to an unresponsive young person, increasing',
  })
  nudgeOffsets?: string[];
  @ApiPropertyOptional(duration('P14D', 'Escalate an unresponsive case to a counsellor after')) escalateUnresponsiveAfter?: string;
  @ApiPropertyOptional(duration('P30D', 'Close as UNREACHABLE after')) closeUnreachableAfter?: string;
  @ApiPropertyOptional(duration('P2D', 'Remind the partner of a pending referral after')) partnerReminderAfter?: string;
  @ApiPropertyOptional(duration('P7D', 'A referral expires (next partner) after')) referralExpiresAfter?: string;
  @ApiPropertyOptional({ example: 3, minimum: 1, maximum: 20 }) maxReferralAttempts?: number;
  @ApiPropertyOptional(duration('P1D', 'Remind the young person of the appointment this long before')) appointmentReminderBefore?: string;
  @ApiPropertyOptional({
    type: [String],
    example: ['P30D', 'P90D', 'P180D'],
    description: 'Check-ins after the pathway starts, increasing',
  })
  checkInOffsets?: string[];
  @ApiPropertyOptional({ type: QuietHoursDto, description: 'A partial object keeps the other bound' }) quietHours?: QuietHoursDto;
  @ApiPropertyOptional(duration('PT24H', 'A chatbot conversation left alone expires, and its draft is deleted, after'))
  chatIdleExpiry?: string;
  @ApiPropertyOptional(duration('P2Y', 'A case without activity is anonymised (as an erasure) after'))
  anonymiseAfterInactivity?: string;
  @ApiPropertyOptional(duration('P30D', 'The young person is told, and may answer to keep their file, this long before'))
  anonymiseNoticeBefore?: string;
  @ApiPropertyOptional({
    type: NudgeExperimentDto,
    nullable: true,
    description: 'The A/B test of the nudges, null for none (replaced whole)',
  })
  nudgeExperiment?: NudgeExperimentDto | null;
}

export class VersionedPolicyDto {
  @ApiProperty() version: number;
  @ApiProperty({ type: [String] }) nudgeOffsets: string[];
  @ApiProperty() escalateUnresponsiveAfter: string;
  @ApiProperty() closeUnreachableAfter: string;
  @ApiProperty() partnerReminderAfter: string;
  @ApiProperty() referralExpiresAfter: string;
  @ApiProperty() maxReferralAttempts: number;
  @ApiProperty() appointmentReminderBefore: string;
  @ApiProperty({ type: [String] }) checkInOffsets: string[];
  @ApiProperty({ type: QuietHoursDto }) quietHours: QuietHoursDto;
  @ApiProperty() chatIdleExpiry: string;
  @ApiProperty() anonymiseAfterInactivity: string;
  @ApiProperty() anonymiseNoticeBefore: string;
  @ApiProperty({ type: NudgeExperimentDto, nullable: true }) nudgeExperiment: NudgeExperimentDto | null;
}

/** A version of the history: who saved it, and when journeys started with it. */
export class PolicyVersionSummaryDto {
  @ApiProperty({ example: 4 }) version: number;
  @ApiProperty({ example: 'admin:0b6c…', description: 'The actor who saved it (role:id), or migration for version 1' })
  createdBy: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', description: 'Journeys started from then on take this version…' }) effectiveFrom: string;
  @ApiProperty({ format: 'date-time', nullable: true, description: '…until the next version was saved; null for the current one' })
  effectiveUntil: string | null;
  @ApiProperty({ description: 'The version new journeys start with now' }) current: boolean;
}

export class PolicyVersionPage {
  @ApiProperty({ type: [PolicyVersionSummaryDto] }) items: PolicyVersionSummaryDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

export class PolicyChangeEntryDto {
  @ApiProperty({ example: 'referralExpiresAfter', description: 'A policy field (a list or quietHours changes as a whole)' })
  field: string;
  @ApiProperty({ description: 'Its value in the previous version', example: 'P7D' }) from: unknown;
  @ApiProperty({ description: 'Its value in this version', example: 'P10D' }) to: unknown;
}

export class PolicyVersionDto extends PolicyVersionSummaryDto {
  @ApiProperty({ type: VersionedPolicyDto, description: 'The policy of this version, as GET /v1/policy answers it' })
  policy: VersionedPolicyDto;
  @ApiProperty({ nullable: true, example: 3, description: 'The version before it; null for the first' })
  previousVersion: number | null;
  @ApiProperty({ type: [PolicyChangeEntryDto], description: 'What this version changed from the previous one (empty for the first)' })
  changes: PolicyChangeEntryDto[];
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsISO8601, IsOptional, IsString, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { CHECK_IN_STATUSES, CheckInStatus, CLOSURE_REASONS, ClosureReason, CONTACT_CHANNELS, ContactChannel, Outcome } from '@walt/domain';
import { IsNoteText, NOTE_MAX_LENGTH, OutcomeOnlyWhen, requiredWhen } from './rules';
import { oneOf } from '../../common/validation';

const NOTE = { maxLength: NOTE_MAX_LENGTH, description: 'Free text, kept in the case notes (never in the workflow)' };

/** `POST /v1/cases/{caseId}/contacts`: a call, SMS, email or meeting with the young person. */
export class ContactDto {
  @ApiProperty({ enum: CONTACT_CHANNELS })
  @IsIn(CONTACT_CHANNELS, oneOf(CONTACT_CHANNELS))
  channel: ContactChannel;

  @ApiProperty({ description: 'The young person was reached: the journey leaves ENGAGING' })
  @IsBoolean({ message: 'must be true or false' })
  reached: boolean;

  @ApiPropertyOptional(NOTE)
  @IsOptional()
  @IsNoteText()
  note?: string;
}

/** `POST /v1/cases/{caseId}/referrals`: the counsellor chooses the partner. */
export class ReferralOverrideDto {
  @ApiProperty({ example: 'ml-75' })
  @IsString({ message: 'must be a partner id' })
  @MinLength(1, { message: 'must be a partner id' })
  @MaxLength(100, { message: 'must be at most 100 characters' })
  partnerId: string;

  @ApiPropertyOptional(NOTE)
  @IsOptional()
  @IsNoteText()
  note?: string;

  @ApiPropertyOptional({ default: false, description: "Refer even though the partner's criteria exclude the case" })
  @IsOptional()
  @IsBoolean({ message: 'must be true or false' })
  force?: boolean;
}

/** `POST /v1/cases/{caseId}/check-ins`: the follow-up of a young person in their pathway. */
export class CheckInDto {
  @ApiProperty({ enum: CHECK_IN_STATUSES })
  @IsIn(CHECK_IN_STATUSES, oneOf(CHECK_IN_STATUSES))
  status: CheckInStatus;

  @OutcomeOnlyWhen((dto: CheckInDto) => dto.status === 'OUTCOME', 'status is OUTCOME')
  outcome?: Outcome;

  @ApiPropertyOptional(NOTE)
  @IsOptional()
  @IsNoteText()
  note?: string;
}

/** `POST /v1/cases/{caseId}/pause`: timers stop counting until resumed (or `until`). */
export class PauseDto {
  @ApiProperty({ ...NOTE, description: 'Why the journey pauses (kept in the case notes)' })
  @IsNoteText({ message: `is required: why the journey pauses, 1 to ${NOTE_MAX_LENGTH} characters` })
  reason: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'The journey resumes by itself at this time (must be in the future)' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 date-time such as 2026-03-01T09:00:00Z' })
  until?: string;
}

/** `POST /v1/cases/{caseId}/close`. */
export class CloseDto {
  @ApiProperty({ enum: CLOSURE_REASONS })
  @IsIn(CLOSURE_REASONS, oneOf(CLOSURE_REASONS))
  reason: ClosureReason;

  @OutcomeOnlyWhen((dto: CloseDto) => dto.reason === 'OUTCOME_REACHED', 'reason is OUTCOME_REACHED')
  outcome?: Outcome;

  @ApiPropertyOptional({ ...NOTE, description: 'Required when reason is OTHER' })
  @ValidateIf((dto: CloseDto) => dto.note !== undefined || dto.reason === 'OTHER')
  @IsNoteText(requiredWhen('reason is OTHER', `must be text of 1 to ${NOTE_MAX_LENGTH} characters`))
  note?: string;
}

/** `POST /v1/cases/{caseId}/notes`. */
export class NoteDto {
  @ApiProperty({ minLength: 1, maxLength: NOTE_MAX_LENGTH })
  @IsNoteText()
  text: string;
}

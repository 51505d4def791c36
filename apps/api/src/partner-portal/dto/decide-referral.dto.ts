import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsIn, IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';
import { DECLINE_REASONS, DeclineReason } from '@walt/domain';
import { oneOf } from '../../common/validation';

export const MAX_TEXT = 2000;

/** Same body from the portal and from a signed link. */
export class AcceptReferralDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'The first appointment, in the future (the young person gets a reminder)' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 date-time, e.g. 2026-03-02T09:30:00Z' })
  appointmentAt?: string;

  @ApiPropertyOptional({ maxLength: MAX_TEXT, description: 'A word for the counsellor; kept in the case notes' })
  @IsOptional()
  @IsString({ message: 'must be text' })
  @MaxLength(MAX_TEXT, { message: `must be at most ${MAX_TEXT} characters` })
  message?: string;
}

/** Every refusal is motivated (PRODUCT.md); EXPIRED is the system's, never a partner's. */
export class DeclineReferralDto {
  @ApiProperty({ enum: DECLINE_REASONS })
  @IsDefined({ message: 'is required: every refusal must be motivated' })
  @IsIn(DECLINE_REASONS, oneOf(DECLINE_REASONS))
  reason: DeclineReason;

  @ApiPropertyOptional({ maxLength: MAX_TEXT, description: 'Required when the reason is OTHER; kept in the case notes' })
  @IsOptional()
  @IsString({ message: 'must be text' })
  @MaxLength(MAX_TEXT, { message: `must be at most ${MAX_TEXT} characters` })
  comment?: string;
}

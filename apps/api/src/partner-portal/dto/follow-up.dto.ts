import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsDefined, IsIn, IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';
import { Outcome, OUTCOMES } from '@walt/domain';
import { MAX_TEXT } from './decide-referral.dto';
import { oneOf } from '../../common/validation';

export class AttendanceDto {
  @ApiProperty({ description: 'Did the young person come to the first appointment?' })
  @IsDefined({ message: 'is required (true or false)' })
  @IsBoolean({ message: 'must be true or false' })
  attended: boolean;

  @ApiPropertyOptional({ format: 'date-time', description: 'When (default: now); not in the future' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 date-time, e.g. 2026-03-02T09:30:00Z' })
  at?: string;
}

export class OutcomeDto {
  @ApiProperty({ enum: OUTCOMES })
  @IsDefined({ message: 'is required' })
  @IsIn(OUTCOMES, oneOf(OUTCOMES))
  outcome: Outcome;

  @ApiPropertyOptional({ maxLength: MAX_TEXT, description: 'Kept in the case notes' })
  @IsOptional()
  @IsString({ message: 'must be text' })
  @MaxLength(MAX_TEXT, { message: `must be at most ${MAX_TEXT} characters` })
  note?: string;
}

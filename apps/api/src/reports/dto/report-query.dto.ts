import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { STAGES, Stage } from '@walt/domain';
import { PageQuery } from '../../common/paging';
import { oneOf } from '../../common/validation';

export const GROUP_BYS = ['segment', 'departement', 'channel', 'partnerType'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];
export const FORMATS = ['json', 'csv'] as const;
export type Format = (typeof FORMATS)[number];

const ISO_DATE = { message: 'must be an ISO 8601 date (2019-01-31) or date-time (2019-01-31T08:00:00Z)' };

/** Filters every report accepts: a territory, a campaign, and the answer's format. */
export class ReportFilterDto {
  @ApiPropertyOptional({ description: 'Only cases of this département (code, e.g. 75, 2A, 971)' })
  @IsOptional()
  @Matches(/^(\d{2,3}|2[AB])$/, { message: 'must be a département code such as 75, 2A or 971' })
  departement?: string;

  @ApiPropertyOptional({ description: 'Only cases captured through this campaign (source.campaign of the form)' })
  @IsOptional()
  @IsString({ message: 'must be text' })
  @MaxLength(100, { message: 'must be at most 100 characters' })
  campaign?: string;

  @ApiPropertyOptional({ enum: FORMATS, default: 'json' })
  @IsOptional()
  @IsIn(FORMATS, oneOf(FORMATS))
  format?: Format;
}

/** A time window: `from` inclusive, `to` exclusive; a date-only `to` includes that whole day. */
export class ReportWindowDto extends ReportFilterDto {
  @ApiPropertyOptional({ example: '2019-01-01' })
  @IsOptional()
  @IsISO8601({ strict: true }, ISO_DATE)
  from?: string;

  @ApiPropertyOptional({ example: '2019-12-31' })
  @IsOptional()
  @IsISO8601({ strict: true }, ISO_DATE)
  to?: string;
}

export class GroupedReportDto extends ReportWindowDto {
  @ApiPropertyOptional({ enum: GROUP_BYS, description: 'Without it, one group ALL for the whole programme' })
  @IsOptional()
  @IsIn(GROUP_BYS, oneOf(GROUP_BYS))
  groupBy?: GroupBy;
}

export const NUDGE_GROUP_BYS = ['template', 'variant', 'channel', 'hour', 'segment', 'departement'] as const;
export type NudgeGroupBy = (typeof NUDGE_GROUP_BYS)[number];

export class NudgeReportDto extends ReportWindowDto {
  @ApiPropertyOptional({
    enum: NUDGE_GROUP_BYS,
    description: "Without it, one group ALL. `hour` is the hour the message was sent, in the young person's time zone",
  })
  @IsOptional()
  @IsIn(NUDGE_GROUP_BYS, oneOf(NUDGE_GROUP_BYS))
  groupBy?: NudgeGroupBy;
}

export class OverdueQueryDto extends IntersectionType(ReportFilterDto, PageQuery) {
  @ApiPropertyOptional({ enum: STAGES })
  @IsOptional()
  @IsIn(STAGES, oneOf(STAGES))
  stage?: Stage;
}

/** The anonymisations report: a window and a format only (an anonymised case has no territory left to filter on). */
export class AnonymisationReportDto {
  @ApiPropertyOptional({ example: '2026-01-01' })
  @IsOptional()
  @IsISO8601({ strict: true }, ISO_DATE)
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-31' })
  @IsOptional()
  @IsISO8601({ strict: true }, ISO_DATE)
  to?: string;

  @ApiPropertyOptional({ enum: FORMATS, default: 'json' })
  @IsOptional()
  @IsIn(FORMATS, oneOf(FORMATS))
  format?: Format;
}

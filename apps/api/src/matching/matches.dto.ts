import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { DIPLOMA_LEVELS, PARTNER_TYPES, SEGMENTS, WISHES, ZONE_KINDS } from '@walt/domain';
import { EXCLUSION_CRITERIA } from '@walt/matching';

export class MatchesQuery {
  @ApiPropertyOptional({
    enum: ['all'],
    description: 'all: every partner of the directory with its verdict, out-of-territory ones included',
  })
  @IsOptional()
  @IsIn(['all'], { message: 'must be all' })
  explain?: 'all';
}

class ZoneView {
  @ApiProperty({ enum: ZONE_KINDS }) kind: string;
  @ApiProperty() code: string;
}

export class ScoreBreakdownView {
  @ApiProperty({ description: 'Fit of the partner type with the segment (0-40)' }) affinity: number;
  @ApiProperty({ description: 'Share of the wishes the partner serves (0-30)' }) wishes: number;
  @ApiProperty({ description: 'Commune 20, EPCI 15, département 10, région 5, national 0' }) proximity: number;
  @ApiProperty({ description: 'Room left this month (0-10)' }) load: number;
  @ApiProperty({ type: ZoneView, description: "The most specific of the partner's zones containing the young person" }) servedBy: ZoneView;
  @ApiProperty({ enum: WISHES, isArray: true }) wishesServed: string[];
  @ApiProperty() referralsThisMonth: number;
  @ApiProperty() monthlyCapacity: number;
}

export class EligibleView {
  @ApiProperty() partnerId: string;
  @ApiProperty() partnerName: string;
  @ApiProperty({ enum: PARTNER_TYPES }) type: string;
  @ApiProperty({ description: 'Sum of the breakdown, 0-100' }) score: number;
  @ApiProperty({ type: ScoreBreakdownView }) breakdown: ScoreBreakdownView;
}

export class ExclusionView {
  @ApiProperty() partnerId: string;
  @ApiProperty() partnerName: string;
  @ApiProperty({ enum: PARTNER_TYPES }) type: string;
  @ApiProperty({ enum: EXCLUSION_CRITERIA, description: 'The first hard filter the partner fails' }) criterion: string;
  @ApiProperty({ description: 'Why, in French, for the counsellor' }) detail: string;
}

export class MatchProfileView {
  @ApiProperty() age: number;
  @ApiProperty({ enum: DIPLOMA_LEVELS }) diplomaLevel: string;
  @ApiProperty({ enum: WISHES, isArray: true }) wishes: string[];
  @ApiProperty({ enum: SEGMENTS }) segment: string;
  @ApiProperty() communeCode: string;
  @ApiProperty({ nullable: true, type: String }) epci: string | null;
  @ApiProperty() departement: string;
  @ApiProperty() region: string;
}

export class MatchesView {
  @ApiProperty() caseId: string;
  @ApiProperty({ type: MatchProfileView, description: 'The criteria matching used (no identity)' }) profile: MatchProfileView;
  @ApiProperty({ type: [EligibleView], description: 'Best first' }) eligible: EligibleView[];
  @ApiProperty({
    type: [ExclusionView],
    description: 'Partners serving the place that a criterion excludes; with explain=all, every other partner',
  })
  excluded: ExclusionView[];
  @ApiProperty({ description: 'Partners of the directory that do not serve the young person’s place' }) excludedOutsideTerritory: number;
}

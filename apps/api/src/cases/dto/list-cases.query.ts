import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { SEGMENTS, Segment, STAGES, Stage } from '@walt/domain';
import { oneOf } from '../../common/validation';
import { PageQuery } from '../../common/paging';

/** Query strings are text: `true`/`false` become booleans, anything else stays and fails validation. */
const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

/** `GET /v1/cases`: filters combine with AND; a counsellor's territories always apply on top. */
export class ListCasesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: STAGES })
  @IsOptional()
  @IsIn(STAGES, oneOf(STAGES))
  stage?: Stage;

  @ApiPropertyOptional({ enum: SEGMENTS })
  @IsOptional()
  @IsIn(SEGMENTS, oneOf(SEGMENTS))
  segment?: Segment;

  @ApiPropertyOptional({ description: 'Département code (75, 2A, 971…)' })
  @IsOptional()
  @Matches(/^(\d{2,3}|2[AB])$/, { message: 'must be a département code such as 75, 2A or 971' })
  departement?: string;

  @ApiPropertyOptional({ description: 'Cases followed by this counsellor (their token subject)' })
  @IsOptional()
  @IsString({ message: 'must be text' })
  @MaxLength(200, { message: 'must be at most 200 characters' })
  counsellorId?: string;

  @ApiPropertyOptional({
    description: 'true: only cases whose stage has outlived its policy duration (as in GET /v1/reports/overdue); false: only the others.',
  })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'must be true or false' })
  overdue?: boolean;

  @ApiPropertyOptional({
    description: 'First or last name, email or phone; case-insensitive, phone and email normalised as at intake',
  })
  @IsOptional()
  @IsString({ message: 'must be text' })
  @MinLength(2, { message: 'must be at least 2 characters' })
  @MaxLength(100, { message: 'must be at most 100 characters' })
  q?: string;
}

export class CaseListItem {
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ enum: STAGES }) stage: Stage;
  @ApiProperty({ format: 'date-time' }) stageEnteredAt: string;
  @ApiProperty({ enum: SEGMENTS }) segment: Segment;
  @ApiProperty() departement: string;
  @ApiProperty({ description: 'Age today (age at capture once the birth date is erased)' }) age: number;
  @ApiProperty({ nullable: true, type: String }) counsellorId: string | null;
  @ApiProperty({ nullable: true, type: String }) partnerId: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'For the console list (null once erased)' }) firstName: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'For the console list (null once erased)' }) lastName: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) nextActionAt: string | null;
  @ApiProperty({ description: 'The current stage has outlived its policy duration (always false until the rule is wired)' })
  overdue: boolean;
}

export class CaseListPage {
  @ApiProperty({ type: [CaseListItem], description: 'Newest cases first' }) items: CaseListItem[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

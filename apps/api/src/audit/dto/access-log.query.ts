import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PageQuery } from '../../common/paging';

export class AccessLogQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID(undefined, { message: 'must be a UUID' })
  caseId?: string;

  @ApiPropertyOptional({ description: 'As written in events: `counsellor:<sub>`, `partner:<partnerId>`, `admin:<sub>`…' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  actor?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Inclusive' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'must be an ISO 8601 date or date-time' })
  from?: Date;

  @ApiPropertyOptional({ format: 'date-time', description: 'Exclusive' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'must be an ISO 8601 date or date-time' })
  to?: Date;
}

export class AccessRecordDto {
  @ApiProperty() id!: string;
  @ApiProperty({ format: 'date-time' }) at!: Date;
  @ApiProperty() actor!: string;
  @ApiProperty() role!: string;
  @ApiProperty({ format: 'uuid' }) caseId!: string;
  @ApiProperty({ enum: ['CASE_PAGE', 'TIMELINE', 'MATCHES', 'PARTNER_REFERRAL', 'EXPORT'] }) what!: string;
  @ApiPropertyOptional({ nullable: true }) ip!: string | null;
  @ApiPropertyOptional({ nullable: true }) userAgent!: string | null;
}

export class AccessLogPage {
  @ApiProperty({ type: [AccessRecordDto] }) items!: AccessRecordDto[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { BARRIERS, DIPLOMA_LEVELS, OUTCOMES, SEGMENTS, WISHES } from '@walt/domain';
import { REFERRAL_STATUSES } from '@walt/persistence';

/** A referral as its partner sees it (API.md, "Partners"). */
export class PartnerReferralDto {
  @ApiProperty({ format: 'uuid' }) referralId: string;
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ enum: REFERRAL_STATUSES }) status: string;
  @ApiProperty() attempt: number;
  @ApiProperty({ format: 'date-time' }) sentAt: string;
  @ApiProperty({ format: 'date-time', description: 'Answer before this time, or the referral expires' }) dueAt: string;
  @ApiPropertyOptional({ format: 'date-time' }) decidedAt?: string;
  @ApiPropertyOptional({ description: 'Decline reason, or EXPIRED' }) reason?: string;
  @ApiPropertyOptional() comment?: string;
  @ApiPropertyOptional({ format: 'date-time' }) appointmentAt?: string;
  @ApiPropertyOptional() attended?: boolean;
  @ApiPropertyOptional({ format: 'date-time' }) attendanceAt?: string;
  @ApiPropertyOptional({ enum: OUTCOMES }) outcome?: string;
  @ApiProperty({ nullable: true, type: String, description: 'Null once the young person asked for erasure' }) firstName: string | null;
  @ApiProperty() age: number;
  @ApiProperty({ enum: DIPLOMA_LEVELS }) diplomaLevel: string;
  @ApiProperty({ nullable: true, type: String, description: 'Name of the commune' }) commune: string | null;
  @ApiProperty() departement: string;
  @ApiProperty({ enum: SEGMENTS }) segment: string;
  @ApiPropertyOptional({ enum: BARRIERS, isArray: true, description: 'Only if the young person agreed to share them with partners' })
  barriers?: string[];
  @ApiProperty({ enum: WISHES, isArray: true }) wishes: string[];
  @ApiPropertyOptional({ description: 'Only once accepted' }) lastName?: string | null;
  @ApiPropertyOptional({ description: 'Only once accepted' }) email?: string | null;
  @ApiPropertyOptional({ description: 'Only once accepted' }) phone?: string | null;
}

export class PartnerReferralListDto {
  @ApiProperty({ type: [PartnerReferralDto] }) items: PartnerReferralDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

export class ReferralLinkDto {
  @ApiProperty({ description: 'The signed link to send to the partner' }) url: string;
  @ApiProperty({ format: 'date-time', description: "The referral's due time: the link stops working then" }) expiresAt: string;
}

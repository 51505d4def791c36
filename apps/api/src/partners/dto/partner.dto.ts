import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import {
  DIPLOMA_LEVELS,
  PARTNER_TYPES,
  WISHES,
  ZONE_KINDS,
  type DiplomaLevel,
  type PartnerType,
  type Wish,
  type ZoneKind,
} from '@walt/domain';
import { PageQuery } from '../../common/paging';
import { oneOf } from '../../common/validation';

/*
 * The DTOs check shapes (text, integer, list); what the values mean (a known type, a real
 * commune, min ≤ max…) is checked by validatePartner, shared with the CSV import.
 */

export class ZoneDto {
  @ApiProperty({ enum: ZONE_KINDS })
  @IsString({ message: 'must be text' })
  kind: ZoneKind;

  @ApiProperty({ description: 'INSEE commune code, EPCI SIREN, département or région code; FR for FRANCE', example: '75' })
  @IsString({ message: 'must be text' })
  code: string;
}

export class CreatePartnerDto {
  @ApiProperty({ example: 'ml-75', description: 'Stable id: lowercase letters, digits, - and _' })
  @IsString({ message: 'must be text' })
  id: string;

  @ApiProperty({ enum: PARTNER_TYPES })
  @IsString({ message: 'must be text' })
  type: PartnerType;

  @ApiProperty({ maxLength: 200, example: 'Mission Locale de Paris' })
  @IsString({ message: 'must be text' })
  name: string;

  @ApiProperty({ description: 'INSEE code of the commune where the structure is', example: '75056' })
  @IsString({ message: 'must be text' })
  communeCode: string;

  @ApiProperty({ type: [ZoneDto], description: 'Where it recruits' })
  @IsArray({ message: 'must be a list' })
  @IsObject({ each: true, message: 'must be a list of { kind, code }' })
  @ValidateNested({ each: true })
  @Type(() => ZoneDto)
  zones: ZoneDto[];

  @ApiPropertyOptional({ description: "Default: the type's", minimum: 0, maximum: 99 })
  @IsOptional()
  @IsInt({ message: 'must be an integer' })
  minAge?: number;

  @ApiPropertyOptional({ description: "Default: the type's", minimum: 0, maximum: 99 })
  @IsOptional()
  @IsInt({ message: 'must be an integer' })
  maxAge?: number;

  @ApiPropertyOptional({ enum: DIPLOMA_LEVELS, isArray: true, description: "Default: the type's" })
  @IsOptional()
  @IsArray({ message: 'must be a list' })
  @IsString({ each: true, message: 'must be a list of codes' })
  diplomaLevels?: DiplomaLevel[];

  @ApiPropertyOptional({ enum: WISHES, isArray: true, description: "Default: the type's" })
  @IsOptional()
  @IsArray({ message: 'must be a list' })
  @IsString({ each: true, message: 'must be a list of codes' })
  wishes?: Wish[];

  @ApiProperty({ minimum: 0, description: 'Referrals per calendar month; 0 pauses the partner' })
  @IsInt({ message: 'must be an integer' })
  @Min(0, { message: 'must be 0 or more' })
  @Max(100_000, { message: 'must be at most 100000' })
  monthlyCapacity: number;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean({ message: 'must be true or false' })
  active?: boolean;

  @ApiProperty({ example: 'contact@ml-paris.example.org' })
  @IsString({ message: 'must be text' })
  @MaxLength(320, { message: 'must be at most 320 characters' })
  contactEmail: string;

  @ApiPropertyOptional({
    nullable: true,
    example: 'P14D',
    description: "ISO 8601 duration overriding the policy's referralExpiresAfter; null: none",
  })
  @IsOptional()
  @IsString({ message: 'must be an ISO 8601 duration' })
  referralExpiresAfter?: string | null;
}

/** Every field but the id; `referralExpiresAfter: null` removes the override. */
export class UpdatePartnerDto extends PartialType(OmitType(CreatePartnerDto, ['id'] as const)) {}

export class ListPartnersQuery extends PageQuery {
  @ApiPropertyOptional({ enum: PARTNER_TYPES })
  @IsOptional()
  @IsIn(PARTNER_TYPES, oneOf(PARTNER_TYPES))
  type?: PartnerType;

  @ApiPropertyOptional({ description: "Département of the structure's commune", example: '973' })
  @IsOptional()
  @IsString({ message: 'must be text' })
  @MaxLength(3, { message: 'must be a département code' })
  departement?: string;

  @ApiPropertyOptional({ description: 'Part of the name or id' })
  @IsOptional()
  @IsString({ message: 'must be text' })
  @MaxLength(200, { message: 'must be at most 200 characters' })
  q?: string;
}

export class PartnerDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: PARTNER_TYPES }) type: PartnerType;
  @ApiProperty() name: string;
  @ApiProperty() communeCode: string;
  @ApiProperty({ description: "Département of the structure's commune" }) departement: string;
  @ApiProperty({ type: [ZoneDto] }) zones: ZoneDto[];
  @ApiProperty() minAge: number;
  @ApiProperty() maxAge: number;
  @ApiProperty({ enum: DIPLOMA_LEVELS, isArray: true }) diplomaLevels: DiplomaLevel[];
  @ApiProperty({ enum: WISHES, isArray: true }) wishes: Wish[];
  @ApiProperty() monthlyCapacity: number;
  @ApiProperty() active: boolean;
  @ApiProperty() contactEmail: string;
  @ApiProperty({ nullable: true, type: String }) referralExpiresAfter: string | null;
}

export class PartnerListDto {
  @ApiProperty({ type: [PartnerDto] }) items: PartnerDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

export class ImportResultDto {
  @ApiProperty({ description: 'Partners in the file' }) imported: number;
  @ApiProperty() created: number;
  @ApiProperty() updated: number;
}

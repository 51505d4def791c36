import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  Equals,
  IsArray,
  IsBoolean,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import {
  BARRIERS,
  Barrier,
  DIPLOMA_LEVELS,
  DiplomaLevel,
  MESSAGE_CHANNELS,
  MessageChannel,
  SITUATIONS,
  Situation,
  SOURCE_CHANNELS,
  SourceChannel,
  WISHES,
  Wish,
} from '@walt/domain';
import { POSTAL_CODE_PATTERN } from '@walt/territory';
import { IsEmailAddress, oneOf } from '../../common/validation';

export class ConsentDto {
  @ApiProperty({ enum: [true], description: 'Must be true: without it nothing can be recorded.' })
  @Equals(true, { message: 'must be true: we cannot process the request without consent' })
  dataProcessing: true;

  @ApiProperty()
  @IsBoolean({ message: 'must be true or false' })
  shareWithPartners: boolean;

  @ApiProperty({ enum: MESSAGE_CHANNELS, isArray: true })
  @IsArray({ message: 'must be a list' })
  @ArrayUnique({ message: 'must not repeat a channel' })
  @IsIn(MESSAGE_CHANNELS, { each: true, ...oneOf(MESSAGE_CHANNELS) })
  channels: MessageChannel[];
}

export class SourceDto {
  @ApiProperty({ enum: SOURCE_CHANNELS })
  @IsIn(SOURCE_CHANNELS, oneOf(SOURCE_CHANNELS))
  channel: SourceChannel;

  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @IsString({ message: 'must be text' })
  @MaxLength(100, { message: 'must be at most 100 characters' })
  campaign?: string;
}

/** `POST /v1/intake/forms`: the web form, field for field as in API.md. */
export class IntakeFormDto {
  @ApiProperty({ format: 'uuid', description: 'Client-generated; sending the same form twice is safe.' })
  @IsUUID('all', { message: 'must be a UUID' })
  submissionId: string;

  @ApiProperty({ maxLength: 100 })
  @IsString({ message: 'must be text' })
  @MinLength(1, { message: 'must not be empty' })
  @MaxLength(100, { message: 'must be at most 100 characters' })
  firstName: string;

  @ApiProperty({ maxLength: 100 })
  @IsString({ message: 'must be text' })
  @MinLength(1, { message: 'must not be empty' })
  @MaxLength(100, { message: 'must be at most 100 characters' })
  lastName: string;

  @ApiProperty({ example: '2006-05-17', description: 'YYYY-MM-DD' })
  @IsString({ message: 'must be a date YYYY-MM-DD' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date YYYY-MM-DD' })
  birthDate: string;

  @ApiPropertyOptional({ description: 'email and/or phone: at least one' })
  @IsOptional()
  @IsString({ message: 'must be text' })
  @MaxLength(254, { message: 'must be at most 254 characters' })
  @IsEmailAddress({ message: 'must be an email address' })
  email?: string;

  @ApiPropertyOptional({ example: '06 12 34 56 78', description: 'French or international (+...) number' })
  @IsOptional()
  @IsString({ message: 'must be text' })
  @MaxLength(30, { message: 'must be at most 30 characters' })
  phone?: string;

  @ApiProperty({ example: '97300' })
  @IsString({ message: 'must be a 5-digit postal code' })
  @Matches(POSTAL_CODE_PATTERN, { message: 'must be a 5-digit postal code' })
  postalCode: string;

  @ApiPropertyOptional({
    description:
      'INSEE code, when the postal code serves several communes: one of GET /v1/intake/postal-codes/{postalCode} (default: its defaultCommuneCode)',
  })
  @IsOptional()
  @IsString({ message: 'must be an INSEE commune code' })
  @Matches(/^(\d{5}|2[AB]\d{3})$/, { message: 'must be an INSEE commune code' })
  communeCode?: string;

  @ApiProperty({ enum: DIPLOMA_LEVELS })
  @IsIn(DIPLOMA_LEVELS, oneOf(DIPLOMA_LEVELS))
  diplomaLevel: DiplomaLevel;

  @ApiProperty({ enum: SITUATIONS })
  @IsIn(SITUATIONS, oneOf(SITUATIONS))
  situation: Situation;

  @ApiProperty({ enum: BARRIERS, isArray: true })
  @IsArray({ message: 'must be a list' })
  @ArrayMaxSize(BARRIERS.length, { message: 'has too many entries' })
  @IsIn(BARRIERS, { each: true, ...oneOf(BARRIERS) })
  barriers: Barrier[];

  @ApiProperty({ enum: WISHES, isArray: true })
  @IsArray({ message: 'must be a list' })
  @ArrayMaxSize(WISHES.length, { message: 'has too many entries' })
  @IsIn(WISHES, { each: true, ...oneOf(WISHES) })
  wishes: Wish[];

  @ApiProperty({ type: ConsentDto })
  @IsObject({ message: 'is required: { dataProcessing, shareWithPartners, channels }' })
  @ValidateNested()
  @Type(() => ConsentDto)
  consent: ConsentDto;

  @ApiProperty({ type: SourceDto })
  @IsObject({ message: 'is required: { channel, campaign? }' })
  @ValidateNested()
  @Type(() => SourceDto)
  source: SourceDto;
}

export class IntakeResultDto {
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty() stage: string;
  @ApiProperty() eligible: boolean;
  @ApiProperty() segment: string;
  @ApiProperty({ description: 'A sentence for the young person, in French' }) message: string;
}

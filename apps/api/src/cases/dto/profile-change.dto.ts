import { IsEmailAddress } from '../../common/validation';
import { ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IntakeFormDto } from '../../intake/dto/intake-form.dto';

/** Fields of the form that identify the submission or the campaign, not the young person. */
const NOT_PROFILE = ['submissionId', 'source'] as const;
/** Fields a counsellor may clear with `null` (redeclared below so that null is allowed). */
const CLEARABLE = ['email', 'phone', 'communeCode'] as const;

/**
 * `PATCH /v1/cases/{caseId}/profile`: the form's fields, all optional, with the form's rules
 * (the same decorators; `skipNullProperties: false` makes `null` invalid for them). `email` and
 * `phone` may be cleared with null as long as one contact remains; `communeCode: null` lets the
 * postal code choose the commune again.
 */
export class ProfileChangeDto extends PartialType(OmitType(IntakeFormDto, [...NOT_PROFILE, ...CLEARABLE]), { skipNullProperties: false }) {
  @ApiPropertyOptional({ nullable: true, description: 'null clears it (a phone must then remain)' })
  @IsOptional()
  @IsString({ message: 'must be text' })
  @MaxLength(254, { message: 'must be at most 254 characters' })
  @IsEmailAddress({ message: 'must be an email address' })
  email?: string | null;

  @ApiPropertyOptional({ nullable: true, example: '06 12 34 56 78', description: 'null clears it (an email must then remain)' })
  @IsOptional()
  @IsString({ message: 'must be text' })
  @MaxLength(30, { message: 'must be at most 30 characters' })
  phone?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    description: 'INSEE code when the postal code serves several communes; null: the postal code decides',
  })
  @IsOptional()
  @IsString({ message: 'must be an INSEE commune code' })
  @Matches(/^(\d{5}|2[AB]\d{3})$/, { message: 'must be an INSEE commune code' })
  communeCode?: string | null;
}

/** The profile fields, in the order they are reported in `PROFILE_UPDATED { fields }`. */
export const PROFILE_FIELDS = [
  'firstName',
  'lastName',
  'birthDate',
  'email',
  'phone',
  'postalCode',
  'communeCode',
  'diplomaLevel',
  'situation',
  'barriers',
  'wishes',
  'consent',
] as const satisfies readonly (keyof ProfileChangeDto)[];
export type ProfileField = (typeof PROFILE_FIELDS)[number];

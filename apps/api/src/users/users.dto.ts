import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ROLES, type Role } from '@walt/domain';
import { IsEmailAddress, oneOf } from '../common/validation';

const DEPARTEMENT = /^(\d{2}|2[AB]|97[1-6])$/;

export class CreateUserDto {
  @ApiProperty({ example: 'conseillere@example.org' })
  @IsString({ message: 'must be text' })
  @MaxLength(254, { message: 'must be at most 254 characters' })
  @IsEmailAddress({ message: 'must be an email address' })
  email: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES, oneOf(ROLES))
  role: Role;

  @ApiPropertyOptional({ type: [String], description: 'Départements a counsellor is limited to', example: ['75', '93'] })
  @IsOptional()
  @IsArray({ message: 'must be a list' })
  @ArrayMaxSize(120, { message: 'has too many entries' })
  @Matches(DEPARTEMENT, { each: true, message: 'must be département codes (75, 2A, 971…)' })
  territories?: string[];

  @ApiPropertyOptional({ description: 'The structure of a partner user (required for the partner role)' })
  @IsOptional()
  @IsString({ message: 'must be text' })
  partnerId?: string;
}

export class UpdateUserDto {
  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES, oneOf(ROLES))
  role?: Role;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray({ message: 'must be a list' })
  @ArrayMaxSize(120, { message: 'has too many entries' })
  @Matches(DEPARTEMENT, { each: true, message: 'must be département codes (75, 2A, 971…)' })
  territories?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString({ message: 'must be text' })
  partnerId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean({ message: 'must be true or false' })
  active?: boolean;
}

export class UsersQuery {
  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES, oneOf(ROLES))
  role?: Role;

  @ApiPropertyOptional({ description: 'Part of the email' })
  @IsOptional()
  @IsString({ message: 'must be text' })
  @MaxLength(100, { message: 'must be at most 100 characters' })
  q?: string;
}

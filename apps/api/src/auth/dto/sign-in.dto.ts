import { IsEmailAddress } from '../../common/validation';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class SignInLinkRequestDto {
  @ApiProperty({ example: 'conseillere@example.org' })
  @IsString({ message: 'must be text' })
  @MaxLength(254, { message: 'must be at most 254 characters' })
  @IsEmailAddress({ message: 'must be an email address' })
  email: string;

  @ApiPropertyOptional({ description: 'The console page to open once signed in (a /console/… path)', example: '/console/dossiers' })
  @IsOptional()
  @IsString({ message: 'must be text' })
  @MaxLength(500, { message: 'must be at most 500 characters' })
  next?: string;
}

export class MeDto {
  @ApiProperty() userId: string;
  @ApiProperty() email: string;
  @ApiProperty({ enum: ['counsellor', 'partner', 'manager', 'admin'] }) role: string;
  @ApiPropertyOptional({ type: [String] }) territories?: string[];
  @ApiPropertyOptional() partnerId?: string;
  @ApiProperty({
    nullable: true,
    description: 'Send it as X-CSRF-Token with every write made with the session cookie (null with a bearer token)',
  })
  csrfToken: string | null;
}

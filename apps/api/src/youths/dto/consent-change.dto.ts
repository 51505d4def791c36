import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayUnique, IsArray, IsBoolean, IsIn, IsOptional } from 'class-validator';
import { MESSAGE_CHANNELS, MessageChannel } from '@walt/domain';
import { oneOf } from '../../common/validation';

/** What the young person now consents to; an absent field is unchanged. */
export class ConsentChangeDto {
  @ApiPropertyOptional({ description: 'false withdraws sharing with partners (a pending referral is withdrawn)' })
  @IsOptional()
  @IsBoolean({ message: 'must be true or false' })
  shareWithPartners?: boolean;

  @ApiPropertyOptional({ enum: MESSAGE_CHANNELS, isArray: true, description: 'The channels messages may use; nudges stop on the others' })
  @IsOptional()
  @IsArray({ message: 'must be a list of channels' })
  @ArrayUnique({ message: 'must not repeat a channel' })
  @IsIn(MESSAGE_CHANNELS, { each: true, ...oneOf(MESSAGE_CHANNELS) })
  channels?: MessageChannel[];
}

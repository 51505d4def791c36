import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { REFERRAL_STATUSES, ReferralStatus } from '@walt/persistence';
import { PageQuery } from '../../common/paging';
import { oneOf } from '../../common/validation';

export class ListReferralsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: REFERRAL_STATUSES })
  @IsOptional()
  @IsIn(REFERRAL_STATUSES, oneOf(REFERRAL_STATUSES))
  status?: ReferralStatus;
}

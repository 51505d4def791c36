import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiBody, ApiConflictResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { actorOf, Principal } from '@walt/auth';
import { PolicyChangeDto, VersionedPolicyDto } from './dto/policy.dto';
import { PolicyService } from './policy.service';

@ApiTags('policy')
@ApiBearerAuth()
@Roles('admin')
@Controller('v1/policy')
export class PolicyController {
  constructor(private readonly policy: PolicyService) {}

  @Get()
  @ApiOperation({ summary: 'The current journey policy and its version' })
  @ApiOkResponse({ type: VersionedPolicyDto })
  get() {
    return this.policy.current();
  }

  @Put()
  @ApiOperation({
    summary: 'Save a new policy version for journeys started from now on',
    description: 'A partial body keeps the other fields of the current version. Running journeys keep the version they started with.',
  })
  @ApiBody({ type: PolicyChangeDto })
  @ApiOkResponse({ type: VersionedPolicyDto })
  @ApiBadRequestResponse({
    description: 'ValidationError: a bad duration or an unknown field, each named in details (e.g. nudgeOffsets[1])',
  })
  @ApiConflictResponse({ description: 'The body names a version that is no longer current' })
  // The body is typed as a plain object on purpose: the global ValidationPipe leaves it alone
  // and PolicyService checks it with the domain's validatePolicy.
  put(@Body() body: Record<string, unknown>, @CurrentPrincipal() principal: Principal) {
    return this.policy.change(body, actorOf(principal));
  }
}

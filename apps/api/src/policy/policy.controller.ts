import { Body, Controller, Get, Param, PipeTransform, Put, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { actorOf, Principal } from '@walt/auth';
import { validationError } from '../common/api-error';
import { PageQuery } from '../common/paging';
import { PolicyChangeDto, PolicyVersionDto, PolicyVersionPage, VersionedPolicyDto } from './dto/policy.dto';
import { PolicyService } from './policy.service';

/** `{version}`: a whole number the int column can hold (a bigger one would be a database error, not a 404). */
const versionPipe: PipeTransform<string, number> = {
  transform(value) {
    const version = /^\d{1,10}$/.test(value) ? Number(value) : NaN;
    if (!(version >= 1 && version <= 2_147_483_647))
      throw validationError([{ field: 'version', message: 'must be a whole number, 1 or more' }]);
    return version;
  },
};

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

  @Get('versions')
  @ApiOperation({ summary: 'Every version of the policy, newest first: who saved it, when journeys started with it' })
  @ApiOkResponse({ type: PolicyVersionPage })
  @ApiBadRequestResponse({ description: 'ValidationError naming page or pageSize' })
  versions(@Query() query: PageQuery) {
    return this.policy.history(query);
  }

  @Get('versions/:version')
  @ApiOperation({ summary: 'One version of the policy, and what it changed from the one before' })
  @ApiParam({ name: 'version', type: Number, example: 2 })
  @ApiOkResponse({ type: PolicyVersionDto })
  @ApiBadRequestResponse({ description: 'ValidationError: the version is not a whole number, 1 or more' })
  @ApiNotFoundResponse({ description: 'No such version' })
  version(@Param('version', versionPipe) version: number) {
    return this.policy.version(version);
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

import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { SimulationAcceptedDto, SimulationRequestDto, SimulationViewDto } from './dto/simulation.dto';
import { SimulationsService } from './simulations.service';

@ApiTags('policy')
@ApiBearerAuth()
@Roles('manager', 'admin')
@Controller('v1/policy/simulations')
export class SimulationsController {
  constructor(private readonly simulations: SimulationsService) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'What-if of a policy change: the current policy and a draft run on the real workflows, side by side',
    description:
      'The draft (partial allowed) is validated as PUT /v1/policy, then both policies run the same synthetic cohort, drawn from ' +
      'the history of [cohort.from, cohort.to), with every duration scaled (one day lasts msPerDay ms), in a schema and task ' +
      'queue of their own: nothing real is written or sent. Poll GET /v1/policy/simulations/{id}.',
  })
  @ApiBody({ type: SimulationRequestDto })
  @ApiAcceptedResponse({ type: SimulationAcceptedDto })
  @ApiBadRequestResponse({ description: 'ValidationError: each bad field named in details (policy.referralExpiresAfter, cohort.size…)' })
  // Checked by SimulationsService and PolicyService (as PUT /v1/policy), not by the global ValidationPipe.
  start(@Body() body: Record<string, unknown>) {
    return this.simulations.start(body);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Progress of a what-if, then its result' })
  @ApiOkResponse({ type: SimulationViewDto })
  @ApiNotFoundResponse({ description: 'No simulation has this id' })
  view(@Param('id') id: string) {
    return this.simulations.view(id);
  }
}

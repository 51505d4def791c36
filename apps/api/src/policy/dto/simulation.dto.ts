import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PolicyChangeDto } from './policy.dto';

export class SimulationCohortDto {
  @ApiProperty({ minimum: 1, maximum: 500, example: 200, description: 'Young people in the synthetic cohort' }) size: number;
  @ApiPropertyOptional({
    example: '2026-09-01',
    description: 'History the cohort and behaviours are drawn from (default: 90 days before `to`)',
  })
  from?: string;
  @ApiPropertyOptional({ example: '2026-12-01', description: 'End of that history (default: now)' }) to?: string;
}

export class SimulationRequestDto {
  @ApiProperty({ type: PolicyChangeDto, description: 'The draft: a partial policy over the current one, validated as PUT /v1/policy' })
  policy: PolicyChangeDto;
  @ApiProperty({ type: SimulationCohortDto }) cohort: SimulationCohortDto;
  @ApiPropertyOptional({
    minimum: 1,
    maximum: 5,
    default: 3,
    description: 'How many seeds (1, 2, …): each figure gets an interval over them',
  })
  seeds?: number;
  @ApiPropertyOptional({
    minimum: 100,
    maximum: 10000,
    default: 1000,
    description: 'Real milliseconds one simulated day lasts, for both policies',
  })
  msPerDay?: number;
  @ApiPropertyOptional({ minimum: 1, maximum: 60, default: 14, description: 'Days over which the cohort arrives' }) arrivalDays?: number;
  @ApiPropertyOptional({ minimum: 7, maximum: 365, default: 45, description: 'Days the run goes on after the arrivals' })
  horizonDays?: number;
}

export class SimulationAcceptedDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid', description: 'The same as id' }) simulationId: string;
}

export class SimulationProgressDto {
  @ApiProperty() runsDone: number;
  @ApiProperty() runsTotal: number;
  @ApiProperty({ description: '0 to 1' }) fraction: number;
}

export class SimulationViewDto {
  @ApiProperty({ enum: ['RUNNING', 'DONE', 'FAILED'] }) status: string;
  @ApiProperty({ type: SimulationProgressDto }) progress: SimulationProgressDto;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description:
      'current and draft side by side (funnel, p50/p90 hours of each stage and end to end, escalations, expiries, counsellor ' +
      'workload per week, messages), each figure as { mean, sd, min, max } over the seeds; runs: the figures of each seed',
  })
  result?: Record<string, unknown>;
  @ApiPropertyOptional() error?: string;
}

import { HttpStatus, Injectable, Logger, BeforeApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { IntakeCapture, IntakeRejected, PolicyChoice } from '@walt/intake';
import { JourneyEventsRepository } from '@walt/persistence';
import { JourneyStarter } from '@walt/temporal';
import { validationError } from '../common/api-error';
import { Clock } from '../common/clock';
import { IntakeFormDto, IntakeResultDto } from './dto/intake-form.dto';

export interface IntakeOutcome {
  status: HttpStatus.CREATED | HttpStatus.OK;
  body: IntakeResultDto;
}

/**
 * The web form's door to intake: the rules, the dedupe and the journey start are the shared
 * IntakeCapture's (the chatbot's conversations end in the same one); this maps HTTP onto it.
 */
@Injectable()
export class IntakeService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(IntakeService.name);
  private readonly capture: IntakeCapture;

  constructor(
    dataSource: DataSource,
    events: JourneyEventsRepository,
    policies: PolicyChoice,
    starter: JourneyStarter,
    private readonly clock: Clock,
  ) {
    this.capture = new IntakeCapture(dataSource, events, policies, starter, (caseId, err) =>
      this.logger.warn(`journey of case ${caseId} not started yet (${err.message}); the reconciler will retry`),
    );
  }

  /** Journeys whose start was requested are not dropped by a graceful stop (a crash is the reconciler's). */
  beforeApplicationShutdown(): Promise<void> {
    return this.capture.idle();
  }

  async submitForm(form: IntakeFormDto): Promise<IntakeOutcome> {
    try {
      const { status, caseId, stage, eligible, segment, message } = await this.capture.submit(form, this.clock.now());
      return { status: status === 'CREATED' ? HttpStatus.CREATED : HttpStatus.OK, body: { caseId, stage, eligible, segment, message } };
    } catch (err) {
      if (err instanceof IntakeRejected) throw validationError(err.problems);
      throw err;
    }
  }
}

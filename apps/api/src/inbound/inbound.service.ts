import { HttpException, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { normalizePhone } from '@walt/domain';
import { inboundIntent } from '@walt/messaging';
import { ANONYMISATION_NOTICE, JourneyEventsRepository } from '@walt/persistence';
import { youthRepliedSignal } from '../../../../workflows/messages';
import { validationError } from '../common/api-error';
import { Clock } from '../common/clock';
import { JourneyCommands } from '../infrastructure/journey-commands';
import type { InboundSmsResultDto } from './inbound-sms.dto';

/**
 * An SMS from a young person: STOP (or ARRET) opts their number out of SMS for good, anything
 * else tells the journey of their open case that they answered. The text itself is not kept.
 */
@Injectable()
export class InboundService {
  private readonly logger = new Logger(InboundService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly events: JourneyEventsRepository,
    private readonly journeys: JourneyCommands,
    private readonly clock: Clock,
  ) {}

  async receive(from: string, text: string): Promise<InboundSmsResultDto> {
    const phone = normalizePhone(from);
    if (!phone) throw validationError([{ field: 'from', message: 'is not a phone number' }]);
    return inboundIntent(text) === 'STOP' ? this.optOut(phone, this.clock.now()) : this.reply(phone);
  }

  private async optOut(phone: string, now: Date): Promise<InboundSmsResultDto> {
    const youths: { id: string; case_id: string | null }[] = await this.dataSource.query(
      `WITH opted AS (
         UPDATE youths SET sms_opt_out_at = coalesce(sms_opt_out_at, $2) WHERE phone = $1 AND erased_at IS NULL RETURNING id
       )
       SELECT o.id, (SELECT c.id FROM cases c WHERE c.youth_id = o.id ORDER BY c.created_at DESC LIMIT 1) AS case_id FROM opted o`,
      [phone, now],
    );
    for (const youth of youths.filter((y) => y.case_id)) {
      await this.events.record({
        caseId: youth.case_id!,
        idempotencyKey: `sms-opt-out:${youth.id}`,
        type: 'SMS_OPT_OUT',
        actor: 'youth',
        at: now,
        data: { channel: 'SMS' },
      });
    }
    return { action: youths.length ? 'OPT_OUT' : 'IGNORED' };
  }

  private async reply(phone: string): Promise<InboundSmsResultDto> {
    const [open] = await this.dataSource.query(
      `SELECT c.id FROM cases c JOIN youths y ON y.id = c.youth_id
        WHERE y.phone = $1 AND y.erased_at IS NULL AND c.stage <> 'CLOSED'
        ORDER BY c.created_at DESC LIMIT 1`,
      [phone],
    );
    if (!open) return this.keepFile(phone);
    try {
      await this.journeys.signalJourney(open.id, youthRepliedSignal, { channel: 'SMS' });
    } catch (err) {
      // The journey just ended (409): nothing to tell it. Anything else is a real failure.
      if (err instanceof HttpException && err.getStatus() === 409) return { action: 'IGNORED' };
      this.logger.error(`could not signal the journey of case ${open.id}: ${(err as Error).message}`);
      throw err;
    }
    return { action: 'REPLY' };
  }

  /**
   * A reply to the anonymisation notice on a closed case: no journey runs to hear it, so it is
   * recorded here, as the activity that keeps the file (AnonymisationRepository counts YOUTH_REPLIED).
   */
  private async keepFile(phone: string): Promise<InboundSmsResultDto> {
    const [noticed] = await this.dataSource.query(
      `SELECT c.id FROM cases c JOIN youths y ON y.id = c.youth_id
        WHERE y.phone = $1 AND y.erased_at IS NULL
          AND EXISTS (SELECT 1 FROM journey_events e WHERE e.case_id = c.id AND e.type = 'MESSAGE_QUEUED' AND e.data->>'purpose' = $2)
        ORDER BY c.created_at DESC LIMIT 1`,
      [phone, ANONYMISATION_NOTICE],
    );
    if (!noticed) return { action: 'IGNORED' };
    const at = this.clock.now();
    await this.events.record({
      caseId: noticed.id,
      idempotencyKey: `youth-reply:${noticed.id}:${at.toISOString()}`,
      type: 'YOUTH_REPLIED',
      actor: 'youth',
      at,
      data: { channel: 'SMS' },
    });
    return { action: 'REPLY' };
  }
}

import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { Principal } from '@walt/auth';
import { actorOf } from '@walt/auth';
import { JourneyEventsRepository, ReferralEntity, YouthEntity } from '@walt/persistence';
import { withdrawReferralSignal } from '../../../../workflows/messages';
import { CaseView } from '../cases/case-view';
import { CasesService } from '../cases/cases.service';
import { conflict, validationError } from '../common/api-error';
import { Clock } from '../common/clock';
import { JourneyCommands } from '../infrastructure/journey-commands';
import { ConsentChangeDto } from './dto/consent-change.dto';

/**
 * Consent withdrawn (or given) on the young person's request. Channels: the message processor reads
 * the consent when a message is due, so a nudge on a channel no longer consented to is not sent.
 * Sharing with partners: a referral still waiting for its partner's answer is withdrawn.
 */
@Injectable()
export class ConsentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: JourneyEventsRepository,
    private readonly cases: CasesService,
    private readonly commands: JourneyCommands,
    private readonly clock: Clock,
  ) {}

  async change(caseId: string, change: ConsentChangeDto, principal: Principal): Promise<CaseView> {
    if (change.shareWithPartners === undefined && change.channels === undefined)
      throw validationError([{ field: 'shareWithPartners', message: 'give shareWithPartners or channels (or both)' }]);
    const kase = await this.cases.findVisible(caseId, principal);
    const actor = actorOf(principal);
    const youth = await this.dataSource.getRepository(YouthEntity).findOneByOrFail({ id: kase.youthId });
    if (youth.erasedAt) throw conflict('The personal data of this young person has been erased: there is no consent left to change.');

    const changed: { shareWithPartners?: boolean; channels?: YouthEntity['consent']['channels'] } = {};
    if (change.shareWithPartners !== undefined && change.shareWithPartners !== youth.consent.shareWithPartners)
      changed.shareWithPartners = change.shareWithPartners;
    if (change.channels && [...change.channels].sort().join() !== [...youth.consent.channels].sort().join())
      changed.channels = change.channels;
    if (Object.keys(changed).length === 0) return this.cases.view(kase);

    const pending =
      changed.shareWithPartners === false
        ? await this.dataSource.getRepository(ReferralEntity).findOneBy({ caseId, status: 'PENDING' })
        : null;
    await this.dataSource.transaction(async (manager) => {
      await manager.update(YouthEntity, { id: youth.id }, { consent: { ...youth.consent, ...changed } });
      await this.events.recordIn(manager, {
        caseId,
        idempotencyKey: `consent:${caseId}:${randomUUID()}`,
        type: 'CONSENT_CHANGED',
        actor,
        at: this.clock.now(),
        data: { ...changed, ...(pending ? { withdrawnReferralId: pending.id } : {}) },
      });
    });
    // The referral's workflow records the withdrawal (REFERRAL_WITHDRAWN) and the journey hears its end.
    if (pending) await this.commands.signalReferral(caseId, pending.attempt, withdrawReferralSignal, { actor }).catch(() => undefined);
    return this.cases.view(kase);
  }
}

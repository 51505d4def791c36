import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CaseEntity, JourneyEventsRepository, YouthEntity } from '@walt/persistence';
import type { Principal } from '../auth/principal';
import { notFound } from '../common/api-error';
import { caseView, timelineEntry } from './case-view';

@Injectable()
export class CasesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: JourneyEventsRepository,
  ) {}

  async get(caseId: string, principal: Principal) {
    const kase = await this.findVisible(caseId, principal);
    const youth = await this.dataSource.getRepository(YouthEntity).findOneByOrFail({ id: kase.youthId });
    return caseView(kase, youth);
  }

  async timeline(caseId: string, principal: Principal) {
    await this.findVisible(caseId, principal);
    return (await this.events.timeline(caseId)).map(timelineEntry);
  }

  /** A case outside a counsellor's territories is, for them, a case that does not exist. */
  async findVisible(caseId: string, principal: Principal): Promise<CaseEntity> {
    const kase = await this.dataSource.getRepository(CaseEntity).findOneBy({ id: caseId });
    const outOfTerritory = principal.role === 'counsellor' && principal.territories && kase && !principal.territories.includes(kase.departement);
    if (!kase || outOfTerritory) throw notFound(`Case ${caseId}`);
    return kase;
  }
}

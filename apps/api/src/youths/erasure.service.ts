import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CaseEntity, JourneyEventsRepository, PersonalDataRepository } from '@walt/persistence';
import { CaseView } from '../cases/case-view';
import { CasesService } from '../cases/cases.service';
import { notFound } from '../common/api-error';
import { Clock } from '../common/clock';

/**
 * Erasure on request (PRODUCT.md, "Rules that protect young people"): the identity goes, the
 * statistics stay. Names, birth date and contacts are nulled and every free text that may name
 * the young person is deleted (PersonalDataRepository lists each copy); events, stages and codes
 * are kept, so every report still counts this journey. The journey goes on without contact data:
 * no message can be sent to an erased young person.
 */
@Injectable()
export class ErasureService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: JourneyEventsRepository,
    private readonly cases: CasesService,
    private readonly clock: Clock,
  ) {}

  private readonly personalData = new PersonalDataRepository();

  async erase(caseId: string, actor: string): Promise<CaseView> {
    const kase = await this.dataSource.getRepository(CaseEntity).findOneBy({ id: caseId });
    if (!kase) throw notFound(`Case ${caseId}`);
    await this.dataSource.transaction(async (manager) => {
      const at = this.clock.now();
      const caseIds = await this.personalData.erase(manager, kase.youthId, at);
      for (const id of caseIds ?? []) {
        // Erasing twice changes nothing, and records nothing.
        await this.events.recordIn(manager, {
          caseId: id,
          idempotencyKey: `erasure:${id}`,
          type: 'PERSONAL_DATA_ERASED',
          actor,
          at,
          data: {},
        });
      }
    });
    // The case row itself is untouched (its events carry no projection change): no need to read it again.
    return this.cases.view(kase);
  }
}

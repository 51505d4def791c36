import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CaseEntity, JourneyEventsRepository, YouthEntity } from '@walt/persistence';
import { CaseView } from '../cases/case-view';
import { CasesService } from '../cases/cases.service';
import { notFound } from '../common/api-error';

/**
 * Erasure on request (PRODUCT.md, "Rules that protect young people"): the identity goes, the
 * statistics stay. Names, birth date and contacts are nulled; free text that may name the young
 * person (case notes, partner comments, counsellor referral notes, rendered outbox messages) is
 * deleted; events, stages and codes are kept, so every report still counts this journey. The
 * journey goes on without contact data: no message can be sent to an erased young person.
 */
@Injectable()
export class ErasureService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: JourneyEventsRepository,
    private readonly cases: CasesService,
  ) {}

  async erase(caseId: string, actor: string): Promise<CaseView> {
    const kase = await this.dataSource.getRepository(CaseEntity).findOneBy({ id: caseId });
    if (!kase) throw notFound(`Case ${caseId}`);
    await this.dataSource.transaction(async (manager) => {
      const youth = await manager.findOneByOrFail(YouthEntity, { id: kase.youthId });
      if (youth.erasedAt) return; // erasing twice changes nothing
      const at = new Date();
      const caseIds = (await manager.find(CaseEntity, { select: { id: true }, where: { youthId: youth.id } })).map((c) => c.id);
      await manager.update(
        YouthEntity,
        { id: youth.id },
        { firstName: null, lastName: null, birthDate: null, email: null, phone: null, erasedAt: at },
      );
      await manager.query('DELETE FROM case_notes WHERE case_id = ANY($1)', [caseIds]);
      await manager.query('UPDATE referrals SET comment = NULL, note = NULL WHERE case_id = ANY($1)', [caseIds]);
      await manager.query('DELETE FROM message_outbox WHERE message_id IN (SELECT id FROM outbound_messages WHERE case_id = ANY($1))', [
        caseIds,
      ]);
      for (const id of caseIds) {
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

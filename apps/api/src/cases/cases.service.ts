import { noteIdOf } from '@walt/domain';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  CaseEntity,
  CaseNotesRepository,
  CheckInEntity,
  JourneyEventsRepository,
  OutboundMessageEntity,
  PartnerEntity,
  ReferralEntity,
  YouthEntity,
} from '@walt/persistence';
import { Principal, seesDepartement } from '@walt/auth';
import { notFound } from '../common/api-error';
import { CaseView, caseView, ReferralRow, timelineEntry } from './case-view';

/** Reads of one case (page and timeline) and the territory rule every case route applies. */
@Injectable()
export class CasesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: JourneyEventsRepository,
    private readonly notes: CaseNotesRepository,
  ) {}

  async get(caseId: string, principal: Principal): Promise<CaseView> {
    return this.view(await this.findVisible(caseId, principal));
  }

  /**
   * The case page, read from PostgreSQL. Actions call it after their update returned: the
   * workflow has written its projections by then, so the page already reflects the action.
   */
  async view(kase: CaseEntity): Promise<CaseView> {
    const [youth, referrals, checkIns, messages] = await Promise.all([
      this.dataSource.getRepository(YouthEntity).findOneByOrFail({ id: kase.youthId }),
      this.referralsOf(kase.id),
      this.dataSource.getRepository(CheckInEntity).find({ where: { caseId: kase.id }, order: { seq: 'ASC' } }),
      this.dataSource.getRepository(OutboundMessageEntity).find({ where: { caseId: kase.id }, order: { createdAt: 'ASC', jobId: 'ASC' } }),
    ]);
    return caseView(kase, youth, { referrals, checkIns, messages });
  }

  async timeline(caseId: string, principal: Principal) {
    await this.findVisible(caseId, principal);
    const events = await this.events.timeline(caseId);
    // Notes are free text that never enters Temporal: events carry the id, staff read the text.
    const noteIds = events.map((e) => noteIdOf(e.data)).filter((id): id is string => id !== undefined);
    const notes = await this.notes.textsOf(caseId, noteIds);
    return events.map((e) => timelineEntry(e, notes));
  }

  /** A case outside a counsellor's territories is, for them, a case that does not exist. */
  async findVisible(caseId: string, principal: Principal): Promise<CaseEntity> {
    const kase = await this.dataSource.getRepository(CaseEntity).findOneBy({ id: caseId });
    if (!kase || !seesDepartement(principal, kase.departement)) throw notFound(`Case ${caseId}`);
    return kase;
  }

  /** Oldest attempt first, with the partner's name. */
  private async referralsOf(caseId: string): Promise<ReferralRow[]> {
    const { entities, raw } = await this.dataSource
      .getRepository(ReferralEntity)
      .createQueryBuilder('r')
      .leftJoin(PartnerEntity, 'p', 'p.id = r.partner_id')
      .addSelect('p.name', 'partner_name')
      .where('r.case_id = :caseId', { caseId })
      .orderBy('r.attempt', 'ASC')
      .getRawAndEntities();
    const names = new Map(raw.map((row: { r_id: string; partner_name: string | null }) => [row.r_id, row.partner_name]));
    return entities.map((r) => Object.assign(r, { partnerName: names.get(r.id) ?? null }));
  }
}

import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { CaseEntity, ReferralEntity, YouthEntity } from '@walt/persistence';
import { notFound } from '../common/api-error';
import { Clock } from '../common/clock';
import { ListReferralsQuery } from './dto/list-referrals.query';
import { PartnerReferralDto, PartnerReferralListDto } from './dto/partner-referral.dto';
import { partnerReferralView, ReferralRecord } from './partner-referral-view';

/** Reads referrals from PostgreSQL (the projection the referral workflows write). */
@Injectable()
export class PartnerReferralsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async list(partnerId: string, query: ListReferralsQuery): Promise<PartnerReferralListDto> {
    const { page, pageSize } = query;
    const [referrals, total] = await this.dataSource.getRepository(ReferralEntity).findAndCount({
      where: { partnerId, ...(query.status ? { status: query.status } : {}) },
      order: { sentAt: 'DESC', id: 'ASC' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
    const records = await this.withCases(referrals);
    const now = this.clock.now();
    return { items: records.map((record) => partnerReferralView(record, now)), total, page, pageSize };
  }

  /** Another partner's referral is, for this partner, a referral that does not exist: 404, never 403. */
  async findForPartner(referralId: string, partnerId: string): Promise<ReferralRecord> {
    const record = await this.find(referralId);
    if (record.referral.partnerId !== partnerId) throw notFound(`Referral ${referralId}`);
    return record;
  }

  async find(referralId: string): Promise<ReferralRecord> {
    const referral = await this.dataSource.getRepository(ReferralEntity).findOneBy({ id: referralId });
    if (!referral) throw notFound(`Referral ${referralId}`);
    const [record] = await this.withCases([referral]);
    return record;
  }

  /** The referral as it is now (re-read after an action: the workflow wrote it before answering). */
  async view(referralId: string): Promise<PartnerReferralDto> {
    return this.viewOf(await this.find(referralId));
  }

  /** What the partner may see of a referral, today. */
  viewOf(record: ReferralRecord): PartnerReferralDto {
    return partnerReferralView(record, this.clock.now());
  }

  private async withCases(referrals: ReferralEntity[]): Promise<ReferralRecord[]> {
    if (!referrals.length) return [];
    const cases = await this.dataSource.getRepository(CaseEntity).findBy({ id: In([...new Set(referrals.map((r) => r.caseId))]) });
    const youths = await this.dataSource.getRepository(YouthEntity).findBy({ id: In([...new Set(cases.map((c) => c.youthId))]) });
    const caseById = new Map(cases.map((c) => [c.id, c]));
    const youthById = new Map(youths.map((y) => [y.id, y]));
    return referrals.map((referral) => {
      const kase = caseById.get(referral.caseId)!;
      return { referral, kase, youth: youthById.get(kase.youthId)! };
    });
  }
}

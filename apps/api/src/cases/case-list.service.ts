import { Injectable } from '@nestjs/common';
import { Brackets, DataSource, SelectQueryBuilder } from 'typeorm';
import { normalizeEmail, normalizePhone } from '@walt/domain';
import { CaseEntity, caseDueAtSql, YouthEntity } from '@walt/persistence';
import type { Principal } from '@walt/auth';
import { localAge } from '@walt/territory';
import { Clock } from '../common/clock';
import { CaseListItem, CaseListPage, ListCasesQuery } from './dto/list-cases.query';

/** Overdue means the same here as in the managers' overdue report (libs/domain/src/overdue.ts). */
const OVERDUE_SQL = `coalesce(${caseDueAtSql('c')} < now(), false)`;

/** `%` and `_` typed by a counsellor are literal characters, not LIKE wildcards. */
const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

interface ListRow {
  id: string;
  stage: CaseListItem['stage'];
  stage_entered_at: Date;
  segment: CaseListItem['segment'];
  departement: string;
  age_at_capture: number;
  first_name: string | null;
  last_name: string | null;
  birth_date: string | null;
  counsellor_id: string | null;
  partner_id: string | null;
  next_action_at: Date | null;
  overdue: boolean;
}

/** `GET /v1/cases`: the counsellors' work list, SQL over the cases projection (and youths for `q`). */
@Injectable()
export class CaseListService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async list(query: ListCasesQuery, principal: Principal): Promise<CaseListPage> {
    const now = this.clock.now();
    const { page, pageSize } = query;
    const filtered = this.filtered(query, principal);
    const [total, rows] = await Promise.all([
      filtered.clone().getCount(),
      filtered
        .clone()
        .select([
          'c.id AS id',
          'c.stage AS stage',
          'c.stage_entered_at AS stage_entered_at',
          'c.segment AS segment',
          'c.departement AS departement',
          'c.age_at_capture AS age_at_capture',
          'y.first_name AS first_name',
          'y.last_name AS last_name',
          // As text: the driver would turn a `date` into a local-time Date.
          `to_char(y.birth_date, 'YYYY-MM-DD') AS birth_date`,
          'c.counsellor_id AS counsellor_id',
          'c.partner_id AS partner_id',
          'c.next_action_at AS next_action_at',
          `(${OVERDUE_SQL}) AS overdue`,
        ])
        // Newest cases first; the id makes pages stable when two cases share a time.
        .orderBy('c.created_at', 'DESC')
        .addOrderBy('c.id', 'ASC')
        .offset((page - 1) * pageSize)
        .limit(pageSize)
        .getRawMany<ListRow>(),
    ]);
    return { items: rows.map((row) => this.item(row, now)), total, page, pageSize };
  }

  private filtered(query: ListCasesQuery, principal: Principal): SelectQueryBuilder<CaseEntity> {
    const qb = this.dataSource.getRepository(CaseEntity).createQueryBuilder('c').innerJoin(YouthEntity, 'y', 'y.id = c.youth_id');
    // A counsellor with territories sees those départements only (an empty list: none).
    if (principal.role === 'counsellor' && principal.territories) {
      qb.andWhere('c.departement = ANY(:territories)', { territories: principal.territories });
    }
    if (query.stage) qb.andWhere('c.stage = :stage', { stage: query.stage });
    if (query.segment) qb.andWhere('c.segment = :segment', { segment: query.segment });
    if (query.departement) qb.andWhere('c.departement = :departement', { departement: query.departement });
    if (query.counsellorId) qb.andWhere('c.counsellor_id = :counsellorId', { counsellorId: query.counsellorId });
    if (query.overdue !== undefined) qb.andWhere(query.overdue ? OVERDUE_SQL : `NOT ${OVERDUE_SQL}`);
    if (query.q) qb.andWhere(this.search(query.q));
    return qb;
  }

  /**
   * Name (first, last or both), email or phone, case-insensitive. Contacts are normalised as at
   * intake, so `LEA@Example.org` and `06 12 34 56 78` find what intake stored (lower case, E.164);
   * a part of a number (`06 12 34`) matches on its digits.
   */
  private search(q: string): Brackets {
    const text = q.trim();
    const like = `%${escapeLike(text)}%`;
    const phone = normalizePhone(text);
    const digits = text.replace(/[\s.\-()+]/g, '');
    const partialPhone = /^\d{4,}$/.test(digits) ? `%${digits.replace(/^0+/, '')}%` : undefined;
    return new Brackets((w) => {
      w.where('y.first_name ILIKE :like', { like })
        .orWhere('y.last_name ILIKE :like')
        .orWhere(`(y.first_name || ' ' || y.last_name) ILIKE :like`)
        .orWhere('y.email LIKE :email', { email: `%${escapeLike(normalizeEmail(text))}%` });
      if (phone) w.orWhere('y.phone = :phone', { phone });
      if (partialPhone) w.orWhere('y.phone LIKE :partialPhone', { partialPhone });
    });
  }

  private item(row: ListRow, now: Date): CaseListItem {
    return {
      caseId: row.id,
      stage: row.stage,
      stageEnteredAt: row.stage_entered_at.toISOString(),
      segment: row.segment,
      departement: row.departement,
      firstName: row.first_name,
      lastName: row.last_name,
      // Once the birth date is erased, the age at capture is the best we still know.
      age: row.birth_date ? localAge(row.birth_date, now, row.departement) : row.age_at_capture,
      counsellorId: row.counsellor_id,
      partnerId: row.partner_id,
      nextActionAt: row.next_action_at?.toISOString() ?? null,
      overdue: row.overdue === true,
    };
  }
}

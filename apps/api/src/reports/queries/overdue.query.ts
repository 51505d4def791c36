import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Stage } from '@walt/domain';
import { caseDueAtSql, STAGES_WITH_DEADLINE } from '@walt/persistence';

/**
 * Cases in a stage that has a deadline, with that deadline (caseDueAtSql: the rule of
 * libs/domain/src/overdue.ts, shared with the counsellors' case list). Only stages with a
 * deadline are read, through the index on cases (stage, stage_entered_at).
 */
const DUE_SQL = `
  SELECT c.id, c.stage, c.stage_entered_at, c.segment, c.departement, c.counsellor_id, c.partner_id, c.policy_version,
         ${caseDueAtSql('c')} AS due_at
  FROM cases c
  WHERE c.stage IN (${STAGES_WITH_DEADLINE.map((s) => `'${s}'`).join(', ')})
    AND ($1::text IS NULL OR c.departement = $1)
    AND ($2::text IS NULL OR c.source_campaign = $2)
    AND ($3::text IS NULL OR c.stage = $3)`;

/** Oldest deadline first: the case that has waited longest past its due time. */
export const OVERDUE_PAGE_SQL = `
  SELECT *, (extract(epoch FROM now() - due_at) / 3600)::float8 AS overdue_hours
  FROM (${DUE_SQL}) due
  WHERE due_at < now()
  ORDER BY due_at, id
  LIMIT $4 OFFSET $5`;
export const OVERDUE_COUNT_SQL = `SELECT count(*)::int AS total FROM (${DUE_SQL}) due WHERE due_at < now()`;

export interface OverdueFilter {
  departement: string | null;
  campaign: string | null;
  stage: Stage | null;
  page: number;
  pageSize: number;
}

export interface OverdueItem {
  caseId: string;
  stage: Stage;
  stageEnteredAt: string;
  dueAt: string;
  overdueHours: number;
  segment: string;
  departement: string;
  counsellorId: string | null;
  partnerId: string | null;
  policyVersion: number;
}

@Injectable()
export class OverdueQuery {
  constructor(private readonly dataSource: DataSource) {}

  async run(f: OverdueFilter): Promise<{ items: OverdueItem[]; total: number; page: number; pageSize: number }> {
    const params = [f.departement, f.campaign, f.stage];
    const [rows, [{ total }]] = await Promise.all([
      this.dataSource.query(OVERDUE_PAGE_SQL, [...params, f.pageSize, (f.page - 1) * f.pageSize]),
      this.dataSource.query(OVERDUE_COUNT_SQL, params),
    ]);
    const items = rows.map((r: Record<string, any>) => ({
      caseId: r.id,
      stage: r.stage,
      stageEnteredAt: r.stage_entered_at.toISOString(),
      dueAt: r.due_at.toISOString(),
      overdueHours: Math.round(r.overdue_hours * 100) / 100,
      segment: r.segment,
      departement: r.departement,
      counsellorId: r.counsellor_id,
      partnerId: r.partner_id,
      policyVersion: r.policy_version,
    }));
    return { items, total, page: f.page, pageSize: f.pageSize };
  }
}

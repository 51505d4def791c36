import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CASE_FILTER, reportQuery, ReportScope, scopeParams } from '../report-scope';

/**
 * Each partner's answers to the referrals it received in [$1, $2) (by `sent_at`: a partner is
 * judged on what it was asked in the period, whenever the young person was captured), from the
 * `referrals` rows alone (the projection of each referral workflow: final status, decline
 * reason, sent and decided times, and `reminders_sent`, the REFERRAL_REMINDED events of the
 * referral counted by a trigger, migration 1796520000001). The cases are joined only to filter
 * by territory or campaign. One pass grouped by hashing; each partner's decision times alone
 * are sorted for its median (its own decisions: accepted or declined; an expiry is the absence
 * of one). Same figures as partnersFromEventsSql (from-events.ts).
 */
export function partnersSql(scope?: ReportScope): string {
  const filtered = Boolean(scope?.departement || scope?.campaign);
  return `
  WITH received AS (
    SELECT r.partner_id, r.status, r.reason, r.reminders_sent,
           CASE WHEN r.status IN ('ACCEPTED', 'DECLINED') THEN (extract(epoch FROM r.decided_at - r.sent_at) / 3600)::float8 END AS hours
    FROM referrals r
    ${filtered ? 'JOIN cases c ON c.id = r.case_id' : ''}
    WHERE r.sent_at >= COALESCE($1::timestamptz, '-infinity') AND r.sent_at < COALESCE($2::timestamptz, 'infinity')
      AND ${filtered ? CASE_FILTER : '$3::text IS NULL AND $4::text IS NULL'}
  ),
  per_partner AS (
    SELECT partner_id, count(*)::int AS received,
           count(*) FILTER (WHERE status = 'ACCEPTED')::int AS accepted,
           count(*) FILTER (WHERE status = 'DECLINED')::int AS declined,
           count(*) FILTER (WHERE status = 'EXPIRED')::int AS expired,
           count(*) FILTER (WHERE status = 'WITHDRAWN')::int AS withdrawn,
           count(*) FILTER (WHERE status = 'PENDING')::int AS pending,
           sum(reminders_sent)::int AS reminders,
           array_agg(hours) FILTER (WHERE hours IS NOT NULL) AS hours
    FROM received GROUP BY partner_id
  ),
  declines AS (
    SELECT partner_id, jsonb_object_agg(reason, n) AS by_reason
    FROM (SELECT partner_id, COALESCE(reason, 'UNKNOWN') AS reason, count(*)::int AS n
          FROM received WHERE status = 'DECLINED' GROUP BY 1, 2) d
    GROUP BY partner_id
  )
  SELECT p.id AS "partnerId", p.name, p.type, p.departement, pp.received, pp.accepted, pp.declined,
         COALESCE(d.by_reason, '{}') AS "declinedByReason", pp.expired, pp.withdrawn, pp.pending,
         (SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY h)::numeric, 2)::float8 FROM unnest(pp.hours) h) AS "medianHoursToDecision",
         pp.reminders AS "remindersSent"
  FROM per_partner pp
  JOIN partners p ON p.id = pp.partner_id
  LEFT JOIN declines d ON d.partner_id = pp.partner_id
  ORDER BY received DESC, p.id`;
}

export interface PartnerFigures {
  partnerId: string;
  name: string;
  type: string;
  departement: string;
  received: number;
  accepted: number;
  declined: number;
  declinedByReason: Record<string, number>;
  expired: number;
  withdrawn: number;
  pending: number;
  medianHoursToDecision: number | null;
  remindersSent: number;
}

@Injectable()
export class PartnersReportQuery {
  constructor(private readonly dataSource: DataSource) {}

  /** `sql`: the statement giving the figures (partnersFromEventsSql to check the counted reminders against the trail). */
  run(scope: ReportScope, sql: (scope: ReportScope) => string = partnersSql): Promise<PartnerFigures[]> {
    return reportQuery(this.dataSource, sql(scope), scopeParams(scope));
  }
}

import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CASE_FILTER, reportQuery, ReportScope, scopeParams } from '../report-scope';

/**
 * Each partner's answers to the referrals it received in [$1, $2) (by `sent_at`: a partner is
 * judged on what it was asked in the period, whenever the young person was captured).
 *
 * - `received`: the `referrals` rows (the projection of each referral workflow: final status,
 *   decline reason, sent and decided times), filtered by the case's territory and campaign.
 * - `reminders`: REFERRAL_REMINDED events of those referrals, from the audit trail (a reminder
 *   is an event, the row only keeps the last one), through the partial index on that type.
 * - the median time to decision counts the partner's own decisions (accepted or declined);
 *   an expiry is the absence of one.
 */
export const PARTNERS_SQL = `
  WITH received AS (
    SELECT r.id, r.case_id, r.partner_id, r.status, r.reason, r.sent_at, r.decided_at
    FROM referrals r
    JOIN cases c ON c.id = r.case_id
    WHERE r.sent_at >= COALESCE($1::timestamptz, '-infinity') AND r.sent_at < COALESCE($2::timestamptz, 'infinity')
      AND ${CASE_FILTER}
  ),
  reminders AS (
    SELECT rc.id, count(*) AS n
    FROM received rc
    JOIN journey_events e ON e.case_id = rc.case_id AND e.type = 'REFERRAL_REMINDED' AND e.data->>'referralId' = rc.id::text
    GROUP BY rc.id
  ),
  declines AS (
    SELECT partner_id, jsonb_object_agg(reason, n) AS by_reason
    FROM (SELECT partner_id, COALESCE(reason, 'UNKNOWN') AS reason, count(*)::int AS n
          FROM received WHERE status = 'DECLINED' GROUP BY 1, 2) d
    GROUP BY partner_id
  )
  SELECT p.id AS "partnerId", p.name, p.type, p.departement,
         count(*)::int AS received,
         count(*) FILTER (WHERE rc.status = 'ACCEPTED')::int AS accepted,
         count(*) FILTER (WHERE rc.status = 'DECLINED')::int AS declined,
         COALESCE(d.by_reason, '{}') AS "declinedByReason",
         count(*) FILTER (WHERE rc.status = 'EXPIRED')::int AS expired,
         count(*) FILTER (WHERE rc.status = 'WITHDRAWN')::int AS withdrawn,
         count(*) FILTER (WHERE rc.status = 'PENDING')::int AS pending,
         round((percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM rc.decided_at - rc.sent_at) / 3600)
                FILTER (WHERE rc.status IN ('ACCEPTED', 'DECLINED')))::numeric, 2)::float8 AS "medianHoursToDecision",
         COALESCE(sum(rm.n), 0)::int AS "remindersSent"
  FROM received rc
  JOIN partners p ON p.id = rc.partner_id
  LEFT JOIN reminders rm ON rm.id = rc.id
  LEFT JOIN declines d ON d.partner_id = rc.partner_id
  GROUP BY p.id, d.by_reason
  ORDER BY received DESC, p.id`;

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

  run(scope: ReportScope): Promise<PartnerFigures[]> {
    return reportQuery(this.dataSource, PARTNERS_SQL, scopeParams(scope));
  }
}

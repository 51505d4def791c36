import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CASE_FILTER, FROM, FULL_FROM, FULL_TO, reportQuery, ReportScope, scopeParams, TO } from '../report-scope';

/**
 * Each partner's answers to the referrals it received in [$1, $2) (by `sent_at`: a partner is
 * judged on what it was asked in the period, whenever the young person was captured). Same
 * figures as partnersFromEventsSql (from-events.ts): the `referrals` rows (the projection of
 * each referral workflow: final status, decline reason, sent and decided times), with
 * `reminders_sent` (its REFERRAL_REMINDED events, counted by a trigger: migration
 * 1796520000001); the median time to decision counts the partner's own decisions (accepted or
 * declined); an expiry is the absence of one.
 *
 * Without a territory or campaign, from `report_partner_month` (migration 1796520000002): the
 * months wholly inside the window, plus the referrals of its partial months at either edge;
 * each partner's median is then read at its rank through the index on (partner, hours to
 * decision). With one, from the referrals of the cases in scope, grouped by hashing, each
 * partner's decision times alone sorted.
 */
export function partnersSql(scope?: ReportScope): string {
  return scope?.departement || scope?.campaign ? SCANNED_PARTNERS_SQL : COUNTED_PARTNERS_SQL;
}

/** Hours from sending to the partner's decision (the expression of referrals_decision_hours_idx). */
const DECISION_HOURS = `((extract(epoch FROM r.decided_at - r.sent_at) / 3600)::float8)`;
const SENT_IN_WINDOW = `r.sent_at >= ${FROM} AND r.sent_at < ${TO}`;

/** The partner's figures and decline reasons from `counted` (partner_id, status, reason, n, reminders, timed). */
const figuresOf = (median: string) => `
  per_partner AS (
    SELECT partner_id, sum(n)::int AS received,
           COALESCE(sum(n) FILTER (WHERE status = 'ACCEPTED'), 0)::int AS accepted,
           COALESCE(sum(n) FILTER (WHERE status = 'DECLINED'), 0)::int AS declined,
           COALESCE(sum(n) FILTER (WHERE status = 'EXPIRED'), 0)::int AS expired,
           COALESCE(sum(n) FILTER (WHERE status = 'WITHDRAWN'), 0)::int AS withdrawn,
           COALESCE(sum(n) FILTER (WHERE status = 'PENDING'), 0)::int AS pending,
           sum(reminders)::int AS reminders, sum(timed) AS timed
    FROM counted GROUP BY partner_id HAVING sum(n) > 0
  ),
  declines AS (
    SELECT partner_id, jsonb_object_agg(reason, n) AS by_reason
    FROM (SELECT partner_id, reason, sum(n)::int AS n FROM counted WHERE status = 'DECLINED' GROUP BY 1, 2 HAVING sum(n) > 0) d
    GROUP BY partner_id
  )
  SELECT p.id AS "partnerId", p.name, p.type, p.departement, pp.received, pp.accepted, pp.declined,
         COALESCE(d.by_reason, '{}') AS "declinedByReason", pp.expired, pp.withdrawn, pp.pending,
         round((${median})::numeric, 2)::float8 AS "medianHoursToDecision", pp.reminders AS "remindersSent"
  FROM per_partner pp
  JOIN partners p ON p.id = pp.partner_id
  LEFT JOIN declines d ON d.partner_id = pp.partner_id
  ORDER BY received DESC, p.id`;

const COUNTED_PARTNERS_SQL = `
  WITH counted AS (
    SELECT partner_id, status, reason, sum(n) AS n, sum(reminders) AS reminders, sum(timed) AS timed
    FROM (
      SELECT m.partner_id, m.status, m.reason, m.n, m.reminders, m.timed
      FROM report_partner_month m
      WHERE m.month >= ${FULL_FROM} AND m.month < ${FULL_TO}
      UNION ALL
      -- The partial months at the window's edges (none for an open end).
      SELECT r.partner_id, r.status, CASE WHEN r.status = 'DECLINED' THEN COALESCE(r.reason, 'UNKNOWN') ELSE '' END, 1, r.reminders_sent,
             (r.status IN ('ACCEPTED', 'DECLINED') AND r.decided_at IS NOT NULL)::int
      FROM referrals r
      WHERE (r.sent_at >= ${FROM} AND r.sent_at < least(${FULL_FROM}, ${TO}))
         OR (r.sent_at >= greatest(${FULL_TO}, ${FULL_FROM}, ${FROM}) AND r.sent_at < ${TO})
    ) months
    -- (No territory or campaign on this path.)
    WHERE $3::text IS NULL AND $4::text IS NULL
    GROUP BY 1, 2, 3
  ),
  ${figuresOf(`(
    -- percentile_cont(0.5): between the values at floor and ceil of 0.5 × (count - 1).
    SELECT CASE WHEN floor(w.pos) = ceil(w.pos) THEN v.hours[1] ELSE v.hours[1] + (v.hours[2] - v.hours[1]) * (w.pos - floor(w.pos)) END
    FROM (SELECT 0.5::float8 * (pp.timed - 1)::float8 AS pos) w
    CROSS JOIN LATERAL (
      SELECT array_agg(at_rank.hours ORDER BY at_rank.hours) AS hours
      FROM (
        SELECT ${DECISION_HOURS} AS hours FROM referrals r
        WHERE r.partner_id = pp.partner_id AND r.status IN ('ACCEPTED', 'DECLINED') AND ${DECISION_HOURS} IS NOT NULL AND ${SENT_IN_WINDOW}
        ORDER BY ${DECISION_HOURS}
        OFFSET floor(w.pos)::bigint LIMIT 2
      ) at_rank
    ) v
    WHERE pp.timed > 0
  )`)}`;

const SCANNED_PARTNERS_SQL = `
  WITH received AS (
    SELECT r.partner_id, r.status, CASE WHEN r.status = 'DECLINED' THEN COALESCE(r.reason, 'UNKNOWN') ELSE '' END AS reason,
           r.reminders_sent, CASE WHEN r.status IN ('ACCEPTED', 'DECLINED') THEN ${DECISION_HOURS} END AS hours
    FROM referrals r
    JOIN cases c ON c.id = r.case_id
    WHERE ${SENT_IN_WINDOW} AND ${CASE_FILTER}
  ),
  counted AS (
    SELECT partner_id, status, reason, count(*) AS n, sum(reminders_sent) AS reminders, count(hours) AS timed
    FROM received GROUP BY 1, 2, 3
  ),
  decision_hours AS MATERIALIZED (SELECT partner_id, array_agg(hours) FILTER (WHERE hours IS NOT NULL) AS hours FROM received GROUP BY 1),
  ${figuresOf(`(
    SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY h) FROM unnest((SELECT hours FROM decision_hours dh WHERE dh.partner_id = pp.partner_id)) h
  )`)}`;

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

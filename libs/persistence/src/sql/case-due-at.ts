import { APPOINTMENT_MARGIN_PATH, Stage, STAGE_DEADLINE_PATHS } from '@walt/domain';

/**
 * A policy duration as a PostgreSQL interval. ISO 8601 casts directly (`'P2D'::interval`); it
 * is then made a fixed number of seconds, so a day is 24 h as in the domain's parseDuration
 * and not a calendar day that a daylight-saving change could shorten.
 */
const policyInterval = (policy: string, path: readonly (string | number)[]) =>
  `make_interval(secs => extract(epoch FROM (${policy}.body #>> '{${path.join(',')}}')::interval))`;

export const STAGES_WITH_DEADLINE = Object.keys(STAGE_DEADLINE_PATHS) as Stage[];

/**
 * When the current stage of case `c` is due: the rule of libs/domain/src/overdue.ts
 * (stageDueAt) in SQL, so the overdue report and the counsellors' case list say the same thing.
 * Each case reads the policy version it started with; an ACCEPTED case with an appointment is
 * due one reminder margin after it. NULL for stages without a deadline.
 */
export function caseDueAtSql(c = 'c'): string {
  return `(
    SELECT CASE
             WHEN appointment.at IS NOT NULL THEN appointment.at + ${policyInterval('due_policy', APPOINTMENT_MARGIN_PATH)}
             ELSE ${c}.stage_entered_at + CASE ${c}.stage
               ${STAGES_WITH_DEADLINE.map((stage) => `WHEN '${stage}' THEN ${policyInterval('due_policy', STAGE_DEADLINE_PATHS[stage]!)}`).join('\n               ')}
             END
           END
    FROM policies due_policy
    LEFT JOIN LATERAL (
      SELECT r.appointment_at AS at FROM referrals r
      WHERE ${c}.stage = 'ACCEPTED' AND r.case_id = ${c}.id AND r.status = 'ACCEPTED'
      ORDER BY r.attempt DESC LIMIT 1
    ) appointment ON true
    WHERE due_policy.version = ${c}.policy_version
  )`;
}

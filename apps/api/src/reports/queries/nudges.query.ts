import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { toCsv } from '@walt/csv';
import { MAINLAND_TIME_ZONE, wilsonInterval } from '@walt/domain';
import { OVERSEAS_TIME_ZONES } from '@walt/territory';
import type { NudgeGroupBy } from '../dto/report-query.dto';
import { CASE_FILTER, reportQuery, ReportScope, scopeParams, windowView } from '../report-scope';

/** A reply counts for a nudge when it comes within this long after it, before the next one. */
export const REPLY_WINDOW_HOURS = 48;

/** The young person's time zone from the case's département, as the quiet hours judge it. */
const LOCAL_ZONE = `CASE c.departement ${Object.entries(OVERSEAS_TIME_ZONES)
  .map(([departement, zone]) => `WHEN '${departement}' THEN '${zone}'`)
  .join(' ')} ELSE '${MAINLAND_TIME_ZONE}' END`;

/** The welcome and the nudges: the messages that ask a young person to answer. */
const engagement = (m: string) => `(${m}.purpose = 'WELCOME' OR ${m}.purpose ~ '^NUDGE_[0-9]+$')`;

/** Fixed SQL fragments chosen by a validated key, never user text. */
const GROUP_KEY: Record<NudgeGroupBy | 'all', string> = {
  all: `'ALL'`,
  template: 'm.purpose',
  variant: `COALESCE(m.experiment || '/' || m.variant, 'NONE')`,
  channel: 'm.channel',
  hour: `lpad(extract(hour FROM COALESCE(m.sent_at, m.scheduled_at) AT TIME ZONE ${LOCAL_ZONE})::int::text, 2, '0')`,
  segment: 'c.segment',
  departement: 'c.departement',
};

/**
 * The welcome and the nudges to young people queued in [$1, $2), one row each, with whether the
 * young person answered: an inbound reply, or a counsellor reaching them, after the message was
 * sent, within the reply window and before the next engagement message of the journey (so a
 * reply counts for the message it answers, not for every earlier one).
 */
const nudgesCte = (groupBy: NudgeGroupBy | undefined) => `
  nudges AS (
    SELECT ${GROUP_KEY[groupBy ?? 'all']} AS grp, m.experiment, m.variant, m.status,
           m.status = 'SENT' AND EXISTS (
             SELECT 1 FROM journey_events e
             WHERE e.case_id = m.case_id AND e.at > m.sent_at
               AND e.at <= LEAST(m.sent_at + interval '${REPLY_WINDOW_HOURS} hours', COALESCE(next.sent_at, 'infinity'))
               AND (e.type = 'YOUTH_REPLIED' OR (e.type = 'CONTACT_LOGGED' AND (e.data ->> 'reached')::boolean))
           ) AS replied
    FROM outbound_messages m
    JOIN cases c ON c.id = m.case_id
    LEFT JOIN LATERAL (
      SELECT min(o.sent_at) AS sent_at FROM outbound_messages o
      WHERE o.case_id = m.case_id AND o.recipient = 'YOUTH' AND o.purpose <> m.purpose AND o.sent_at > m.sent_at
        AND ${engagement('o')}
    ) next ON m.status = 'SENT'
    WHERE m.recipient = 'YOUTH' AND ${engagement('m')}
      AND m.scheduled_at >= COALESCE($1::timestamptz, '-infinity') AND m.scheduled_at < COALESCE($2::timestamptz, 'infinity')
      AND ${CASE_FILTER}
  )`;

/** One pass over the messages, counted per group and variant: the groups and the experiments both sum these rows. */
export const nudgesSql = (groupBy: NudgeGroupBy | undefined) => `
  WITH ${nudgesCte(groupBy)}
  SELECT grp, experiment, variant, count(*)::int AS queued, count(*) FILTER (WHERE status = 'SENT')::int AS sent,
         count(*) FILTER (WHERE status IN ('FAILED', 'SUPPRESSED'))::int AS not_sent,
         count(*) FILTER (WHERE replied)::int AS replied
  FROM nudges GROUP BY grp, experiment, variant ORDER BY grp, experiment, variant`;

interface CountRow {
  grp: string;
  experiment: string | null;
  variant: string | null;
  queued: number;
  sent: number;
  not_sent: number;
  replied: number;
}

/** Sums rows by a key, in the order keys first appear. */
function sumBy<K>(rows: CountRow[], key: (row: CountRow) => K | undefined) {
  const sums = new Map<K, { queued: number; sent: number; notSent: number; replied: number }>();
  for (const row of rows) {
    const k = key(row);
    if (k === undefined) continue;
    const sum = sums.get(k) ?? { queued: 0, sent: 0, notSent: 0, replied: 0 };
    sums.set(k, {
      queued: sum.queued + row.queued,
      sent: sum.sent + row.sent,
      notSent: sum.notSent + row.not_sent,
      replied: sum.replied + row.replied,
    });
  }
  return sums;
}

export interface ReplyRate {
  sent: number;
  replied: number;
  /** replied / sent, with its 95% Wilson interval; null when nothing was sent. */
  replyRate: number | null;
  replyRateLow: number | null;
  replyRateHigh: number | null;
}

export interface NudgeGroup extends ReplyRate {
  group: string;
  queued: number;
  /** Given up (FAILED) or held back (SUPPRESSED: consent, STOP, erasure). */
  notSent: number;
}

export interface ExperimentResult {
  experiment: string;
  variants: (ReplyRate & { variant: string })[];
  /** The variant whose interval lies wholly above every other's, or null while they overlap. */
  ahead: string | null;
}

export interface NudgeReport {
  from: string | null;
  to: string | null;
  groupBy: NudgeGroupBy | null;
  replyWindowHours: number;
  groups: NudgeGroup[];
  experiments: ExperimentResult[];
}

const round = (value: number | null) => (value === null ? null : Math.round(value * 10_000) / 10_000);

function replyRate(sent: number, replied: number): ReplyRate {
  const { rate, low, high } = wilsonInterval(replied, sent);
  return { sent, replied, replyRate: round(rate), replyRateLow: round(low), replyRateHigh: round(high) };
}

export function experimentsOf(rows: { experiment: string; variant: string; sent: number; replied: number }[]): ExperimentResult[] {
  const byName = new Map<string, ExperimentResult['variants']>();
  for (const row of rows) {
    byName.set(row.experiment, [...(byName.get(row.experiment) ?? []), { variant: row.variant, ...replyRate(row.sent, row.replied) }]);
  }
  return [...byName].map(([experiment, variants]) => {
    const ahead = variants.find(
      (v) =>
        v.replyRateLow !== null &&
        variants.length > 1 &&
        variants.every((o) => o === v || (o.replyRateHigh !== null && v.replyRateLow! > o.replyRateHigh)),
    );
    return { experiment, variants, ahead: ahead?.variant ?? null };
  });
}

/** Which messages bring young people back: reply rates per template, variant, channel, local hour, segment or département. */
@Injectable()
export class NudgesQuery {
  constructor(private readonly dataSource: DataSource) {}

  async run(scope: ReportScope, groupBy: NudgeGroupBy | undefined): Promise<NudgeReport> {
    const rows = await reportQuery<CountRow>(this.dataSource, nudgesSql(groupBy), scopeParams(scope));
    const groups = [...sumBy(rows, (r) => r.grp)].map(([group, g]) => ({
      group,
      queued: g.queued,
      notSent: g.notSent,
      ...replyRate(g.sent, g.replied),
    }));
    // Experiment names cannot hold a '/' (validatePolicy), so the key splits back.
    const variants = [...sumBy(rows, (r) => (r.experiment && r.variant ? `${r.experiment}/${r.variant}` : undefined))]
      .map(([key, v]) => {
        const [experiment, variant] = key.split('/');
        return { experiment, variant, sent: v.sent, replied: v.replied };
      })
      .sort((a, b) => a.experiment.localeCompare(b.experiment) || a.variant.localeCompare(b.variant));
    return {
      ...windowView(scope),
      groupBy: groupBy ?? null,
      replyWindowHours: REPLY_WINDOW_HOURS,
      groups,
      experiments: experimentsOf(variants),
    };
  }
}

/** One line per group: the same figures as the JSON's `groups`. */
export function nudgesCsv(report: NudgeReport): string {
  return toCsv(
    ['group', 'queued', 'sent', 'notSent', 'replied', 'replyRate', 'replyRateLow', 'replyRateHigh'],
    report.groups.map((g) => [g.group, g.queued, g.sent, g.notSent, g.replied, g.replyRate, g.replyRateLow, g.replyRateHigh]),
  );
}

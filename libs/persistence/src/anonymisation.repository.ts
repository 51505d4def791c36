import type { DataSource } from 'typeorm';
import { JourneyEventsRepository } from './journey-events.repository';
import { PersonalDataRepository } from './personal-data.repository';

/** The actor of an anonymisation after inactivity: the only thing that tells it from an erasure on request. */
export const ANONYMISATION_ACTOR = 'system:anonymisation';
export const ANONYMISATION_NOTICE = 'ANONYMISATION_NOTICE';

/** A young person none of whose cases has moved since `lastActivityAt`. */
export interface InactiveYouth {
  youthId: string;
  /** Their latest case: the notice is sent, and the journey closed, there. */
  caseId: string;
  openCaseIds: string[];
  lastActivityAt: Date;
  /** The last notice sent, if any (a notice older than the last activity no longer counts). */
  noticedAt: Date | null;
}

// The notice itself is an event of the case, but not activity: otherwise it would keep the file open.
const IS_NOTICE = `e.type = 'MESSAGE_QUEUED' AND e.data->>'purpose' = '${ANONYMISATION_NOTICE}'`;

/**
 * Automatic anonymisation after inactivity (policy `anonymiseAfterInactivity`). Activity is any
 * event of any case of the young person (a reply is one: YOUTH_REPLIED), except the notice;
 * anonymising is exactly an erasure (PersonalDataRepository, the same PERSONAL_DATA_ERASED event
 * under the same key), so an anonymised case looks like an erased one everywhere.
 */
export class AnonymisationRepository {
  private readonly personalData = new PersonalDataRepository();
  private readonly events: JourneyEventsRepository;

  constructor(private readonly dataSource: DataSource) {
    this.events = new JourneyEventsRepository(dataSource);
  }

  /** Young people not erased whose last activity is before `before`, by id after `after` (a page of the scan). */
  async inactive(before: Date, after: string | null, limit: number, only?: string[]): Promise<InactiveYouth[]> {
    const rows: InactiveYouth[] = await this.dataSource.query(
      `SELECT y.id AS "youthId", (array_agg(c.id ORDER BY c.created_at DESC, c.id DESC))[1] AS "caseId",
              coalesce(array_agg(c.id ORDER BY c.id) FILTER (WHERE c.stage <> 'CLOSED'), '{}') AS "openCaseIds",
              max(a.last) AS "lastActivityAt", max(n.noticed) AS "noticedAt"
         FROM youths y JOIN cases c ON c.youth_id = y.id
        CROSS JOIN LATERAL (SELECT coalesce(max(e.at), c.created_at) AS last FROM journey_events e WHERE e.case_id = c.id AND NOT (${IS_NOTICE})) a
        CROSS JOIN LATERAL (SELECT max(e.at) AS noticed FROM journey_events e WHERE e.case_id = c.id AND ${IS_NOTICE}) n
        WHERE y.erased_at IS NULL AND ($2::uuid IS NULL OR y.id > $2) AND ($4::uuid[] IS NULL OR y.id = ANY($4))
        GROUP BY y.id
       HAVING max(a.last) < $1
        ORDER BY y.id
        LIMIT $3`,
      [before, after, limit, only ?? null],
    );
    return rows.map((r) => ({ ...r, noticedAt: r.noticedAt && r.noticedAt > r.lastActivityAt ? r.noticedAt : null }));
  }

  /** Erases the young person as a request would; false if already erased (a retried or repeated run). */
  async anonymise(youthId: string, at: Date): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const caseIds = await this.personalData.erase(manager, youthId, at);
      for (const caseId of caseIds ?? []) {
        await this.events.recordIn(manager, {
          caseId,
          idempotencyKey: `erasure:${caseId}`,
          type: 'PERSONAL_DATA_ERASED',
          actor: ANONYMISATION_ACTOR,
          at,
          data: {},
        });
      }
      return caseIds !== null;
    });
  }

  /** Cases anonymised per month (Paris time), oldest first: the manager's report. */
  perMonth(from?: Date, to?: Date): Promise<{ month: string; cases: number }[]> {
    return this.dataSource.query(
      `SELECT to_char(date_trunc('month', at AT TIME ZONE 'Europe/Paris'), 'YYYY-MM') AS month, count(DISTINCT case_id)::int AS cases
         FROM journey_events
        WHERE type = 'PERSONAL_DATA_ERASED' AND actor = $1 AND ($2::timestamptz IS NULL OR at >= $2) AND ($3::timestamptz IS NULL OR at < $3)
        GROUP BY 1 ORDER BY 1`,
      [ANONYMISATION_ACTOR, from ?? null, to ?? null],
    );
  }
}

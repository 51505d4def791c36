import { DEFAULT_POLICY, durationMs, type Policy } from '@walt/domain';
import type { History, ProfileShape } from './model';

interface EventRow {
  caseId: string;
  type: string;
  actor: string;
  at: Date;
  data: Record<string, any>;
  policyVersion: number;
}

const HOUR_MS = 3_600_000;

/**
 * History recorded under a compressed policy (the demo, a pilot or a test with durations in
 * seconds) is read in that policy's own time: its delays are multiplied by how much shorter its
 * `closeUnreachableAfter` is than the default's, when that is at least tenfold. Real policies
 * (days) are read as they are.
 */
export function compressionOf(policy: Policy | undefined): number {
  if (!policy) return 1;
  const ratio = durationMs(DEFAULT_POLICY.closeUnreachableAfter) / Math.max(1, durationMs(policy.closeUnreachableAfter));
  return ratio >= 10 ? ratio : 1;
}

/** Reduces the events of a period to what the model estimates (rows of one case are consecutive, oldest first). */
export function historyFrom(rows: EventRow[], profiles: ProfileShape[], journeys: number, policies: Map<number, Policy>): History {
  const history: History = {
    journeys,
    profiles,
    nudges: [],
    replyHours: [],
    escalatedUnresponsive: 0,
    reachedAfterEscalation: 0,
    reachHours: [],
    referrals: [],
    attendance: { attended: 0, total: 0, appointmentHours: [] },
  };
  const cases = new Map<string, EventRow[]>();
  for (const row of rows) {
    if (!cases.has(row.caseId)) cases.set(row.caseId, []);
    cases.get(row.caseId)!.push(row);
  }
  for (const events of cases.values()) {
    const scale = compressionOf(policies.get(events[0].policyVersion));
    const hours = (from: Date, to: Date) => ((to.getTime() - from.getTime()) * scale) / HOUR_MS;
    const engagement = events.filter((e) => e.type === 'MESSAGE_QUEUED' && /^(WELCOME|NUDGE_\d+)$/.test(e.data.purpose));
    const reply = events.find((e) => e.type === 'YOUTH_REPLIED' || (e.type === 'CONTACT_LOGGED' && e.data.reached));
    engagement.forEach((nudge, i) => {
      const slot = (history.nudges[i] ??= { sent: 0, answered: 0 });
      slot.sent += 1;
      const next = engagement[i + 1];
      if (reply && reply.type === 'YOUTH_REPLIED' && reply.at >= nudge.at && (!next || reply.at < next.at)) {
        slot.answered += 1;
        history.replyHours.push(hours(nudge.at, reply.at));
      }
    });
    const escalated = events.find((e) => e.type === 'ESCALATED' && e.data.why === 'UNRESPONSIVE');
    if (escalated) {
      history.escalatedUnresponsive += 1;
      const reached = events.find((e) => e.type === 'CONTACT_LOGGED' && e.data.reached && e.at >= escalated.at);
      if (reached) {
        history.reachedAfterEscalation += 1;
        history.reachHours.push(hours(escalated.at, reached.at));
      }
    }
    for (const sent of events.filter((e) => e.type === 'REFERRAL_SENT')) {
      const decided = events.find(
        (e) =>
          ['REFERRAL_ACCEPTED', 'REFERRAL_DECLINED', 'REFERRAL_EXPIRED'].includes(e.type) && e.data.referralId === sent.data.referralId,
      );
      if (!decided) continue;
      const outcome = decided.type.replace('REFERRAL_', '') as 'ACCEPTED' | 'DECLINED' | 'EXPIRED';
      history.referrals.push({
        partnerType: sent.data.partnerType,
        outcome,
        hours: hours(sent.at, decided.at),
        reason: decided.data.reason,
      });
      if (outcome === 'ACCEPTED' && decided.data.appointmentAt) {
        const appointment = new Date(decided.data.appointmentAt);
        if (appointment > decided.at) history.attendance.appointmentHours.push(hours(decided.at, appointment));
      }
    }
    for (const attendance of events.filter((e) => e.type === 'ATTENDANCE_RECORDED')) {
      history.attendance.total += 1;
      if (attendance.data.attended) history.attendance.attended += 1;
    }
  }
  return history;
}

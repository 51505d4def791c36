import { condition, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import { DEPARTEMENT, SEGMENT } from '../libs/temporal/src/search-attributes';
import { continueAsNewSuggested, JourneySteps } from './journey-steps';
import * as m from './messages';

/**
 * The journey's signals, updates and query. Each validator asks the journey's rules whether the
 * action is allowed now (a refusal names the stage: HTTP 409); each handler records its steps
 * before it returns, so the caller reads its own write.
 */
export function registerJourneyHandlers(s: JourneySteps): void {
  const { journey } = s;

  setHandler(m.stateQuery, () => journey.view());

  // The answer is recorded before the journey moves on, so the timeline shows cause then effect.
  setHandler(m.youthRepliedSignal, async (reply) => {
    if (journey.isClosed) return;
    await s.step('YOUTH_REPLIED', 'youth', { channel: reply.channel });
    if (journey.phase === 'ENGAGEMENT') journey.respondedBy ??= 'youth';
  });

  setHandler(
    m.logContactUpdate,
    async (contact) => {
      const leavesEngagement = contact.reached && journey.phase === 'ENGAGEMENT';
      await s.step('CONTACT_LOGGED', contact.actor, { channel: contact.channel, reached: contact.reached, noteId: contact.noteId });
      if (leavesEngagement) journey.respondedBy ??= contact.actor;
      if (leavesEngagement)
        await condition(
          () => (journey.phase !== 'ENGAGEMENT' && journey.isRecorded) || journey.isClosed || journey.isPaused || continueAsNewSuggested(),
        );
    },
    { validator: (_: m.ContactLog) => journey.canLogContact() },
  );

  setHandler(
    m.changeProfileUpdate,
    async (change) => {
      journey.segment = change.segment;
      journey.departement = change.departement;
      upsertSearchAttributes([
        { key: SEGMENT, value: change.segment },
        { key: DEPARTEMENT, value: change.departement },
      ]);
      await s.step(
        'PROFILE_UPDATED',
        change.actor,
        { fields: change.fields, segment: change.segment },
        {
          projection: { segment: change.segment, departement: change.departement },
        },
      );
      const stillMatching = journey.phase === 'ORIENTATION' && (journey.stage === 'MATCHING' || journey.needsCounsellor);
      if (stillMatching) await s.orientationActsOn(() => (journey.rematchRequested = change.actor));
    },
    { validator: (_: m.ProfileChange) => journey.canChangeProfile() },
  );

  setHandler(
    m.referToPartnerUpdate,
    async (override) => {
      if (journey.phase === 'ENGAGEMENT') journey.respondedBy ??= override.actor;
      else if (journey.phase !== 'ORIENTATION') journey.enterPhase('ORIENTATION', s.activeMs());
      await s.orientationActsOn(() => {
        journey.override = override;
        s.withdrawReferral(override.actor);
      }, 'refer to a partner');
    },
    { validator: (override) => journey.canOverride(override.partnerId) },
  );

  setHandler(
    m.rematchUpdate,
    async ({ actor }) => {
      if (journey.phase !== 'ORIENTATION') journey.enterPhase('ORIENTATION', s.activeMs());
      await s.orientationActsOn(() => {
        journey.rematchRequested = actor;
        s.withdrawReferral(actor);
      }, 'rematch');
    },
    { validator: (_: { actor: string }) => journey.canRematch() },
  );

  setHandler(
    m.recordCheckInUpdate,
    async (report) => {
      journey.checkInsDone += 1;
      const seq = journey.checkInSeqBase + journey.checkInsDone;
      const at = s.nowIso();
      await s.step(
        'CHECK_IN_RECORDED',
        report.actor,
        { seq, status: report.status, outcome: report.outcome, noteId: report.noteId },
        {
          checkIns: { record: { seq, at, status: report.status, outcome: report.outcome, noteId: report.noteId } },
        },
      );
      switch (report.status) {
        case 'ON_TRACK':
          if (journey.stage === 'NEEDS_COUNSELLOR') await s.moveTo('IN_PATHWAY', report.actor);
          break;
        case 'NEEDS_SUPPORT':
          if (journey.stage !== 'NEEDS_COUNSELLOR') await s.escalate('NEEDS_SUPPORT', report.actor);
          break;
        case 'DROPPED_OUT':
          journey.accepted = undefined;
          s.startOrientation();
          await s.moveTo('MATCHING', report.actor, { why: 'DROPPED_OUT' });
          break;
        case 'OUTCOME':
          await s.close({ reason: 'OUTCOME_REACHED', outcome: report.outcome, actor: report.actor });
          break;
      }
    },
    { validator: (_: m.CheckInReport) => journey.canRecordCheckIn() },
  );

  setHandler(m.pauseUpdate, async (request) => s.pause(request), { validator: (_: m.PauseRequest) => journey.canPause() });

  setHandler(m.resumeUpdate, async ({ actor }) => s.resume(actor), { validator: (_: { actor: string }) => journey.canResume() });

  setHandler(m.closeUpdate, async (request) => s.close(request), { validator: (_: m.ClosureRequest) => journey.canClose() });

  setHandler(
    m.recordAttendanceUpdate,
    async (report) => {
      const accepted = await s.acceptedReferral(report.referralId, 'record attendance');
      const at = report.at ?? s.nowIso();
      const facts = { referralId: accepted.referralId, partnerId: accepted.partnerId, partnerType: accepted.partnerType };
      if (report.attended) {
        journey.pathwayStartedAt = at;
        journey.checkInSeqBase += journey.checkInsDone;
        journey.checkInsDone = 0;
        journey.checkInsPrompted = 0;
        journey.enterPhase('FOLLOW_UP', s.activeMs());
        await s.step(
          'ATTENDANCE_RECORDED',
          report.actor,
          { ...facts, attended: true, at },
          {
            referral: { id: accepted.referralId, change: { attended: true, attendanceAt: at } },
          },
        );
        await s.step('PATHWAY_STARTED', report.actor, facts, s.checkInsToCome());
        await s.moveTo('IN_PATHWAY', report.actor, facts);
      } else {
        journey.needsCounsellor = true;
        s.startOrientation(true);
        await s.step(
          'ATTENDANCE_RECORDED',
          report.actor,
          { ...facts, attended: false, at },
          {
            referral: { id: accepted.referralId, change: { attended: false, attendanceAt: at } },
            messages: [{ purpose: 'NO_SHOW', recipient: 'YOUTH', partnerId: accepted.partnerId, referralId: accepted.referralId }],
          },
        );
        await s.escalate('NO_SHOW', report.actor);
      }
    },
    { validator: (report) => journey.canRecordAttendance(report.referralId) },
  );

  setHandler(
    m.reportOutcomeUpdate,
    async (report) => {
      const accepted = await s.acceptedReferral(report.referralId, 'report an outcome');
      await s.step(
        'OUTCOME_REPORTED',
        report.actor,
        { referralId: accepted.referralId, outcome: report.outcome, noteId: report.noteId },
        {
          referral: { id: accepted.referralId, change: { outcome: report.outcome } },
        },
      );
      await s.close({ reason: 'OUTCOME_REACHED', outcome: report.outcome, actor: report.actor });
    },
    { validator: (report) => journey.canReportOutcome(report.referralId) },
  );
}

import { condition, uuid4 } from '@temporalio/workflow';
import { durationMs, type ReferralFacts } from '../libs/domain/src';
import { referralWorkflowId } from '../libs/temporal/src/names';
import type { Override } from './journey-state';
import { continueAsNewSuggested, JourneySteps, matchPartners, partnerInfo, releasePlace, takePlace } from './journey-steps';
import type { ReferralResult } from './referral.workflow';

interface Choice {
  partnerId: string;
  actor: string;
  override?: Override;
  /** The counsellor request this choice answers (see JourneySnapshot.requestsMade). */
  serving: number;
}

/** Matching and referrals, partner after partner, until one accepts or a counsellor takes over. */
export async function orientation(s: JourneySteps): Promise<void> {
  const { journey } = s;
  // A referral in flight is awaited to its end (refer), so continue-as-new never cuts one.
  const inPhase = () => journey.phase === 'ORIENTATION' && !journey.isClosed && !continueAsNewSuggested();
  while (inPhase()) {
    await s.waitActive(s.activeMs(), () => !inPhase());
    if (!inPhase()) return;
    const choice = await nextChoice(s, inPhase);
    if (!choice || !inPhase() || journey.isPaused) continue;
    const result = await refer(s, choice);
    if (result?.status === 'ACCEPTED') return;
  }
}

/** The partner to ask next, or undefined after escalating or being interrupted. */
async function nextChoice(s: JourneySteps, inPhase: () => boolean): Promise<Choice | undefined> {
  const { journey } = s;
  const serving = journey.requestsMade;
  if (journey.override) {
    const override = journey.override;
    journey.override = undefined;
    journey.needsCounsellor = false;
    return { partnerId: override.partnerId, actor: override.actor, override, serving };
  }
  let actor = 'system';
  if (journey.rematchRequested) {
    actor = journey.rematchRequested;
    journey.rematchRequested = undefined;
    journey.needsCounsellor = false;
    journey.attemptsThisRound = 0;
  } else if (journey.needsCounsellor) {
    await condition(() => !!journey.override || !!journey.rematchRequested || !inPhase());
    return undefined;
  }
  if (journey.attemptsThisRound >= journey.policy.maxReferralAttempts) {
    journey.needsCounsellor = true;
    await s.escalate('ATTEMPTS_EXHAUSTED');
    journey.requestsServed = serving;
    return undefined;
  }
  if (journey.stage !== 'MATCHING') await s.moveTo('MATCHING', actor);
  const result = await matchPartners({ caseId: journey.input.caseId, excluded: journey.asked, at: s.nowIso() });
  await s.step('MATCHED', 'system', { eligible: result.eligible.length, partnerIds: result.eligible.slice(0, 5).map((p) => p.partnerId) });
  if (!inPhase() || journey.override || journey.rematchRequested) return undefined;
  if (result.eligible.length === 0) {
    journey.needsCounsellor = true;
    await s.escalate('NO_ELIGIBLE_PARTNER');
    journey.requestsServed = serving;
    return undefined;
  }
  return { partnerId: result.eligible[0].partnerId, actor: 'system', serving };
}

/** The referral's own workflow ended without deciding: the journey records the end itself, so no row stays PENDING. */
async function referralEnded(s: JourneySteps, facts: ReferralFacts) {
  await s.step(
    'REFERRAL_WITHDRAWN',
    'system',
    { ...facts, why: 'REFERRAL_ENDED' },
    {
      referral: { id: facts.referralId, change: { status: 'WITHDRAWN', decidedAt: s.nowIso(), decidedBy: 'system' } },
    },
  );
  return { status: 'WITHDRAWN', actor: 'system' } satisfies ReferralResult;
}

/** Asks one partner through a child workflow and waits for its answer. */
async function refer(s: JourneySteps, choice: Choice): Promise<ReferralResult | undefined> {
  const { journey } = s;
  const partner = await partnerInfo({ partnerId: choice.partnerId });
  if (!partner) {
    journey.needsCounsellor = true;
    await s.escalate('PARTNER_UNKNOWN', choice.actor, choice.partnerId);
    journey.requestsServed = choice.serving;
    return undefined;
  }
  const referralId = uuid4();
  const sentAt = s.nowIso();
  // The match saw a place a moment ago; another journey may have taken the last one since. The
  // take is atomic: without a place the loop matches again (this partner now shows as full).
  const caseId = journey.input.caseId;
  const forced = choice.override !== undefined;
  if (!(await takePlace({ referralId, partnerId: partner.partnerId, caseId, at: sentAt, forced }))) return undefined;
  // Closed, or asked for something else, while the place was being taken: nothing is sent.
  if (journey.isClosed || journey.override || journey.rematchRequested) {
    await releasePlace({ referralId });
    return undefined;
  }
  journey.attempt += 1;
  journey.attemptsThisRound += 1;
  const attempt = journey.attempt;
  const expiresAfterMs = durationMs(partner.referralExpiresAfter ?? journey.policy.referralExpiresAfter);
  const dueAt = new Date(Date.parse(sentAt) + expiresAfterMs).toISOString();
  const facts = { referralId, partnerId: partner.partnerId, partnerType: partner.partnerType, attempt };
  journey.asked.push(partner.partnerId);
  journey.current = { referralId, partnerId: partner.partnerId, partnerType: partner.partnerType, attempt };

  // The child first: once the partner can see the referral (row, message), it can decide on it.
  const child = await s.startReferral({
    workflowId: referralWorkflowId(journey.input.caseId, attempt),
    args: [
      { ...facts, caseId: journey.input.caseId, sentAt, reminderAfterMs: durationMs(journey.policy.partnerReminderAfter), expiresAfterMs },
    ],
  });
  await s.step(
    'REFERRAL_SENT',
    choice.actor,
    { ...facts, override: !!choice.override, forced: choice.override?.forced, noteId: choice.override?.noteId },
    {
      referral: { id: referralId, create: { partnerId: partner.partnerId, attempt, sentAt, dueAt, noteId: choice.override?.noteId } },
      projection: { partnerId: partner.partnerId, nextActionAt: dueAt },
      messages: [{ purpose: 'REFERRAL_NEW', recipient: 'PARTNER', partnerId: partner.partnerId, referralId }],
    },
  );
  s.referralIsSent();
  await s.moveTo('REFERRED', choice.actor, { referralId, partnerId: partner.partnerId });
  journey.requestsServed = choice.serving;
  // A child that ended without a result (terminated by an operator, failed) withdrew by itself.
  const result = (await child.result().catch(() => undefined)) ?? (await referralEnded(s, facts));
  s.referralEnded();

  if (result.status === 'ACCEPTED' && !journey.isClosed) {
    journey.accepted = { ...facts, appointmentAt: result.appointmentAt };
    journey.appointmentReminded = false;
    journey.enterPhase('PATHWAY_START', s.activeMs());
    await s.moveTo('ACCEPTED', result.actor, facts, { projection: { nextActionAt: result.appointmentAt ?? null } });
    await s.step(
      'MESSAGE_QUEUED',
      'system',
      { purpose: 'REFERRAL_ACCEPTED', referralId },
      {
        messages: [{ purpose: 'REFERRAL_ACCEPTED', recipient: 'YOUTH', partnerId: partner.partnerId, referralId }],
      },
    );
  }
  return result;
}

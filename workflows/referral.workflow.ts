import { allHandlersFinished, condition, setHandler, workflowInfo } from '@temporalio/workflow';
import { ApplicationFailure } from '@temporalio/common';
import type { JourneyEventPayloads, PartnerType, ReferralFacts } from '../libs/domain/src';
import type { JourneyStep, StepEffects } from '../activities/journey.activities';
import { writeSteps } from './step-writes';
import { decideReferralUpdate, NOT_ALLOWED, ReferralDecision, ReferralView, referralStateQuery, withdrawReferralSignal } from './messages';

export interface ReferralInput {
  caseId: string;
  referralId: string;
  partnerId: string;
  partnerType: PartnerType;
  attempt: number;
  sentAt: string;
  reminderAfterMs: number;
  expiresAfterMs: number;
}

/** The events a referral's own workflow writes. */
type ReferralEventType = 'REFERRAL_REMINDED' | 'REFERRAL_ACCEPTED' | 'REFERRAL_DECLINED' | 'REFERRAL_EXPIRED' | 'REFERRAL_WITHDRAWN';

export interface ReferralResult {
  status: 'ACCEPTED' | 'DECLINED' | 'EXPIRED' | 'WITHDRAWN';
  actor: string;
  reason?: string;
  appointmentAt?: string;
}

/**
 * One ask to one partner (`referral-<caseId>-<attempt>`): waits for the partner's decision,
 * reminds once at the policy's offset, expires at the SLA, and returns what happened.
 */
export async function referralWorkflow(input: ReferralInput): Promise<ReferralResult> {
  let status: ReferralView['status'] = 'PENDING';
  let result: ReferralResult | undefined;
  let withdrawnBy: string | undefined;
  let seq = 0;
  const facts = { referralId: input.referralId, partnerId: input.partnerId, partnerType: input.partnerType, attempt: input.attempt };

  /** The referral's steps carry its facts; numbered in the referral's own sequence (its workflow id). */
  const record = <T extends ReferralEventType>(
    type: T,
    actor: string,
    data: Omit<JourneyEventPayloads[T], keyof ReferralFacts>,
    effects: StepEffects = {},
  ) => {
    seq += 1;
    const at = new Date().toISOString();
    const step = {
      caseId: input.caseId,
      idempotencyKey: `${workflowInfo().workflowId}:${seq}`,
      type,
      actor,
      at,
      data: { ...facts, ...data },
      ...effects,
    };
    // A matching type/data pair by the signature.
    return writeSteps([step as JourneyStep]);
  };

  setHandler(referralStateQuery, () => ({ ...facts, status }));
  setHandler(withdrawReferralSignal, ({ actor }) => {
    if (status === 'PENDING') withdrawnBy ??= actor;
  });
  setHandler(
    decideReferralUpdate,
    async (decision: ReferralDecision) => {
      status = decision.decision; // at once, so a concurrent second decision is refused
      const at = new Date().toISOString();
      if (decision.decision === 'ACCEPTED') {
        result = { status: 'ACCEPTED', actor: decision.actor, appointmentAt: decision.appointmentAt };
        await record(
          'REFERRAL_ACCEPTED',
          decision.actor,
          { appointmentAt: decision.appointmentAt, noteId: decision.noteId, via: decision.via },
          {
            referral: {
              id: input.referralId,
              change: { status: 'ACCEPTED', decidedAt: at, decidedBy: decision.actor, appointmentAt: decision.appointmentAt },
            },
          },
        );
      } else {
        result = { status: 'DECLINED', actor: decision.actor, reason: decision.reason };
        await record(
          'REFERRAL_DECLINED',
          decision.actor,
          { reason: decision.reason, noteId: decision.noteId, via: decision.via },
          {
            referral: {
              id: input.referralId,
              change: {
                status: 'DECLINED',
                reason: decision.reason,
                commentNoteId: decision.noteId,
                decidedAt: at,
                decidedBy: decision.actor,
              },
            },
          },
        );
      }
    },
    {
      validator: (_: ReferralDecision) => {
        // Withdrawn by the journey (rematch, override, closure) is final, even before the story marks it.
        const now = withdrawnBy !== undefined && status === 'PENDING' ? 'WITHDRAWN' : status;
        if (now !== 'PENDING') {
          throw ApplicationFailure.create({
            type: NOT_ALLOWED,
            nonRetryable: true,
            message: `This referral is ${now}: only a PENDING referral can be accepted or declined.`,
          });
        }
      },
    },
  );

  const settled = () => status !== 'PENDING' || withdrawnBy !== undefined;
  const expiresAt = Date.parse(input.sentAt) + input.expiresAfterMs;

  if (input.reminderAfterMs > 0 && input.reminderAfterMs < input.expiresAfterMs) {
    const remindIn = Date.parse(input.sentAt) + input.reminderAfterMs - Date.now();
    if (remindIn > 0 && !(await condition(settled, remindIn))) {
      await record(
        'REFERRAL_REMINDED',
        'system',
        {},
        {
          referral: { id: input.referralId, change: { remindedAt: new Date().toISOString() } },
          messages: [{ purpose: 'REFERRAL_REMINDER', recipient: 'PARTNER', partnerId: input.partnerId, referralId: input.referralId }],
        },
      );
    }
  }
  const expiresIn = expiresAt - Date.now();
  if (expiresIn > 0) await condition(settled, expiresIn);

  if (status === 'PENDING') {
    const at = new Date().toISOString();
    if (withdrawnBy !== undefined) {
      status = 'WITHDRAWN';
      result = { status, actor: withdrawnBy };
      await record(
        'REFERRAL_WITHDRAWN',
        withdrawnBy,
        {},
        { referral: { id: input.referralId, change: { status, decidedAt: at, decidedBy: withdrawnBy } } },
      );
    } else {
      status = 'EXPIRED';
      result = { status, actor: 'system', reason: 'EXPIRED' };
      await record(
        'REFERRAL_EXPIRED',
        'system',
        {},
        {
          referral: { id: input.referralId, change: { status, reason: 'EXPIRED', decidedAt: at, decidedBy: 'system' } },
          messages: [{ purpose: 'REFERRAL_EXPIRED', recipient: 'PARTNER', partnerId: input.partnerId, referralId: input.referralId }],
        },
      );
    }
  }
  await condition(allHandlersFinished);
  return result!;
}

import { continueAsNew, proxyActivities } from '@temporalio/workflow';
import { retentionMs } from '../libs/domain/src/retention';
import type { AnonymisationActivities } from '../activities/anonymisation.activities';
import type { AnonymisationInput, AnonymisationResult } from './messages';

const { anonymisationPolicy, inactiveYouths, sendAnonymisationNotice, anonymiseYouth } = proxyActivities<AnonymisationActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes' },
});

export const ANONYMISATION_PAGE = 200;

/**
 * The daily anonymisation after inactivity (PRODUCT.md, "Rules that protect young people"),
 * started by the `walt-daily-anonymisation` Schedule. A young person with no activity for
 * `anonymiseAfterInactivity − anonymiseNoticeBefore` gets a notice (their reply is activity);
 * once the notice is `anonymiseNoticeBefore` old with still no activity, they are anonymised as an
 * erasure does. No one is anonymised without a notice first. Pages of young people by id, each
 * page's work idempotent, the cursor carried by continue-as-new: a crash mid-page repeats only
 * what is already done, harmlessly.
 */
export async function anonymisationWorkflow(input: AnonymisationInput = {}): Promise<AnonymisationResult> {
  const policy = input.policy ?? (await anonymisationPolicy());
  const now = input.now ?? new Date().toISOString(); // workflow time, or the test's clock
  const after = retentionMs(policy.anonymiseAfterInactivity)!;
  const notice = retentionMs(policy.anonymiseNoticeBefore)!;
  const nowMs = new Date(now).getTime();
  const noticeFrom = new Date(nowMs - (after - notice)).toISOString();
  const limit = input.pageSize ?? ANONYMISATION_PAGE;
  const result = { noticed: input.counted?.noticed ?? 0, anonymised: input.counted?.anonymised ?? 0 };

  const { youths } = await inactiveYouths({ before: noticeFrom, after: input.cursor ?? null, limit, only: input.youthIds });
  for (const youth of youths) {
    const inactiveFor = nowMs - new Date(youth.lastActivityAt).getTime();
    const noticeAge = youth.noticedAt ? nowMs - new Date(youth.noticedAt).getTime() : -1;
    if (inactiveFor >= after && noticeAge >= notice) {
      if (await anonymiseYouth({ youthId: youth.youthId, openCaseIds: youth.openCaseIds, at: now })) result.anonymised += 1;
    } else if (!youth.noticedAt) {
      await sendAnonymisationNotice({ caseId: youth.caseId, lastActivityAt: youth.lastActivityAt, at: now });
      result.noticed += 1;
    }
  }
  if (youths.length === limit) {
    await continueAsNew<typeof anonymisationWorkflow>({
      ...input,
      policy,
      now,
      cursor: youths[youths.length - 1].youthId,
      counted: result,
    });
  }
  return result;
}

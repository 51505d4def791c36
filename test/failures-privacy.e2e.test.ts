import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { youthRepliedSignal } from '../workflows/messages';
import { createCase, formsByCase, journeyOf, waitForStage } from './support/journeys';
import { historyText, personalValues } from './support/history';
import { eventually, startTestSystem, TestSystem } from './support/test-system';

/** The case whose matching fails the way a driver or a provider fails: quoting the data it was given. */
let leakyCase: string | undefined;
let sys: TestSystem;
const leakyLookup: ActivityInterceptorsFactory = (ctx) => ({
  inbound: {
    async execute(input, next) {
      const [arg] = input.args as [{ caseId?: string }];
      if (ctx.info.activityType !== 'matchPartners' || arg.caseId !== leakyCase) return next(input);
      const [youth] = await sys.dataSource.query(
        `SELECT y.email, y.phone, to_char(y.birth_date, 'YYYY-MM-DD') AS birth_date FROM youths y JOIN cases c ON c.youth_id = y.id WHERE c.id = $1`,
        [arg.caseId],
      );
      throw new Error(`lookup failed for ${youth.email} (${youth.phone}), born ${youth.birth_date}`);
    },
  },
});

/**
 * An activity that fails leaves its failure in Temporal (the pending activity's last failure,
 * then the history), where erasure never reaches: it must not carry personal data.
 */
describe('failures that reach Temporal carry no personal data', () => {
  beforeAll(async () => (sys = await startTestSystem({ activityInterceptors: [leakyLookup] })));
  afterAll(async () => sys?.stop());

  it('an activity failing with contact details and a birth date in its error: Temporal keeps the failure, redacted', async () => {
    const caseId = await createCase(sys, { escalateUnresponsiveAfter: 'PT60S', closeUnreachableAfter: 'PT90S' });
    await waitForStage(sys, caseId, 'ENGAGING');
    leakyCase = caseId;
    const journey = journeyOf(sys, caseId);
    await journey.signal(youthRepliedSignal, { channel: 'SMS' });

    const failed = await eventually(async () => {
      const { raw } = await journey.describe();
      const matching = raw.pendingActivities?.find((a) => a.activityType?.name === 'matchPartners');
      return matching?.lastFailure && (matching.attempt ?? 0) >= 2 ? matching : undefined;
    }, 'matchPartners to fail and be retried');
    expect(failed.lastFailure?.message).toBe('lookup failed for <adresse> (<numéro>), born <date>');

    const described = JSON.stringify((await journey.describe()).raw, (_, v) =>
      v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : v,
    );
    const history = await historyText(sys.client, journey.workflowId);
    for (const secret of personalValues(formsByCase.get(caseId)!)) {
      expect({ secret, inDescription: described.includes(secret), inHistory: history.includes(secret) }).toEqual({
        secret,
        inDescription: false,
        inHistory: false,
      });
    }
    await journey.terminate('test done');
  });
});

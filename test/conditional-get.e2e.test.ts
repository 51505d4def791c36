import type { Policy } from '@walt/domain';
import { noneMatchHolds } from '../apps/api/src/common/conditional-get';
import { createCase, waitForStage } from './support/journeys';
import { eventually, startTestSystem, TestSystem } from './support/test-system';

/** Nothing moves by itself for an hour: what changes the case is the test's own PATCH. */
const STEADY_POLICY: Partial<Policy> = {
  nudgeOffsets: ['PT0S', 'PT1H'],
  escalateUnresponsiveAfter: 'PT2H',
  closeUnreachableAfter: 'PT3H',
  partnerReminderAfter: 'PT1H',
  referralExpiresAfter: 'PT2H',
};

/** The polled GETs (case page, case list, partner inbox) answer an ETag and 304 while unchanged. */
describe('conditional GETs of the polled routes', () => {
  let sys: TestSystem;
  let auth: string;
  beforeAll(async () => {
    sys = await startTestSystem();
    auth = `Bearer ${sys.token('counsellor')}`;
  });
  afterAll(async () => sys?.stop());

  const get = (path: string, etag?: string) => {
    const req = sys.http().get(path).set('Authorization', auth);
    return etag ? req.set('If-None-Match', etag) : req;
  };

  /** The tag of a settled answer: asked again with it, the API answers 304 (the welcome message may still be moving). */
  const settledTag = (path: string) =>
    eventually(async () => {
      const first = await get(path).expect(200);
      const again = await get(path, first.headers.etag);
      return again.status === 304 ? { tag: first.headers.etag as string, again } : undefined;
    }, `an unchanged answer of ${path}`);

  it('200 with a strong ETag, 304 without a body with it, 200 with a new ETag after a change', async () => {
    const caseId = await createCase(sys, STEADY_POLICY);
    await waitForStage(sys, caseId, 'ENGAGING');
    const path = `/v1/cases/${caseId}`;
    const first = await get(path).expect(200);
    expect(first.headers.etag).toMatch(/^"[\w-]{32}"$/);
    expect(first.headers['cache-control']).toBe('no-store');

    const { tag, again } = await settledTag(path);
    expect(again.text).toBe('');
    expect(again.headers.etag).toBe(tag);
    // A list of tags, a weak form of the same tag and `*` hold too; another tag does not.
    await get(path, `"other", W/${tag}`).expect(304);
    await get(path, '*').expect(304);
    await get(path, '"other"').expect(200);

    await sys
      .http()
      .patch(`/v1/cases/${caseId}/profile`)
      .set('Authorization', auth)
      .send({ wishes: ['CIVIC_SERVICE'] })
      .expect(200);
    const changed = await get(path, tag).expect(200);
    expect(changed.body.profile.wishes).toEqual(['CIVIC_SERVICE']);
    expect(changed.headers.etag).not.toBe(tag);
  });

  it('the case list, the timeline and the partner inbox are conditional too; other routes carry no ETag', async () => {
    const caseId = await createCase(sys, STEADY_POLICY);
    await waitForStage(sys, caseId, 'ENGAGING');
    for (const path of [`/v1/cases/${caseId}/timeline`, `/v1/cases?q=${caseId}`]) await settledTag(path);
    // A partner no other test refers to: its inbox stays as it is while the test runs.
    const partner = `Bearer ${sys.token('partner', { partnerId: 'conditional-get-nobody' })}`;
    const inbox = await sys.http().get('/v1/partner/referrals').set('Authorization', partner).expect(200);
    await sys.http().get('/v1/partner/referrals').set('Authorization', partner).set('If-None-Match', inbox.headers.etag).expect(304);
    const matches = await get(`/v1/cases/${caseId}/matches`).expect(200);
    expect(matches.headers.etag).toBeUndefined();
  });

  it('If-None-Match: weak comparison over a list, or *', () => {
    expect(noneMatchHolds(undefined, '"a"')).toBe(false);
    expect(noneMatchHolds('"a"', '"a"')).toBe(true);
    expect(noneMatchHolds(' "b" ,W/"a"', '"a"')).toBe(true);
    expect(noneMatchHolds('"b"', '"a"')).toBe(false);
    expect(noneMatchHolds('*', '"a"')).toBe(true);
  });
});

import { jwtSecret, signToken } from '@walt/auth';
import type { Policy } from '@walt/domain';
import { partnerLinkSecret, signReferralLink } from '@walt/messaging';
import { youthRepliedSignal } from '../workflows/messages';
import { aForm } from './support/forms';
import { changedTables, checkAnswer, OpenApiDocument, refusesWithPage, RequestFuzzer, routesOf, rowCounter, send } from './support/fuzz';
import { journeyOf, pendingReferral, waitForStage } from './support/journeys';
import { savePolicyVersion } from './support/policies';
import { startTestSystem, TestSystem } from './support/test-system';

/**
 * The fuzzer of test/support/fuzz.ts against every route of the OpenAPI document, with every
 * kind of caller, seeded (FUZZ_SEED) and bounded: FUZZ_REQUESTS requests (default 3,000) or
 * FUZZ_SECONDS (default 45), whichever comes first, routes taken in turn so that a run cut
 * short by time still reaches each of them. Fails on any 5xx, any 4xx outside API.md's error
 * shape, and any rejected request that changed the row count of a table. bench/fuzz runs more.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261203);
const MAX_REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 3_000);
const MAX_SECONDS = Number(process.env.FUZZ_SECONDS ?? 45);

const SECONDS_POLICY: Partial<Policy> = {
  nudgeOffsets: ['PT0S'],
  escalateUnresponsiveAfter: 'PT60S',
  closeUnreachableAfter: 'PT120S',
  partnerReminderAfter: 'PT30S',
  referralExpiresAfter: 'PT60S',
};

describe('fuzzing every route from the OpenAPI document', () => {
  let sys: TestSystem;
  let document: OpenApiDocument;
  const ids: Record<string, string> = {};
  let callers: (string | undefined)[];

  beforeAll(async () => {
    sys = await startTestSystem();
    // The object the routes name: a real case, closed after its first referral (WITHDRAWN), so
    // a request that is valid by chance meets a 409 rather than moving a journey.
    const form = aForm();
    sys.policies.use(form.submissionId, await savePolicyVersion(sys.dataSource, SECONDS_POLICY));
    const caseId = (await sys.http().post('/v1/intake/forms').send(form).expect(201)).body.caseId;
    await waitForStage(sys, caseId, 'ENGAGING');
    await journeyOf(sys, caseId).signal(youthRepliedSignal, { channel: 'SMS' });
    const referral = await pendingReferral(sys, caseId, 1);
    const admin = `Bearer ${sys.token('admin')}`;
    await sys.http().post(`/v1/cases/${caseId}/close`).set('Authorization', admin).send({ reason: 'WITHDRAWN' }).expect(200);
    await waitForStage(sys, caseId, 'CLOSED');
    Object.assign(ids, {
      caseId,
      referralId: referral.id,
      partnerId: referral.partner_id,
      id: 'fuzz-no-such-partner', // PATCH /v1/partners/{id}: the seed directory stays as it is
      postalCode: '75011',
      conversationId: '00000000-0000-4000-8000-000000000000',
      token: signReferralLink(referral.id, new Date(Date.now() + 3_600_000), partnerLinkSecret(jwtSecret())),
    });
    callers = [
      undefined,
      'Bearer not.a.jwt',
      `Bearer ${signToken({ sub: 'fuzz', role: 'admin' }, 'another-secret-of-enough-length')}`,
      `Bearer ${sys.token('counsellor', { territories: ['75'] })}`,
      `Bearer ${sys.token('counsellor', { territories: ['971'] })}`,
      `Bearer ${sys.token('partner', { partnerId: referral.partner_id })}`,
      `Bearer ${sys.token('manager')}`,
      admin,
    ];
    document = (await sys.http().get('/docs-json').expect(200)).body;
  });
  afterAll(async () => sys?.stop());

  it(
    `answers every malformed request with a 4xx in the error shape, and writes nothing (seed ${SEED})`,
    async () => {
      const routes = routesOf(document);
      const fuzzer = new RequestFuzzer(document, SEED, ids);
      const counts = await rowCounter(sys.dataSource);
      const [policyBefore] = await sys.dataSource.query('SELECT max(version) AS v FROM policies');
      await waitForQuiet(counts);

      const failures: string[] = [];
      const byStatus = new Map<number, number>();
      const started = Date.now();
      let sent = 0;
      let before = await counts();
      for (let i = 0; i < MAX_REQUESTS && Date.now() - started < MAX_SECONDS * 1000; i++) {
        const route = routes[i % routes.length];
        const caller = callers[Math.floor(i / routes.length) % callers.length];
        const request = fuzzer.next(route);
        const res = await send(sys.http, request, caller).catch((err: Error) => ({ status: 0, err }) as const);
        sent += 1;
        const what = `#${i} ${request.method.toUpperCase()} ${request.url.slice(0, 120)} [${request.kind}] as ${caller ? caller.slice(0, 20) : 'nobody'}`;
        if ('err' in res) {
          failures.push(`${what}: no answer (${res.err.message})`);
          continue;
        }
        byStatus.set(res.status, (byStatus.get(res.status) ?? 0) + 1);
        const page = refusesWithPage(route.operation);
        const broken =
          page && res.status < 500 ? undefined : checkAnswer(res.status, res.headers['content-type'], res.body, res.text ?? '');
        if (broken) failures.push(`${what}: ${broken}`);
        const after = await counts();
        if (res.status >= 400) {
          const changed = changedTables(before, after);
          if (changed.length) failures.push(`${what}: rejected with ${res.status} but wrote: ${changed.join(', ')}`);
        }
        before = after;
        if (failures.length >= 20) break;
      }
      const seconds = (Date.now() - started) / 1000;
      console.log(
        `fuzz: seed ${SEED}, ${sent} requests over ${routes.length} routes × ${callers.length} callers in ${seconds.toFixed(1)} s; ` +
          `statuses ${[...byStatus]
            .sort(([a], [b]) => a - b)
            .map(([s, n]) => `${s}×${n}`)
            .join(' ')}`,
      );

      // A policy a fuzzed PUT happened to make valid is not left as the current one for the next files.
      await sys.dataSource.query('DELETE FROM policies WHERE version > $1', [policyBefore.v]);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(failures).toEqual([]);
      expect(sent).toBeGreaterThanOrEqual(Math.min(MAX_REQUESTS, routes.length * 4));
    },
    (MAX_SECONDS + 60) * 1000,
  );

  /** The closed case's last messages may still be on their way to the outbox: wait for stillness. */
  async function waitForQuiet(counts: () => Promise<Record<string, number>>): Promise<void> {
    let last = JSON.stringify(await counts());
    for (let i = 0; i < 50; i++) {
      await new Promise((r) => setTimeout(r, 300));
      const now = JSON.stringify(await counts());
      if (now === last) return;
      last = now;
    }
  }
});

/**
 * The cluster's own check (`npm run test:cluster`, started by infra/test-cluster.sh, which gives
 * the process ids): journeys in flight while one of the two API processes and then one of the two
 * workers is killed with SIGKILL. Every journey must complete on what is left, with the same
 * events and the same messages as if nothing had happened: none lost, none twice.
 *
 * The journeys take the unresponsive path (welcome + 2 nudges by email, escalation, closure
 * UNREACHABLE) on a policy in seconds, so each runs ~20 s of timers and a dozen activities, and the
 * kills land in the middle of them. Email only: SMS would wait for the end of quiet hours.
 * A message whose delivery lags past its journey's closure is suppressed (product rule); the check
 * counts it as settled, and fails on any message pending, failed or written twice to the outbox.
 */
import { randomUUID } from 'node:crypto';
import { signToken } from '@walt/auth';
import { DEFAULT_POLICY } from '@walt/domain';
import { initializeDataSource } from '@walt/persistence';
import { temporal } from '@temporalio/proto';
import { connectClient, journeyWorkflowId, temporalClient } from '@walt/temporal';

const JOURNEYS = Number(process.env.FAILOVER_JOURNEYS || 40);
const [API_1, API_2] = (process.env.CLUSTER_API_URLS || 'http://127.0.0.1:3000,http://127.0.0.1:3001').split(',');
const [API_1_PID, , WORKER_1_PID, WORKER_2_PID] = [
  'CLUSTER_API_1_PID',
  'CLUSTER_API_2_PID',
  'CLUSTER_WORKER_1_PID',
  'CLUSTER_WORKER_2_PID',
].map((name) => Number(process.env[name] || NaN));
const POLICY = {
  ...DEFAULT_POLICY,
  nudgeOffsets: ['PT0S', 'PT4S', 'PT8S'],
  escalateUnresponsiveAfter: 'PT12S',
  closeUnreachableAfter: 'PT20S',
};
const EXPECTED_STAGES = ['ENGAGING', 'NEEDS_COUNSELLOR', 'CLOSED'];
const EXPECTED_MESSAGES = ['NUDGE_1', 'NUDGE_2', 'WELCOME'];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

function aForm(n: number) {
  const unique = `${Date.now().toString(36)}${n}`;
  const birth = new Date();
  birth.setUTCFullYear(birth.getUTCFullYear() - 20);
  return {
    submissionId: randomUUID(),
    firstName: 'Camille',
    lastName: `Failover-${unique}`,
    birthDate: birth.toISOString().slice(0, 10),
    email: `camille.${unique}@example.org`,
    postalCode: '69003',
    diplomaLevel: 'BAC',
    situation: 'LOOKING_FOR_JOB',
    barriers: [],
    wishes: ['JOB'],
    consent: { dataProcessing: true, shareWithPartners: true, channels: ['EMAIL'] },
    source: { channel: 'WEBSITE' },
  };
}

async function post(base: string, path: string, body: unknown, token?: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${base}${path}`, {
    method: path === '/v1/policy' ? 'PUT' : 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  return { status: res.status, body: await res.json().catch(() => undefined) };
}

async function main() {
  const problems: string[] = [];
  const check = (ok: boolean, problem: string) => ok || problems.push(problem);
  const started = Date.now();
  const at = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
  const dataSource = await initializeDataSource();
  const admin = signToken({ sub: 'failover-check', role: 'admin' });
  const policy = await post(API_1, '/v1/policy', POLICY, admin);
  if (policy.status !== 200) throw new Error(`PUT /v1/policy answered ${policy.status}: ${JSON.stringify(policy.body)}`);

  // Intake through both APIs at once; API 1 dies while requests are in flight. A request that
  // failed with it is sent again, same submissionId, to API 2 (what a client or load balancer does).
  const forms = Array.from({ length: JOURNEYS }, (_, n) => aForm(n));
  const caseOf = new Map<string, string>();
  let retried = 0;
  const submit = async (form: ReturnType<typeof aForm>, n: number) => {
    await sleep(n * 50);
    const first = n % 2 === 0 ? API_1 : API_2;
    let res = await post(first, '/v1/intake/forms', form).catch((err: Error) => ({ status: 0, body: err.message }));
    if (res.status !== 201 && first === API_1) {
      retried++;
      res = await post(API_2, '/v1/intake/forms', form);
    }
    if (res.status !== 201) throw new Error(`intake answered ${res.status}: ${JSON.stringify(res.body)}`);
    caseOf.set(form.submissionId, res.body.caseId);
  };
  const killApi = sleep((JOURNEYS * 50) / 2).then(() => {
    process.kill(API_1_PID, 'SIGKILL');
    console.log(`[failover] ${at()} SIGKILL API 1 (pid ${API_1_PID}) with intake requests in flight`);
  });
  await Promise.all([...forms.map(submit), killApi]);
  console.log(`[failover] ${at()} ${caseOf.size} forms accepted (${retried} sent again to API 2 after API 1 died)`);

  await sleep(3000); // every journey is between its welcome and its second nudge
  process.kill(WORKER_1_PID, 'SIGKILL');
  console.log(`[failover] ${at()} SIGKILL worker 1 (pid ${WORKER_1_PID}) with every journey in flight`);

  const caseIds = [...new Set(caseOf.values())];
  check(caseIds.length === JOURNEYS, `${JOURNEYS} forms gave ${caseIds.length} distinct cases`);
  const deadline = Date.now() + 180_000;
  let closed = 0;
  while (Date.now() < deadline) {
    [{ closed }] = await dataSource.query(`SELECT count(*)::int AS closed FROM cases WHERE id = ANY($1) AND stage = 'CLOSED'`, [caseIds]);
    if (closed === caseIds.length) break;
    await sleep(1000);
  }
  console.log(`[failover] ${at()} ${closed}/${caseIds.length} journeys closed`);
  check(closed === caseIds.length, `only ${closed} of ${caseIds.length} journeys closed within 180 s`);

  // The same story for every journey: the stages once each, each message queued once and sent once.
  const events: { case_id: string; type: string; data: any }[] = await dataSource.query(
    `SELECT case_id, type, data FROM journey_events WHERE case_id = ANY($1) ORDER BY at, seq, id`,
    [caseIds],
  );
  const typesOf = (caseId: string) =>
    events
      .filter((e) => e.case_id === caseId)
      .map((e) => e.type)
      .join(',');
  const reference = typesOf(caseIds[0]);
  for (const caseId of caseIds) {
    const mine = events.filter((e) => e.case_id === caseId);
    const stages = mine.filter((e) => e.type === 'STAGE_CHANGED').map((e) => e.data.to);
    check(JSON.stringify(stages) === JSON.stringify(EXPECTED_STAGES), `case ${caseId}: stages ${stages.join(' → ')}`);
    check(typesOf(caseId) === reference, `case ${caseId}: events ${typesOf(caseId)} differ from ${reference}`);
  }
  // Each message settles once: SENT with exactly one outbox row, or SUPPRESSED because the case had
  // closed before its turn came (delivery lagging behind a 20 s journey, by design); never pending,
  // never FAILED, never two outbox rows.
  const messagesDeadline = Date.now() + 90_000;
  let messages: { case_id: string; purposes: string[]; settled: number; sent: number; suppressed: number; outbox: number }[] = [];
  while (Date.now() < messagesDeadline) {
    messages = await dataSource.query(
      `SELECT m.case_id, array_agg(m.purpose ORDER BY m.purpose) AS purposes,
              count(*) FILTER (WHERE m.status IN ('SENT', 'SUPPRESSED'))::int AS settled,
              count(*) FILTER (WHERE m.status = 'SENT')::int AS sent,
              count(*) FILTER (WHERE m.status = 'SUPPRESSED' AND m.last_error = 'the case is closed')::int AS suppressed,
              (SELECT count(*)::int FROM message_outbox o JOIN outbound_messages x ON x.id = o.message_id WHERE x.case_id = m.case_id AND x.recipient = 'YOUTH') AS outbox
         FROM outbound_messages m WHERE m.case_id = ANY($1) AND m.recipient = 'YOUTH' GROUP BY m.case_id`,
      [caseIds],
    );
    if (messages.length === caseIds.length && messages.every((m) => m.settled === m.purposes.length)) break;
    await sleep(1000);
  }
  check(messages.length === caseIds.length, `${messages.length} of ${caseIds.length} cases have messages`);
  for (const m of messages) {
    check(JSON.stringify(m.purposes) === JSON.stringify(EXPECTED_MESSAGES), `case ${m.case_id}: messages ${m.purposes.join(',')}`);
    check(
      m.sent + m.suppressed === EXPECTED_MESSAGES.length && m.outbox === m.sent,
      `case ${m.case_id}: ${m.sent} sent, ${m.suppressed} suppressed (case closed), ${m.outbox} in the outbox`,
    );
  }
  const sent = messages.reduce((n, m) => n + m.sent, 0);
  const suppressed = messages.reduce((n, m) => n + m.suppressed, 0);
  console.log(`[failover] ${at()} messages: ${sent} sent once each, ${suppressed} suppressed because their case had closed first`);

  const client = temporalClient(await connectClient());
  const statuses = await Promise.all(
    caseIds.map(async (id) => (await client.workflow.getHandle(journeyWorkflowId(id)).describe()).status.name),
  );
  const notCompleted = statuses.filter((s) => s !== 'COMPLETED');
  // Worker versioning as start:cluster wires it: every journey PINNED to the build made current.
  const buildId = process.env.CLUSTER_BUILD_ID;
  if (buildId) {
    const pinned = await Promise.all(
      caseIds.map(async (id) => {
        const { workflowExecutionInfo } = await client.workflowService.describeWorkflowExecution({
          namespace: client.options.namespace,
          execution: { workflowId: journeyWorkflowId(id) },
        });
        const info = workflowExecutionInfo?.versioningInfo;
        return info?.behavior === temporal.api.enums.v1.VersioningBehavior.VERSIONING_BEHAVIOR_PINNED
          ? info.deploymentVersion?.buildId
          : undefined;
      }),
    );
    const elsewhere = pinned.filter((b) => b !== buildId);
    check(elsewhere.length === 0, `${elsewhere.length} journeys not pinned to build ${buildId} (${[...new Set(elsewhere)].join(', ')})`);
    console.log(`[failover] ${at()} ${pinned.length - elsewhere.length} journeys pinned to build ${buildId}`);
  }
  check(notCompleted.length === 0, `${notCompleted.length} journey workflows not COMPLETED (${[...new Set(notCompleted)].join(', ')})`);
  // The kill mattered only if worker 1 was running some of these journeys (identity pid@host).
  let ranOnWorker1 = 0;
  for (const id of caseIds) {
    const history = await client.workflow.getHandle(journeyWorkflowId(id)).fetchHistory();
    const identities = (history.events ?? []).map((e) => e.workflowTaskCompletedEventAttributes?.identity).filter(Boolean);
    if (identities.some((identity) => identity!.startsWith(`${WORKER_1_PID}@`))) ranOnWorker1++;
  }
  console.log(`[failover] ${at()} ${ranOnWorker1} journeys had workflow tasks on worker 1 before it was killed`);
  check(ranOnWorker1 > 0, 'worker 1 ran none of the journeys: the kill proved nothing');
  check(!alive(API_1_PID) && !alive(WORKER_1_PID), 'the killed processes are still alive');
  check(alive(WORKER_2_PID), 'worker 2 died too');
  // Every surviving process answers its Prometheus scrape (the worker's is the SDK's telemetry).
  for (const url of (process.env.CLUSTER_METRICS_URLS ?? '').split(',').filter(Boolean)) {
    const text = await fetch(url).then(
      (r) => r.text(),
      (err: Error) => err.message,
    );
    check(
      /^(temporal_num_pollers|walt_http_requests_total)/m.test(text),
      `${url} does not answer Prometheus metrics: ${text.slice(0, 200)}`,
    );
  }
  await client.connection.close();
  await dataSource.destroy();

  const eventsPerCase = events.length / caseIds.length;
  console.log(
    `[failover] ${at()} ${caseIds.length} journeys: ${eventsPerCase} events and ${EXPECTED_MESSAGES.length} messages each, ` +
      `workflows ${statuses.length - notCompleted.length}/${statuses.length} COMPLETED`,
  );
  if (problems.length) {
    console.error(
      `[failover] FAILED:\n  ${problems.slice(0, 20).join('\n  ')}${problems.length > 20 ? `\n  … ${problems.length - 20} more` : ''}`,
    );
    process.exit(1);
  }
  console.log('[failover] OK: every journey completed on the surviving worker and API, no event or message lost or duplicated');
}

main().catch((err) => {
  console.error(`[failover] ${err.stack ?? err.message}`);
  process.exit(1);
});

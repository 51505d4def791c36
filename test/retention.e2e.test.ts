import { randomUUID } from 'node:crypto';
import { TASK_QUEUE } from '@walt/temporal';
import { DAILY_SCHEDULES, ensureDailySchedules } from '../apps/worker/src/schedules';
import type { RetentionPurgeInput, RetentionPurgeResult } from '../workflows/messages';
import { saveHistory } from './support/history';
import { startTestSystem, TestSystem } from './support/test-system';

/**
 * The retention purge, run directly with delays of 30 minutes. Rows are dated by PostgreSQL
 * (`now() - interval`), as is the workflow's cut-off by Temporal: both keep the real time even
 * when the tests' clock is moved (infra/test-at-hours.sh).
 */
describe('retention of operational data', () => {
  let sys: TestSystem;
  const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> => sys.dataSource.query(sql, params);
  let lastWorkflowId = '';
  const purge = (input: RetentionPurgeInput) =>
    sys.client.workflow.execute<(i: RetentionPurgeInput) => Promise<RetentionPurgeResult>>('retentionPurgeWorkflow', {
      taskQueue: TASK_QUEUE,
      workflowId: (lastWorkflowId = `retention-test-${randomUUID()}`),
      args: [input],
    });
  const delays = {
    messageBodies: 'PT1800S',
    chatTranscripts: 'PT1800S',
    accessLog: 'PT1800S',
    sessions: 'PT1800S',
    idempotencyKeys: 'PT1800S',
  };

  const ids = { oldConversation: randomUUID(), liveConversation: randomUUID(), caseId: randomUUID(), userId: '', outbox: [] as string[] };
  const marker = `retention-${randomUUID()}`;

  beforeAll(async () => {
    sys = await startTestSystem();
    // Message bodies: one delivered an hour ago, one a minute ago.
    for (const age of ['1 hour', '1 minute']) {
      const [row] = await q<{ id: string }>(
        `INSERT INTO message_outbox (channel, recipient, subject, text, created_at) VALUES ('EMAIL', $1, 'Objet', 'Bonjour', now() - $2::interval) RETURNING id`,
        [`${marker}@example.test`, age],
      );
      ids.outbox.push(row.id);
    }
    // Chat: a conversation idle for an hour, and one still going whose first message is an hour old.
    for (const [conversationId, last] of [
      [ids.oldConversation, '1 hour'],
      [ids.liveConversation, '1 minute'],
    ]) {
      await q(
        `INSERT INTO chat_conversations (id, conversation_id, started_at, last_message_at, step)
         VALUES (gen_random_uuid(), $1, now() - interval '2 hours', now() - $2::interval, 'ASK_NAME')`,
        [conversationId, last],
      );
      await q(
        `INSERT INTO chat_messages (conversation_id, sender, text, at) VALUES ($1, 'youth', 'Je m’appelle Inès', now() - interval '1 hour')`,
        [conversationId],
      );
      await q(`INSERT INTO chat_messages (conversation_id, sender, text, at) VALUES ($1, 'bot', 'Merci', now() - $2::interval)`, [
        conversationId,
        last,
      ]);
    }
    await q(`INSERT INTO chat_drafts (session_id, conversation_id, updated_at) VALUES (gen_random_uuid(), $1, now() - interval '1 hour')`, [
      ids.oldConversation,
    ]);
    // Access log: a read an hour ago, one a minute ago.
    for (const age of ['1 hour', '1 minute']) {
      await q(`INSERT INTO access_log (at, actor, role, case_id, what) VALUES (now() - $1::interval, $2, 'counsellor', $3, 'CASE')`, [
        age,
        marker,
        ids.caseId,
      ]);
    }
    // Sessions and sign-in links: expired an hour ago, ended an hour ago, still valid.
    ids.userId = (
      await q<{ id: string }>(`INSERT INTO users (email, role) VALUES ($1, 'counsellor') RETURNING id`, [`${marker}@example.test`])
    )[0].id;
    const session = (hash: string, expires: string, ended: string | null) =>
      q(
        `INSERT INTO sessions (token_hash, user_id, csrf_token, last_seen_at, expires_at, ended_at)
         VALUES ($1, $2, 'csrf', now() - interval '1 minute', now() + $3::interval, now() - $4::interval)`,
        [`${marker}-${hash}`, ids.userId, expires, ended],
      );
    await session('expired', '-1 hour', null);
    await session('ended', '1 hour', '1 hour');
    await session('valid', '1 hour', null);
    await q(
      `INSERT INTO sign_in_links (token_hash, user_id, expires_at, used_at) VALUES
         ($1, $3, now() - interval '1 hour', NULL), ($2, $3, now() + interval '10 minutes', NULL)`,
      [`${marker}-link-old`, `${marker}-link-new`, ids.userId],
    );
    // Idempotency keys: an answer given an hour ago, one a minute ago.
    for (const age of ['1 hour', '1 minute']) {
      await q(
        `INSERT INTO idempotency_keys (actor, key, fingerprint, status, body, created_at) VALUES ($1, $2, 'f', 200, '{}', now() - $3::interval)`,
        [marker, age, age],
      );
    }
  });
  afterAll(async () => sys?.stop());

  it('purges, in batches, what is past its delay and nothing else; a second run finds nothing left', async () => {
    const result = await purge({ delays, batchSize: 1 });
    if (process.env.SAVE_HISTORIES) await saveHistory(lastWorkflowId, 'retention-purge');

    const outbox = await q<{ text: string | null; subject: string | null; recipient: string | null; purged: boolean }>(
      `SELECT text, subject, recipient, purged_at IS NOT NULL AS purged FROM message_outbox WHERE id = ANY($1) ORDER BY created_at`,
      [ids.outbox],
    );
    expect(outbox).toEqual([
      { text: null, subject: null, recipient: null, purged: true }, // the row stays, its content goes
      { text: 'Bonjour', subject: 'Objet', recipient: `${marker}@example.test`, purged: false },
    ]);

    const chat = await q<{ conversation_id: string; n: number }>(
      `SELECT conversation_id, count(*)::int AS n FROM chat_messages WHERE conversation_id = ANY($1) GROUP BY conversation_id`,
      [[ids.oldConversation, ids.liveConversation]],
    );
    expect(chat).toEqual([{ conversation_id: ids.liveConversation, n: 2 }]); // a live transcript is left whole
    expect(await q(`SELECT 1 FROM chat_drafts WHERE conversation_id = $1`, [ids.oldConversation])).toHaveLength(0);
    expect(await q(`SELECT 1 FROM chat_conversations WHERE conversation_id = $1`, [ids.oldConversation])).toHaveLength(1); // statistics stay

    expect((await q(`SELECT 1 FROM access_log WHERE actor = $1`, [marker])).length).toBe(1);
    const sessions = await q<{ token_hash: string }>(`SELECT token_hash FROM sessions WHERE user_id = $1`, [ids.userId]);
    expect(sessions.map((s) => s.token_hash)).toEqual([`${marker}-valid`]);
    const links = await q<{ token_hash: string }>(`SELECT token_hash FROM sign_in_links WHERE user_id = $1`, [ids.userId]);
    expect(links.map((s) => s.token_hash)).toEqual([`${marker}-link-new`]);
    const keys = await q<{ key: string }>(`SELECT key FROM idempotency_keys WHERE actor = $1`, [marker]);
    expect(keys.map((k) => k.key)).toEqual(['1 minute']);

    expect(result.purged).toMatchObject({
      messageBodies: expect.any(Number),
      chatTranscripts: expect.any(Number),
      accessLog: expect.any(Number),
      sessions: expect.any(Number),
      idempotencyKeys: expect.any(Number),
    });
    expect(result.purged.messageBodies).toBeGreaterThanOrEqual(1);
    expect(result.purged.chatTranscripts).toBeGreaterThanOrEqual(3); // two messages and a draft, one per batch
    expect(result.purged.sessions).toBeGreaterThanOrEqual(3);
    expect(result.purged.idempotencyKeys).toBeGreaterThanOrEqual(1); // other files' keys of earlier runs too

    const again = await purge({ delays, batchSize: 1 });
    expect(Object.values(again.purged).reduce((a, b) => a + b, 0)).toBe(0);
  });

  it('the worker creates its daily Schedule idempotently: twice gives one Schedule each, at night', async () => {
    await ensureDailySchedules(sys.client);
    await ensureDailySchedules(sys.client);
    try {
      for (const { scheduleId, workflowType, hour } of DAILY_SCHEDULES) {
        const described = await sys.client.schedule.getHandle(scheduleId).describe();
        expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType, taskQueue: TASK_QUEUE });
        expect(described.spec.timezone).toBe('Europe/Paris');
        expect(described.spec.calendars).toEqual([expect.objectContaining({ hour: [{ start: hour, end: hour, step: 1 }] })]);
        const [first, second] = described.info.nextActionTimes.map((t) => t.getTime());
        expect(Math.abs(second - first - 24 * 3_600_000)).toBeLessThanOrEqual(3_600_000); // daily (23 or 25 h across a DST change)
      }
      const listed: string[] = [];
      for await (const s of sys.client.schedule.list()) listed.push(s.scheduleId);
      expect(listed.filter((id) => id === DAILY_SCHEDULES[0].scheduleId)).toHaveLength(1);
    } finally {
      for (const { scheduleId } of DAILY_SCHEDULES) await sys.client.schedule.getHandle(scheduleId).delete();
    }
  });
});

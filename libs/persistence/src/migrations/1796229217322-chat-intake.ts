import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The chatbot intake: a row per conversation session (the funnel: codes and times only), the
 * transcript (free text, deleted with the session), and the draft of what was understood
 * (personal data until the case exists). The policy gains `chatIdleExpiry`.
 */
export class ChatIntake1796229217322 implements MigrationInterface {
  name = 'ChatIntake1796229217322';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE chat_conversations (
        id uuid PRIMARY KEY,
        conversation_id uuid NOT NULL,
        campaign text,
        started_at timestamptz NOT NULL,
        last_message_at timestamptz NOT NULL,
        step text NOT NULL,
        reached text[] NOT NULL DEFAULT '{}',
        turns int NOT NULL DEFAULT 0,
        unusable int NOT NULL DEFAULT 0,
        human_requested boolean NOT NULL DEFAULT false,
        departement text,
        recap_at timestamptz,
        completed_at timestamptz,
        case_id uuid REFERENCES cases(id),
        intake_outcome text,
        eligible boolean,
        ended_at timestamptz,
        end_reason text CHECK (end_reason IN ('COMPLETED', 'EXPIRED', 'ERASED', 'REFUSED', 'STOPPED'))
      )`);
    await q.query(`CREATE INDEX chat_conversations_conversation_idx ON chat_conversations (conversation_id, started_at DESC)`);
    await q.query(`CREATE INDEX chat_conversations_started_idx ON chat_conversations (started_at)`);
    await q.query(`
      CREATE TABLE chat_messages (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        conversation_id uuid NOT NULL,
        session_id uuid,
        turn int,
        sender text NOT NULL CHECK (sender IN ('youth', 'bot')),
        text text NOT NULL,
        intent text,
        quick_replies jsonb,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX chat_messages_conversation_idx ON chat_messages (conversation_id, at)`);
    // One reply per turn of a session: a retried reply activity finds the one it wrote.
    await q.query(`CREATE UNIQUE INDEX chat_messages_reply_idx ON chat_messages (session_id, turn) WHERE sender = 'bot'`);
    await q.query(`
      CREATE TABLE chat_drafts (
        session_id uuid PRIMARY KEY,
        conversation_id uuid NOT NULL,
        fields jsonb NOT NULL DEFAULT '{}',
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX chat_drafts_conversation_idx ON chat_drafts (conversation_id)`);
    // Versions written before the field existed get its default (what their journeys never read).
    await q.query(`UPDATE policies SET body = body || '{"chatIdleExpiry": "PT24H"}'::jsonb WHERE NOT body ? 'chatIdleExpiry'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE policies SET body = body - 'chatIdleExpiry'`);
    await q.query(`DROP TABLE chat_drafts`);
    await q.query(`DROP TABLE chat_messages`);
    await q.query(`DROP TABLE chat_conversations`);
  }
}

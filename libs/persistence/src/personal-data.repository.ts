import type { EntityManager } from 'typeorm';
import { CaseEntity } from './entities/case.entity';
import { YouthEntity } from './entities/youth.entity';

/**
 * Every copy of a young person's identity and of the free text written about them, in one place:
 * whatever erases them (a request, anonymisation after inactivity) comes through here, and a new
 * table holding such data has one place to be added. Codes, stages and events stay: the
 * statistics of the journey are not personal data.
 */
export class PersonalDataRepository {
  /** Erases the young person of `youthId` in the caller's transaction; answers their case ids, or null if already erased. */
  async erase(manager: EntityManager, youthId: string, at: Date): Promise<string[] | null> {
    const youth = await manager.findOneByOrFail(YouthEntity, { id: youthId });
    if (youth.erasedAt) return null;
    const caseIds = (await manager.find(CaseEntity, { select: { id: true }, where: { youthId } })).map((c) => c.id);
    await manager.update(
      YouthEntity,
      { id: youthId },
      { firstName: null, lastName: null, birthDate: null, email: null, phone: null, erasedAt: at },
    );
    // Free text that may name them: notes of every kind, partners' comments, check-in notes, rendered messages.
    await manager.query('DELETE FROM case_notes WHERE case_id = ANY($1)', [caseIds]);
    await manager.query('UPDATE referrals SET comment = NULL, note = NULL WHERE case_id = ANY($1)', [caseIds]);
    await manager.query('UPDATE check_ins SET note = NULL WHERE case_id = ANY($1)', [caseIds]);
    await manager.query('DELETE FROM message_outbox WHERE message_id IN (SELECT id FROM outbound_messages WHERE case_id = ANY($1))', [
      caseIds,
    ]);
    // The chatbot conversations that led to these cases: what was typed, and any draft left.
    const conversations = 'SELECT conversation_id FROM chat_conversations WHERE case_id = ANY($1)';
    await manager.query(`DELETE FROM chat_messages WHERE conversation_id IN (${conversations})`, [caseIds]);
    await manager.query(`DELETE FROM chat_drafts WHERE conversation_id IN (${conversations})`, [caseIds]);
    return caseIds;
  }
}

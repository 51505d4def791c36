import { DataSource, EntityManager, In } from 'typeorm';
import { CaseNoteEntity } from './entities/case-note.entity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Free text about a case (counsellor notes, contact notes, pause reasons). It may name people,
 * so it stays in PostgreSQL: workflows and journey events refer to a note by its id only.
 */
export class CaseNotesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * `manager`: to commit the note with what refers to it (a NOTE_ADDED event). `id`: the note's
   * id when the caller derives it (from an Idempotency-Key): a note of that id already there is
   * the same request's, returned as it is rather than written twice.
   */
  async add(
    caseId: string,
    author: string,
    text: string,
    manager: EntityManager = this.dataSource.manager,
    id?: string,
  ): Promise<CaseNoteEntity> {
    if (!id) return manager.save(manager.create(CaseNoteEntity, { caseId, author, text }));
    await manager.createQueryBuilder().insert().into(CaseNoteEntity).values({ id, caseId, author, text }).orIgnore().execute();
    return manager.findOneByOrFail(CaseNoteEntity, { id, caseId });
  }

  /** Texts by note id, for the notes of this case among `noteIds`. */
  async textsOf(caseId: string, noteIds: string[]): Promise<Map<string, string>> {
    // Ids come from journey events; anything that is not a UUID cannot be a note (and would upset the uuid column).
    const ids = [...new Set(noteIds)].filter((id) => UUID.test(id));
    if (ids.length === 0) return new Map();
    const notes = await this.dataSource.getRepository(CaseNoteEntity).findBy({ caseId, id: In(ids) });
    return new Map(notes.map((n) => [n.id, n.text]));
  }

  /**
   * For a note whose action was refused; kept if an event refers to it after all (a retry refused
   * because its first attempt, whose answer was lost, already acted with this note).
   */
  async removeUnreferenced(noteId: string): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM case_notes n WHERE n.id = $1
          AND NOT EXISTS (SELECT 1 FROM journey_events e WHERE e.case_id = n.case_id AND e.data->>'noteId' = $1::text)`,
      [noteId],
    );
  }
}

import { DataSource, EntityManager, In } from 'typeorm';
import { CaseNoteEntity } from './entities/case-note.entity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Free text about a case (counsellor notes, contact notes, pause reasons). It may name people,
 * so it stays in PostgreSQL: workflows and journey events refer to a note by its id only.
 */
export class CaseNotesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** `manager`: to commit the note with what refers to it (a NOTE_ADDED event). */
  add(caseId: string, author: string, text: string, manager: EntityManager = this.dataSource.manager): Promise<CaseNoteEntity> {
    return manager.save(manager.create(CaseNoteEntity, { caseId, author, text }));
  }

  /** Texts by note id, for the notes of this case among `noteIds`. */
  async textsOf(caseId: string, noteIds: string[]): Promise<Map<string, string>> {
    // Ids come from journey events; anything that is not a UUID cannot be a note (and would upset the uuid column).
    const ids = [...new Set(noteIds)].filter((id) => UUID.test(id));
    if (ids.length === 0) return new Map();
    const notes = await this.dataSource.getRepository(CaseNoteEntity).findBy({ caseId, id: In(ids) });
    return new Map(notes.map((n) => [n.id, n.text]));
  }

  /** Only for a note no event refers to (the action it was written for was refused). */
  async remove(noteId: string): Promise<void> {
    await this.dataSource.getRepository(CaseNoteEntity).delete({ id: noteId });
  }
}

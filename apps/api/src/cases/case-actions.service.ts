import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { CaseMatcher, UnknownPartnerError } from '@walt/directory';
import type { Exclusion } from '@walt/matching';
import { CaseEntity, CaseNotesRepository, JourneyEventsRepository } from '@walt/persistence';
import {
  closeUpdate,
  logContactUpdate,
  pauseUpdate,
  recordCheckInUpdate,
  referToPartnerUpdate,
  rematchUpdate,
  resumeUpdate,
} from '../../../../workflows/messages';
import { actorOf, Principal } from '@walt/auth';
import { notFound, validationError } from '../common/api-error';
import { Clock } from '../common/clock';
import { idempotentNoteId } from '../idempotency/idempotency-context';
import { JourneyCommands } from '../infrastructure/journey-commands';
import { CaseView } from './case-view';
import { CasesService } from './cases.service';
import { CheckInDto, CloseDto, ContactDto, NoteDto, PauseDto, ReferralOverrideDto } from './dto/case-actions.dto';

/** What an action asks of the journey, once its note (if any) is stored. */
type JourneyUpdate = (actor: string, noteId: string | undefined) => Promise<void>;

/**
 * The counsellor's actions on a case. Each is a Temporal update on the journey (through
 * JourneyCommands: a refusal is 409 naming the stage), whose free text is stored first in
 * case_notes and travels as a note id; the answer is the case read back from PostgreSQL, which
 * the workflow has updated before the update returned.
 */
@Injectable()
export class CaseActionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cases: CasesService,
    private readonly commands: JourneyCommands,
    private readonly notes: CaseNotesRepository,
    private readonly events: JourneyEventsRepository,
    private readonly modules: ModuleRef,
    private readonly clock: Clock,
  ) {}

  async logContact(caseId: string, dto: ContactDto, principal: Principal): Promise<CaseView> {
    const kase = await this.cases.findVisible(caseId, principal);
    return this.act(kase, principal, dto.note, (actor, noteId) =>
      this.commands.updateJourney(caseId, logContactUpdate, { channel: dto.channel, reached: dto.reached, noteId, actor }),
    );
  }

  /** Counsellor override: this partner now; its criteria must admit the case unless forced. */
  async referToPartner(caseId: string, dto: ReferralOverrideDto, principal: Principal): Promise<CaseView> {
    const kase = await this.cases.findVisible(caseId, principal);
    const exclusion = await this.exclusionFor(caseId, dto.partnerId);
    if (exclusion && !dto.force) {
      throw validationError([
        {
          field: 'partnerId',
          message: `is excluded by the partner's criteria (${exclusion.criterion}: ${exclusion.detail}); send force: true to refer anyway`,
        },
      ]);
    }
    // `forced` records that the criteria were overridden, not merely that the flag was sent.
    return this.act(kase, principal, dto.note, (actor, noteId) =>
      this.commands.updateJourney(caseId, referToPartnerUpdate, { partnerId: dto.partnerId, noteId, forced: exclusion !== null, actor }),
    );
  }

  async rematch(caseId: string, principal: Principal): Promise<CaseView> {
    const kase = await this.cases.findVisible(caseId, principal);
    return this.act(kase, principal, undefined, (actor) => this.commands.updateJourney(caseId, rematchUpdate, { actor }));
  }

  async recordCheckIn(caseId: string, dto: CheckInDto, principal: Principal): Promise<CaseView> {
    const kase = await this.cases.findVisible(caseId, principal);
    return this.act(kase, principal, dto.note, (actor, noteId) =>
      this.commands.updateJourney(caseId, recordCheckInUpdate, { status: dto.status, outcome: dto.outcome, noteId, actor }),
    );
  }

  async pause(caseId: string, dto: PauseDto, principal: Principal): Promise<CaseView> {
    const kase = await this.cases.findVisible(caseId, principal);
    const until = dto.until === undefined ? undefined : new Date(dto.until);
    if (until && until.getTime() <= this.clock.now().getTime())
      throw validationError([{ field: 'until', message: 'must be in the future' }]);
    return this.act(kase, principal, dto.reason, (actor, noteId) =>
      this.commands.updateJourney(caseId, pauseUpdate, { noteId, until: until?.toISOString(), actor }),
    );
  }

  async resume(caseId: string, principal: Principal): Promise<CaseView> {
    const kase = await this.cases.findVisible(caseId, principal);
    return this.act(kase, principal, undefined, (actor) => this.commands.updateJourney(caseId, resumeUpdate, { actor }));
  }

  async close(caseId: string, dto: CloseDto, principal: Principal): Promise<CaseView> {
    const kase = await this.cases.findVisible(caseId, principal);
    return this.act(kase, principal, dto.note, (actor, noteId) =>
      this.commands.updateJourney(caseId, closeUpdate, { reason: dto.reason, outcome: dto.outcome, noteId, actor }),
    );
  }

  /**
   * A note does not change the journey, so no workflow update: the note and its NOTE_ADDED event
   * commit together (the event keeps the audit trail complete; the text stays in case_notes).
   * Allowed on a closed case too: what is learnt after closure still belongs to the file. Under
   * an Idempotency-Key the note's id comes from the key: a retry after a lost answer writes nothing new.
   */
  async addNote(caseId: string, dto: NoteDto, principal: Principal): Promise<CaseView> {
    const kase = await this.cases.findVisible(caseId, principal);
    const actor = actorOf(principal);
    await this.dataSource.transaction(async (manager) => {
      const note = await this.notes.add(caseId, actor, dto.text, manager, idempotentNoteId(caseId));
      await this.events.recordIn(manager, {
        caseId,
        idempotencyKey: `note:${note.id}`,
        type: 'NOTE_ADDED',
        actor,
        at: note.createdAt,
        data: { noteId: note.id },
      });
    });
    return this.cases.view(kase);
  }

  /**
   * Stores the note, runs the update, answers with the case read afterwards. A refused update
   * (409) leaves nothing behind: its note, which no event refers to, is removed.
   */
  private async act(kase: CaseEntity, principal: Principal, noteText: string | undefined, update: JourneyUpdate): Promise<CaseView> {
    const actor = actorOf(principal);
    await this.commands.withNote(kase.id, actor, noteText, (noteId) => update(actor, noteId));
    return this.cases.view(await this.dataSource.getRepository(CaseEntity).findOneByOrFail({ id: kase.id }));
  }

  private async exclusionFor(caseId: string, partnerId: string): Promise<Exclusion | null> {
    try {
      return await this.matcher().exclusionFor(caseId, partnerId);
    } catch (err) {
      if (err instanceof UnknownPartnerError) throw notFound(`Partner ${partnerId}`);
      throw err;
    }
  }

  /**
   * The MatchingModule's CaseMatcher (one instance: it caches the directory index). Looked up
   * rather than injected because MatchingModule imports CasesModule: importing it back here
   * would be a circular module import.
   */
  private matcher(): CaseMatcher {
    return this.modules.get(CaseMatcher, { strict: false });
  }
}

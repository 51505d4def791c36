import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { normalizeEmail, normalizePhone, segmentOf, Segment } from '@walt/domain';
import { CaseEntity, YouthEntity } from '@walt/persistence';
import { journeyWorkflowId } from '@walt/temporal';
import { localAge, type Place } from '@walt/territory';
import { changeProfileUpdate, stateQuery } from '../../../../workflows/messages';
import { actorOf, Principal } from '@walt/auth';
import { ApiError, conflict, ErrorBody, validationError } from '../common/api-error';
import { Clock } from '../common/clock';
import { JourneyCommands } from '../infrastructure/journey-commands';
import { TEMPORAL_CLIENT } from '../infrastructure/tokens';
import { birthDateProblem, NOT_A_PHONE, resolvePlace } from '@walt/intake';
import { CaseView } from './case-view';
import { CasesService } from './cases.service';
import { PROFILE_FIELDS, ProfileChangeDto, ProfileField } from './dto/profile-change.dto';

/** The youths columns a change writes (keys are profile field names). */
type YouthChanges = Partial<Pick<YouthEntity, ProfileField>>;

interface Change {
  youth: YouthChanges;
  /** Set when the postal code or commune was given: the place it resolves to. */
  place?: Place;
  segment: Segment;
}

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const sortedSet = <T extends string>(values: T[]) => [...new Set(values)].sort();

/**
 * `PATCH /v1/cases/{caseId}/profile`: a counsellor corrects the young person's profile. The
 * profile is personal data, so PostgreSQL is written first and the journey only hears the new
 * segment, département and the NAMES of the changed fields (changeProfileUpdate).
 */
@Injectable()
export class ProfileService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cases: CasesService,
    private readonly commands: JourneyCommands,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    private readonly clock: Clock,
  ) {}

  async change(caseId: string, dto: ProfileChangeDto, principal: Principal): Promise<CaseView> {
    const kase = await this.cases.findVisible(caseId, principal);
    if (!PROFILE_FIELDS.some((field) => dto[field] !== undefined)) {
      throw validationError([{ field: 'body', message: `must change at least one of ${PROFILE_FIELDS.join(', ')}` }]);
    }
    const youth = await this.dataSource.getRepository(YouthEntity).findOneByOrFail({ id: kase.youthId });
    if (youth.erasedAt) throw conflict('The personal data of this case has been erased: there is no profile to change.');
    const change = this.check(dto, youth, kase, this.clock.now());

    // The write is split: PostgreSQL (personal data) first, then the journey. Temporal cannot
    // validate an update without running it, so the journey's state is asked first (the `state`
    // query): a CLOSED journey is refused before anything is written. Should the journey close
    // between the query and the update, the refused update puts the previous values back.
    await this.requireOpenJourney(kase);
    const fields = PROFILE_FIELDS.filter((field) => field in change.youth);
    if (fields.length === 0) return this.cases.view(kase); // Same values as stored: nothing happened.

    const departement = change.place?.departement ?? kase.departement;
    const region = change.place?.region ?? kase.region;
    const moved = departement !== kase.departement || region !== kase.region;
    const previous = Object.fromEntries(fields.map((field) => [field, youth[field]])) as YouthChanges;
    await this.save(kase, change.youth, moved ? { departement, region } : null);
    try {
      await this.commands.updateJourney(caseId, changeProfileUpdate, {
        segment: change.segment,
        departement,
        fields,
        actor: actorOf(principal),
      });
    } catch (err) {
      const refused = err instanceof ApiError && err.getStatus() === HttpStatus.CONFLICT;
      if (refused) await this.save(kase, previous, moved ? { departement: kase.departement, region: kase.region } : null);
      throw err;
    }
    // Read by id: a new département may take the case out of this counsellor's territories,
    // yet the answer to their own change is still the case.
    return this.cases.view(await this.dataSource.getRepository(CaseEntity).findOneByOrFail({ id: caseId }));
  }

  /** The youths row and, when the place moved, the département and région of the case: together. */
  private save(kase: CaseEntity, youth: YouthChanges, place: { departement: string; region: string } | null) {
    return this.dataSource.transaction(async (manager) => {
      await manager.update(YouthEntity, { id: kase.youthId }, youth);
      if (place) await manager.update(CaseEntity, { id: kase.id }, place);
    });
  }

  private async requireOpenJourney(kase: CaseEntity): Promise<void> {
    const closed = conflict('Cannot change the profile: the case is CLOSED.');
    if (kase.stage === 'CLOSED') throw closed;
    try {
      const state = await this.temporal.workflow.getHandle(journeyWorkflowId(kase.id)).query(stateQuery);
      if (state.stage === 'CLOSED') throw closed;
    } catch (err) {
      // No workflow: either it has not started yet (the update starts it), or it ended long ago.
      if (err instanceof WorkflowNotFoundError) {
        if (kase.journeyStartedAt) throw closed;
        return;
      }
      throw err;
    }
  }

  /**
   * The form's semantic rules (intake), applied to the profile as it would be after the change;
   * every problem is reported at once. Returns only the values that differ from what is stored.
   */
  private check(dto: ProfileChangeDto, youth: YouthEntity, kase: CaseEntity, now: Date): Change {
    const details: ErrorBody['details'] = [];
    const next: YouthChanges = {};
    const set = <F extends ProfileField>(field: F, value: YouthEntity[F]) => {
      if (!sameValue(youth[field], value)) next[field] = value;
    };

    if (dto.firstName !== undefined) set('firstName', dto.firstName.trim());
    if (dto.lastName !== undefined) set('lastName', dto.lastName.trim());
    if (dto.birthDate !== undefined) {
      const problem = birthDateProblem(dto.birthDate, now);
      if (problem) details.push({ field: 'birthDate', message: problem });
      else set('birthDate', dto.birthDate);
    }
    if (dto.email !== undefined) set('email', dto.email === null ? null : normalizeEmail(dto.email));
    if (dto.phone !== undefined) {
      const phone = dto.phone === null ? null : normalizePhone(dto.phone);
      if (dto.phone !== null && !phone) details.push({ field: 'phone', message: NOT_A_PHONE });
      else set('phone', phone);
    }
    if (dto.diplomaLevel !== undefined) set('diplomaLevel', dto.diplomaLevel);
    if (dto.situation !== undefined) set('situation', dto.situation);
    if (dto.barriers !== undefined && !sameValue(sortedSet(dto.barriers), sortedSet(youth.barriers)))
      next.barriers = [...new Set(dto.barriers)];
    if (dto.wishes !== undefined && !sameValue(sortedSet(dto.wishes), sortedSet(youth.wishes))) next.wishes = [...new Set(dto.wishes)];
    if (dto.consent !== undefined) {
      set('consent', { dataProcessing: true, shareWithPartners: dto.consent.shareWithPartners, channels: [...dto.consent.channels] });
    }

    const place = this.place(dto, youth, details);
    if (place) {
      set('postalCode', place.postalCode);
      set('communeCode', place.communeCode);
    }

    // Rules on the whole profile: a way to reach the young person, and channels they can be reached on.
    const after = { ...youth, ...next };
    if (!after.email && !after.phone) {
      details.push({
        field: dto.phone === null ? 'phone' : 'email',
        message: 'email or phone is required, so the young person can be reached',
      });
    }
    for (const [channel, contact, field] of [
      ['SMS', after.phone, 'phone'],
      ['EMAIL', after.email, 'email'],
    ] as const) {
      if (after.consent.channels.includes(channel) && !contact) {
        details.push(
          dto.consent
            ? { field: 'consent.channels', message: `${channel} needs ${field === 'phone' ? 'a phone number' : 'an email address'}` }
            : { field, message: `cannot be cleared while consent.channels includes ${channel}` },
        );
      }
    }
    if (details.length) throw validationError(details);

    // After erasure there is no birth date (refused above); otherwise the age is today's.
    const age = after.birthDate ? localAge(after.birthDate, now, place?.departement ?? kase.departement) : kase.ageAtCapture;
    return { youth: next, place: place ?? undefined, segment: segmentOf({ ...after, age }) };
  }

  /** Resolves the place when the postal code or the commune is given (null commune: the postal code decides). */
  private place(dto: ProfileChangeDto, youth: YouthEntity, details: ErrorBody['details']): Place | null {
    if (dto.postalCode === undefined && dto.communeCode === undefined) return null;
    const postalCode = dto.postalCode ?? youth.postalCode;
    const movedPostalCode = postalCode !== youth.postalCode;
    // A new postal code chooses its commune unless one is given; the same one keeps the stored commune.
    const communeCode = dto.communeCode !== undefined ? (dto.communeCode ?? undefined) : movedPostalCode ? undefined : youth.communeCode;
    return resolvePlace(postalCode, communeCode, details);
  }
}

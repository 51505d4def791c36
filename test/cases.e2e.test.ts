import type { Policy } from '@walt/domain';
import { recordAttendanceUpdate } from '../workflows/messages';
import { caseRow, createCase, decide, journeyOf, pendingReferral, timelineOf, waitForStage } from './support/journeys';
import { eventually, startTestSystem, TestSystem } from './support/test-system';

/**
 * A policy in hours: nothing moves by itself while a test acts on a case (the welcome goes out
 * at once, everything else is far away), so every stage seen is the counsellor's doing.
 */
const STEADY_POLICY: Partial<Policy> = {
  nudgeOffsets: ['PT0S', 'PT1H'],
  escalateUnresponsiveAfter: 'PT2H',
  closeUnreachableAfter: 'PT3H',
  partnerReminderAfter: 'PT1H',
  referralExpiresAfter: 'PT2H',
  appointmentReminderBefore: 'PT1H',
  checkInOffsets: ['PT1H', 'PT2H', 'PT3H'],
};

/** A last name no other run shares, so list assertions can isolate this run's cases with `q`. */
const marker = (prefix: string) => `${prefix}${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
const fieldsOf = (body: { details: { field: string }[] }) => body.details.map((d) => d.field);
const COUNSELLOR = 'counsellor:test-counsellor';

describe('counsellor endpoints (/v1/cases) on the real API, worker, Temporal and PostgreSQL', () => {
  let sys: TestSystem;
  beforeAll(async () => {
    sys = await startTestSystem();
  });
  afterAll(async () => sys?.stop());

  /** Counsellor-side calls with a given token (default: a counsellor without territories). */
  const api = (token = sys.token('counsellor')) => {
    const auth = `Bearer ${token}`;
    return {
      get: (caseId: string) => sys.http().get(`/v1/cases/${caseId}`).set('Authorization', auth),
      list: (query: Record<string, string | number | boolean>) => sys.http().get('/v1/cases').query(query).set('Authorization', auth),
      timeline: (caseId: string) => sys.http().get(`/v1/cases/${caseId}/timeline`).set('Authorization', auth),
      post: (caseId: string, action: string, body: object = {}) =>
        sys.http().post(`/v1/cases/${caseId}/${action}`).set('Authorization', auth).send(body),
      patchProfile: (caseId: string, body: object) => sys.http().patch(`/v1/cases/${caseId}/profile`).set('Authorization', auth).send(body),
    };
  };
  const counsellor = () => api();

  /** A fresh case in ENGAGING with its welcome queued (the journey then waits an hour), created through the real intake. */
  async function engagingCase(form: Record<string, unknown> = {}, policy: Partial<Policy> = {}): Promise<string> {
    const caseId = await createCase(sys, { ...STEADY_POLICY, ...policy }, form);
    await waitForStage(sys, caseId, 'ENGAGING');
    await eventually(async () => (await timelineOf(sys, caseId)).some((e) => e.type === 'MESSAGE_QUEUED') || undefined, 'the welcome');
    return caseId;
  }

  const lastOf = async (caseId: string, type: string) => {
    const timeline = (await counsellor().timeline(caseId).expect(200)).body as { type: string }[];
    return [...timeline].reverse().find((e) => e.type === type) as Record<string, any> | undefined;
  };

  describe('GET /v1/cases', () => {
    const name = marker('Liste');
    const ids: Record<'paris' | 'guyane' | 'marseille' | 'parisTraining', string> = {} as never;
    const forms: Record<string, Record<string, unknown>> = {};

    beforeAll(async () => {
      forms.paris = { lastName: name };
      forms.guyane = { lastName: name, postalCode: '97300', barriers: ['HEALTH', 'HOUSING'] };
      forms.marseille = { lastName: name, postalCode: '13001', situation: 'INACTIVE' };
      forms.parisTraining = { lastName: name, wishes: ['TRAINING'] };
      for (const key of Object.keys(forms) as (keyof typeof ids)[]) ids[key] = await engagingCase(forms[key]);
      const [paris] = await sys.dataSource.query(
        'SELECT y.email, y.phone FROM youths y JOIN cases c ON c.youth_id = y.id WHERE c.id = $1',
        [ids.paris],
      );
      forms.paris = { ...forms.paris, ...paris };
    });

    it('lists the cases with the fields of API.md, filtered by stage, segment and département', async () => {
      const all = (await counsellor().list({ q: name }).expect(200)).body;
      expect(all).toMatchObject({ total: 4, page: 1, pageSize: 50 });
      expect(all.items.map((i: { caseId: string }) => i.caseId).sort()).toEqual(Object.values(ids).sort());
      const guyane = all.items.find((i: { caseId: string }) => i.caseId === ids.guyane);
      expect(guyane).toEqual({
        caseId: ids.guyane,
        stage: 'ENGAGING',
        stageEnteredAt: expect.any(String),
        segment: 'EMPECHE',
        departement: '973',
        age: 20,
        firstName: 'Léa',
        lastName: name,
        counsellorId: null,
        partnerId: null,
        nextActionAt: null,
        overdue: false,
      });

      const idsWhere = async (query: Record<string, string>) =>
        (
          await counsellor()
            .list({ q: name, ...query })
            .expect(200)
        ).body.items
          .map((i: { caseId: string }) => i.caseId)
          .sort();
      expect(await idsWhere({ departement: '75' })).toEqual([ids.paris, ids.parisTraining].sort());
      expect(await idsWhere({ segment: 'EMPECHE' })).toEqual([ids.guyane]);
      expect(await idsWhere({ segment: 'INVISIBLE', departement: '13' })).toEqual([ids.marseille]);
      expect(await idsWhere({ segment: 'CHERCHEUR_OPPORTUNITES' })).toEqual([ids.parisTraining]);
      expect(await idsWhere({ stage: 'ENGAGING' })).toHaveLength(4);
      expect(await idsWhere({ stage: 'CLOSED' })).toEqual([]);
      expect(await idsWhere({ counsellorId: 'nobody-has-this-id' })).toEqual([]);
    });

    it('searches names, email and phone case-insensitively, normalised as at intake', async () => {
      const found = async (q: string) => (await counsellor().list({ q }).expect(200)).body.items.map((i: { caseId: string }) => i.caseId);
      const email = forms.paris.email as string;
      const phone = forms.paris.phone as string; // stored E.164: +33 6 ...
      const national = `0${phone.slice(3)}`;
      expect(await found(name.toUpperCase())).toHaveLength(4);
      expect(await found(`léa ${name.toLowerCase()}`)).toHaveLength(4);
      expect(await found(email.toUpperCase())).toEqual([ids.paris]);
      expect(await found(national.replace(/(\d{2})(?=\d)/g, '$1 '))).toEqual([ids.paris]);
      expect(await found(phone)).toEqual([ids.paris]);
      expect(await found(national.slice(0, 8).replace(/(\d{2})(?=\d)/g, '$1.'))).toContain(ids.paris);
      expect(await found(`${name}%`)).toEqual([]); // % is a character, not a wildcard
    });

    it('pages: pageSize and page slice a stable order, total counts them all', async () => {
      const first = (await counsellor().list({ q: name, pageSize: 3 }).expect(200)).body;
      const second = (await counsellor().list({ q: name, pageSize: 3, page: 2 }).expect(200)).body;
      expect(first).toMatchObject({ total: 4, page: 1, pageSize: 3 });
      expect(second).toMatchObject({ total: 4, page: 2, pageSize: 3 });
      expect(first.items).toHaveLength(3);
      expect(second.items).toHaveLength(1);
      const seen = [...first.items, ...second.items].map((i: { caseId: string }) => i.caseId).sort();
      expect(seen).toEqual(Object.values(ids).sort());
      expect((await counsellor().list({ q: name, pageSize: 200 }).expect(200)).body.items).toHaveLength(4);
    });

    it('restricts a counsellor with territories to those départements, everywhere (others → 404)', async () => {
      const guyaneOnly = api(sys.token('counsellor', { territories: ['973'] }));
      const list = (await guyaneOnly.list({ q: name }).expect(200)).body;
      expect(list.total).toBe(1);
      expect(list.items[0].caseId).toBe(ids.guyane);
      expect((await guyaneOnly.list({ q: name, departement: '75' }).expect(200)).body.total).toBe(0);
      await guyaneOnly.get(ids.guyane).expect(200);
      for (const res of [
        await guyaneOnly.get(ids.paris),
        await guyaneOnly.timeline(ids.paris),
        await guyaneOnly.post(ids.paris, 'notes', { text: 'hors territoire' }),
        await guyaneOnly.post(ids.paris, 'pause', { reason: 'hors territoire' }),
        await guyaneOnly.patchProfile(ids.paris, { situation: 'OTHER' }),
      ]) {
        expect(res.status).toBe(404);
        expect(res.body.error).toBe('NotFound');
      }
      // Managers and admins see every territory.
      expect((await api(sys.token('manager')).list({ q: name }).expect(200)).body.total).toBe(4);
      expect((await api(sys.token('admin')).list({ q: name }).expect(200)).body.total).toBe(4);
    });

    it('overdue: a case whose stage has outlived its policy duration, as the managers’ report says', async () => {
      expect((await counsellor().list({ q: name, overdue: true }).expect(200)).body.total).toBe(0);
      // As if the Marseille case had been ENGAGING for a month (its policy escalates within hours).
      await sys.dataSource.query(`UPDATE cases SET stage_entered_at = now() - interval '30 days' WHERE id = $1`, [ids.marseille]);
      const overdue = (await counsellor().list({ q: name, overdue: true }).expect(200)).body;
      expect(overdue.items.map((i: { caseId: string; overdue: boolean }) => [i.caseId, i.overdue])).toEqual([[ids.marseille, true]]);
      const others = (await counsellor().list({ q: name, overdue: false }).expect(200)).body;
      expect(others.total).toBe(3);
      const report = (
        await sys
          .http()
          .get('/v1/reports/overdue?departement=13&pageSize=200')
          .set('Authorization', `Bearer ${sys.token('manager')}`)
          .expect(200)
      ).body;
      expect(report.items.map((i: { caseId: string }) => i.caseId)).toContain(ids.marseille);
    });

    it.each([
      [{ stage: 'SLEEPING' }, 'stage'],
      [{ segment: 'NEET' }, 'segment'],
      [{ departement: 'Paris' }, 'departement'],
      [{ pageSize: 201 }, 'pageSize'],
      [{ pageSize: 0 }, 'pageSize'],
      [{ page: 0 }, 'page'],
      [{ page: 'two' }, 'page'],
      [{ overdue: 'maybe' }, 'overdue'],
      [{ q: 'x' }, 'q'],
    ])('refuses %j with 400 naming %s', async (query, field) => {
      const res = await counsellor()
        .list(query as Record<string, string>)
        .expect(400);
      expect(res.body.error).toBe('ValidationError');
      expect(fieldsOf(res.body)).toContain(field);
    });
  });

  describe('access', () => {
    let caseId: string;
    beforeAll(async () => (caseId = await engagingCase()));

    it('a partner token gets 403 on every counsellor route; no token gets 401', async () => {
      const partner = api(sys.token('partner', { partnerId: 'ml-75' }));
      for (const res of [
        await partner.list({}),
        await partner.get(caseId),
        await partner.timeline(caseId),
        await partner.post(caseId, 'contacts', { channel: 'PHONE', reached: true }),
        await partner.post(caseId, 'notes', { text: 'x' }),
        await partner.post(caseId, 'close', { reason: 'WITHDRAWN' }),
        await partner.patchProfile(caseId, { situation: 'OTHER' }),
      ]) {
        expect(res.status).toBe(403);
        expect(res.body.error).toBe('Forbidden');
      }
      expect((await sys.http().get('/v1/cases').expect(401)).body.error).toBe('Unauthorized');
      expect((await caseRow(sys, caseId)).stage).toBe('ENGAGING');
    });

    it('the OpenAPI document has every counsellor route, answering the case', async () => {
      const doc = (await sys.http().get('/docs-json').expect(200)).body;
      expect(Object.keys(doc.paths['/v1/cases'])).toEqual(['get']);
      expect(doc.paths['/v1/cases/{caseId}/profile'].patch.responses['200']).toBeDefined();
      for (const action of ['contacts', 'referrals', 'rematch', 'check-ins', 'pause', 'resume', 'close', 'notes']) {
        const post = doc.paths[`/v1/cases/{caseId}/${action}`].post;
        expect(post.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/CaseViewDto' });
        expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['200', '400', '403', '404', '409']));
      }
    });

    it('an unknown case is 404 and a malformed id 400, for reads and actions', async () => {
      const unknown = '00000000-0000-4000-8000-000000000000';
      expect((await counsellor().get(unknown).expect(404)).body.error).toBe('NotFound');
      expect((await counsellor().post(unknown, 'rematch').expect(404)).body.error).toBe('NotFound');
      expect(fieldsOf((await counsellor().post('not-a-uuid', 'resume').expect(400)).body)).toEqual(['caseId']);
    });
  });

  describe('validation of each action (400 naming the field, before anything is written)', () => {
    let caseId: string;
    beforeAll(async () => (caseId = await engagingCase()));

    it.each([
      ['contacts', {}, ['channel', 'reached']],
      ['contacts', { channel: 'FAX', reached: true }, ['channel']],
      ['contacts', { channel: 'PHONE', reached: 'yes' }, ['reached']],
      ['contacts', { channel: 'PHONE', reached: true, note: '   ' }, ['note']],
      ['referrals', {}, ['partnerId']],
      ['referrals', { partnerId: 'ml-75', force: 'please' }, ['force']],
      ['check-ins', { status: 'FINE' }, ['status']],
      ['check-ins', { status: 'OUTCOME' }, ['outcome']],
      ['check-ins', { status: 'OUTCOME', outcome: 'LOTTERY' }, ['outcome']],
      ['check-ins', { status: 'ON_TRACK', outcome: 'EMPLOYMENT' }, ['outcome']],
      ['pause', {}, ['reason']],
      ['pause', { reason: 'vacances', until: 'next week' }, ['until']],
      ['pause', { reason: 'vacances', until: '2001-01-01T00:00:00Z' }, ['until']],
      ['close', {}, ['reason']],
      ['close', { reason: 'BORED' }, ['reason']],
      ['close', { reason: 'OUTCOME_REACHED' }, ['outcome']],
      ['close', { reason: 'WITHDRAWN', outcome: 'EMPLOYMENT' }, ['outcome']],
      ['close', { reason: 'OTHER' }, ['note']],
      ['notes', {}, ['text']],
      ['notes', { text: '' }, ['text']],
      ['notes', { text: 'x'.repeat(5001) }, ['text']],
    ])('POST %s %j → 400 on %j', async (action, body, fields) => {
      const res = await counsellor().post(caseId, action, body).expect(400);
      expect(res.body.error).toBe('ValidationError');
      expect([...new Set(fieldsOf(res.body))].sort()).toEqual([...fields].sort());
    });

    it('a required-when field says when it is required', async () => {
      const res = await counsellor().post(caseId, 'close', { reason: 'OUTCOME_REACHED' }).expect(400);
      expect(res.body.details).toEqual([{ field: 'outcome', message: 'is required when reason is OUTCOME_REACHED' }]);
    });

    it.each([
      [{}, ['body']],
      [{ submissionId: 'c0ffee00-0000-4000-8000-000000000000' }, ['body']],
      [{ postalCode: '99999' }, ['postalCode']],
      [{ postalCode: '7501' }, ['postalCode']],
      [{ postalCode: '97300', communeCode: '75056' }, ['communeCode']],
      [{ phone: 'call me' }, ['phone']],
      [{ email: 'not-an-email' }, ['email']],
      [{ email: null, phone: null }, ['email', 'phone']],
      [{ birthDate: '2005-02-30' }, ['birthDate']],
      [{ birthDate: '2999-01-01' }, ['birthDate']],
      [{ diplomaLevel: 'PHD' }, ['diplomaLevel']],
      [{ barriers: ['BOREDOM'] }, ['barriers']],
      [{ firstName: null }, ['firstName']],
      [{ firstName: '' }, ['firstName']],
      [{ consent: { dataProcessing: false, shareWithPartners: true, channels: [] } }, ['consent.dataProcessing']],
      [{ phone: null }, ['phone']], // consent.channels still has SMS
    ])('PATCH profile %j → 400 on %j', async (body, fields) => {
      const res = await counsellor().patchProfile(caseId, body).expect(400);
      expect([...new Set(fieldsOf(res.body))].sort()).toEqual([...fields].sort());
    });

    it('none of the refused requests changed the case or its timeline', async () => {
      const timeline = (await counsellor().timeline(caseId).expect(200)).body.map((e: { type: string }) => e.type);
      expect(timeline).toEqual(['CAPTURED', 'STAGE_CHANGED', 'MESSAGE_QUEUED']);
      const [notes] = await sys.dataSource.query('SELECT count(*)::int AS n FROM case_notes WHERE case_id = $1', [caseId]);
      expect(notes.n).toBe(0);
      expect((await counsellor().get(caseId).expect(200)).body).toMatchObject({ stage: 'ENGAGING', profile: { postalCode: '75011' } });
    });
  });

  describe('engagement, pause and closure', () => {
    it('a contact without reaching the young person keeps ENGAGING; reaching them moves the journey on', async () => {
      const caseId = await engagingCase();
      const missed = (
        await counsellor().post(caseId, 'contacts', { channel: 'PHONE', reached: false, note: 'Messagerie, rappeler demain' }).expect(200)
      ).body;
      expect(missed).toMatchObject({ caseId, stage: 'ENGAGING' });
      expect(await lastOf(caseId, 'CONTACT_LOGGED')).toMatchObject({
        actor: COUNSELLOR,
        data: { channel: 'PHONE', reached: false, noteId: expect.any(String) },
        note: 'Messagerie, rappeler demain',
      });

      const reached = (await counsellor().post(caseId, 'contacts', { channel: 'IN_PERSON', reached: true }).expect(200)).body;
      expect(reached.stage).not.toBe('ENGAGING');
      expect(['MATCHING', 'REFERRED', 'NEEDS_COUNSELLOR']).toContain(reached.stage);
      const timeline = (await counsellor().timeline(caseId).expect(200)).body;
      expect(timeline.find((e: any) => e.type === 'STAGE_CHANGED' && e.data.to === 'MATCHING')).toMatchObject({
        actor: COUNSELLOR,
        data: { from: 'ENGAGING' },
      });
    });

    it('pause → PAUSED (reason kept as a note); pause again → 409 naming PAUSED; resume → back to the stage it left', async () => {
      const caseId = await engagingCase();
      const until = new Date(Date.now() + 86_400_000).toISOString();
      const paused = (await counsellor().post(caseId, 'pause', { reason: 'Hospitalisé deux semaines', until }).expect(200)).body;
      expect(paused).toMatchObject({ caseId, stage: 'PAUSED' });
      expect(await lastOf(caseId, 'PAUSED')).toMatchObject({
        actor: COUNSELLOR,
        data: { from: 'ENGAGING', until },
        note: 'Hospitalisé deux semaines',
      });

      const again = await counsellor().post(caseId, 'pause', { reason: 'encore' }).expect(409);
      expect(again.body.error).toBe('Conflict');
      expect(again.body.message).toContain('PAUSED');
      const [{ n }] = await sys.dataSource.query(`SELECT count(*)::int AS n FROM case_notes WHERE case_id = $1 AND text = 'encore'`, [
        caseId,
      ]);
      expect(n).toBe(0); // the refused action's note is not kept

      const resumed = (await counsellor().post(caseId, 'resume').expect(200)).body;
      expect(resumed.stage).toBe('ENGAGING');
      expect(await lastOf(caseId, 'RESUMED')).toMatchObject({ actor: COUNSELLOR });
      const resumeAgain = await counsellor().post(caseId, 'resume').expect(409);
      expect(resumeAgain.body.message).toContain('ENGAGING');
    });

    it('close → CLOSED with its closure in the view; then every journey action is 409, notes are still taken', async () => {
      const caseId = await engagingCase();
      const closed = (await counsellor().post(caseId, 'close', { reason: 'MOVED', note: 'Parti vivre à Lyon' }).expect(200)).body;
      expect(closed).toMatchObject({ caseId, stage: 'CLOSED', closure: { reason: 'MOVED' } });
      expect(await lastOf(caseId, 'CLOSED')).toMatchObject({ actor: COUNSELLOR, data: { reason: 'MOVED' }, note: 'Parti vivre à Lyon' });
      const youthBefore = await sys.dataSource.query('SELECT y.* FROM youths y JOIN cases c ON c.youth_id = y.id WHERE c.id = $1', [
        caseId,
      ]);

      const refused = [
        await counsellor().post(caseId, 'contacts', { channel: 'PHONE', reached: true, note: 'après clôture' }),
        await counsellor().post(caseId, 'pause', { reason: 'après clôture' }),
        await counsellor().post(caseId, 'resume'),
        await counsellor().post(caseId, 'rematch'),
        await counsellor().post(caseId, 'referrals', { partnerId: 'ml-75', note: 'après clôture' }),
        await counsellor().post(caseId, 'check-ins', { status: 'ON_TRACK' }),
        await counsellor().post(caseId, 'close', { reason: 'WITHDRAWN' }),
        await counsellor().patchProfile(caseId, { postalCode: '97300', situation: 'OTHER' }),
      ];
      for (const res of refused) {
        expect({ status: res.status, error: res.body.error }).toEqual({ status: 409, error: 'Conflict' });
        expect(res.body.message).toContain('CLOSED');
      }
      // Nothing written by the refused actions: profile untouched, no note kept.
      expect(await sys.dataSource.query('SELECT y.* FROM youths y JOIN cases c ON c.youth_id = y.id WHERE c.id = $1', [caseId])).toEqual(
        youthBefore,
      );
      const [{ n }] = await sys.dataSource.query(
        `SELECT count(*)::int AS n FROM case_notes WHERE case_id = $1 AND text = 'après clôture'`,
        [caseId],
      );
      expect(n).toBe(0);
      expect((await caseRow(sys, caseId)).departement).toBe('75');

      const noted = (await counsellor().post(caseId, 'notes', { text: 'A rappelé pour remercier' }).expect(200)).body;
      expect(noted).toMatchObject({ stage: 'CLOSED' });
    });

    it('notes: stored in case_notes, in the timeline with their text, never in Temporal', async () => {
      const caseId = await engagingCase();
      const view = (await counsellor().post(caseId, 'notes', { text: 'Souhaite une formation en cuisine' }).expect(200)).body;
      expect(view).toMatchObject({ caseId, stage: 'ENGAGING' });
      await counsellor().post(caseId, 'notes', { text: 'Disponible le mardi' }).expect(200);
      const notes = (await counsellor().timeline(caseId).expect(200)).body.filter((e: { type: string }) => e.type === 'NOTE_ADDED');
      expect(notes.map((e: any) => [e.actor, e.note])).toEqual([
        [COUNSELLOR, 'Souhaite une formation en cuisine'],
        [COUNSELLOR, 'Disponible le mardi'],
      ]);
      expect(notes[0].data).toEqual({ noteId: expect.any(String) });
      const state = await journeyOf(sys, caseId).query('state');
      expect(state).toMatchObject({ stage: 'ENGAGING' });
    });
  });

  describe('PATCH /v1/cases/{caseId}/profile', () => {
    it('saves the profile, moves the case with its postal code, re-segments, and tells the journey field names only', async () => {
      const caseId = await engagingCase({ firstName: 'Inès' });
      const res = await counsellor()
        .patchProfile(caseId, {
          postalCode: '97300',
          barriers: ['HEALTH', 'HOUSING'],
          phone: '0694 12 34 56',
          email: 'Ines.NEW@Example.org',
        })
        .expect(200);
      expect(res.body).toMatchObject({
        caseId,
        segment: 'EMPECHE',
        profile: {
          firstName: 'Inès',
          postalCode: '97300',
          communeCode: '97302',
          departement: '973',
          phone: '+594694123456',
          email: 'ines.new@example.org',
          barriers: ['HEALTH', 'HOUSING'],
        },
      });
      expect(await caseRow(sys, caseId)).toMatchObject({ departement: '973', region: '03', segment: 'EMPECHE' });

      const event = await lastOf(caseId, 'PROFILE_UPDATED');
      expect(event).toMatchObject({ actor: COUNSELLOR, data: { segment: 'EMPECHE' } });
      expect([...event!.data.fields].sort()).toEqual(['barriers', 'communeCode', 'email', 'phone', 'postalCode']);
      const data = JSON.stringify(event!.data);
      for (const value of ['97300', '97302', '694123456', 'ines.new', 'HEALTH']) expect(data).not.toContain(value);
      const state = await journeyOf(sys, caseId).query('state');
      expect(state).toMatchObject({ segment: 'EMPECHE' });

      // The case has left Paris: a counsellor of 75 no longer sees it, one of 973 does.
      await api(sys.token('counsellor', { territories: ['75'] }))
        .get(caseId)
        .expect(404);
      await api(sys.token('counsellor', { territories: ['973'] }))
        .get(caseId)
        .expect(200);
    });

    it('the same values again change nothing and record nothing', async () => {
      const caseId = await engagingCase();
      const before = (await counsellor().timeline(caseId).expect(200)).body.length;
      await counsellor()
        .patchProfile(caseId, { postalCode: '75011', diplomaLevel: 'CAP_BEP', barriers: ['MOBILITY'] })
        .expect(200);
      expect((await counsellor().timeline(caseId).expect(200)).body).toHaveLength(before);
    });

    it('clearing one contact is allowed when consent follows and the other remains', async () => {
      const caseId = await engagingCase();
      const res = await counsellor()
        .patchProfile(caseId, { phone: null, consent: { dataProcessing: true, shareWithPartners: false, channels: ['EMAIL'] } })
        .expect(200);
      expect(res.body.profile).toMatchObject({ phone: null, consent: { shareWithPartners: false, channels: ['EMAIL'] } });
      expect([...(await lastOf(caseId, 'PROFILE_UPDATED'))!.data.fields].sort()).toEqual(['consent', 'phone']);
    });
  });

  /*
   * Orientation needs the partner directory (seed) and the matching activity: reaching the
   * young person makes the journey match and refer to the best partner.
   */
  describe('orientation: referrals, rematch, override, check-ins', () => {
    async function referredCase(form: Record<string, unknown> = {}, policy: Partial<Policy> = {}) {
      const caseId = await engagingCase(form, policy); // with its welcome already out, as a real young person would have it
      await counsellor().post(caseId, 'contacts', { channel: 'PHONE', reached: true }).expect(200);
      const referral = await pendingReferral(sys, caseId, 1);
      await waitForStage(sys, caseId, 'REFERRED');
      return { caseId, referral };
    }

    /** The partner accepts and the young person comes: attendance is the partner portal's, sent here straight to the journey. */
    async function startPathway(caseId: string, referral: { id: string; partner_id: string }) {
      await decide(sys, caseId, 1, { decision: 'ACCEPTED', actor: `partner:${referral.partner_id}` });
      await waitForStage(sys, caseId, 'ACCEPTED');
      await journeyOf(sys, caseId).executeUpdate(recordAttendanceUpdate, {
        args: [{ referralId: referral.id, attended: true, actor: `partner:${referral.partner_id}` }],
      });
    }

    it('the view lists referrals with the partner name, and the messages sent', async () => {
      const { caseId, referral } = await referredCase();
      const view = (await counsellor().get(caseId).expect(200)).body;
      expect(view).toMatchObject({ stage: 'REFERRED', partnerId: referral.partner_id });
      expect(view.referrals).toEqual([
        {
          referralId: referral.id,
          partnerId: referral.partner_id,
          partnerName: expect.any(String),
          attempt: 1,
          status: 'PENDING',
          sentAt: expect.any(String),
          dueAt: expect.any(String),
        },
      ]);
      const [{ name }] = await sys.dataSource.query('SELECT name FROM partners WHERE id = $1', [referral.partner_id]);
      expect(view.referrals[0].partnerName).toBe(name);
      expect(view.checkIns).toEqual([]);
      const messages = view.messages.map((m: any) => [m.purpose, m.channel, m.recipient]);
      expect(messages).toEqual(
        expect.arrayContaining([
          ['WELCOME', 'SMS', 'YOUTH'],
          ['WELCOME', 'EMAIL', 'YOUTH'],
          ['REFERRAL_NEW', 'EMAIL', 'PARTNER'],
        ]),
      );
      for (const m of view.messages)
        expect(m).toEqual({
          purpose: expect.any(String),
          channel: expect.any(String),
          recipient: expect.any(String),
          status: expect.any(String),
          at: expect.any(String),
        });

      // A referral in flight: pausing is refused, naming the stage.
      const pause = await counsellor().post(caseId, 'pause', { reason: 'vacances' }).expect(409);
      expect(pause.body.message).toContain('REFERRED');
    });

    it('rematch withdraws the pending referral and asks another partner; the answer already shows both', async () => {
      const { caseId, referral } = await referredCase();
      const view = (await counsellor().post(caseId, 'rematch').expect(200)).body;
      expect(view.referrals.map((r: any) => [r.attempt, r.status])).toEqual([
        [1, 'WITHDRAWN'],
        [2, 'PENDING'],
      ]);
      expect(view.referrals[1].partnerId).not.toBe(referral.partner_id);
      expect(view).toMatchObject({ stage: 'REFERRED', partnerId: view.referrals[1].partnerId });
      // The counsellor's act is the withdrawal; the next partner is the matching's choice.
      expect(await lastOf(caseId, 'REFERRAL_WITHDRAWN')).toMatchObject({
        actor: COUNSELLOR,
        data: { attempt: 1, partnerId: referral.partner_id },
      });
      expect(await lastOf(caseId, 'REFERRAL_SENT')).toMatchObject({ actor: 'system', data: { attempt: 2, override: false } });
    });

    it('override: unknown partner 404; a partner whose criteria exclude the case 400 unless forced', async () => {
      const { caseId } = await referredCase();
      const unknown = await counsellor().post(caseId, 'referrals', { partnerId: 'no-such-partner' }).expect(404);
      expect(unknown.body.error).toBe('NotFound');

      // CCI Ardennes serves département 08 only: TERRITORY excludes a young person of Paris.
      const excluded = await counsellor()
        .post(caseId, 'referrals', { partnerId: 'cci-08-01', note: 'Déménage dans les Ardennes' })
        .expect(400);
      expect(excluded.body.details).toEqual([{ field: 'partnerId', message: expect.stringContaining('TERRITORY') }]);

      const view = (
        await counsellor()
          .post(caseId, 'referrals', { partnerId: 'cci-08-01', note: 'Déménage dans les Ardennes', force: true })
          .expect(200)
      ).body;
      expect(view).toMatchObject({ stage: 'REFERRED', partnerId: 'cci-08-01' });
      expect(view.referrals.map((r: any) => [r.attempt, r.status])).toEqual([
        [1, 'WITHDRAWN'],
        [2, 'PENDING'],
      ]);
      expect(view.referrals[1]).toMatchObject({ partnerId: 'cci-08-01', partnerName: 'CCI Ardennes' });
      const [row] = await sys.dataSource.query('SELECT note FROM referrals WHERE case_id = $1 AND attempt = 2', [caseId]);
      expect(row.note).toBe('Déménage dans les Ardennes');
      expect(await lastOf(caseId, 'REFERRAL_SENT')).toMatchObject({
        actor: COUNSELLOR,
        data: { partnerId: 'cci-08-01', override: true, forced: true },
        note: 'Déménage dans les Ardennes',
      });
    });

    it('an eligible partner is referred without force; forced is then false', async () => {
      const { caseId, referral } = await referredCase();
      const other = referral.partner_id === 'ft-75' ? 'ml-75' : 'ft-75';
      const view = (await counsellor().post(caseId, 'referrals', { partnerId: other }).expect(200)).body;
      expect(view).toMatchObject({ stage: 'REFERRED', partnerId: other });
      expect(await lastOf(caseId, 'REFERRAL_SENT')).toMatchObject({ data: { partnerId: other, override: true, forced: false } });
    });

    it('check-ins: scheduled once the pathway starts, recorded by the counsellor, OUTCOME closes the case', async () => {
      const { caseId, referral } = await referredCase();
      const early = await counsellor().post(caseId, 'check-ins', { status: 'ON_TRACK' }).expect(409);
      expect(early.body.message).toContain('REFERRED');

      await startPathway(caseId, referral);
      const inPathway = (await counsellor().get(caseId).expect(200)).body;
      expect(inPathway.stage).toBe('IN_PATHWAY');
      expect(inPathway.referrals[0]).toMatchObject({ status: 'ACCEPTED', decidedAt: expect.any(String), attended: true });
      expect(inPathway.checkIns).toEqual([
        { seq: 1, dueAt: expect.any(String) },
        { seq: 2, dueAt: expect.any(String) },
        { seq: 3, dueAt: expect.any(String) },
      ]);

      const first = (await counsellor().post(caseId, 'check-ins', { status: 'ON_TRACK', note: 'Assidu' }).expect(200)).body;
      expect(first.checkIns[0]).toMatchObject({ seq: 1, status: 'ON_TRACK', at: expect.any(String), note: 'Assidu' });
      expect(first.stage).toBe('IN_PATHWAY');

      const second = (await counsellor().post(caseId, 'check-ins', { status: 'NEEDS_SUPPORT' }).expect(200)).body;
      expect(second.stage).toBe('NEEDS_COUNSELLOR');
      expect(second.checkIns[1]).toMatchObject({ status: 'NEEDS_SUPPORT' });

      const last = (await counsellor().post(caseId, 'check-ins', { status: 'OUTCOME', outcome: 'EMPLOYMENT' }).expect(200)).body;
      expect(last).toMatchObject({ stage: 'CLOSED', closure: { reason: 'OUTCOME_REACHED', outcome: 'EMPLOYMENT' } });
      expect(last.checkIns[2]).toMatchObject({ status: 'OUTCOME', outcome: 'EMPLOYMENT' });
    });

    it('a profile change while orientation waits for a counsellor re-segments and re-matches', async () => {
      // One attempt per round: the first decline hands the case to a counsellor.
      const { caseId, referral } = await referredCase({}, { maxReferralAttempts: 1 });
      await decide(sys, caseId, 1, { decision: 'DECLINED', reason: 'NOT_INTERESTED', actor: `partner:${referral.partner_id}` });
      await waitForStage(sys, caseId, 'NEEDS_COUNSELLOR');

      const view = (await counsellor().patchProfile(caseId, { situation: 'INACTIVE' }).expect(200)).body;
      expect(view).toMatchObject({ segment: 'INVISIBLE', stage: 'REFERRED', profile: { situation: 'INACTIVE' } });
      expect(view.referrals.map((r: any) => [r.attempt, r.status, r.reason])).toEqual([
        [1, 'DECLINED', 'NOT_INTERESTED'],
        [2, 'PENDING', undefined],
      ]);
      expect(await lastOf(caseId, 'PROFILE_UPDATED')).toMatchObject({
        actor: COUNSELLOR,
        data: { fields: ['situation'], segment: 'INVISIBLE' },
      });
    });

    it('a counsellor rematching a young person who needs support: a new partner is asked, the move is theirs', async () => {
      const { caseId, referral } = await referredCase();
      await startPathway(caseId, referral);
      const support = (await counsellor().post(caseId, 'check-ins', { status: 'NEEDS_SUPPORT' }).expect(200)).body;
      expect(support.stage).toBe('NEEDS_COUNSELLOR');

      const view = (await counsellor().post(caseId, 'rematch').expect(200)).body;
      expect(view).toMatchObject({ stage: 'REFERRED' });
      expect(view.referrals.map((r: any) => [r.attempt, r.status])).toEqual([
        [1, 'ACCEPTED'],
        [2, 'PENDING'],
      ]);
      // Every action carries its actor: with no referral to withdraw, the stage change is the counsellor's trace.
      const timeline = (await counsellor().timeline(caseId).expect(200)).body;
      const backToMatching = timeline.find(
        (e: any) => e.type === 'STAGE_CHANGED' && e.data.from === 'NEEDS_COUNSELLOR' && e.data.to === 'MATCHING',
      );
      expect(backToMatching).toMatchObject({ actor: COUNSELLOR });
    });
  });
});

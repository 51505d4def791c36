import { randomUUID } from 'node:crypto';
import { FAQ_INTENTS } from '@walt/chat';
import { chatWorkflowId, journeyWorkflowId } from '@walt/temporal';
import { ChatAnswer, ChatTester, typedBirthDate, uniqueContact } from './support/chat';
import { aForm } from './support/forms';
import { saveHistory } from './support/history';
import { savePolicyVersion } from './support/policies';
import { eventually, startTestSystem, TestSystem } from './support/test-system';

/**
 * Scripted conversations with the chatbot through the real API, workflow, worker, PostgreSQL and
 * Temporal: every reply's intent and question is asserted, and the case each one ends in. The
 * last test scans every history for the personal data typed in any of them.
 */
describe('chatbot intake: a conversation ends in the same case as the form', () => {
  let sys: TestSystem;
  /** Every conversation of this file uses this campaign, so the funnel report can be read exactly. */
  const campaign = `chat-e2e-${Date.now().toString(36)}`;
  const testers: ChatTester[] = [];
  const manager = () => `Bearer ${sys.token('manager')}`;
  const counsellor = () => `Bearer ${sys.token('counsellor')}`;

  beforeAll(async () => (sys = await startTestSystem()));
  afterAll(async () => sys?.stop());

  const newChat = () => {
    const chat = new ChatTester(sys, { campaign });
    testers.push(chat);
    return chat;
  };
  const caseOf = async (caseId: string) =>
    (await sys.http().get(`/v1/cases/${caseId}`).set('Authorization', counsellor()).expect(200)).body;
  const youthOf = async (caseId: string) =>
    (await sys.dataSource.query('SELECT y.* FROM youths y JOIN cases c ON c.youth_id = y.id WHERE c.id = $1', [caseId]))[0];
  const draftsOf = async (chat: ChatTester) =>
    Number((await sys.dataSource.query('SELECT count(*) FROM chat_drafts WHERE conversation_id = $1', [chat.conversationId]))[0].count);
  const sessionsOf = (chat: ChatTester) =>
    sys.dataSource.query('SELECT * FROM chat_conversations WHERE conversation_id = $1 ORDER BY started_at', [chat.conversationId]);

  /** Greets, then answers the questions before `until` with the defaults (or `answers`), asserting each reply. */
  async function reach(
    chat: ChatTester,
    until: string | null,
    answers: Partial<Record<string, string>> = {},
  ): Promise<{ contact: { phone: string; email: string }; birth: { typed: string; iso: string } }> {
    const contact = uniqueContact();
    const birth = typedBirthDate(20);
    const name = answers.FIRST_NAME ?? 'Léa';
    chat.remember(name, birth.typed, birth.iso, contact.phone, contact.email);
    const script: [string, string, string][] = [
      ['FIRST_NAME', name, 'BIRTH_DATE'],
      ['BIRTH_DATE', answers.BIRTH_DATE ?? birth.typed, 'POSTAL_CODE'],
      ['POSTAL_CODE', answers.POSTAL_CODE ?? '69003', 'DIPLOMA'],
      ['DIPLOMA', answers.DIPLOMA ?? 'cap', 'SITUATION'],
      ['SITUATION', answers.SITUATION ?? 'je cherche du travail', 'BARRIERS'],
      ['BARRIERS', answers.BARRIERS ?? 'non', 'WISHES'],
      ['WISHES', answers.WISHES ?? 'un emploi', 'CONTACT'],
      ['CONTACT', answers.CONTACT ?? contact.phone, 'CONSENT'],
      ['CONSENT', answers.CONSENT ?? 'oui', 'RECAP'],
    ];
    await chat.script([['Bonjour', 'WELCOME', 'FIRST_NAME']]);
    for (const [question, text, next] of script) {
      if (question === until) break;
      await chat.script([[text, next === 'RECAP' ? 'RECAP' : 'ASK', next]]);
    }
    return { contact, birth };
  }

  async function confirm(chat: ChatTester, messageKey = 'created'): Promise<ChatAnswer> {
    const [done] = await chat.script([["c'est bon", 'SUBMITTED', null]]);
    expect(done).toMatchObject({ done: true, detail: messageKey, caseId: expect.any(String) });
    return done;
  }

  it('the happy path: who it is, one question at a time, a recap, then a case and its journey', async () => {
    const chat = newChat();
    const [welcome] = await chat.script([['Bonjour', 'WELCOME', 'FIRST_NAME']]);
    expect(welcome.reply).toMatch(/Walt.*assistant.*questions.*prénom, ta date de naissance/s);
    const contact = uniqueContact();
    const birth = typedBirthDate(20);
    chat.remember('Léa', birth.typed, birth.iso, contact.phone, contact.email);
    const answers = await chat.script([
      ['Léa', 'ASK', 'BIRTH_DATE'],
      [birth.typed, 'ASK', 'POSTAL_CODE'],
      ['69003', 'ASK', 'DIPLOMA'],
      ['cap', 'ASK', 'SITUATION'],
      ['je cherche du travail', 'ASK', 'BARRIERS'],
      ['non', 'ASK', 'WISHES'],
      ['un emploi', 'ASK', 'CONTACT'],
      [`${contact.phone} et ${contact.email}`, 'ASK', 'CONSENT'],
      ['oui', 'RECAP', 'RECAP'],
    ]);
    expect(answers[0].reply).toContain('Léa');
    expect(answers[2].quickReplies.map((q) => q.label)).toContain('CAP ou BEP');
    expect(answers[7].reply).toMatch(/uniquement à t'accompagner.*Tu es d'accord/);
    expect(answers[8].reply).toContain('Prénom : Léa');
    expect(answers[8].reply).toContain(birth.typed);
    const done = await confirm(chat);
    expect(done.reply).toMatch(/Prochaine étape/);
    if (process.env.SAVE_HISTORIES) await saveHistory(chatWorkflowId(chat.conversationId), 'chat-happy-path');

    const kase = await eventually(async () => {
      const page = await caseOf(done.caseId!);
      return page.stage === 'ENGAGING' ? page : undefined;
    }, 'the journey to start');
    expect(kase.profile).toMatchObject({
      firstName: 'Léa',
      lastName: null,
      birthDate: birth.iso,
      postalCode: '69003',
      communeCode: '69123',
      departement: '69',
      diplomaLevel: 'CAP_BEP',
      situation: 'LOOKING_FOR_JOB',
      barriers: [],
      wishes: ['JOB'],
      email: contact.email,
      consent: { dataProcessing: true, shareWithPartners: true, channels: ['SMS', 'EMAIL'] },
      source: { channel: 'CHATBOT', campaign },
    });
    expect((await youthOf(done.caseId!)).phone).toBe(`+33${contact.phone.slice(1)}`);
    expect(await draftsOf(chat)).toBe(0);
    const [session] = await sessionsOf(chat);
    expect(session).toMatchObject({ case_id: done.caseId, intake_outcome: 'CREATED', eligible: true, step: 'DONE' });

    const transcript = (await sys.http().get(`/v1/intake/chat/${chat.conversationId}`).expect(200)).body;
    expect(transcript).toMatchObject({ done: true, caseId: done.caseId });
    expect(transcript.messages).toHaveLength(22);
    expect(transcript.messages.slice(0, 3).map((m: { from: string; text: string }) => [m.from, m.text.slice(0, 5)])).toEqual([
      ['youth', 'Bonjo'],
      ['bot', 'Salut'],
      ['youth', 'Léa'],
    ]);
    expect(transcript.messages.at(-1).quickReplies).toEqual([{ label: 'Parler à une personne', value: 'parler à un conseiller' }]);
  });

  const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];
  const inWords = (iso: string) => `le ${Number(iso.slice(8))} ${MONTHS[Number(iso.slice(5, 7)) - 1]} ${iso.slice(0, 4)}`;
  const shortYear = (iso: string) => `${iso.slice(8)}.${iso.slice(5, 7)}.${iso.slice(2, 4)}`;

  it.each([
    {
      phrasing: 'first',
      name: ['Léa', 'Léa'],
      date: (iso: string) => `${iso.slice(8)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`,
      place: ['75011', '75011', '75056'],
      diploma: ['bep', 'CAP_BEP'],
      situation: ['je cherche du boulot', 'LOOKING_FOR_JOB'],
      barriers: ['la santé', ['HEALTH']],
      wishes: ['bosser', ['JOB']],
      contact: (c: { phone: string; email: string }) => [c.phone.replace(/(\d{2})(?=\d)/g, '$1 '), { email: null }],
    },
    {
      phrasing: 'second',
      name: ["je m'appelle Inès", 'Inès'],
      date: inWords,
      place: ["j'habite à Cayenne", '97300', '97302'],
      diploma: ['bac pro', 'BAC'],
      situation: ["je fais de l'intérim", 'SHORT_CONTRACTS'],
      barriers: ["j'ai pas le permis et des soucis de logement", ['HOUSING', 'MOBILITY']],
      wishes: ["une formation ou l'alternance", ['ALTERNANCE', 'TRAINING']],
      contact: (c: { phone: string; email: string }) => [`+33 ${c.phone.slice(1)} ou ${c.email.toUpperCase()}`, { email: c.email }],
    },
    {
      phrasing: 'third',
      name: ["moi c'est jean-pierre", 'Jean-Pierre'],
      date: shortYear,
      place: ['97110', '97110', '97120'],
      diploma: ["j'ai rien", 'NONE'],
      situation: ["j'ai arrêté l'école", 'LEFT_SCHOOL'],
      barriers: ['je préfère ne pas répondre', []],
      wishes: ['je sais pas encore', ['NOT_SURE']],
      contact: (c: { phone: string; email: string }) => [`mon mail c'est ${c.email}`, { email: c.email }],
    },
  ])('each field in its $phrasing phrasing', async ({ name, date, place, diploma, situation, barriers, wishes, contact }) => {
    const chat = newChat();
    const birth = typedBirthDate(19);
    const reachable = uniqueContact();
    const [contactText, expected] = contact(reachable) as [string, { email: string | null }];
    chat.remember(name[1], birth.iso, date(birth.iso), reachable.phone, reachable.email);
    await chat.script([
      ['Salut', 'WELCOME', 'FIRST_NAME'],
      [name[0], 'ASK', 'BIRTH_DATE'],
      [date(birth.iso), 'ASK', 'POSTAL_CODE'],
      [place[0], 'ASK', 'DIPLOMA'],
      [diploma[0] as string, 'ASK', 'SITUATION'],
      [situation[0] as string, 'ASK', 'BARRIERS'],
      [barriers[0] as string, 'ASK', 'WISHES'],
      [wishes[0] as string, 'ASK', 'CONTACT'],
      [contactText, 'ASK', 'CONSENT'],
      ["d'accord", 'RECAP', 'RECAP'],
    ]);
    const done = await confirm(chat);
    const kase = await caseOf(done.caseId!);
    expect(kase.profile).toMatchObject({
      firstName: name[1],
      birthDate: birth.iso,
      postalCode: place[1],
      communeCode: place[2],
      diplomaLevel: diploma[1],
      situation: situation[1],
      barriers: barriers[1],
      wishes: wishes[1],
      ...expected,
    });
  });

  it('a first message that introduces the name, or asks a question, still gets the welcome', async () => {
    const chat = newChat();
    chat.remember('Léa');
    const [named] = await chat.script([["Bonjour, je m'appelle Léa", 'ASK', 'BIRTH_DATE']]);
    expect(named.reply).toMatch(/^Salut ! Moi c'est Walt.*Ravi de te rencontrer, Léa/s);
    const asking = newChat();
    const [faq] = await asking.script([["c'est gratuit ?", 'FAQ', 'FIRST_NAME']]);
    expect(faq.reply).toMatch(/^Salut ! Moi c'est Walt.*entièrement gratuit.*quel est ton prénom/s);
  });

  it('"récap" in the middle shows what is noted so far, then resumes', async () => {
    const chat = newChat();
    await reach(chat, 'DIPLOMA');
    const [progress] = await chat.script([['récap', 'PROGRESS', 'DIPLOMA']]);
    expect(progress.reply).toMatch(/Prénom : Léa.*Code postal : 69003 \(Lyon\).*Quel est ton diplôme/s);
    expect(progress.reply).not.toMatch(/Diplôme :/);
  });

  it('overseas: a city of Martinique with several postal codes, a Martinique mobile', async () => {
    const chat = newChat();
    await reach(chat, 'POSTAL_CODE');
    await chat.script([
      ['Fort-de-France', 'CHOOSE_PLACE', 'COMMUNE'],
      ['97200', 'ASK', 'DIPLOMA'],
      ['cap', 'ASK', 'SITUATION'],
      ['intérim', 'ASK', 'BARRIERS'],
      ['transport', 'ASK', 'WISHES'],
      ['alternance', 'ASK', 'CONTACT'],
    ]);
    const digits = String(Date.now() % 1_000_000).padStart(6, '0');
    const phone = `0696 ${digits.slice(0, 2)} ${digits.slice(2, 4)} ${digits.slice(4)}`;
    chat.remember(phone);
    await chat.script([
      [phone, 'ASK', 'CONSENT'],
      ['oui', 'RECAP', 'RECAP'],
    ]);
    const done = await confirm(chat);
    expect(await youthOf(done.caseId!)).toMatchObject({ postal_code: '97200', commune_code: '97209', phone: `+596696${digits}` });
    expect((await caseOf(done.caseId!)).profile.departement).toBe('972');
  });

  it('a city name leads to a choice among its postal codes', async () => {
    const chat = newChat();
    await reach(chat, 'POSTAL_CODE');
    const [choice] = await chat.script([['je vis à Lyon', 'CHOOSE_PLACE', 'COMMUNE']]);
    expect(choice.quickReplies).toHaveLength(9);
    expect(choice.quickReplies[4]).toEqual({ label: 'Lyon (69005)', value: 'Lyon (69005)' });
    await chat.script([
      ['Lyon (69005)', 'ASK', 'DIPLOMA'],
      ['bac+2', 'ASK', 'SITUATION'],
      ['autre', 'ASK', 'BARRIERS'],
      ['rien de tout ça', 'ASK', 'WISHES'],
      ['service civique', 'ASK', 'CONTACT'],
    ]);
    const contact = uniqueContact();
    chat.remember(contact.email);
    await chat.script([
      [contact.email, 'ASK', 'CONSENT'],
      ['oui', 'RECAP', 'RECAP'],
    ]);
    const kase = await caseOf((await confirm(chat)).caseId!);
    expect(kase.profile).toMatchObject({ postalCode: '69005', communeCode: '69123', diplomaLevel: 'BAC_2', situation: 'OTHER' });
  });

  it('a postal code serving several communes: the young person picks theirs', async () => {
    const chat = newChat();
    await reach(chat, 'POSTAL_CODE');
    const [choice] = await chat.script([['01400', 'CHOOSE_PLACE', 'COMMUNE']]);
    const second = choice.quickReplies[1];
    expect(choice.quickReplies.length).toBeGreaterThan(2);
    await chat.script([['je sais pas', 'UNUSABLE', 'COMMUNE']]);
    await chat.script([[second.value, 'ASK', 'DIPLOMA']]);
    const draft = (await sys.dataSource.query('SELECT fields FROM chat_drafts WHERE conversation_id = $1', [chat.conversationId]))[0]
      .fields;
    expect(`${draft.communeName} (${draft.postalCode})`).toBe(second.label);
  });

  it('an age alone leads to asking the date; a date without its year is not taken', async () => {
    const chat = newChat();
    await reach(chat, 'BIRTH_DATE');
    const birth = typedBirthDate(18);
    chat.remember(birth.typed, birth.iso);
    const [age, noYear] = await chat.script([
      ["j'ai 18 ans", 'AGE_ONLY', 'BIRTH_DATE'],
      ['le 3 mars', 'UNUSABLE', 'BIRTH_DATE'],
      [birth.typed, 'ASK', 'POSTAL_CODE'],
    ]);
    expect(age.reply).toMatch(/date de naissance complète/);
    expect(noYear.detail).toBe('DATE_NO_YEAR');
    expect(noYear.reply).toMatch(/l'année/);
  });

  it('a correction in the middle, with its new value ("non c\'est 69001")', async () => {
    const chat = newChat();
    await reach(chat, 'SITUATION');
    const [corrected] = await chat.script([["non c'est 69001", 'CORRECTED', 'SITUATION']]);
    expect(corrected.reply).toMatch(/corrigé.*Et en ce moment/);
    const contact = uniqueContact();
    chat.remember(contact.phone);
    await chat.script([
      ['je cherche du travail', 'ASK', 'BARRIERS'],
      ['non', 'ASK', 'WISHES'],
      ['un emploi', 'ASK', 'CONTACT'],
      [contact.phone, 'ASK', 'CONSENT'],
      ['oui', 'RECAP', 'RECAP'],
    ]);
    const kase = await caseOf((await confirm(chat)).caseId!);
    expect(kase.profile).toMatchObject({ postalCode: '69001', communeCode: '69123' });
  });

  it('a correction in the middle without the value ("je me suis trompé de date"), and "retour"', async () => {
    const chat = newChat();
    await reach(chat, 'SITUATION');
    const birth = typedBirthDate(22);
    chat.remember(birth.typed, birth.iso);
    await chat.script([
      ['je me suis trompé de date', 'EDIT', 'BIRTH_DATE'],
      [birth.typed, 'ASK', 'SITUATION'],
      ['retour', 'BACK', 'DIPLOMA'],
      ['licence', 'ASK', 'SITUATION'],
      ['je fais rien', 'ASK', 'BARRIERS'],
      ['argent et papiers', 'ASK', 'WISHES'],
      ['créer mon entreprise', 'ASK', 'CONTACT'],
    ]);
    const contact = uniqueContact();
    chat.remember(contact.phone);
    await chat.script([
      [contact.phone, 'ASK', 'CONSENT'],
      ['oui', 'RECAP', 'RECAP'],
    ]);
    const kase = await caseOf((await confirm(chat)).caseId!);
    expect(kase.profile).toMatchObject({
      birthDate: birth.iso,
      diplomaLevel: 'BAC_3_PLUS',
      situation: 'INACTIVE',
      barriers: ['RESOURCES', 'ADMIN'],
      wishes: ['BUSINESS_CREATION'],
    });
    expect(kase.segment).toBe('INVISIBLE');
  });

  it('corrections at the recap: a field named, a value given, "changer une réponse"', async () => {
    const chat = newChat();
    const { contact } = await reach(chat, null);
    const other = uniqueContact();
    chat.remember(other.phone);
    const answers = await chat.script([
      ['changer mon code postal', 'EDIT', 'POSTAL_CODE'],
      ['75011', 'RECAP', 'RECAP'],
      [`non, mon numéro c'est le ${other.phone}`, 'CORRECTED', 'RECAP'],
      ['changer une réponse', 'RECAP_CHANGE', 'RECAP'],
      ['changer mon diplôme', 'EDIT', 'DIPLOMA'],
      ['bac', 'RECAP', 'RECAP'],
    ]);
    expect(answers[3].quickReplies.map((q) => q.label)).toEqual([
      'Prénom',
      'Date de naissance',
      'Code postal',
      'Diplôme',
      'Situation',
      'Difficultés',
      'Envies',
      'Contact',
    ]);
    expect(answers[5].reply).toContain('Code postal : 75011');
    const done = await confirm(chat);
    const youth = await youthOf(done.caseId!);
    expect(youth).toMatchObject({ postal_code: '75011', diploma_level: 'BAC', phone: `+33${other.phone.slice(1)}` });
    expect(youth.phone).not.toContain(contact.phone.slice(1));
  });

  it('"recommencer" empties the draft and starts again from the first question', async () => {
    const chat = newChat();
    await reach(chat, 'DIPLOMA', { FIRST_NAME: 'Yanis' });
    const [restarted] = await chat.script([['recommencer', 'RESTARTED', 'FIRST_NAME']]);
    expect(restarted.reply).toMatch(/effacé/);
    const draft = await sys.dataSource.query('SELECT fields FROM chat_drafts WHERE conversation_id = $1', [chat.conversationId]);
    expect(draft).toEqual([]);
    await chat.script([['Sofia', 'ASK', 'BIRTH_DATE']]);
    chat.remember('Sofia', 'Yanis');
  });

  it('questions in the middle are answered, then the conversation resumes where it was (every FAQ intent of the data file)', async () => {
    const chat = newChat();
    await reach(chat, 'POSTAL_CODE');
    const ordinary = FAQ_INTENTS.filter((intent) => !intent.human);
    expect(ordinary.length).toBeGreaterThanOrEqual(12);
    for (const intent of ordinary) {
      const [answer] = await chat.script([[intent.example, 'FAQ', 'POSTAL_CODE']]);
      expect(answer.detail).toBe(intent.id);
      expect(answer.reply).toContain(intent.answer.slice(0, 30));
      expect(answer.reply).toMatch(/On reprend : Quel est ton code postal/);
    }
    await chat.script([['69003', 'ASK', 'DIPLOMA']]);
    const [session] = await sessionsOf(chat);
    expect(session.unusable).toBe(0);
  });

  it('asking for a person: noted, resumed, and the case is flagged for a counsellor', async () => {
    const chat = newChat();
    await reach(chat, 'WISHES');
    const [human] = await chat.script([['je veux parler à un conseiller', 'HUMAN', 'WISHES']]);
    expect(human.reply).toMatch(/une personne de l'équipe va te contacter/);
    await chat.script([['une formation', 'ASK', 'CONTACT']]);
    const contact = uniqueContact();
    chat.remember(contact.phone);
    await chat.script([
      [contact.phone, 'ASK', 'CONSENT'],
      ['oui', 'RECAP', 'RECAP'],
    ]);
    const done = await confirm(chat);
    const timeline = (await sys.http().get(`/v1/cases/${done.caseId}/timeline`).set('Authorization', counsellor()).expect(200)).body;
    const note = timeline.find((e: { type: string }) => e.type === 'NOTE_ADDED');
    expect(note).toMatchObject({ actor: 'chatbot' });
    const notes = await sys.dataSource.query('SELECT text FROM case_notes WHERE case_id = $1', [done.caseId]);
    expect(notes).toEqual([{ text: expect.stringMatching(/parler à une personne/) }]);
  });

  it('garbage, emoji, markup, another language, long text: calm answers, nothing stored in the draft, never a 5xx', async () => {
    const chat = newChat();
    await reach(chat, 'DIPLOMA');
    const garbage: [string, string][] = [
      ['asdfghjkl', 'NOT_UNDERSTOOD'],
      ['👍😅', 'EMOJI'],
      ["<script>alert('x')</script>", 'MARKUP'],
      ['Hello, I need a job please', 'OTHER_LANGUAGE'],
      ['bla '.repeat(200), 'TOO_LONG'],
      ['', 'EMPTY'],
      ['%%%', 'NOT_UNDERSTOOD'],
    ];
    for (const [text, why] of garbage) {
      const answer = await chat.say(text);
      expect({ text: text.slice(0, 20), intent: answer.intent, detail: answer.detail, question: answer.question }).toEqual({
        text: text.slice(0, 20),
        intent: expect.stringMatching(/^(UNUSABLE|HELP)$/),
        detail: why,
        question: 'DIPLOMA',
      });
      expect(answer.reply.length).toBeGreaterThan(10);
    }
    const tooLong = await sys
      .http()
      .post('/v1/intake/chat/messages')
      .send({ conversationId: chat.conversationId, text: 'a'.repeat(1001) })
      .expect(400);
    expect(tooLong.body).toMatchObject({ error: 'ValidationError', details: [{ field: 'text', message: expect.stringMatching(/1000/) }] });
    const [draft] = await sys.dataSource.query('SELECT fields FROM chat_drafts WHERE conversation_id = $1', [chat.conversationId]);
    expect(draft.fields.diplomaLevel).toBeUndefined();
    expect(JSON.stringify(draft.fields)).not.toMatch(/script|asdf|Hello/);
    await chat.script([['cap', 'ASK', 'SITUATION']]);
  });

  it('after three answers it cannot use for one question, it stops insisting: an example, choices, a call back', async () => {
    const chat = newChat();
    await reach(chat, 'BIRTH_DATE');
    const answers = await chat.script([
      ['bof', 'UNUSABLE', 'BIRTH_DATE'],
      ['hier', 'UNUSABLE', 'BIRTH_DATE'],
      ['je sais plus', 'HELP', 'BIRTH_DATE'],
    ]);
    expect(answers[2].reply).toMatch(/par exemple « 12\/03\/2005 »/);
    expect(answers[2].reply).toMatch(/être rappelé/);
    expect(answers[2].quickReplies).toContainEqual({ label: 'Être rappelé·e', value: 'je veux être rappelé' });
    await chat.script([['je veux être rappelé', 'HUMAN', 'BIRTH_DATE']]);
    const birth = typedBirthDate(21);
    chat.remember(birth.typed, birth.iso);
    await chat.script([[birth.typed, 'ASK', 'POSTAL_CODE']]);
    const [session] = await sessionsOf(chat);
    expect(session).toMatchObject({ human_requested: true, unusable: 3 });
  });

  it('consent refused: nothing is recorded, the draft and transcript are deleted', async () => {
    const chat = newChat();
    const { contact } = await reach(chat, 'CONSENT');
    const [unclear, refused] = await chat.script([
      ['peut-être', 'UNUSABLE', 'CONSENT'],
      ['non', 'CONSENT_REFUSED', null],
    ]);
    expect(unclear.detail).toBe('CONSENT_UNCLEAR');
    expect(refused).toMatchObject({ done: true });
    expect(refused.caseId).toBeUndefined();
    expect(await draftsOf(chat)).toBe(0);
    const youths = await sys.dataSource.query('SELECT id FROM youths WHERE phone = $1', [`+33${contact.phone.slice(1)}`]);
    expect(youths).toEqual([]);
    const transcript = (await sys.http().get(`/v1/intake/chat/${chat.conversationId}`).expect(200)).body;
    expect(transcript).toMatchObject({ done: true, messages: [{ from: 'bot', text: expect.stringMatching(/effacé/) }] });
    const [session] = await sessionsOf(chat);
    expect(session).toMatchObject({ end_reason: 'REFUSED', step: 'CONSENT', case_id: null });
  });

  it('consent without sharing with the partner structures', async () => {
    const chat = newChat();
    await reach(chat, null, { CONSENT: 'oui mais sans partage' });
    const kase = await caseOf((await confirm(chat)).caseId!);
    expect(kase.profile.consent).toEqual({ dataProcessing: true, shareWithPartners: false, channels: ['SMS'] });
  });

  it('too old: told where to go at once; going on anyway ends in a case closed OUT_OF_SCOPE, as for a form', async () => {
    const chat = newChat();
    await reach(chat, 'BIRTH_DATE');
    const old = typedBirthDate(27);
    chat.remember(old.typed, old.iso);
    const [notice] = await chat.script([[old.typed, 'AGE_CHECK', 'AGE_CHECK']]);
    expect(notice.reply).toMatch(/tu as 27 ans.*France Travail/s);
    expect(notice.quickReplies.map((q) => q.value)).toEqual(['corriger ma date', 'continuer', 'arrêter']);
    await chat.script([['continuer', 'ASK', 'POSTAL_CODE']]);
    const contact = uniqueContact();
    chat.remember(contact.phone);
    await chat.script([
      ['75011', 'ASK', 'DIPLOMA'],
      ['bac', 'ASK', 'SITUATION'],
      ['je cherche un emploi', 'ASK', 'BARRIERS'],
      ['non', 'ASK', 'WISHES'],
      ['emploi', 'ASK', 'CONTACT'],
      [contact.phone, 'ASK', 'CONSENT'],
      ['oui', 'RECAP', 'RECAP'],
    ]);
    const done = await confirm(chat, 'tooOld');
    expect(done.reply).toMatch(/16 à 25 ans.*France Travail/);
    const kase = await caseOf(done.caseId!);
    expect(kase).toMatchObject({ stage: 'CLOSED', eligible: false, closure: { reason: 'OUT_OF_SCOPE' } });
    await expect(sys.client.workflow.getHandle(journeyWorkflowId(done.caseId!)).describe()).rejects.toThrow(/not found/i);
  });

  it('too old, then stopping there: nothing is kept', async () => {
    const chat = newChat();
    await reach(chat, 'BIRTH_DATE');
    const old = typedBirthDate(30);
    chat.remember(old.typed, old.iso);
    await chat.script([
      [old.typed, 'AGE_CHECK', 'AGE_CHECK'],
      ['c’est gratuit ?', 'FAQ', 'AGE_CHECK'],
      ['arrêter', 'STOPPED', null],
    ]);
    expect(await draftsOf(chat)).toBe(0);
    const [session] = await sessionsOf(chat);
    expect(session).toMatchObject({ end_reason: 'STOPPED', step: 'AGE_CHECK' });
  });

  it('too young, then the date corrected', async () => {
    const chat = newChat();
    await reach(chat, 'BIRTH_DATE');
    const young = typedBirthDate(15);
    const right = typedBirthDate(16);
    chat.remember(young.typed, young.iso, right.typed, right.iso);
    const [notice] = await chat.script([
      [young.typed, 'AGE_CHECK', 'AGE_CHECK'],
      ['corriger ma date', 'EDIT', 'BIRTH_DATE'],
      [right.typed, 'ASK', 'POSTAL_CODE'],
    ]);
    expect(notice.reply).toMatch(/CIO/);
  });

  it('the same person as an existing case: the same case, no second journey', async () => {
    const form = aForm();
    const first = await sys.http().post('/v1/intake/forms').send(form).expect(201);
    const chat = newChat();
    chat.remember(form.phone, form.email);
    await reach(chat, null, { CONTACT: form.phone.replace(/(\d{2})(?=\d)/g, '$1.') });
    const done = await confirm(chat, 'alreadyKnown');
    expect(done.caseId).toBe(first.body.caseId);
    expect(done.reply).toMatch(/déjà ta demande/);
    const executions = [];
    for await (const wf of sys.client.workflow.list({ query: `WorkflowId = '${journeyWorkflowId(first.body.caseId)}'` }))
      executions.push(wf);
    expect(executions).toHaveLength(1);
    const [{ count }] = await sys.dataSource.query('SELECT count(*)::int AS count FROM youths WHERE phone = $1', [
      `+33${form.phone.slice(1)}`,
    ]);
    expect(count).toBe(1);
    const [session] = await sessionsOf(chat);
    expect(session).toMatchObject({ intake_outcome: 'REPEATED', case_id: first.body.caseId });
  });

  it('two messages at once: one workflow starts, both are answered, one after the other', async () => {
    const chat = newChat();
    const answers = await Promise.all([chat.say('Bonjour'), chat.say('Salut')]);
    expect(answers.map((a) => a.turn).sort()).toEqual([1, 2]);
    const [first, second] = [...answers].sort((a, b) => a.turn - b.turn);
    expect(first).toMatchObject({ intent: 'WELCOME', question: 'FIRST_NAME' });
    // The second was read after the first: it is not welcomed again.
    expect(second).toMatchObject({ intent: 'UNUSABLE', question: 'FIRST_NAME' });
    const runs = [];
    for await (const wf of sys.client.workflow.list({ query: `WorkflowId = '${chatWorkflowId(chat.conversationId)}'` })) runs.push(wf);
    expect(runs).toHaveLength(1);

    chat.remember('Nour');
    const [name, date] = await Promise.all([chat.say('Nour'), new Promise<ChatAnswer>((r) => setTimeout(() => r(chat.say('bof')), 5))]);
    expect([name.turn, date.turn].sort()).toEqual([3, 4]);
    const transcript = (await sys.http().get(`/v1/intake/chat/${chat.conversationId}`).expect(200)).body;
    expect(transcript.messages.map((m: { from: string }) => m.from)).toEqual([
      'youth',
      'bot',
      'youth',
      'bot',
      'youth',
      'bot',
      'youth',
      'bot',
    ]);
  });

  it('a conversation left alone expires (policy chatIdleExpiry): its draft goes; answered again, it starts over politely', async () => {
    const chat = newChat();
    // A policy version of this conversation's own: the current one, other conversations', is untouched.
    sys.policies.use(chat.conversationId, await savePolicyVersion(sys.dataSource, { chatIdleExpiry: 'PT2S' }));
    await chat.script([
      ['Bonjour', 'WELCOME', 'FIRST_NAME'],
      ['Maëlys', 'ASK', 'BIRTH_DATE'],
    ]);
    chat.remember('Maëlys');
    expect(await draftsOf(chat)).toBe(1);
    await expect(sys.client.workflow.getHandle(chatWorkflowId(chat.conversationId)).result()).resolves.toMatchObject({ ended: 'EXPIRED' });
    expect(await draftsOf(chat)).toBe(0);
    sys.policies.forget(chat.conversationId); // the conversation started over takes the current policy
    if (process.env.SAVE_HISTORIES) await saveHistory(chatWorkflowId(chat.conversationId), 'chat-expired');
    expect((await sys.http().get(`/v1/intake/chat/${chat.conversationId}`).expect(200)).body).toEqual({ messages: [], done: false });
    const [again] = await chat.script([['Coucou', 'WELCOME', 'FIRST_NAME']]);
    expect(again.reply).toMatch(/Re-bonjour.*effacé.*depuis le début/);
    const sessions = await sessionsOf(chat);
    expect(sessions.map((s: { end_reason: string | null; step: string }) => [s.end_reason, s.step])).toEqual([
      ['EXPIRED', 'BIRTH_DATE'],
      [null, 'FIRST_NAME'],
    ]);
  });

  it('DELETE ends the conversation and deletes its draft and transcript; "efface tout" does the same', async () => {
    const chat = newChat();
    await reach(chat, 'DIPLOMA');
    await sys.http().delete(`/v1/intake/chat/${chat.conversationId}`).expect(204);
    expect(await draftsOf(chat)).toBe(0);
    expect((await sys.http().get(`/v1/intake/chat/${chat.conversationId}`).expect(200)).body).toEqual({ messages: [], done: true });
    const [session] = await sessionsOf(chat);
    expect(session).toMatchObject({ end_reason: 'ERASED', step: 'DIPLOMA' });
    await chat.script([['Bonjour', 'WELCOME', 'FIRST_NAME']]);

    const other = newChat();
    await reach(other, 'SITUATION');
    await other.script([['efface tout', 'ERASED', null]]);
    expect(await draftsOf(other)).toBe(0);
    await sys.http().delete(`/v1/intake/chat/${randomUUID()}`).expect(404);
  });

  it('after the case exists: questions still answered, asking for a person flags the case, anything else is acknowledged', async () => {
    const chat = newChat();
    await reach(chat, null);
    const done = await confirm(chat);
    await chat.script([
      ["c'est gratuit ?", 'FAQ', null],
      ['merci', 'AFTER_DONE', null],
      ['je veux parler à quelqu’un', 'HUMAN', null],
    ]);
    const notes = await sys.dataSource.query('SELECT text FROM case_notes WHERE case_id = $1', [done.caseId]);
    expect(notes).toHaveLength(1);
  });

  it('erasing the young person (admin) also deletes the transcript of the conversation that led to the case', async () => {
    const chat = newChat();
    await reach(chat, null);
    const done = await confirm(chat);
    const before = await sys.dataSource.query('SELECT count(*)::int AS n FROM chat_messages WHERE conversation_id = $1', [
      chat.conversationId,
    ]);
    expect(before[0].n).toBe(22);
    await sys
      .http()
      .delete(`/v1/youths/${done.caseId}/personal-data`)
      .set('Authorization', `Bearer ${sys.token('admin')}`)
      .expect(200);
    expect((await sys.http().get(`/v1/intake/chat/${chat.conversationId}`).expect(200)).body).toEqual({
      messages: [],
      done: true,
      caseId: done.caseId,
    });
  });

  it('bad input gets a 400 in the one error shape; an unknown conversation is 404', async () => {
    const bad = await sys.http().post('/v1/intake/chat/messages').send({ conversationId: 'not-a-uuid', text: 12 }).expect(400);
    expect(bad.body).toMatchObject({ error: 'ValidationError' });
    expect([...new Set(bad.body.details.map((d: { field: string }) => d.field))].sort()).toEqual(['conversationId', 'text']);
    const campaignBad = await sys
      .http()
      .post('/v1/intake/chat/messages')
      .send({ conversationId: randomUUID(), text: 'Bonjour', campaign: 'Léa Martin 06 12' })
      .expect(400);
    expect(campaignBad.body.details).toEqual([{ field: 'campaign', message: expect.stringMatching(/campaign code/) }]);
    await sys.http().get(`/v1/intake/chat/${randomUUID()}`).expect(404);
    await sys.http().get('/v1/intake/chat/nope').expect(400);
  });

  it('rate limited per conversation (429 in the error shape), other conversations unaffected', async () => {
    const previous = process.env.CHAT_CONVERSATION_RATE_LIMIT_PER_MINUTE;
    process.env.CHAT_CONVERSATION_RATE_LIMIT_PER_MINUTE = '3';
    try {
      const chat = newChat();
      for (const text of ['Bonjour', 'Salut', 'Hello']) await chat.say(text);
      const limited = await sys
        .http()
        .post('/v1/intake/chat/messages')
        .send({ conversationId: chat.conversationId, text: 'Re' })
        .expect(429);
      expect(limited.body).toMatchObject({ error: 'TooManyRequests', details: [] });
      await newChat().script([['Bonjour', 'WELCOME', 'FIRST_NAME']]);
    } finally {
      process.env.CHAT_CONVERSATION_RATE_LIMIT_PER_MINUTE = previous;
    }
  });

  it('the chat funnel for managers: JSON and CSV, computed from this file’s conversations', async () => {
    const res = await sys.http().get(`/v1/reports/chat-funnel?campaign=${campaign}`).set('Authorization', manager()).expect(200);
    const report = res.body;
    // Sessions: the expired and the deleted conversations were each answered again, a second session each.
    expect(report.started).toBe(testers.length + 2);
    expect(report.completed).toBeGreaterThanOrEqual(10);
    expect(report.reached.FIRST_NAME).toBe(report.started);
    expect(report.reached.RECAP).toBeGreaterThanOrEqual(report.completed);
    expect(report.recap).toBe(report.reached.RECAP);
    expect(report.abandonedByReason).toMatchObject({ REFUSED: 1, STOPPED: 1, ERASED: 2, EXPIRED: 1 });
    expect(report.abandonedByStep).toMatchObject({ CONSENT: 1, AGE_CHECK: 1 });
    expect(report.outOfScope).toBe(1);
    expect(report.alreadyKnown).toBe(1);
    expect(report.humanRequested).toBeGreaterThanOrEqual(3);
    expect(report.medianMinutesToComplete).toEqual(expect.any(Number));
    expect(report.started).toBe(report.completed + report.abandoned + report.open);

    const csv = await sys.http().get(`/v1/reports/chat-funnel?campaign=${campaign}&format=csv`).set('Authorization', manager()).expect(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe('measure,step,value');
    expect(lines).toContain(`started,,${report.started}`);
    expect(lines).toContain(`reached,RECAP,${report.reached.RECAP}`);
    expect(lines).toContain(`abandonedAt,CONSENT,1`);
    await sys.http().get('/v1/reports/chat-funnel').set('Authorization', counsellor()).expect(403);
  });

  it('no personal data typed in any conversation appears in any workflow history', async () => {
    let scanned = 0;
    for (const chat of testers) {
      for await (const run of sys.client.workflow.list({ query: `WorkflowId = '${chatWorkflowId(chat.conversationId)}'` })) {
        const history = await sys.client.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
        const text = JSON.stringify(history, (_, value) =>
          value instanceof Uint8Array || (value && value.type === 'Buffer') ? Buffer.from(value.data ?? value).toString('utf8') : value,
        );
        expect(text).toContain(chat.conversationId);
        for (const personal of chat.personal.filter((p) => p.length >= 3)) {
          expect({ conversation: chat.conversationId, personal, found: text.includes(personal) }).toEqual({
            conversation: chat.conversationId,
            personal,
            found: false,
          });
        }
        // Nothing the young person typed travels either, whole (short quick-reply values like "oui" aside).
        for (const typed of chat.typed.filter((t) => t.length >= 8)) expect(text.includes(JSON.stringify(typed).slice(1, -1))).toBe(false);
        scanned += 1;
      }
    }
    expect(testers.length).toBeGreaterThanOrEqual(30);
    expect(scanned).toBeGreaterThanOrEqual(testers.length);
  });
});

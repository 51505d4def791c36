import type { ChatDraftFields } from '@walt/persistence';
import type { ChatStep } from './flow/steps';
import { FAQ_INTENTS } from './parse/intents';
import { readMessage } from './read-message';

/** Every reading is judged at this instant, whatever today is. */
const NOW = new Date('2026-06-15T10:00:00Z');
const read = (text: string, expecting: ChatStep, draft: ChatDraftFields = {}, firstTurn = false) =>
  readMessage(text, { expecting, draft, now: NOW, firstTurn });

describe('reading a first name', () => {
  it.each([
    ['Léa', 'Léa'],
    ["je m'appelle Karim", 'Karim'],
    ["moi c'est jean-pierre", 'Jean-Pierre'],
    ['LÉA', 'Léa'],
    ['Marie Claire', 'Marie Claire'],
    ["Bonjour, je m'appelle Inès !", 'Inès'],
  ])('%p is %p', (text, firstName) => {
    expect(read(text, 'FIRST_NAME')).toEqual({
      reading: { kind: 'FILLED', field: 'FIRST_NAME', correction: false },
      draft: { firstName },
    });
  });

  it.each(['bonjour', 'asdfghjkl', '1234', '<script>alert(1)</script>', 'ok', '😀'])('%p is not a name', (text) => {
    expect(read(text, 'FIRST_NAME').reading.kind).toBe('UNUSABLE');
    expect(read(text, 'FIRST_NAME').draft).toBeNull();
  });

  it('on the first message, only an introduced name counts (a greeting is not one)', () => {
    expect(read('Salut', 'FIRST_NAME', {}, true).reading.kind).toBe('UNUSABLE');
    expect(read('Léa', 'FIRST_NAME', {}, true).reading.kind).toBe('UNUSABLE');
    expect(read("Salut, moi c'est Léa", 'FIRST_NAME', {}, true).draft).toEqual({ firstName: 'Léa' });
  });
});

describe('reading a birth date (chrono, French; the year must be written)', () => {
  it.each([
    ['12/03/2005', '2005-03-12'],
    ['12.03.05', '2005-03-12'],
    ['le 3 mars 2005', '2005-03-03'],
    ['3 mars 05', '2005-03-03'],
    ['je suis née le 1er janvier 2004', '2004-01-01'],
    ['12 / 03 / 2005', '2005-03-12'],
    ['12032005', '2005-03-12'],
    ['25 décembre 99', '1999-12-25'],
  ])('%p is %s', (text, birthDate) => {
    const { reading, draft } = read(text, 'BIRTH_DATE');
    expect(draft).toEqual({ birthDate });
    expect(reading).toMatchObject({ kind: 'FILLED', field: 'BIRTH_DATE' });
  });

  it.each([
    ['3 mars', 'DATE_NO_YEAR'],
    ['mars 2005', 'DATE_INCOMPLETE'],
    ['31/02/2005', 'DATE_INVALID'],
    ['12/03/2030', 'DATE_FUTURE'],
    ['12/03/1890', 'DATE_IMPLAUSIBLE'],
  ])('%p is refused: %s', (text, why) => {
    expect(read(text, 'BIRTH_DATE')).toEqual({ reading: { kind: 'UNUSABLE', why }, draft: null });
  });

  it('an age alone asks for the date, with its band', () => {
    expect(read("j'ai 19 ans", 'BIRTH_DATE').reading).toEqual({ kind: 'AGE_ONLY', ageBand: 'IN_SCOPE' });
    expect(read('26 ans', 'BIRTH_DATE').reading).toEqual({ kind: 'AGE_ONLY', ageBand: 'TOO_OLD' });
  });

  it('carries the age band, never the date', () => {
    expect(read('01/01/1990', 'BIRTH_DATE').reading).toEqual({
      kind: 'FILLED',
      field: 'BIRTH_DATE',
      correction: false,
      facts: { ageBand: 'TOO_OLD' },
    });
  });
});

describe('reading where the young person lives', () => {
  it('a postal code of one commune, overseas included', () => {
    expect(read('97110', 'POSTAL_CODE')).toEqual({
      reading: { kind: 'FILLED', field: 'POSTAL_CODE', correction: false, facts: { departement: '971' } },
      draft: { postalCode: '97110', communeCode: '97120', communeName: 'Pointe-à-Pitre' },
    });
    expect(read("c'est le 97 300", 'POSTAL_CODE').draft).toMatchObject({ postalCode: '97300', communeName: 'Cayenne' });
    expect(read('69003', 'POSTAL_CODE').reading).toMatchObject({ facts: { departement: '69' } });
  });

  it('a postal code of several communes, and a city of several postal codes, are choices', () => {
    const shared = read('01400', 'POSTAL_CODE');
    expect(shared.reading).toEqual({ kind: 'CHOICES', field: 'POSTAL_CODE', count: 10 });
    const lyon = read("j'habite à Lyon", 'POSTAL_CODE');
    expect(lyon.reading).toEqual({ kind: 'CHOICES', field: 'POSTAL_CODE', count: 9 });
    expect(lyon.draft!.choices![2]).toEqual({ postalCode: '69003', communeCode: '69123', label: 'Lyon (69003)' });
    const picked = read('Lyon (69003)', 'COMMUNE', lyon.draft!);
    expect(picked.reading).toMatchObject({ kind: 'FILLED', field: 'POSTAL_CODE' });
    expect(picked.draft).toEqual({ postalCode: '69003', communeCode: '69123', communeName: 'Lyon' });
  });

  it('a city with an arrondissement, a city of one postal code, one of several namesakes', () => {
    expect(read('Lyon 3e', 'POSTAL_CODE').draft).toMatchObject({ postalCode: '69003' });
    expect(read('Cayenne', 'POSTAL_CODE').draft).toMatchObject({ postalCode: '97300' });
    const saintDenis = read('st denis', 'POSTAL_CODE');
    expect(saintDenis.reading.kind).toBe('CHOICES');
    expect(read('Saint-Denis (93200)', 'COMMUNE', saintDenis.draft!).draft).toMatchObject({ postalCode: '93200', communeCode: '93066' });
  });

  it.each([
    ['00000', 'POSTAL_UNKNOWN'],
    ['Trifouilly-les-Oies', 'CITY_UNKNOWN'],
  ])('%p: %s', (text, why) => expect(read(text, 'POSTAL_CODE').reading).toEqual({ kind: 'UNUSABLE', why }));
});

describe('reading closed questions in everyday words', () => {
  it.each([
    ['rien', 'NONE'],
    ['brevet', 'NONE'],
    ["j'ai un cap cuisine", 'CAP_BEP'],
    ['bep', 'CAP_BEP'],
    ['bac pro', 'BAC'],
    ['bac+2', 'BAC_2'],
    ['un BTS', 'BAC_2'],
    ['licence', 'BAC_3_PLUS'],
  ])('diploma %p is %s', (text, diplomaLevel) => expect(read(text, 'DIPLOMA').draft).toEqual({ diplomaLevel }));

  it.each([
    ["j'ai arrêté l'école en juin", 'LEFT_SCHOOL'],
    ['je cherche du boulot', 'LOOKING_FOR_JOB'],
    ['je fais de l intérim', 'SHORT_CONTRACTS'],
    ['je fais rien en ce moment', 'INACTIVE'],
  ])('situation %p is %s', (text, situation) => expect(read(text, 'SITUATION').draft).toEqual({ situation }));

  it('barriers: several in one answer, or none', () => {
    expect(read("j'ai pas le permis et je suis hébergée chez une amie", 'BARRIERS').draft).toEqual({ barriers: ['HOUSING', 'MOBILITY'] });
    expect(read('non ça va', 'BARRIERS').draft).toEqual({ barriers: [] });
    expect(read('je préfère ne pas répondre', 'BARRIERS').draft).toEqual({ barriers: [] });
  });

  it('wishes: several in one answer; not sure only alone', () => {
    expect(read('une formation ou l’alternance', 'WISHES').draft).toEqual({ wishes: ['ALTERNANCE', 'TRAINING'] });
    expect(read('je sais pas trop', 'WISHES').draft).toEqual({ wishes: ['NOT_SURE'] });
    expect(read('bosser', 'WISHES').draft).toEqual({ wishes: ['JOB'] });
  });
});

describe('reading how to reach them', () => {
  it.each([
    ['06 12 34 56 78', '+33612345678'],
    ['06.12.34.56.78', '+33612345678'],
    ['+33 6 12 34 56 78', '+33612345678'],
    ['0033612345678', '+33612345678'],
    ["c'est le 0690 12 34 56", '+590690123456'],
    ['0696-12-34-56', '+596696123456'],
  ])('phone %p is %s', (text, phone) => expect(read(text, 'CONTACT').draft).toEqual({ phone, email: undefined }));

  it('an email, and both at once', () => {
    expect(read('Lea.Martin@Example.org', 'CONTACT').draft).toEqual({ email: 'lea.martin@example.org', phone: undefined });
    expect(read('0612345678 et lea@example.org', 'CONTACT').draft).toEqual({ phone: '+33612345678', email: 'lea@example.org' });
  });

  it.each([
    ['06 12 34', 'PHONE_INVALID'],
    ['lea@', 'EMAIL_INVALID'],
  ])('%p: %s', (text, why) => expect(read(text, 'CONTACT').reading).toEqual({ kind: 'UNUSABLE', why }));
});

describe('consent and recap: only an explicit yes counts', () => {
  it.each([
    ["oui j'accepte", true],
    ["d'accord", true],
    ['oui sans partage', false],
  ])('%p', (text, shareWithPartners) =>
    expect(read(text, 'CONSENT').draft).toEqual({ consent: { dataProcessing: true, shareWithPartners } }),
  );
  it('no is a refusal, maybe is not a yes', () => {
    expect(read('non', 'CONSENT').reading).toEqual({ kind: 'NO' });
    expect(read('peut-être', 'CONSENT').reading).toEqual({ kind: 'UNUSABLE', why: 'CONSENT_UNCLEAR' });
    expect(read("c'est bon", 'RECAP').reading).toEqual({ kind: 'YES' });
    expect(read('changer une réponse', 'RECAP').reading).toEqual({ kind: 'NO' });
  });
});

describe('commands, questions and corrections at any step', () => {
  it('commands are whole messages', () => {
    expect(read('recommencer', 'DIPLOMA').reading).toEqual({ kind: 'COMMAND', command: 'RESTART' });
    expect(read('Retour', 'DIPLOMA').reading).toEqual({ kind: 'COMMAND', command: 'BACK' });
    expect(read('récap', 'WISHES').reading).toEqual({ kind: 'COMMAND', command: 'RECAP' });
    expect(read('efface tout', 'WISHES').reading).toEqual({ kind: 'COMMAND', command: 'ERASE' });
  });

  it.each([
    ["c'est quoi une mission locale ?", 'mission_locale'],
    ["c'est gratuit ?", 'free'],
    ['qui va voir mes données ?', 'privacy'],
    ['ça prend combien de temps ?', 'how_long'],
    ["j'ai 27 ans", 'too_old'],
    ["c'est quoi l'E2C", 'e2c'],
    ["l'epide c'est quoi", 'epide'],
    ['je veux parler à quelqu’un', 'human'],
  ])('%p is the FAQ %s', (text, faqId) => expect(read(text, 'POSTAL_CODE').reading).toMatchObject({ kind: 'FAQ', faqId }));

  it('a correction of another answer, with or without its new value', () => {
    expect(read("non c'est 69003", 'DIPLOMA')).toEqual({
      reading: { kind: 'FILLED', field: 'POSTAL_CODE', correction: true, facts: { departement: '69' } },
      draft: { postalCode: '69003', communeCode: '69123', communeName: 'Lyon' },
    });
    expect(read('je me suis trompé de date', 'DIPLOMA').reading).toEqual({ kind: 'EDIT', field: 'BIRTH_DATE' });
    expect(read('je me suis trompée', 'DIPLOMA').reading).toEqual({ kind: 'COMMAND', command: 'BACK' });
    expect(read('changer mon code postal', 'RECAP').reading).toEqual({ kind: 'EDIT', field: 'POSTAL_CODE' });
    expect(read("ma date de naissance c'est le 3 mars 2005", 'SITUATION').draft).toEqual({ birthDate: '2005-03-03' });
  });

  it('a correction of the question being asked is its answer', () => {
    expect(read("non c'est 69003", 'POSTAL_CODE').reading).toMatchObject({ kind: 'FILLED', field: 'POSTAL_CODE', correction: false });
    expect(read('en fait je cherche du travail', 'SITUATION').draft).toEqual({ situation: 'LOOKING_FOR_JOB' });
  });
});

describe('what cannot be used gets its own calm answer', () => {
  it.each([
    ['   ', 'EMPTY'],
    ['👍👍', 'EMOJI'],
    ['Hello, my name is John and I want a job', 'OTHER_LANGUAGE'],
    ['مرحبا', 'OTHER_LANGUAGE'],
    ['<b>bonjour</b>', 'MARKUP'],
    ['?!?!', 'NOT_UNDERSTOOD'],
    ['blabla '.repeat(60), 'TOO_LONG'],
  ])('%p at the diploma question: %s', (text, why) => expect(read(text, 'DIPLOMA').reading).toEqual({ kind: 'UNUSABLE', why }));
});

describe('the FAQ data file', () => {
  it('has at least 12 intents, each asked by its own example at any step', () => {
    expect(FAQ_INTENTS.length).toBeGreaterThanOrEqual(12);
    for (const intent of FAQ_INTENTS) {
      for (const step of ['FIRST_NAME', 'DIPLOMA', 'CONTACT', 'RECAP'] as const) {
        expect({ example: intent.example, step, reading: read(intent.example, step).reading }).toEqual({
          example: intent.example,
          step,
          reading: { kind: 'FAQ', faqId: intent.id, human: intent.human },
        });
      }
    }
  });
});

describe('words chrono reads as dates are no birth date', () => {
  it.each(['hier', "aujourd'hui", 'demain', 'lundi'])('%p', (text) => expect(read(text, 'BIRTH_DATE').reading.kind).toBe('UNUSABLE'));
});

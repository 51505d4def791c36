import { expect, test, type Browser, type Page, type Response } from '@playwright/test';
import { addUser, aForm, bearer, check, eventually, signIn, uniqueEmail, withDb, yearsAgo } from './support';

/**
 * The scenario in a real browser against the real system: a young person fills the form
 * on a phone → a counsellor signed in by link logs a contact → the partner accepts with an
 * appointment, without seeing contact details before → the counsellor's page shows it → the
 * manager's funnel counts it. Then a decline from the signed link, a partner kept out of another
 * partner's referral, and the admin's CSV import with a bad line.
 */
test.describe.configure({ mode: 'serial' });

const youth = { firstName: 'Inès', lastName: `Moreau-${Date.now().toString(36)}`, email: uniqueEmail('ines'), phone: '0611223344' };
let caseId: string;
let partnerId: string;
let counsellorPage: Page;

async function phone(browser: Browser) {
  const context = await browser.newContext({ viewport: { width: 320, height: 720 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  return context.newPage();
}

test('a young person fills the form on a phone, with French errors next to the fields; a double submit makes one case', async ({
  browser,
}) => {
  const page = await phone(browser);
  await page.goto('/?source=instagram&campagne=rentree-2026');
  await expect(page.getByRole('heading', { name: /Toi/ })).toBeVisible();
  await check(page, '01-form-step-1');

  await page.getByRole('button', { name: 'Continuer' }).click();
  await expect(page.getByLabel('Ton prénom')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('Indique ton prénom.')).toBeVisible();
  await check(page, '02-form-step-1-errors');

  await page.getByLabel('Ton prénom').fill(youth.firstName);
  await page.getByLabel('Ton nom').fill(youth.lastName);
  await page.getByLabel('Ta date de naissance').fill(yearsAgo(20));
  await page.getByRole('button', { name: 'Continuer' }).click();

  await expect(page.getByRole('heading', { name: /Où tu habites/ })).toBeVisible();
  await page.getByLabel('Ton code postal').fill('00000');
  await expect(page.getByText('On ne trouve pas ce code postal')).toBeVisible();
  await page.getByLabel('Ton code postal').fill('75011');
  await expect(page.getByText('Commune :')).toContainText('Paris');
  await check(page, '03-form-step-2-commune');
  await page.getByRole('button', { name: 'Continuer' }).click();

  await page.getByLabel('Ton diplôme le plus haut').selectOption('CAP_BEP');
  await page.getByLabel('Ce qui te ressemble le plus').selectOption('LOOKING_FOR_JOB');
  await page.getByLabel('Trouver un emploi').check();
  await page.getByLabel('Transport, permis').check();
  await check(page, '04-form-step-3');
  await page.getByRole('button', { name: 'Continuer' }).click();

  await page.getByLabel('Ton adresse e-mail').fill(youth.email);
  await page.getByLabel('Ton numéro de téléphone').fill('12');
  await page.getByLabel(/J'accepte que le programme garde/).check();
  await page.getByRole('button', { name: 'Envoyer ma demande' }).click();
  // The API refuses the phone number: its message, in French, next to the field.
  await expect(page.locator('#phone-error')).toHaveText("Ce numéro n'a pas l'air valide (exemple : 06 12 34 56 78).");
  await expect(page.getByLabel('Ton numéro de téléphone')).toBeFocused();
  await check(page, '05-form-step-4-api-error');

  await page.getByLabel('Ton numéro de téléphone').fill(youth.phone);
  await page.getByRole('button', { name: 'Envoyer ma demande' }).dblclick();
  await expect(page.getByRole('heading', { name: "C'est envoyé !" })).toBeVisible();
  await expect(page.getByRole('status')).toContainText('On a bien reçu ta demande');
  await check(page, '06-form-done');

  const cases = await withDb(
    async (db) =>
      (await db.query(`SELECT c.id, c.source_campaign FROM cases c JOIN youths y ON y.id = c.youth_id WHERE y.email = $1`, [youth.email]))
        .rows,
  );
  expect(cases).toHaveLength(1);
  caseId = cases[0].id;
  await page.context().close();
});

test('out of scope, keyboard only: the message says where to go; the privacy notice is one link away', async ({ browser }) => {
  const page = await phone(browser);
  await page.goto('/');
  const type = async (label: string | RegExp, text: string) => {
    await page.getByLabel(label).focus();
    await page.keyboard.type(text);
  };
  await type('Ton prénom', 'Marc');
  await type('Ton nom', `Petit-${Date.now().toString(36)}`);
  await page.getByLabel('Ta date de naissance').fill(yearsAgo(30)); // a date input takes its value as typed by the picker
  await page.keyboard.press('Enter');
  await type('Ton code postal', '69003');
  await expect(page.getByText('Commune :')).toContainText('Lyon');
  await page.keyboard.press('Enter');
  await page.getByLabel('Ton diplôme le plus haut').focus();
  await page.keyboard.press('ArrowDown');
  await page.getByLabel('Ce qui te ressemble le plus').focus();
  await page.keyboard.press('ArrowDown');
  await page.getByLabel('Trouver un emploi').focus();
  await page.keyboard.press('Space');
  await page.keyboard.press('Enter');
  await type('Ton adresse e-mail', uniqueEmail('marc'));
  await page.getByLabel('SMS').focus();
  await page.keyboard.press('Space'); // no phone: no SMS
  await page.getByLabel(/J'accepte que le programme garde/).focus();
  await page.keyboard.press('Space');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Merci de nous avoir écrit' })).toBeVisible();
  await expect(page.getByRole('status')).toContainText('France Travail');
  await check(page, '07-form-out-of-scope');

  await page.goto('/confidentialite');
  await expect(page.getByRole('heading', { name: "Ce qu'on fait de tes données" })).toBeVisible();
  await check(page, '08-privacy');
  await page.context().close();
});

test('a counsellor signed in by link finds the case and logs a contact; the journey refers the young person', async ({
  browser,
  request,
}) => {
  const email = uniqueEmail('conseillere');
  await addUser(request, { email, role: 'counsellor' });
  counsellorPage = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  const page = counsellorPage;
  await signIn(page, email, '/console/dossiers');
  await expect(page).toHaveURL(/\/console\/dossiers$/);
  await check(page, '09-console-sign-in-done-case-list');

  await page.getByLabel('Rechercher').fill(youth.lastName);
  await page.getByRole('button', { name: 'Filtrer' }).click();
  await page.getByRole('link', { name: `${youth.firstName} ${youth.lastName}` }).click();
  await expect(page).toHaveURL(new RegExp(`/console/dossiers/${caseId}$`));
  await expect(page.getByTestId('stage')).toHaveText('Prise de contact');
  await check(page, '10-case-page');

  await page.getByLabel('Note (facultatif)').fill('Appel : très motivée pour un emploi.');
  await page.getByRole('button', { name: 'Enregistrer le contact' }).click();
  await expect(page.getByText('Contact enregistré.', { exact: true })).toBeVisible();
  await expect(page.getByTestId('referral-status').first()).toHaveText('En attente', { timeout: 20_000 });
  await expect(page.getByTestId('stage')).toHaveText('Orienté');
  await page.getByRole('button', { name: 'Voir les partenaires possibles' }).click();
  await expect(page.getByRole('heading', { name: 'Exclus, et pourquoi' })).toBeVisible();
  await check(page, '11-case-page-referred-matches');

  // The profile, edited on the page: the API's refusal next to its field, in French, then saved.
  await page.getByRole('button', { name: 'Modifier le profil' }).click();
  await page.getByLabel('Téléphone', { exact: true }).fill('12');
  await page.getByRole('button', { name: 'Enregistrer le profil' }).click();
  await expect(page.locator('#profile-phone-error')).toHaveText("Ce numéro n'a pas l'air valide (exemple : 06 12 34 56 78).");
  await expect(page.getByLabel('Téléphone', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await check(page, '11b-case-page-profile-error');
  await page.getByLabel('Téléphone', { exact: true }).fill('06 22 33 44 55');
  await page.getByLabel('Trouver un emploi').uncheck();
  await page.getByLabel('Suivre une formation').check();
  await page.getByRole('button', { name: 'Enregistrer le profil' }).click();
  await expect(page.getByText('Profil modifié.', { exact: true })).toBeVisible();
  await expect(page.locator('.facts')).toContainText('Suivre une formation');

  // A pause while a partner decides: the API's 409, explained in French.
  await page.getByLabel('Motif de la pause').fill('Le jeune a demandé une pause');
  await page.getByRole('button', { name: 'Mettre en pause' }).click();
  await expect(page.getByTestId('pause-refused')).toContainText("Impossible de mettre en pause : le dossier est à l'étape « Orienté »");
  await expect(page.getByTestId('pause-refused')).toContainText('Un partenaire étudie une orientation');
  await check(page, '11c-case-page-pause-refused');

  ({ partner_id: partnerId } = await withDb(
    async (db) => (await db.query(`SELECT id, partner_id FROM referrals WHERE case_id = $1 AND status = 'PENDING'`, [caseId])).rows[0],
  ));
  expect(partnerId).toBeTruthy();
});

test('the partner sees the referral without contact details, accepts with an appointment; the counsellor sees ACCEPTED', async ({
  browser,
  request,
}) => {
  const email = uniqueEmail('partenaire');
  await addUser(request, { email, role: 'partner', partnerId });
  const page = await (await browser.newContext()).newPage();
  await signIn(page, email);
  await expect(page).toHaveURL(/\/console\/partenaire$/);
  await expect(page.getByRole('link', { name: youth.firstName })).toBeVisible();
  await check(page, '12-partner-inbox');

  await page.getByRole('link', { name: youth.firstName }).click();
  await expect(page.getByTestId('referral-status')).toHaveText('En attente');
  const before = await page.locator('main').innerText();
  for (const secret of [youth.lastName, youth.email, '6 11 22 33 44', '611223344']) expect(before).not.toContain(secret);
  await check(page, '13-partner-referral-pending');

  const appointment = new Date(Date.now() + 3 * 86_400_000);
  appointment.setHours(10, 0, 0, 0);
  const local = `${appointment.getFullYear()}-${String(appointment.getMonth() + 1).padStart(2, '0')}-${String(appointment.getDate()).padStart(2, '0')}T10:00`;
  await page.getByLabel('Date du premier rendez-vous (facultatif)').fill(local);
  // The counsellor's open page polls its case each second, answered 304 while nothing changed.
  const polls: number[] = [];
  const countPolls = (res: Response) => {
    if (new URL(res.url()).pathname === `/v1/cases/${caseId}`) polls.push(res.status());
  };
  counsellorPage.on('response', countPolls);
  await expect.poll(() => polls.includes(304), { message: 'an unchanged poll of the case answered 304' }).toBe(true);
  polls.length = 0;
  await page.getByRole('button', { name: "Accepter l'orientation" }).click();
  await expect(page.getByTestId('referral-status')).toHaveText('Acceptée');
  const acceptedAt = Date.now();
  // It shows the acceptance within about a second: one poll, plus time for a loaded machine.
  await expect(counsellorPage.getByTestId('referral-status').first()).toHaveText('Acceptée', { timeout: 3000 });
  const seenAfterMs = Date.now() - acceptedAt;
  await expect(counsellorPage.getByTestId('stage')).toHaveText('Accepté');
  counsellorPage.off('response', countPolls);
  console.log(`the counsellor's page showed the acceptance ${seenAfterMs} ms after the partner's page did`);
  expect(polls).toContain(200); // the poll that brought the acceptance
  await expect(page.locator('main')).toContainText(youth.email);
  await check(page, '14-partner-referral-accepted');
  await check(counsellorPage, '15-case-page-accepted');

  // The young person came: the pathway starts, the counsellor records a check-in, pauses, resumes.
  const { id: referralId } = await withDb(
    async (db) => (await db.query(`SELECT id FROM referrals WHERE case_id = $1 AND status = 'ACCEPTED'`, [caseId])).rows[0],
  );
  const attended = await page.request.post(`/v1/partner/referrals/${referralId}/attendance`, {
    headers: { authorization: bearer('partner', { partnerId }) },
    data: { attended: true },
  });
  expect(attended.status(), await attended.text()).toBe(200);
  const c = counsellorPage;
  await expect(c.getByTestId('stage')).toHaveText('En parcours', { timeout: 5000 });
  await c.getByRole('button', { name: 'Enregistrer le point de suivi' }).click();
  await expect(c.locator('#checkin-status-error')).toHaveText('Choisissez une réponse dans la liste.');
  await c.getByLabel('Où en est le jeune ?').selectOption('ON_TRACK');
  await c.getByLabel('Note du point de suivi (facultatif)').fill('Assidu, content de sa formation.');
  // The answer is lost on its way back: the console sends the check-in again under the same
  // Idempotency-Key, and the API records it once.
  const keys: string[] = [];
  await c.route('**/check-ins', async (route) => {
    keys.push((await route.request().headerValue('idempotency-key')) ?? '');
    if (keys.length > 1) return route.continue();
    await route.fetch();
    await route.abort('connectionreset');
  });
  await c.getByRole('button', { name: 'Enregistrer le point de suivi' }).click();
  await expect(c.getByText('Point de suivi enregistré.', { exact: true })).toBeVisible();
  await c.unroute('**/check-ins');
  expect(keys).toHaveLength(2);
  expect(keys[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(keys[1]).toBe(keys[0]);
  const view = await request.get(`/v1/cases/${caseId}`, { headers: { authorization: bearer('counsellor') } });
  expect((await view.json()).checkIns.filter((k: { status?: string }) => k.status)).toHaveLength(1);
  await expect(c.getByRole('region', { name: 'Points de suivi' })).toContainText('Tout va bien');
  await c.getByLabel('Motif de la pause').fill(''); // still holds the reason refused while REFERRED
  await c.getByRole('button', { name: 'Mettre en pause' }).click();
  await expect(c.locator('#pause-reason-error')).toHaveText('Indiquez le motif de la pause.');
  await c.getByLabel('Motif de la pause').fill('Déménagement en cours');
  await c.getByRole('button', { name: 'Mettre en pause' }).click();
  await expect(c.getByTestId('stage')).toHaveText('En pause');
  await check(c, '15b-case-page-paused');
  await c.getByRole('button', { name: 'Reprendre' }).click();
  await expect(c.getByTestId('stage')).toHaveText('En parcours');
  await page.context().close();
});

test("the manager's funnel counts the acceptance; every chart has its table", async ({ browser, request }) => {
  const email = uniqueEmail('responsable');
  await addUser(request, { email, role: 'manager' });
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await signIn(page, email, '/console/pilotage');
  await expect(page.getByRole('heading', { name: 'Pilotage' })).toBeVisible();
  const accepted = page.getByTestId('funnel-accepted').first();
  await expect(accepted).toBeVisible();
  expect(Number((await accepted.innerText()).split(' ')[0])).toBeGreaterThanOrEqual(1);
  await expect(page.getByRole('img', { name: /Entonnoir/ })).toBeVisible();
  await expect(page.getByRole('link', { name: "Télécharger l'entonnoir (CSV)" })).toHaveAttribute('href', /format=csv/);
  const csv = await page.request.get((await page.getByRole('link', { name: "Télécharger l'entonnoir (CSV)" }).getAttribute('href'))!);
  expect(csv.headers()['content-type']).toMatch(/text\/csv/);
  await check(page, '16-manager-dashboard');
  await page.context().close();
});

test('a partner declines from the signed link: OTHER needs a comment; the used link says so; another partner cannot open the referral', async ({
  browser,
  request,
}) => {
  // A second young person, in Lyon, captured by an API client; a counsellor reaches them by API.
  const form = aForm();
  const created = await request.post('/v1/intake/forms', { data: form });
  expect(created.status()).toBe(201);
  const second = (await created.json()).caseId as string;
  const contact = await request.post(`/v1/cases/${second}/contacts`, {
    headers: { authorization: bearer('counsellor') },
    data: { channel: 'PHONE', reached: true },
  });
  expect(contact.status(), await contact.text()).toBe(200);
  const referral = await eventually(
    () =>
      withDb(
        async (db) => (await db.query(`SELECT id, partner_id FROM referrals WHERE case_id = $1 AND status = 'PENDING'`, [second])).rows[0],
      ),
    'the referral of the second case',
  );
  // The link of the partner's email (the development outbox).
  const link = await eventually(
    () =>
      withDb(async (db) => {
        const { rows } = await db.query(`SELECT text FROM message_outbox WHERE text LIKE '%/lien/%' ORDER BY id DESC LIMIT 20`);
        const urls = rows.map((r: { text: string }) => /(https?:\/\/\S+\/lien\/\S+)/.exec(r.text)?.[1]).filter(Boolean) as string[];
        for (const url of urls) {
          const token = url.split('/lien/')[1];
          const res = await request.get(`/v1/partner/links/${token}`);
          if (res.ok() && (await res.json()).referralId === referral.id) return url;
        }
        return undefined;
      }),
    "the partner's email with the signed link",
  );

  // The first partner's user cannot open this referral (another structure's) in the console.
  expect(referral.partner_id).not.toBe(partnerId);
  const other = uniqueEmail('autre-partenaire');
  await addUser(request, { email: other, role: 'partner', partnerId });
  const intruder = await (await browser.newContext()).newPage();
  await signIn(intruder, other, `/console/partenaire/demandes/${referral.id}`);
  await expect(intruder.getByRole('heading', { name: 'Demande introuvable' })).toBeVisible();
  await expect(intruder.locator('main')).not.toContainText(form.firstName);
  await check(intruder, '17-partner-other-referral-refused');
  await intruder.context().close();

  const page = await phone(browser);
  await page.goto(new URL(link).pathname);
  await expect(page.getByRole('heading', { name: `Demande d'accompagnement pour ${form.firstName}` })).toBeVisible();
  await check(page, '18-signed-link');
  await page.getByRole('button', { name: 'Refuser' }).click();
  await page.getByLabel('Motif du refus').selectOption('OTHER');
  await page.getByRole('button', { name: 'Confirmer le refus' }).click();
  await expect(page.locator('#comment-error')).toContainText('le commentaire est obligatoire');
  await expect(page.getByLabel(/Commentaire/)).toHaveAttribute('aria-invalid', 'true');
  await check(page, '19-signed-link-other-needs-comment');
  await page.getByLabel(/Commentaire/).fill('Formation complète avant la rentrée.');
  await page.getByRole('button', { name: 'Confirmer le refus' }).click();
  await expect(page.getByRole('status')).toContainText('votre refus est enregistré');
  const declined = await withDb(
    async (db) => (await db.query(`SELECT status, reason, comment FROM referrals WHERE id = $1`, [referral.id])).rows[0],
  );
  expect(declined).toMatchObject({ status: 'DECLINED', reason: 'OTHER' });
  await check(page, '20-signed-link-declined');

  await page.reload();
  await expect(page.getByRole('alert')).toContainText('Ce lien a déjà été utilisé');
  await check(page, '21-signed-link-used');
  await page.context().close();
});

test('the admin imports a CSV with a bad line and sees the error by line; policy and users pages', async ({ browser, request }) => {
  const email = uniqueEmail('admin');
  await addUser(request, { email, role: 'admin' });
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await signIn(page, email, '/console/admin/partenaires');
  await expect(page.getByRole('heading', { name: 'Partenaires' })).toBeVisible();
  const header =
    'id,type,name,communeCode,zones,minAge,maxAge,diplomaLevels,wishes,monthlyCapacity,active,contactEmail,referralExpiresAfter';
  const csv = [
    header,
    'ml-test-01,MISSION_LOCALE,Mission Locale Test,75056,DEPARTEMENT:75,16,25,NONE|CAP_BEP,JOB,10,true,ml-test@example.org,',
    'bad-02,NOT_A_TYPE,Structure inconnue,75056,DEPARTEMENT:75,16,25,NONE,JOB,10,true,bad@example.org,',
  ].join('\n');
  await page.getByLabel('Fichier CSV').setInputFiles({ name: 'annuaire.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: 'Importer' }).click();
  await expect(page.getByTestId('import-errors')).toContainText('Ligne 3');
  await expect(page.getByRole('alert').filter({ hasText: "Rien n'a été importé" })).toBeVisible();
  await check(page, '22-admin-partners-import-error');

  // A partner edited in place: the API's refusal next to its field, then saved.
  await page
    .getByRole('button', { name: /^Modifier / })
    .first()
    .click();
  await expect(page.getByRole('heading', { name: /^Modifier / })).toBeFocused();
  await page.getByLabel('Places par mois').fill('douze');
  await page.getByRole('button', { name: 'Enregistrer le partenaire' }).click();
  await expect(page.locator('#partner-monthlyCapacity-error')).toHaveText('Indiquez un nombre entier.');
  await expect(page.getByLabel('Places par mois')).toHaveAttribute('aria-invalid', 'true');
  await check(page, '22b-admin-partner-edit-error');
  await page.getByLabel('Places par mois').fill('12');
  await page.getByRole('button', { name: 'Enregistrer le partenaire' }).click();
  await expect(page.getByText(/^Partenaire « .+ » enregistré\.$/)).toBeVisible();
  await expect(page.getByRole('cell', { name: '12', exact: true }).first()).toBeVisible();

  await page.getByRole('link', { name: 'Politique' }).click();
  await expect(page.getByText('Version en vigueur')).toBeVisible();
  await expect(page.getByTestId('policy-changes')).toContainText('la première version');
  // A change saved as a new version: the history shows it, and what it changed, in words.
  const editor = page.getByLabel(/^Politique \(JSON/);
  await expect(editor).toHaveValue(/referralExpiresAfter/);
  const policy = JSON.parse(await editor.inputValue());
  await editor.fill(JSON.stringify({ ...policy, referralExpiresAfter: 'P10D' }, null, 2));
  await page.getByRole('button', { name: 'Enregistrer comme nouvelle version' }).click();
  await expect(page.getByText(/^Version 2 enregistrée/)).toBeVisible();
  await expect(page.getByRole('rowheader', { name: /^2 en vigueur$/ })).toBeVisible();
  await expect(page.getByTestId('policy-changes')).toContainText('ce qui a changé depuis la version 1');
  await expect(page.getByTestId('policy-changes').getByRole('listitem')).toHaveText(
    'Expiration d’une orientation sans réponse, après : 7 jours → 10 jours (referralExpiresAfter)',
  );
  await check(page, '23-admin-policy');
  await page.getByRole('button', { name: 'Voir la version 1' }).click();
  await expect(page.getByTestId('policy-changes')).toContainText('la première version');
  await page.getByRole('link', { name: 'Utilisateurs' }).click();
  await expect(page.getByRole('cell', { name: email, exact: true })).toBeVisible();
  await check(page, '24-admin-users');

  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await expect(page).toHaveURL(/\/console\/connexion/);
  await page.goto('/console/admin/utilisateurs');
  await expect(page).toHaveURL(/\/console\/connexion\?next=%2Fconsole%2Fadmin%2Futilisateurs/);
  await check(page, '25-sign-in-after-sign-out');
  await page.context().close();
});

import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { addUser, bearer, check, signIn, uniqueEmail, withDb } from './support';

/**
 * Deciding with evidence (issue 16) in the console: an admin simulates the draft being edited
 * beside the current policy before saving it; a manager reads which nudge variant brings young
 * people back and is told that retiring the other is an admin's; the admin retires it, which
 * saves a new policy version.
 */
test.describe.configure({ mode: 'serial' });

const EXPERIMENT = `browser-${Date.now().toString(36)}`;
/** March 2018: a month no other browser test writes to, so the report shows this test's messages only. */
const MONTH = new Date('2018-03-05T09:00:00Z');

/** `sent` nudges of a variant, `replied` of them answered an hour later. */
async function nudges(variant: 'A' | 'B', sent: number, replied: number) {
  await withDb(async (db) => {
    for (let i = 0; i < sent; i++) {
      const caseId = randomUUID();
      const at = new Date(MONTH.getTime() + i * 3_600_000);
      const { rows } = await db.query(
        `INSERT INTO youths (postal_code, commune_code, diploma_level, situation, consent)
         VALUES ('75011', '75111', 'CAP_BEP', 'LOOKING_FOR_JOB', '{"dataProcessing": true, "shareWithPartners": true, "channels": []}') RETURNING id`,
      );
      await db.query(
        `INSERT INTO cases (id, youth_id, submission_id, stage, stage_entered_at, segment, eligible, age_at_capture, departement, region,
                            source_channel, source_campaign, policy_version, journey_started_at, created_at)
         VALUES ($1, $2, $3, 'CLOSED', $4, 'EMPECHE', true, 20, '75', '11', 'INSTAGRAM', $5, 1, $4, $4)`,
        [caseId, rows[0].id, `submission-${caseId}`, at, EXPERIMENT],
      );
      await db.query(
        `INSERT INTO outbound_messages (id, case_id, job_id, purpose, channel, recipient, status, scheduled_at, sent_at, experiment, variant)
         VALUES ($1, $2, $3, 'NUDGE_1', 'SMS', 'YOUTH', 'SENT', $4, $4, $5, $6)`,
        [randomUUID(), caseId, `${caseId}:NUDGE_1:SMS`, at, EXPERIMENT, variant],
      );
      if (i < replied) {
        await db.query(
          `INSERT INTO journey_events (case_id, type, actor, at, data, idempotency_key) VALUES ($1, 'YOUTH_REPLIED', 'youth', $2, '{"channel":"SMS"}', $3)`,
          [caseId, new Date(at.getTime() + 3_600_000), `${caseId}:reply`],
        );
      }
    }
  });
}

test('an admin simulates the draft being edited beside the current policy, before saving it', async ({ browser, request }) => {
  const email = uniqueEmail('admin-politique');
  await addUser(request, { email, role: 'admin' });
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  // A short run: arrivals over one day, seven days of follow-up (the panel asks the API's
  // defaults, two months: too long for a test). Exact figures are the Jest tests' business: a
  // run's wall-clock figures move with the machine's load, so this checks that they are shown.
  await page.route('**/v1/policy/simulations', async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    const body = { ...route.request().postDataJSON(), msPerDay: 1000, arrivalDays: 1, horizonDays: 7 };
    await route.continue({ postData: JSON.stringify(body) });
  });
  await signIn(page, email, '/console/admin/politique');
  await expect(page.getByRole('heading', { name: 'Politique des parcours' })).toBeVisible();
  const policy = page.getByLabel(/Politique \(JSON/);
  await expect(policy).toHaveValue(/referralExpiresAfter/);
  const draft = JSON.parse(await policy.inputValue());
  await policy.fill(JSON.stringify({ ...draft, referralExpiresAfter: 'P2D' }, null, 2));

  await page.getByLabel('Taille de la cohorte (1 à 500 jeunes)').fill('6');
  await page.getByLabel('Nombre de tirages (1 à 5)').fill('1');
  await page.getByRole('button', { name: 'Simuler' }).click();
  await expect(page.getByText(/Simulation en cours/)).toBeVisible();
  await check(page, '30-policy-simulation-running');
  const result = page.getByTestId('simulation-result');
  await expect(result).toBeVisible({ timeout: 80_000 });
  await expect(result.getByRole('table', { name: 'Entonnoir : nombre de jeunes' })).toBeVisible();
  const received = result.getByRole('row', { name: /^Reçus/ });
  // One cell per policy, each a count of at most the cohort's six.
  await expect(received.getByRole('cell')).toHaveText([/^[0-6]$/, /^[0-6]$/]);
  await expect(result.getByRole('row', { name: /Actions des conseillers par semaine/ })).toBeVisible();
  await expect(result.getByRole('row', { name: /Orientations expirées/ })).toBeVisible();
  await check(page, '31-policy-simulation-result');
  // Nothing was saved: the current version is still the one the page opened with.
  await expect(page.getByText(/Version .* enregistrée/)).toHaveCount(0);
  await page.context().close();
});

test('a manager sees which nudge variant is ahead beyond the intervals; an admin retires the other as a new policy version', async ({
  browser,
  request,
}) => {
  // The experiment running now, and March 2018's messages: A answered 27 times in 30, B 3 times in 30.
  const put = await request.put('/v1/policy', {
    headers: { authorization: bearer('admin') },
    data: { nudgeExperiment: { name: EXPERIMENT, variants: ['A', 'B'] } },
  });
  expect(put.status(), await put.text()).toBe(200);
  const before = (await put.json()).version as number;
  await nudges('A', 30, 27);
  await nudges('B', 30, 3);

  const managerEmail = uniqueEmail('pilotage');
  await addUser(request, { email: managerEmail, role: 'manager' });
  const manager = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await signIn(manager, managerEmail, '/console/relances');
  await manager.getByLabel('Du', { exact: true }).fill('2018-03-01');
  await manager.getByLabel('Au', { exact: true }).fill('2018-04-01');
  await manager.getByRole('button', { name: 'Afficher' }).click();
  const card = manager.getByRole('region', { name: `Expérience « ${EXPERIMENT} »` });
  await expect(card.getByTestId('variant-A').getByRole('cell')).toHaveText(['30', '27', '90 %', /74,4 %.*96,5 %/]);
  await expect(card.getByTestId('variant-B').getByRole('cell')).toHaveText(['30', '3', '10 %', /3,5 %.*25,6 %/]);
  await expect(card.getByTestId('experiment-verdict')).toContainText('La variante A est devant');
  await expect(card.getByText('Seul un administrateur peut retirer la variante B')).toBeVisible();
  await expect(card.getByRole('button', { name: /Retirer/ })).toHaveCount(0);
  await check(manager, '32-nudges-manager');
  await manager.context().close();

  const adminEmail = uniqueEmail('admin-relances');
  await addUser(request, { email: adminEmail, role: 'admin' });
  const admin = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await signIn(admin, adminEmail, '/console/relances');
  await admin.getByLabel('Du', { exact: true }).fill('2018-03-01');
  await admin.getByLabel('Au', { exact: true }).fill('2018-04-01');
  await admin.getByRole('button', { name: 'Afficher' }).click();
  const adminCard = admin.getByRole('region', { name: `Expérience « ${EXPERIMENT} »` });
  await adminCard.getByRole('button', { name: 'Retirer la variante B (nouvelle version de la politique)' }).click();
  await expect(adminCard.getByText(`Version ${before + 1} enregistrée : seule la variante A est envoyée`)).toBeVisible();
  await check(admin, '33-nudges-admin-retired');
  const current = await (await request.get('/v1/policy', { headers: { authorization: bearer('admin') } })).json();
  expect(current).toMatchObject({ version: before + 1, nudgeExperiment: { name: EXPERIMENT, variants: ['A'] } });
  await admin.context().close();
});

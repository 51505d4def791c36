import AxeBuilder from '@axe-core/playwright';
import { expect, type APIRequestContext, type Page } from '@playwright/test';
import jwt from 'jsonwebtoken';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';

/** The database of the system under test (infra/browser-tests.sh), to read the development outbox. */
export async function withDb<T>(run: (db: Client) => Promise<T>): Promise<T> {
  const db = new Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  try {
    return await run(db);
  } finally {
    await db.end();
  }
}

export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A bearer token, as API clients have (the test sets up users and cases through the API). */
export function bearer(role: string, extra: Record<string, unknown> = {}): string {
  const secret = process.env.JWT_SECRET;
  if (!secret) throw new Error('JWT_SECRET is not set (run the browser tests through infra/test.sh)');
  return `Bearer ${jwt.sign({ sub: `browser-test-${role}`, role, ...extra }, secret, { algorithm: 'HS256', expiresIn: '1h' })}`;
}

const unique = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
export const uniqueEmail = (who: string) => `${who}.${unique()}@example.org`;

export async function addUser(request: APIRequestContext, user: Record<string, unknown>) {
  const res = await request.post('/v1/users', { headers: { authorization: bearer('admin') }, data: user });
  expect(res.status(), await res.text()).toBe(201);
  return res.json();
}

/** Signs in by link as a person would: asks on the sign-in page, opens the link from the outbox. */
export async function signIn(page: Page, email: string, wanted = '/console/') {
  await page.goto(wanted);
  await expect(page).toHaveURL(/\/console\/connexion\?next=/);
  await expect(page.getByRole('heading', { name: 'Connexion à la console' })).toBeVisible();
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByRole('button', { name: 'Recevoir un lien de connexion' }).click();
  await expect(page.getByRole('status')).toContainText('un lien de connexion vient de lui être envoyé');
  const link = await eventually(
    () =>
      withDb(async (db) => {
        const { rows } = await db.query(`SELECT text FROM message_outbox WHERE lower(recipient) = lower($1) ORDER BY id DESC LIMIT 1`, [
          email,
        ]);
        return rows[0] ? /(https?:\/\/\S+\/v1\/auth\/links\/\S+)/.exec(rows[0].text)?.[1] : undefined;
      }),
    `the sign-in email to ${email}`,
  );
  await page.goto(link);
}

const SHOTS = join(__dirname, '..', 'test-results', 'screens');
const seen = new Set<string>();

/** Every page visited: a screenshot (a test artefact) and axe, with no serious or critical violation. */
export async function check(page: Page, name: string) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  seen.add(name);
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    bad.map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    `axe on ${name} (${page.url()})`,
  ).toEqual([]);
}

/** A form body for the API (the second case of the scenario is created by an API client). */
export function aForm(overrides: Record<string, unknown> = {}) {
  const id = unique();
  return {
    submissionId: crypto.randomUUID(),
    firstName: 'Yanis',
    lastName: `Durand-${id}`,
    birthDate: yearsAgo(19),
    email: `yanis.${id}@example.org`,
    phone: `07${String(Date.now() % 100_000_000).padStart(8, '0')}`,
    postalCode: '69003',
    diplomaLevel: 'BAC',
    situation: 'LOOKING_FOR_JOB',
    barriers: [],
    wishes: ['TRAINING'],
    consent: { dataProcessing: true, shareWithPartners: true, channels: ['EMAIL'] },
    source: { channel: 'WEBSITE' },
    ...overrides,
  };
}

export function yearsAgo(years: number): string {
  const d = new Date();
  d.setUTCFullYear(d.getUTCFullYear() - years);
  d.setUTCDate(d.getUTCDate() - 3);
  return d.toISOString().slice(0, 10);
}

import { defineConfig } from '@playwright/test';

/**
 * Browser tests of the web pages against the real system that infra/browser-tests.sh starts
 * (so no webServer here). Debian's Chromium: no browser is ever downloaded.
 */
export default defineConfig({
  testDir: './e2e',
  testMatch: '**/*.pw.ts',
  outputDir: './test-results/output',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    baseURL: process.env.WALT_BASE_URL ?? 'http://127.0.0.1:3100',
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      // Date inputs follow Chromium's interface language, not the page's locale: French (jj/mm/aaaa)
      // needs the chromium-l10n package (infra/browser-tests.sh installs it beside Chromium), and on
      // Linux the language comes from LANG, not from --lang.
      args: ['--no-sandbox', '--lang=fr-FR'],
      env: { ...(process.env as Record<string, string>), LANG: 'fr_FR.UTF-8', LANGUAGE: 'fr' },
    },
    trace: 'off',
    screenshot: 'only-on-failure',
  },
});

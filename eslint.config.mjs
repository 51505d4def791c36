// Lint that catches what reviews miss (run by `npm test` before Jest; an error fails the run).
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];

/** Anything that does I/O or reaches a service: workflow code must stay deterministic. */
const ioPackages = [
  'typeorm',
  'pg',
  'bullmq',
  'ioredis',
  'nodemailer',
  'jsonwebtoken',
  '@nestjs/*',
  '@temporalio/client',
  '@temporalio/worker',
  '@temporalio/activity',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.data/**', 'apps/web/dist/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    extends: [prettier],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      'no-fallthrough': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    // Bundled into the Temporal workflow sandbox: deterministic code only.
    files: ['workflows/**/*.ts'],
    ignores: ['workflows/**/*.spec.ts'],
    rules: {
      // A rejected promise nobody awaits fails the workflow task on every retry: \`void\` is no excuse here.
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: false }],
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({ name, message: 'Workflow code runs in the Temporal sandbox: no Node built-ins.' })),
          patterns: [
            { group: ioPackages, message: 'Workflow code must not do I/O: call an activity.' },
            { group: ['@walt/*'], message: 'The workflow bundler does not read tsconfig paths: import libs by relative path.' },
            {
              // The names and search attributes of libs/temporal are plain constants; the rest connects.
              regex:
                '(^|/)libs/(persistence|directory|messaging|territory|auth|intake)(/|$)|(^|/)libs/temporal/src(/(index|config|journey-starter))?$|(^|/)libs/chat/src(/(?!flow/).*)?$',
              message:
                'Workflow code must not import a lib that does I/O (persistence, directory, messaging, territory data, intake, Temporal client); of libs/chat, only its pure flow/.',
            },
            {
              group: ['**/activities/**'],
              allowTypeImports: true,
              message: 'Workflows import activities as types only (proxyActivities).',
            },
            { group: ['**/apps/**'], message: 'Workflows never import an app.' },
          ],
        },
      ],
    },
  },
  {
    // Layers only point down: libs and activities never know an app.
    files: ['libs/**/*.ts', 'activities/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/apps/**', '**/api/src/**', '**/worker/src/**'],
              message: 'libs and activities never import an app: move what is shared to a lib.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/api/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/worker/src/**', '**/apps/worker/**', '**/web/src/**'],
              message: 'An app never imports another app: move what is shared to a lib.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/worker/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/api/src/**', '**/apps/api/**', '**/web/src/**'],
              message: 'An app never imports another app: move what is shared to a lib.',
            },
          ],
        },
      ],
    },
  },
);

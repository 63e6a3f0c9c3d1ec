import tseslint from 'typescript-eslint';

// Type-aware linting everywhere (no floating promises: a dropped promise in an activity or handler is a lost
// side effect), plus the determinism fence around workflow code. The .mjs scripts are linted too, with the types
// scripts/tsconfig.json gives them; built output (dist/) is not.
export default tseslint.config(
  { ignores: ['node_modules/', '.data/', 'dist/', 'editor/dist/', '**/*.js'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mjs'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // One direction: engine <- server domain <- server/api and activities. The domain (every server/ folder but
    // api/) raises domain errors and knows neither HTTP nor Temporal activities; only the process entry point
    // (server/stack.ts, which starts the worker and the API) imports activities/ or the API layer.
    files: ['server/**/*.ts'],
    ignores: ['server/api/**', 'server/stack.ts', 'server/temporal/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/activities/**', '**/activities/*'],
              message: 'The server domain does not import activities/ (only server/stack.ts wires the worker).',
            },
            {
              group: ['**/api/**', './api/*', '../api/*'],
              message: 'The server domain does not import the API layer; raise a DomainError (server/errors.ts).',
            },
            { group: ['@temporalio/activity', '@temporalio/worker'], message: 'The domain is not an activity.' },
            { group: ['**/editor/**', '**/cli/**'], message: 'The server does not import the editor or the CLI.' },
          ],
        },
      ],
    },
  },
  {
    // The platform's Temporal connection and worker factory: it runs activities, but imports none (stack.ts does).
    files: ['server/temporal/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/activities/**'], message: 'Only server/stack.ts imports activities/.' },
            { group: ['**/api/**'], message: 'The platform does not import the API layer.' },
          ],
        },
      ],
    },
  },
  {
    files: ['server/api/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/activities/**'], message: 'The API calls domain services, never activities.' },
            { group: ['**/editor/**', '**/cli/**'], message: 'The API does not import the editor or the CLI.' },
          ],
        },
      ],
    },
  },
  {
    // Activities are the thin Temporal edge: each calls a domain service; HTTP is not their business.
    files: ['activities/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/server/api/**'], message: 'Activities call domain services, never the API layer.' },
            { group: ['**/editor/**', '**/cli/**'], message: 'Activities do not import the editor or the CLI.' },
          ],
        },
      ],
    },
  },
  {
    // The CLI talks to a running server over HTTP; it may use engine/ for offline validate/simulate.
    files: ['cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/activities/**', '**/server/api/**'], message: 'The CLI goes through the HTTP API.' },
          ],
        },
      ],
    },
  },
  {
    // bench/ stands on its own: it measures the product, it does not borrow test fixtures.
    files: ['bench/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/tests/**'], message: 'bench/ does not import tests/.' }] },
      ],
    },
  },
  {
    // The editor runs in the browser and talks to the server over HTTP only. From engine/ it shares the pure
    // model (schemas, compiler, simulator, time, templates, errors, events, accounts) — never the Temporal
    // workflows, the server, the activities or the CLI.
    files: ['editor/**/*.ts', 'editor/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/engine/workflows/**', '**/engine/activity-contracts*', '**/engine/search-attributes*'],
              message: 'The editor imports only the pure engine modules, not Temporal workflow code.',
            },
            {
              group: ['**/server/**', '**/activities/**', '**/cli/**', '**/scripts/**', '**/tests/**'],
              message: 'The editor reaches the server over HTTP (editor/src/api), never by import.',
            },
            {
              group: ['node:*', '@temporalio/*', 'pg', 'kysely', 'nodemailer', 'express', 'liquidjs'],
              message: 'The editor runs in the browser: no Node or server packages.',
            },
          ],
        },
      ],
    },
  },
  {
    // Workflow code is replayed: it may import only @temporalio/workflow and pure engine code (no Node, no I/O,
    // nothing from activities/ or server/). Engine code outside workflows may not reach out of engine/ either.
    files: ['engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'crypto', 'http', 'https', 'net', 'child_process', 'os'],
              message: 'engine/ is pure: no Node modules.',
            },
            {
              group: ['**/activities/**', '**/server/**', '**/editor/**'],
              message: 'engine/ imports nothing outside engine/.',
            },
            {
              group: [
                '@temporalio/client',
                '@temporalio/worker',
                '@temporalio/activity',
                'pg',
                'kysely',
                'nodemailer',
                'express',
              ],
              message: 'engine/ does no I/O.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['engine/workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!@temporalio/workflow$|@temporalio/common$|\\.)',
              message:
                'Workflow code may import only @temporalio/workflow and pure engine code (it is replayed deterministically).',
            },
            {
              group: ['**/activities/**', '**/server/**', '**/editor/**'],
              message:
                'Workflow code imports nothing outside engine/ (types of activities come from engine/activity-contracts).',
            },
          ],
        },
      ],
    },
  },
);

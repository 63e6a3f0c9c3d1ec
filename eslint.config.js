import tseslint from 'typescript-eslint';

// Type-aware linting everywhere (no floating promises: a dropped promise in an activity or handler is a lost
// side effect), plus the determinism fence around workflow code.
export default tseslint.config(
  { ignores: ['node_modules/', '.data/', 'editor/dist/', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
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

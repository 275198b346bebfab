import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** The dependency arrows of DESIGN.md: what each folder may import. */
const forbid = (patterns, message, typeOnly = []) => ({
  '@typescript-eslint/no-restricted-imports': [
    'error',
    {
      patterns: [
        { group: patterns, message },
        ...(typeOnly.length
          ? [{ group: typeOnly, message: `${message} (type imports only)`, allowTypeImports: true }]
          : []),
      ],
    },
  ],
});
const outer = ['**/server/**', '**/channels/**', '**/eval/**'];

export default tseslint.config(
  { ignores: ['.scratch/**', 'dist/**', 'node_modules/**', 'prisma/generated/**', 'scratch/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // The embeddable widget runs in browsers, as plain script.
    files: ['server/public/**/*.js'],
    languageOptions: { sourceType: 'script', globals: globals.browser },
  },
  {
    files: ['knowledge/**'],
    rules: forbid(
      [...outer, '**/bot/**', '**/workorders/**', 'fastify', 'fastify/*', '@fastify/*'],
      'knowledge/ may import prisma/ and personal-data/ only',
    ),
  },
  {
    files: ['workorders/**'],
    rules: forbid(
      [...outer, '**/bot/**', '**/knowledge/**', 'fastify', 'fastify/*', '@fastify/*'],
      'workorders/ may import prisma/ and personal-data/ only',
    ),
  },
  {
    files: ['personal-data/**'],
    rules: forbid(
      [...outer, '**/bot/**', '**/knowledge/**', '**/workorders/**', '**/prisma/**'],
      'personal-data/ imports nothing of ours',
    ),
  },
  {
    files: ['bot/**'],
    rules: forbid(
      [...outer, '**/prisma/**', 'fastify', '@fastify/*'],
      'bot/ may import types and interfaces of knowledge/ and workorders/ only',
      ['**/knowledge/knowledge-base*', '**/knowledge/lexical-index*', '**/workorders/work-order-service*'],
    ),
  },
  {
    files: ['channels/**'],
    rules: forbid(
      ['**/server/**', '**/eval/**', '**/prisma/**', '**/knowledge/**', '**/workorders/**', 'fastify', '@fastify/*'],
      'channels/ may import bot/ message types only',
    ),
  },
  {
    files: ['prisma/**'],
    rules: forbid(
      ['**/server/**', '**/channels/**', '**/eval/**', '**/bot/**', '**/knowledge/**', '**/workorders/**'],
      'prisma/ imports nothing of ours',
    ),
  },
  {
    files: ['eval/**'],
    rules: forbid(['**/server/**', 'fastify', '@fastify/*'], 'eval/ never imports server/'),
  },
);

import { defineConfig } from 'vitest/config';

// Unit tests run once; everything that touches the database runs on SQLite and on PostgreSQL.
export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'] },
      },
      {
        extends: true,
        test: { name: 'sqlite', include: ['test/integration/**/*.test.ts'], env: { TEST_DATABASE: 'sqlite' } },
      },
      {
        extends: true,
        test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], env: { TEST_DATABASE: 'sqlite' } },
      },
      {
        extends: true,
        test: {
          name: 'postgresql',
          include: ['test/integration/**/*.test.ts'],
          env: { TEST_DATABASE: 'postgresql' },
        },
      },
    ],
  },
});

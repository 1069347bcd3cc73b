import { defineConfig } from 'vitest/config';

const pg = process.env.TEST_DATABASE_URL;
const common = { testTimeout: 60_000, hookTimeout: 120_000, pool: 'forks' as const };

/** Unit tests once; integration tests (*.int.test.ts) on PGlite, and again on PostgreSQL when TEST_DATABASE_URL is set; browser tests once. */
export default defineConfig({
  test: {
    projects: [
      { test: { ...common, name: 'unit', include: ['src/**/*.test.ts', 'test/**/*.unit.test.ts'], exclude: ['**/*.int.test.ts', '**/node_modules/**'] } },
      { test: { ...common, name: 'pglite', include: ['src/**/*.int.test.ts', 'test/**/*.int.test.ts'], env: { TEST_ENGINE: 'pglite' } } },
      ...(pg ? [{ test: { ...common, name: 'postgres', include: ['src/**/*.int.test.ts', 'test/**/*.int.test.ts'], env: { TEST_ENGINE: 'postgres' } } }] : []),
      { test: { ...common, name: 'e2e', include: ['test/e2e/**/*.e2e.test.ts'], fileParallelism: false } },
    ],
    maxWorkers: 2,
  },
});

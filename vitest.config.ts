import { defineConfig } from 'vitest/config';

/** Two projects: fast unit tests of pure logic, and e2e tests against the real local control plane. */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
          // Ink renders only a final frame under CI=true; the console tests drive a real Ink render.
          env: { CI: '0', CONTINUOUS_INTEGRATION: '0' },
          exclude: ['test/e2e/**', 'node_modules/**'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/e2e/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 600_000,
          fileParallelism: false,
          pool: 'forks',
        },
      },
    ],
  },
});

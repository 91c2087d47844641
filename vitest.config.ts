import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'scripts/test/**/*.test.ts'],
    // The dashboard's browser tests run in their own pass (scripts/test.mjs), against a built dashboard.
    exclude: ['**/node_modules/**', 'packages/web/test/e2e/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});

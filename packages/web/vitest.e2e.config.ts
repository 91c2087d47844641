// End-to-end tests: the built dashboard in headless Chromium against a mock API (or QM_E2E_BASE_URL).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    // The root unit suite's glob also matches *.e2e.test.ts; the tests run only when this is set.
    env: { QM_E2E: '1' },
  },
});

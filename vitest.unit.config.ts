import { defineConfig } from 'vitest/config';

/**
 * The fast lane (`npm run test:unit`): pure functions only, no browser, no compiled CLI.
 * Every way a test could find a browser points at nothing, so one that tries fails here
 * instead of quietly making the lane slow.
 */
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    env: { HANDOUT_CHROME: '/nonexistent/no-browser-in-the-unit-lane', PUPPETEER_EXECUTABLE_PATH: '/nonexistent/no-browser-in-the-unit-lane' },
    testTimeout: 10_000,
  },
});

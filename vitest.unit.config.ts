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
    // Threads sharing their modules between files: the lane's time was nearly all starting a
    // process and importing the sources again for each of its 30-odd files (28 s on two
    // cores, 9 s like this). Its tests are pure; one that needs fresh modules resets them.
    pool: 'threads',
    isolate: false,
  },
});

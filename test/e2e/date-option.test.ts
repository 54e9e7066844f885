/**
 * The CLI's --date refuses a day that is not on the calendar, with the reason, before any
 * handout is read (the schema's own date type: test/unit/dates-and-urls.test.ts).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, runCli } from '../helpers/cli.js';

describe('--date', () => {
  // Fails in option parsing, before any handout is read: quick.
  const run = (value: string) => runCli(['check', '--content', path.join(FIXTURES, 'other-clinic'), '--only', 'no-such-handout', '--date', value]);

  it('refuses 2026-02-31 and 2026-02-29, saying why', async () => {
    for (const bad of ['2026-02-31', '2026-02-29']) {
      const result = await run(bad);
      expect(result.code, bad).toBe(2);
      expect(result.stderr).toContain(
        `error: option '--date <yyyy-mm-dd>' argument '${bad}' is invalid. expected a date as YYYY-MM-DD, e.g. 2026-12-01, but February 2026 has 28 days`,
      );
    }
    expect((await run('26-12-01')).stderr).toContain("argument '26-12-01' is invalid. expected a date as YYYY-MM-DD, e.g. 2026-12-01\n");
  });

  it('accepts 2028-02-29', async () => {
    const result = await run('2028-02-29');
    expect(result.stderr).not.toContain('is invalid');
    // Past the options: the check itself then finds no handout of that name.
    expect(result.stderr).toContain('no handout named "no-such-handout" [NO_CONTENT]');
  });
});

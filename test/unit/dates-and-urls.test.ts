/**
 * Dates are checked with zod's own type (z.iso.date()), not a hand-written regex: a day
 * that is not on the calendar (2026-02-31 was printed as "March 3, 2026") is refused at
 * its position, saying why, in a handout and in --date.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../src/content/load-yaml.js';
import { validateHandout } from '../../src/content/validate-handout.js';
import { FIXTURES, runCli } from '../helpers/cli.js';

const FILE = 'content/en/x.yaml';
const source = { absPath: '/x/content/en/x.yaml', file: FILE, locale: 'en', slug: 'x' };

const VALID = `title: Knee to chest
warning:
  title: Careful
  text: Stop if it hurts.
exercises:
  - name: Knee hug
    steps:
      - Lie on your back.
`;

function handoutErrors(extra: string): string[] {
  const result = validateHandout(source, parseYaml(VALID + extra, FILE));
  return result.ok ? [] : result.errors.map(String);
}

describe('reviewed.date', () => {
  const date = (value: string) => handoutErrors(`reviewed:\n  by: Dr A. Smith\n  date: ${value}\n`);

  it('refuses 2026-02-31 and 2026-02-29, days that are not on the calendar, saying why', () => {
    expect(date('2026-02-31')).toEqual([
      'content/en/x.yaml:11:9: reviewed.date: expected a date like 2026-11-01 (year-month-day), but February 2026 has 28 days [SCHEMA]',
    ]);
    expect(date('2026-02-29')).toEqual([
      'content/en/x.yaml:11:9: reviewed.date: expected a date like 2026-11-01 (year-month-day), but February 2026 has 28 days [SCHEMA]',
    ]);
    expect(date('2026-04-31')).toEqual([
      'content/en/x.yaml:11:9: reviewed.date: expected a date like 2026-11-01 (year-month-day), but April 2026 has 30 days [SCHEMA]',
    ]);
  });

  it('accepts 2028-02-29 (a leap year) and ordinary days', () => {
    for (const ok of ['2028-02-29', '2000-02-29', '2026-11-01', '2026-12-31']) expect(date(ok), ok).toEqual([]);
  });

  it('keeps the plain message for a date in the wrong form, and names what it got for a wrong type', () => {
    expect(date('2026-13-01')).toEqual(['content/en/x.yaml:11:9: reviewed.date: expected a date like 2026-11-01 (year-month-day) [SCHEMA]']);
    expect(date('"1.11.2026"')).toEqual(['content/en/x.yaml:11:9: reviewed.date: expected a date like 2026-11-01 (year-month-day) [SCHEMA]']);
    expect(date('20261101')).toEqual(['content/en/x.yaml:11:9: reviewed.date: expected a date like 2026-11-01, got the number 20261101 [SCHEMA]']);
  });
});

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

/**
 * Dates and web addresses are checked with zod's own types (z.iso.date(), z.url()), not
 * hand-written regexes: a day that is not on the calendar (2026-02-31 was printed as
 * "March 3, 2026"), a host name with "%" or a port above 65535 are refused at their
 * position, with what was expected, an example and what is wrong; ordinary https
 * addresses with paths and query strings still pass, and http:// is still refused.
 */
import { describe, expect, it } from 'vitest';
import { clinicSchema } from '../../src/config/clinic-schema.js';
import { parseYaml } from '../../src/content/load-yaml.js';
import { schemaErrors, validateHandout } from '../../src/content/validate-handout.js';

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

function clinicErrors(yamlText: string): string[] {
  const yaml = parseYaml(yamlText, 'content/clinic.yaml');
  const result = clinicSchema.safeParse(yaml.data, { reportInput: true });
  return result.success ? [] : schemaErrors(result.error, yaml, Object.keys(clinicSchema.shape)).map(String);
}

/** Single-quoted in YAML, so "%" and ":" arrive as typed. */
const video = (url: string) => handoutErrors(`video: '${url}'\n`);
const website = (url: string) => clinicErrors(`name: Test\nwebsite: '${url}'\n`);
const siteUrl = (url: string) => clinicErrors(`name: Test\nsite_url: '${url}'\n`);

const ORDINARY = [
  'https://example.com',
  'https://www.example.com/videos/knee-hug',
  'https://www.youtube.com/watch?v=abc123&t=30s',
  'https://video.example/knee-hug?v=1&list=a%20b#start',
  'https://example.com:8443/path/to/page.html?q=1',
  'https://例え.jp/ひざ',
];

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


describe('video', () => {
  it('refuses a host name with "%", a port above 65535 and http://, saying what was expected', () => {
    expect(video('https://ex%ample.com/')).toEqual([
      'content/en/x.yaml:9:8: video: expected a web address (e.g. https://www.example.com/exercise-video): "ex%ample.com" is not a domain name like example.com [SCHEMA]',
    ]);
    expect(video('https://example.com:99999/')).toEqual([
      'content/en/x.yaml:9:8: video: expected a web address (e.g. https://www.example.com/exercise-video): ports go up to 65535, not 99999 [SCHEMA]',
    ]);
    expect(video('http://example.com/')).toEqual([
      'content/en/x.yaml:9:8: video: expected a web address starting with https://, e.g. https://www.example.com/exercise-video [SCHEMA]',
    ]);
  });

  it('refuses what a phone cannot open: no host, localhost, an IP address, a space', () => {
    expect(video('https:///knee')).toEqual([
      'content/en/x.yaml:9:8: video: expected a web address (e.g. https://www.example.com/exercise-video): a domain name must follow https:// [SCHEMA]',
    ]);
    expect(video('https://localhost:8443/knee')).toEqual([
      'content/en/x.yaml:9:8: video: expected a web address (e.g. https://www.example.com/exercise-video): "localhost" is not a domain name like example.com [SCHEMA]',
    ]);
    expect(video('https://192.168.0.10/knee')).toEqual([
      'content/en/x.yaml:9:8: video: expected a web address (e.g. https://www.example.com/exercise-video): "192.168.0.10" is not a domain name like example.com [SCHEMA]',
    ]);
    expect(video('https://example.com/knee hug')).toEqual([
      'content/en/x.yaml:9:8: video: expected a web address without spaces, quotes or < > (write a space as %20), e.g. https://www.example.com/exercise-video [SCHEMA]',
    ]);
    expect(handoutErrors('video: 12\n')).toEqual(['content/en/x.yaml:9:8: video: expected a web address, got the number 12 [SCHEMA]']);
  });

  it('accepts ordinary https addresses with paths and query strings', () => {
    for (const url of ORDINARY) expect(video(url), url).toEqual([]);
  });
});

describe('clinic website', () => {
  it('refuses a host name with "%", a port above 65535 and http://, saying what was expected', () => {
    expect(website('https://ex%ample.com/')).toEqual([
      'content/clinic.yaml:2:10: website: expected a web address (e.g. https://www.example.com): "ex%ample.com" is not a domain name like example.com [SCHEMA]',
    ]);
    expect(website('https://example.com:99999/')).toEqual([
      'content/clinic.yaml:2:10: website: expected a web address (e.g. https://www.example.com): ports go up to 65535, not 99999 [SCHEMA]',
    ]);
    expect(website('http://example.com/')).toEqual([
      'content/clinic.yaml:2:10: website: expected a web address starting with https://, e.g. https://www.example.com [SCHEMA]',
    ]);
  });

  it('accepts ordinary https addresses with paths and query strings', () => {
    for (const url of ORDINARY) expect(website(url), url).toEqual([]);
  });
});

describe('clinic site_url', () => {
  it('refuses a host name with "%", a port above 65535 and http://, saying what was expected', () => {
    expect(siteUrl('https://ex%ample.com/')).toEqual([
      'content/clinic.yaml:2:11: site_url: expected the web address of the published output/ folder (e.g. https://www.example.com/handouts/): "ex%ample.com" is not a domain name like example.com [SCHEMA]',
    ]);
    expect(siteUrl('https://example.com:99999/')).toEqual([
      'content/clinic.yaml:2:11: site_url: expected the web address of the published output/ folder (e.g. https://www.example.com/handouts/): ports go up to 65535, not 99999 [SCHEMA]',
    ]);
    expect(siteUrl('http://example.com/')).toEqual([
      'content/clinic.yaml:2:11: site_url: expected the web address of the published output/ folder starting with https://, e.g. https://www.example.com/handouts/ [SCHEMA]',
    ]);
  });

  it('still wants the folder, ending in /', () => {
    expect(siteUrl('https://example.com/handouts')).toEqual([
      'content/clinic.yaml:2:11: site_url: expected the https:// address where output/ is published, ending in /, e.g. https://www.example.com/handouts/ [SCHEMA]',
    ]);
  });

  it('accepts ordinary https folder addresses', () => {
    for (const url of ['https://example.com/', 'https://www.example.com/physio/handouts/', 'https://example.com:8443/sheets/', 'https://例え.jp/ひざ/']) {
      expect(siteUrl(url), url).toEqual([]);
    }
  });
});

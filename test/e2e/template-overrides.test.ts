/**
 * A clinic's templates folder holds only what it changes: one partial, a few catalog
 * strings, a regional locale, a new language. Everything else comes from the built-in
 * templates. Run as a clinic runs it: from its own folder, with no --templates option.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyInto, FIXTURES, removeDir, runCli, tempDir, TEMPLATES } from '../helpers/cli.js';

const pdfText = (file: string) => execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');

describe('a clinic templates folder that overrides only what it changes', () => {
  let dir: string;
  const handout = async (locale: string, extra = '') => {
    await mkdir(path.join(dir, 'content', locale), { recursive: true });
    const source = await readFile(path.join(FIXTURES, 'other-clinic/en/knee-hug.yaml'), 'utf8');
    await writeFile(path.join(dir, 'content', locale, 'knee-hug.yaml'), `${source.replace(/^# yaml-language-server.*\n/m, '')}\nreviewed: { by: "Sam Patel", date: 2026-12-05 }\n${extra}`);
  };

  beforeAll(async () => {
    dir = await tempDir('handout-overrides-');
    await copyInto(path.join(FIXTURES, 'other-clinic/illustrations'), path.join(dir, 'content/illustrations'));
    await mkdir(path.join(dir, 'templates/locales'), { recursive: true });
    await mkdir(path.join(dir, 'templates/partials'), { recursive: true });
    // Two strings for British readers, and one partial of the clinic's own.
    await writeFile(path.join(dir, 'templates/locales/en-GB.yaml'), 'stop_if_pain: Stop straight away if it hurts.\ncaution: Take care\n');
    const writeIn = await readFile(path.join(TEMPLATES, 'partials/write-in.hbs'), 'utf8');
    await writeFile(path.join(dir, 'templates/partials/write-in.hbs'), writeIn.replace('<dl class="write-in">', '<p class="clinic-note">Bring this sheet to your next visit.</p>\n<dl class="write-in">'));
    await handout('en-GB');
    await handout('en');
    // Recorded as made from the English, as a clinic does after writing a regional version.
    expect((await runCli(['translations', '--mark', 'en-GB'], { cwd: dir })).code).toBe(0);
  });
  afterAll(() => removeDir(dir));

  it('builds en-GB sheets with day-month dates, its two strings, the overridden partial and everything else built in', async () => {
    const run = await runCli(['build', '--out', 'out', '--locale', 'en-GB', 'en'], { cwd: dir });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const gb = pdfText(path.join(dir, 'out/en-GB/knee-hug.pdf'));
    expect(gb).toContain('5 December 2026');
    expect(gb).not.toContain('December 5, 2026');
    expect(gb).toContain('Stop straight away if it hurts.');
    expect(gb).toContain('Take care: Keep your head');
    expect(gb).toContain('Bring this sheet to your next visit.');
    // The rest is the built-in English catalog and layout.
    expect(gb).toContain('Reviewed by Sam Patel on');
    expect(gb).toMatch(/Hold \d/);
    const html = await readFile(path.join(dir, 'out/en-GB/knee-hug.html'), 'utf8');
    expect(html).toMatch(/<html[^>]* lang="en-GB"/);
    // American English keeps the built-in strings and dates; the partial is the clinic's for every locale.
    const us = pdfText(path.join(dir, 'out/en/knee-hug.pdf'));
    expect(us).toContain('December 5, 2026');
    expect(us).toContain('Stop if you feel pain.');
    expect(us).not.toContain('Stop straight away');
    expect(us).toContain('Bring this sheet to your next visit.');
    // The site index names the regional locale as its readers do.
    expect(await readFile(path.join(dir, 'out/index.html'), 'utf8')).toContain('British English');
  });

  it('check --verbose names which file each piece came from', async () => {
    const run = await runCli(['check', '--no-print', '--verbose', '--locale', 'en-GB'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^templates: templates, over the built-in ones$/m);
    expect(run.stdout).toMatch(/^ {2}partials\/write-in\.hbs +templates\/partials\/write-in\.hbs$/m);
    expect(run.stdout).toMatch(/^ {2}partials\/exercise\.hbs +built-in partials\/exercise\.hbs$/m);
    expect(run.stdout).toMatch(/^ {2}locales\/en-GB\.yaml +built-in locales\/en\.yaml \+ templates\/locales\/en-GB\.yaml$/m);
    expect(run.stdout).toMatch(/^ {2}styles\/handout\.css +built-in styles\/handout\.css$/m);
  });

  it('a regional locale of another language speaks it: es-MX takes the Spanish strings and Mexican dates', async () => {
    await handout('es-MX');
    expect((await runCli(['translations', '--mark', 'es-MX'], { cwd: dir })).code).toBe(0);
    const run = await runCli(['check', '--no-print', '--locale', 'es-MX'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const build = await runCli(['build', '--out', 'out', '--locale', 'es-MX'], { cwd: dir });
    expect(build.code).toBe(0);
    expect(pdfText(path.join(dir, 'out/es-MX/knee-hug.pdf'))).toContain('Revisado por Sam Patel el 5 de diciembre de 2026');
  });

  it('a new language needs only what it translates: the rest is English, with a warning naming the keys', async () => {
    const en = await readFile(path.join(TEMPLATES, 'locales/en.yaml'), 'utf8');
    // Everything but two strings, which the build takes from English and names.
    await writeFile(path.join(dir, 'templates/locales/it.yaml'), en.replace(/^language_name:.*$/m, 'language_name: Italiano').replace(/^(caution|considerations):.*\n/gm, ''));
    await handout('it');
    const run = await runCli(['check', '--no-print', '--locale', 'it'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/⚠ templates\/locales\/it\.yaml: locale it is missing 2 strings \(caution, considerations\); the en text is printed instead \[CATALOG_INCOMPLETE\]/);
    const strict = await runCli(['check', '--strict', '--no-print', '--locale', 'it'], { cwd: dir });
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/✗ templates\/locales\/it\.yaml: locale it is missing 2 strings/);
  });

  it('a locale no catalog speaks for is refused with the catalogs there are', async () => {
    await handout('xx-YY');
    const run = await runCli(['check', '--no-print', '--locale', 'xx-YY'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/✗ content\/xx-YY\/knee-hug\.yaml: the handout is in locale "xx-YY", which has no string catalog/);
    expect(run.stderr).toMatch(/hint: .*: ar, de, en, en-GB, es, fr, hi, it, pt, ru, vi, zh\.$/m);
  });
});

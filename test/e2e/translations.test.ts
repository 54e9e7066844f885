/**
 * Translations kept in sync with their source, and never mistaken for reviewed ones, as a
 * clinic meets them through the real CLI on a copy of the shipped content:
 * - `translations --mark` records each translation; `check --strict` then passes;
 * - one changed English step marks exactly the translations of that exercise stale, naming
 *   the field, and `--strict` fails until they are marked again; so does a changed warning
 *   of a handout, for its translations only;
 * - a draft sheet says so in its footer, in its language, and `--reviewed-only` refuses it;
 *   reviewed, it names its reviewer instead;
 * - clinic.yaml handout_locales makes a gap intended; the Arabic sheet shows the clinic's
 *   details in Arabic where clinic.yaml gives them, and the rest marked as English.
 */
import { readFileSync } from 'node:fs';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CONTENT, removeDir, runCli, tempDir, TEMPLATES } from '../helpers/cli.js';
import { pdfText, squash } from '../helpers/pdf.js';

const catalog = (locale: string) => parse(readFileSync(path.join(TEMPLATES, 'locales', `${locale}.yaml`), 'utf8')) as Record<string, string>;

describe('translations', () => {
  let dir: string;
  const cli = (...args: string[]) => runCli([...args, '--content', 'content'], { cwd: dir });
  const edit = async (file: string, change: (text: string) => string) => {
    const abs = path.join(dir, 'content', file);
    const before = await readFile(abs, 'utf8');
    const after = change(before);
    expect(after).not.toBe(before);
    await writeFile(abs, after);
  };
  /** The translations `check` calls stale: "file: fields". */
  const stale = (output: string) =>
    [...output.matchAll(/^✗ (\S+): translated from an older \S+: changed since then: (.*) \[TRANSLATION_STALE\]$/gm)].map((m) => `${m[1]}: ${m[2]}`).sort();
  /** check --strict without a browser, on the Spanish sheet of lower-back-relief (and whatever the library says). */
  const strictCheck = () => cli('check', '--no-print', '--strict', '--locale', 'es', 'ar', 'de', 'fr', 'hi', 'pt', 'ru', 'vi', 'zh', '--only', 'lower-back-relief');
  type Matrix = { source: string; locales: string[]; rows: Array<{ ref: string; cells: Array<{ locale: string; file: string | null; status: { state: string; changed?: string[] } }> }> };
  const matrix = async () => JSON.parse((await cli('translations', '--json')).stdout) as Matrix;
  /** Stale translations as the matrix lists them: "file: fields". */
  const staleInMatrix = async () =>
    (await matrix()).rows.flatMap((r) => r.cells.filter((c) => c.status.state === 'stale').map((c) => `${c.file}: ${c.status.changed!.join(', ')}`)).sort();

  beforeAll(async () => {
    dir = await tempDir('handout-translations-');
    await cp(CONTENT, path.join(dir, 'content'), { recursive: true });
    await removeDir(path.join(dir, 'content', 'translations.yaml')).catch(() => {});
  });
  afterAll(() => removeDir(dir));

  it('lists every translation as not recorded until marked; marked, check --strict passes', async () => {
    const before = await cli('translations', '--json');
    expect(before.code, before.stderr).toBe(0);
    const listed = JSON.parse(before.stdout) as Matrix;
    expect(listed.source).toBe('en');
    const translated = listed.rows.flatMap((r) => r.cells.filter((c) => c.locale !== 'en' && c.status.state !== 'missing'));
    expect(translated.length).toBeGreaterThan(0);
    expect(new Set(translated.map((c) => c.status.state))).toEqual(new Set(['untracked']));
    const unmarked = await strictCheck();
    expect(unmarked.code).toBe(1);
    expect(unmarked.stderr).toContain('[TRANSLATION_UNTRACKED]');

    for (const locale of listed.locales.filter((l) => l !== 'en')) {
      const marked = await cli('translations', '--mark', locale);
      expect(marked.code, marked.stderr).toBe(0);
    }
    const after = await matrix();
    expect(new Set(after.rows.flatMap((r) => r.cells.filter((c) => c.locale !== 'en' && c.status.state !== 'missing').map((c) => c.status.state)))).toEqual(new Set(['draft']));
    const strict = await strictCheck();
    expect(strict.stderr).not.toMatch(/TRANSLATION_(STALE|UNTRACKED)/);
    expect(strict.code, strict.stderr).toBe(0);
  });

  it('one changed English step makes exactly the translations of that exercise stale, naming the step; --mark clears one', async () => {
    const translatedIn = (folder: string, id: string) =>
      ['ar', 'de', 'es', 'fr', 'hi', 'pt', 'ru', 'vi', 'zh'].filter((l) => {
        try {
          readFileSync(path.join(dir, 'content', folder, l, `${id}.yaml`));
          return true;
        } catch {
          return false;
        }
      });
    await edit('exercises/en/supine-spinal-twist.yaml', (t) => t.replace(/^(  - Stretch your arms out.*)$/m, '$1 Palms down.'));
    const run = await strictCheck();
    expect(run.code).toBe(1);
    const expected = translatedIn('exercises', 'supine-spinal-twist').map((l) => `content/exercises/${l}/supine-spinal-twist.yaml: steps[1]`).sort();
    expect(expected.length).toBe(9);
    expect(stale(run.stderr)).toEqual(expected);
    expect(await staleInMatrix()).toEqual(expected);
    expect(run.stderr).toContain('handout translations --mark es exercises/supine-spinal-twist');

    const mark = await cli('translations', '--mark', 'es', 'exercises/supine-spinal-twist');
    expect(mark.code, mark.stderr).toBe(0);
    expect(await staleInMatrix()).toEqual(expected.filter((e) => !e.includes('/es/')));
    for (const l of translatedIn('exercises', 'supine-spinal-twist')) await cli('translations', '--mark', l, 'exercises/supine-spinal-twist');
    expect(await staleInMatrix()).toEqual([]);
    expect((await strictCheck()).code).toBe(0);
  });

  it("a changed warning of a handout makes that handout's translations stale, and no other", async () => {
    await edit('en/lower-back-relief.yaml', (t) => t.replace(/^(warning:\n  title: .*)$/m, '$1!'));
    const run = await strictCheck();
    expect(run.code).toBe(1);
    expect(await staleInMatrix()).toEqual(['ar', 'de', 'es', 'fr', 'hi', 'pt', 'ru', 'vi', 'zh'].map((l) => `content/${l}/lower-back-relief.yaml: warning.title`).sort());
    for (const l of ['ar', 'de', 'es', 'fr', 'hi', 'pt', 'ru', 'vi', 'zh']) await cli('translations', '--mark', l, 'lower-back-relief');
  });

  it('prints the draft line in the reader\'s language; --reviewed-only refuses drafts; reviewed, the sheet names its reviewer', async () => {
    const built = await runCli(['build', '--content', 'content', '--out', 'out', '--locale', 'es', 'ar', '--only', 'lower-back-relief'], { cwd: dir });
    expect(built.code, built.stderr).toBe(0);
    for (const locale of ['es', 'ar']) expect(squash(pdfText(path.join(dir, 'out', locale, 'lower-back-relief.pdf')))).toContain(squash(catalog(locale).translation_draft!));
    expect(squash(pdfText(path.join(dir, 'out', 'es', 'lower-back-relief.pdf')))).toContain(squash('Fisioterapia Riverside (clínica de ejemplo)'));

    const refused = await runCli(['build', '--content', 'content', '--out', 'release', '--locale', 'es', '--only', 'lower-back-relief', '--reviewed-only'], { cwd: dir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/content\/es\/lower-back-relief\.yaml: a draft translation .*\[TRANSLATION_DRAFT\]/);

    for (const ref of ['lower-back-relief', 'exercises/supine-spinal-twist']) {
      const review = await cli('translations', '--mark', 'es', ref, '--reviewed-by', 'Ana Ruiz', '--reviewed-on', '2026-12-01');
      expect(review.code, review.stderr).toBe(0);
    }
    const release = await runCli(['build', '--content', 'content', '--out', 'release', '--locale', 'es', '--only', 'lower-back-relief', '--reviewed-only'], { cwd: dir });
    expect(release.code, release.stderr).toBe(0);
    const text = squash(pdfText(path.join(dir, 'release', 'es', 'lower-back-relief.pdf')));
    expect(text).not.toContain(squash(catalog('es').translation_draft!));
    expect(text).toContain('AnaRuiz');
    expect(text).toMatch(/Traducciónrevisadapor.*AnaRuiz/);
  });

  it('refuses a draft sheet whose template hides the draft line, as it refuses one without its disclaimer', async () => {
    const footer = readFileSync(path.join(TEMPLATES, 'partials', 'page-footer.hbs'), 'utf8');
    const hidden = footer.replaceAll('{{#each stamp}}<p class="stamp">{{this}}</p>{{/each}}', '');
    expect(hidden).not.toBe(footer);
    await mkdir(path.join(dir, 'templates', 'partials'), { recursive: true });
    await writeFile(path.join(dir, 'templates', 'partials', 'page-footer.hbs'), hidden);
    const run = await runCli(['build', '--content', 'content', '--out', 'hidden', '--locale', 'fr', '--only', 'lower-back-relief'], { cwd: dir });
    await removeDir(path.join(dir, 'templates'));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('the line saying the translation is not yet reviewed');
    expect(run.stderr).toContain('[SAFETY_TEXT_MISSING]');
  });

  it('clinic.yaml handout_locales makes a missing translation intended', async () => {
    // The clinic's own intentions replaced by one: cat-cow in English only.
    await edit('clinic.yaml', (t) => t.replace(/^handout_locales:\n(?: {2}.*\n)*/m, '').replace(/^site_url:/m, 'handout_locales:\n  cat-cow: [en]\nsite_url:'));
    await removeDir(path.join(dir, 'content', 'es', 'cat-cow.yaml'));
    const run = await cli('check', '--no-print', '--locale', 'es', '--only', 'lower-back-relief', 'cat-cow');
    expect(run.stderr + run.stdout).not.toMatch(/locale es lacks/);
    await edit('clinic.yaml', (t) => t.replace('  cat-cow: [en]\n', '  knee-to-chest: [en]\n'));
    const missing = await cli('check', '--no-print', '--locale', 'es', '--only', 'lower-back-relief', 'cat-cow');
    expect(missing.stdout + missing.stderr).toMatch(/locale es lacks 1 handout that other locales have: cat-cow/);
  });
});

/**
 * Every locale's safety text reaches the PDF in the reader's language and script, from
 * embedded fonts only. These tests take fonts and strings away and expect the named error.
 */
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { copyInto, CONTENT, FIXTURES, listFiles, removeDir, runCli, tempDir, TEMPLATES } from '../helpers/cli.js';
import { bodySize, pdfFonts, pdfText, squash, textMargins } from '../helpers/pdf.js';
import { execFileSync } from 'node:child_process';
import { parse } from 'yaml';
import { extractPdfText } from '../../src/verify/pdf-text/extract-text.js';

describe('localized handouts', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir();
    await copyInto(TEMPLATES, path.join(dir, 'templates'));
    return () => removeDir(dir);
  });

  const edit = async (file: string, change: (s: string) => string) => {
    const target = path.join(dir, file);
    const before = await readFile(target, 'utf8');
    const after = change(before);
    expect(after).not.toBe(before);
    await writeFile(target, after);
  };
  const build = (...args: string[]) =>
    runCli(['build', '--content', CONTENT, '--out', path.join(dir, 'out'), '--templates', path.join(dir, 'templates'), '--only', 'lower-back-relief', ...args], { cwd: dir });

  it('prints Arabic right to left, with the language and title in the PDF', async () => {
    const run = await build('--locale', 'ar');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const html = await readFile(path.join(dir, 'out/ar/lower-back-relief.html'), 'utf8');
    expect(html).toMatch(/<html lang="ar" dir="rtl"/);
    const pdf = path.join(dir, 'out/ar/lower-back-relief.pdf');
    const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
    expect(info).toMatch(/^Title:\s+كيف أطقطق أسفل ظهر شريكي؟$/m);
    expect(await readFile(pdf, 'latin1')).toMatch(/\/Lang \(ar\)/);
    expect(pdfFonts(pdf).every((f) => f.embedded && /^(Amiri|NotoSans)/.test(f.name.replace(/^[A-Z]{6}\+/, '')))).toBe(true);
  });

  it('fails, naming locale, file and character, when the font for a script is removed', async () => {
    await edit('templates/fonts.yaml', (s) => s.replace(/  - name: Amiri\n(    .*\n)*/, ''));
    const run = await build('--locale', 'ar', 'en');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /✗ .*content\/ar\/lower-back-relief\.yaml:\d+:\d+: no embedded font can draw "(.)" \(U\+06[0-9A-F]{2}\).* \(locale ar\); it would print as an empty box or in a system font \[GLYPH_MISSING\]/,
    );
    expect(run.stdout).toMatch(/^1 passed, 1 failed/m);
    expect(await listFiles(path.join(dir, 'out'))).toEqual(['en/lower-back-relief.html', 'en/lower-back-relief.pdf']);
  });

  it('catches a silent fallback to a system font after printing', async () => {
    // The font is embedded but a style asks for another family: Chromium would quietly
    // draw that Arabic text with whatever font the machine has.
    await edit('templates/styles/handout.css', (s) => `${s}\n.warning p { font-family: 'Noto Sans'; }\n`);
    const run = await build('--locale', 'ar');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/✗ .*content\/ar\/lower-back-relief\.yaml: the PDF uses ".+", not one of the embedded fonts \(locale ar\)/);
    expect(await listFiles(path.join(dir, 'out'))).toEqual([]);
  });

  it("takes a key missing from a clinic's copy of a catalog from the built-in catalog of the same language, not from English", async () => {
    await edit('templates/locales/fr.yaml', (s) => s.replace(/^stop_if_pain:.*\n/m, ''));
    const strict = await runCli(['check', '--strict', '--no-print', '--content', CONTENT, '--templates', path.join(dir, 'templates'), '--locale', 'fr']);
    expect(strict.stderr).not.toContain('CATALOG_INCOMPLETE');
    expect(strict.code).toBe(0);

    const run = await build('--locale', 'fr');
    expect(run.code).toBe(0);
    const text = squash(pdfText(path.join(dir, 'out/fr/lower-back-relief.pdf')));
    expect(text).not.toContain(squash('Stop if you feel pain.'));
    const builtIn = /^stop_if_pain: (.*)$/m.exec(await readFile(path.join(TEMPLATES, 'locales/fr.yaml'), 'utf8'))![1]!.replace(/^"|"$/g, '');
    expect(text).toContain(squash(builtIn));
  });

  it('warns about handouts missing in a locale, and fails on it with --strict', async () => {
    // The shipped content, less one German handout.
    const content = path.join(dir, 'content-missing');
    await cp(CONTENT, content, { recursive: true });
    await rm(path.join(content, 'de', 'cat-cow.yaml'));
    const check = await runCli(['check', '--no-print', '--content', content, '--templates', path.join(dir, 'templates'), '--locale', 'en', 'de']);
    expect(check.code).toBe(0);
    expect(check.stderr).toMatch(/⚠ \S*content-missing\/de: locale de lacks 1 handout that other locales have: cat-cow \(in .*en.*\) \[TRANSLATION_MISSING\]/);
    const strict = await runCli(['check', '--no-print', '--strict', '--content', content, '--templates', path.join(dir, 'templates'), '--locale', 'en', 'de']);
    expect(strict.code).toBe(1);
  });

  it('wraps long German compounds without a soft hyphen, never running out of their boxes or shrinking the page', async () => {
    const run = await runCli(['build', '--content', path.join(FIXTURES, 'long-words'), '--out', path.join(dir, 'out')]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const pdf = path.join(dir, 'out/de/compounds.pdf');
    // Chromium shrinks a page whose content is too wide; text past its box reaches the edge.
    for (const [side, mm] of Object.entries(textMargins(pdf))) expect(mm, side).toBeGreaterThanOrEqual(10);
    expect(bodySize(pdf)).toBeGreaterThanOrEqual(10);
    // Words are never hyphenated: no soft hyphen in the page or in the PDF's text, and no
    // hyphen drawn. The title is longer than its line, so it wraps inside the word, with no
    // character added: each piece is a piece of the word, and together they spell it.
    const html = await readFile(path.join(dir, 'out/de/compounds.html'), 'utf8');
    expect(html).not.toContain('\u00ad');
    expect(html).not.toContain('&shy;');
    const text = pdfText(pdf);
    expect(text).not.toContain('\u00ad');
    expect(text).not.toMatch(/[-\u2010]/);
    const word = 'Rindfleischetikettierungsüberwachungsaufgabenübertragungsgesetz';
    const lines = extractPdfText(await readFile(pdf), false)[0]!.text.split('\n');
    const first = lines.findIndex((line) => line.startsWith('Rindfleisch'));
    expect(first).toBeGreaterThanOrEqual(0);
    expect(lines[first]!.length).toBeLessThan(word.length);
    let joined = '';
    for (let i = first; joined.length < word.length && i < lines.length; i++) joined += lines[i]!.trim();
    expect(joined.startsWith(word)).toBe(true);
  });

  it('builds es, ar and zh handouts from a folder outside the repo with the shipped catalogs and fonts, every character in the PDF', async () => {
    const content = path.join(FIXTURES, 'foreign-scripts');
    const run = await runCli(['build', '--content', content, '--out', path.join(dir, 'out')]);
    expect(run.stderr).not.toContain('✗');
    expect(run.code).toBe(0);
    for (const [locale, slug] of [['es', 'estiramiento'], ['ar', 'tamreen'], ['zh', 'shenzhan']] as const) {
      const texts = JSON.stringify(parse(await readFile(path.join(content, locale, `${slug}.yaml`), 'utf8')), (key, value) =>
        typeof value === 'string' || typeof value === 'object' ? value : undefined,
      );
      const values = [...texts.matchAll(/:"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!).join(' ');
      const printed = new Set(squash(pdfText(path.join(dir, 'out', locale, `${slug}.pdf`))).normalize('NFKC'));
      const letters = [...new Set(values.normalize('NFKC'))].filter((ch) => /[\p{L}\p{N}]/u.test(ch));
      expect(letters.filter((ch) => !printed.has(ch)), locale).toEqual([]);
    }
  });

  it('refuses an unknown locale', async () => {
    const run = await runCli(['check', '--content', CONTENT, '--locale', 'xx']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('no handouts for locale "xx"');
  });
});

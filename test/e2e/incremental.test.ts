/**
 * Incremental and reproducible builds: unchanged outputs are skipped, anything that
 * affects an output rebuilds it, a broken manifest means a full rebuild, deleted
 * handouts lose their outputs, and the same inputs give byte-identical PDFs.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { cp, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT, copyInto, FIXTURES, listFiles, removeDir, runCli, tempDir } from '../helpers/cli.js';

const summary = (stdout: string) => /^(\d+) passed, (\d+) failed(?:, (\d+) skipped \(cached\))?/m.exec(stdout)?.slice(1, 4).map((n) => Number(n ?? 0));

describe('incremental builds', () => {
  let dir: string;
  const build = (...args: string[]) => runCli(['build', '--content', 'content', '--out', 'out', '--templates', 'templates', ...args], { cwd: dir });

  beforeAll(async () => {
    dir = await tempDir();
    await copyInto(path.join(FIXTURES, 'other-clinic'), path.join(dir, 'content'));
    await copyInto(path.join(FIXTURES, '..', '..', 'templates'), path.join(dir, 'templates'));
  });
  afterAll(() => removeDir(dir));

  it('builds everything the first time and nothing the second', async () => {
    expect(summary((await build()).stdout)).toEqual([2, 0, 0]);
    expect(summary((await build()).stdout)).toEqual([0, 0, 2]);
  });

  it('rebuilds only the handout that changed', async () => {
    const file = path.join(dir, 'content/en/knee-hug.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('Go gently', 'Go very gently'));
    const run = await build();
    expect(summary(run.stdout)).toEqual([1, 0, 1]);
    expect(run.stdout).toContain('en/knee-hug built');
  });

  it('rebuilds everything when a template changes', async () => {
    const css = path.join(dir, 'templates/styles/handout.css');
    await writeFile(css, `${await readFile(css, 'utf8')}\n/* a change */\n`);
    expect(summary((await build()).stdout)).toEqual([2, 0, 0]);
  });

  it('rebuilds an output whose file was changed or deleted behind its back', async () => {
    await writeFile(path.join(dir, 'out/en/knee-hug.pdf'), 'not a pdf');
    await rm(path.join(dir, 'out/en/pelvic-tilt.html'));
    expect(summary((await build()).stdout)).toEqual([2, 0, 0]);
  });

  it('sees a same-size rewrite whose modification time was put back (the manifest trusts a stat only while it is unchanged)', async () => {
    expect(summary((await build()).stdout)).toEqual([0, 0, 2]);
    const pdf = path.join(dir, 'out/en/knee-hug.pdf');
    const before = await stat(pdf);
    // touch -r copies the times to the nanosecond (utimes from Node rounds them).
    execFileSync('touch', ['-r', pdf, path.join(dir, 'times')]);
    const bytes = await readFile(pdf);
    bytes[bytes.length - 20] = bytes[bytes.length - 20]! ^ 1;
    await writeFile(pdf, bytes);
    execFileSync('touch', ['-r', path.join(dir, 'times'), pdf]);
    const after = await stat(pdf);
    expect([after.size, after.mtimeMs, after.ino]).toEqual([before.size, before.mtimeMs, before.ino]);
    const run = await build();
    expect(summary(run.stdout)).toEqual([1, 0, 1]);
    expect(run.stdout).toContain('en/knee-hug built');
  });

  it('keeps outputs that were copied intact (new stats, same bytes), and trusts their new stats from then on', async () => {
    const html = path.join(dir, 'out/en/pelvic-tilt.html');
    const copy = `${html}.copy`;
    await cp(html, copy);
    await rename(copy, html);
    expect(summary((await build()).stdout)).toEqual([0, 0, 2]);
    const manifest = JSON.parse(await readFile(path.join(dir, 'out/.handout-cache.json'), 'utf8'));
    const { ino, size } = await stat(html);
    expect(manifest.entries['en/pelvic-tilt'].stats['en/pelvic-tilt.html']).toMatch(new RegExp(`^${size}:.*:${ino}$`));
  });

  it('treats a corrupt or foreign manifest as a full rebuild, without crashing', async () => {
    await writeFile(path.join(dir, 'out/.handout-cache.json'), '{ this is not json');
    expect(summary((await build()).stdout)).toEqual([2, 0, 0]);
    await writeFile(path.join(dir, 'out/.handout-cache.json'), JSON.stringify({ format: 1, tool: 'someone-else@9', entries: {} }));
    expect(summary((await build()).stdout)).toEqual([2, 0, 0]);
  });

  it('rebuilds everything with --force', async () => {
    expect(summary((await build('--force')).stdout)).toEqual([2, 0, 0]);
  });

  // The key holds each option's effective value for the sheet, not whether a flag was given.
  it('rebuilds nothing for options that leave the sheets as they are, and every sheet an option changes', async () => {
    expect(summary((await build('--page-size', 'A4')).stdout)).toEqual([0, 0, 2]);
    const same = await build('--page-size', 'a4', '--concurrency', '1', '--timeout', '60', '--strict', '--verbose', '--report', 'same.json');
    expect(summary(same.stdout)).toEqual([0, 0, 2]);
    expect(summary((await runCli(['build', '--content', 'content', '--out', 'out', '--templates', 'templates'], { cwd: dir, env: { SOURCE_DATE_EPOCH: 'not-a-number' } })).stdout)).toEqual([0, 0, 2]);
    expect(summary((await build('--page-size', 'Letter')).stdout)).toEqual([2, 0, 0]);
    expect(summary((await build('--page-size', 'Letter')).stdout)).toEqual([0, 0, 2]);
    expect(summary((await build()).stdout)).toEqual([2, 0, 0]);
  });

  it('reports the pages, bytes and hash of cached sheets, from the manifest; an older manifest without them still serves', async () => {
    const expected = async (name: string) => {
      const pdf = await readFile(path.join(dir, `out/en/${name}.pdf`));
      return { cached: true, pages: 1, bytes: pdf.length, sha256: createHash('sha256').update(pdf).digest('hex') };
    };
    await build('--report', 'cached.json');
    let report = JSON.parse(await readFile(path.join(dir, 'cached.json'), 'utf8'));
    expect(report.summary).toEqual({ passed: 0, failed: 0, skipped: 2 });
    expect(report.documents[0]).toMatchObject(await expected('knee-hug'));
    expect(report.documents[1]).toMatchObject(await expected('pelvic-tilt'));
    // A manifest written before bytes and warnings were recorded.
    const file = path.join(dir, 'out/.handout-cache.json');
    const manifest = JSON.parse(await readFile(file, 'utf8'));
    for (const entry of Object.values(manifest.entries) as Array<Record<string, unknown>>) {
      expect(entry).toMatchObject({ bytes: expect.any(Number), warnings: 0 });
      delete entry.bytes;
      delete entry.warnings;
    }
    await writeFile(file, JSON.stringify(manifest));
    await build('--report', 'cached.json');
    report = JSON.parse(await readFile(path.join(dir, 'cached.json'), 'utf8'));
    expect(report.summary).toEqual({ passed: 0, failed: 0, skipped: 2 });
    expect(report.documents[0]).toMatchObject(await expected('knee-hug'));
    // Whether they were built with warnings is not known: --strict builds them again.
    expect(summary((await build('--strict')).stdout)).toEqual([2, 0, 0]);
    expect(summary((await build('--strict')).stdout)).toEqual([0, 0, 2]);
  });

  it('removes, and lists, the outputs of a deleted handout', async () => {
    await rm(path.join(dir, 'content/en/pelvic-tilt.yaml'));
    const run = await build();
    expect(run.stdout).toContain('− removed out/en/pelvic-tilt.pdf (its handout was deleted)');
    expect(run.stdout).toContain('− removed out/en/pelvic-tilt.html (its handout was deleted)');
    expect(await listFiles(path.join(dir, 'out'))).toEqual(['en/knee-hug.html', 'en/knee-hug.pdf']);
  });

  it('keeps the outputs of another content folder built into the same output folder', async () => {
    const other = path.join(dir, 'other-content');
    await copyInto(path.join(FIXTURES, 'design-clinic'), other);
    const run = await runCli(['build', '--content', 'other-content', '--out', 'out', '--only', 'no-video'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('removed');
    expect(await listFiles(path.join(dir, 'out'))).toEqual(['en/knee-hug.html', 'en/knee-hug.pdf', 'en/no-video.html', 'en/no-video.pdf']);
  });

  it('writes a JSON report', async () => {
    await build('--report', 'report.json', '--force');
    const report = JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8'));
    expect(report.summary).toEqual({ passed: 1, failed: 0, skipped: 0 });
    const [doc] = report.documents;
    expect(doc).toMatchObject({ source: 'content/en/knee-hug.yaml', locale: 'en', slug: 'knee-hug', ok: true, cached: false, pages: 1 });
    expect(doc.sha256).toBe(createHash('sha256').update(await readFile(path.join(dir, 'out/en/knee-hug.pdf'))).digest('hex'));
    expect(doc.bytes).toBeGreaterThan(1000);
  });
});

describe('--strict and the cache', () => {
  it('does not pass a cached sheet that was built with warnings', async () => {
    const dir = await tempDir();
    try {
      await copyInto(path.join(FIXTURES, 'other-clinic', 'illustrations'), path.join(dir, 'content/illustrations'));
      // A new language's catalog with one string not yet translated: printed in English, with a warning.
      await copyInto(path.join(FIXTURES, 'other-clinic', 'en', 'knee-hug.yaml'), path.join(dir, 'content/it/knee-hug.yaml'));
      await mkdir(path.join(dir, 'templates/locales'), { recursive: true });
      const english = await readFile(path.join(FIXTURES, '..', '..', 'templates/locales/en.yaml'), 'utf8');
      await writeFile(path.join(dir, 'templates/locales/it.yaml'), english.replace(/^stop_if_pain:.*\n/m, '').replace(/^language_name:.*$/m, 'language_name: Italiano'));
      const build = (...args: string[]) => runCli(['build', '--content', 'content', '--out', 'out', '--templates', 'templates', ...args], { cwd: dir });
      const lenient = await build();
      expect(summary(lenient.stdout)).toEqual([1, 0, 0]);
      expect(lenient.stderr).toContain('[CATALOG_INCOMPLETE]');
      const strict = await build('--strict');
      expect(strict.code).toBe(1);
      expect(summary(strict.stdout)).toEqual([0, 1, 0]);
      expect(strict.stderr).toMatch(/✗ .*locale it is missing 1 string \(stop_if_pain\)/);
      expect(summary((await build()).stdout)).toEqual([0, 0, 1]);
    } finally {
      await removeDir(dir);
    }
  });
});

describe('reproducible PDFs', () => {
  it('gives byte-identical PDFs for the same inputs, dated by SOURCE_DATE_EPOCH', async () => {
    const dir = await tempDir();
    try {
      const content = path.join(FIXTURES, 'other-clinic');
      const env = { SOURCE_DATE_EPOCH: '1767225600' };
      await runCli(['build', '--content', content, '--out', path.join(dir, 'a')], { env });
      await runCli(['build', '--content', content, '--out', path.join(dir, 'b'), '--concurrency', '1'], { env });
      for (const file of ['en/knee-hug.pdf', 'en/pelvic-tilt.pdf']) {
        const [a, b] = await Promise.all([readFile(path.join(dir, 'a', file)), readFile(path.join(dir, 'b', file))]);
        expect(a.equals(b), file).toBe(true);
        const dates = execFileSync('pdfinfo', ['-isodates', path.join(dir, 'a', file)], { encoding: 'utf8' });
        expect(dates).toMatch(/^CreationDate:\s+2026-01-01T00:00:00(Z|\+00)/m);
        expect(dates).toMatch(/^ModDate:\s+2026-01-01T00:00:00(Z|\+00)/m);
      }
    } finally {
      await removeDir(dir);
    }
  });

  // A page shows one document after another, each at the thumbnail's zoom (page-slot.ts).
  // Nearly identical documents in a row once left a few edge pixels of a thumbnail
  // depending on what the page had shown before (Chromium patched the last document's tiles).
  it('gives byte-identical PDFs and thumbnails whatever the page showed before', async () => {
    const dir = await tempDir();
    try {
      const content = path.join(dir, 'content');
      await copyInto(CONTENT, content);
      for (const locale of ['en', 'ar', 'zh']) {
        const source = await readFile(path.join(content, locale, 'lower-back-relief.yaml'), 'utf8');
        for (let i = 1; i <= 5; i++) await writeFile(path.join(content, locale, `lower-back-relief-${i}.yaml`), source);
      }
      const env = { SOURCE_DATE_EPOCH: '1767225600' };
      const locales = ['--locale', 'en', 'ar', 'zh'];
      // One page shows all 18 in a row; then two pages share them in another order.
      await runCli(['build', '--content', content, '--out', path.join(dir, 'a'), '--concurrency', '1', ...locales], { env });
      await runCli(['build', '--content', content, '--out', path.join(dir, 'b'), '--concurrency', '2', ...locales], { env });
      const files = (await readdir(path.join(dir, 'a'), { recursive: true })).filter((f) => /^[^/]+\/lower-back-relief.*\.(pdf|png)$/.test(f));
      expect(files.filter((f) => f.endsWith('.png'))).toHaveLength(18);
      const differ: string[] = [];
      for (const file of files) {
        const [a, b] = await Promise.all([readFile(path.join(dir, 'a', file)), readFile(path.join(dir, 'b', file))]);
        if (!a.equals(b)) differ.push(file);
      }
      expect(differ).toEqual([]);
    } finally {
      await removeDir(dir);
    }
  });
});

/**
 * The printed page a clinic hands over: branding, dose, write-in box or a personal copy,
 * a QR code that scans, the review stamp, safe margins, vector illustrations, and the
 * large-print variant.
 */
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { copyInto, FIXTURES, listFiles, removeDir, runCli, tempDir, TEMPLATES, type CliRun } from '../helpers/cli.js';
import { warningBoxVisible } from '../helpers/visual.js';
import { bodySize, pdfInfo, pdfPages, pdfText, pdfXmp, squash, textMargins } from '../helpers/pdf.js';
import { decodeQrOnPage } from '../helpers/qr.js';

describe('the printed page', () => {
  let dir: string;
  let run: CliRun;
  const out = (file: string) => path.join(dir, 'out', file);

  beforeAll(async () => {
    dir = await tempDir();
    await copyInto(path.join(FIXTURES, 'design-clinic'), path.join(dir, 'content'));
    run = await runCli(['build', '--content', 'content', '--out', 'out'], { cwd: dir });
  });
  afterAll(() => removeDir(dir));

  it('builds', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('prints the clinic, the dose and the review stamp', () => {
    const text = squash(pdfText(out('en/knee-hug.pdf')));
    for (const expected of ['Test Clinic', 'Phone: +44 20 7946 0000', 'Hold 20 seconds', '2 sets', '5 repetitions', 'How often: Twice a day', 'Reviewed by Dr A. Reviewer, PT on October 5, 2026', 'Version 3', 'Patient', 'Date', 'Clinician']) {
      expect(text).toContain(squash(expected));
    }
  });

  it('leaves no empty gaps for clinic details that are not set', async () => {
    const html = await readFile(out('en/knee-hug.html'), 'utf8');
    expect(html).toContain('style="--accent: #7a2e8f"');
    expect(html).not.toMatch(/<(p|span|bdi)[^>]*>\s*<\/\1>/);
    expect(html).not.toContain('class="footer-line"');
  });

  it('prints a QR code that scans to the video, or else to the online version', () => {
    expect(decodeQrOnPage(out('en/knee-hug.pdf'))).toBe('https://video.example/knee-hug?v=1');
    expect(decodeQrOnPage(out('en/no-video.pdf'))).toBe('https://clinic.example/sheets/en/no-video.html');
    expect(squash(pdfText(out('en/no-video.pdf')))).toContain(squash('Scan to read this handout online'));
  });

  it('keeps text 10 mm or more from every edge, body text at 12 pt or more, illustrations as vectors', () => {
    const margins = textMargins(out('en/knee-hug.pdf'));
    for (const side of Object.values(margins)) expect(side).toBeGreaterThanOrEqual(10);
    expect(bodySize(out('en/knee-hug.pdf'))).toBeGreaterThanOrEqual(12);
    // SVG illustrations, logo and QR code stay vectors: no raster image in the PDF.
    const images = execFileSync('pdfimages', ['-list', out('en/knee-hug.pdf')], { encoding: 'utf8' }).trim().split('\n').slice(2);
    expect(images).toEqual([]);
  });

  it('writes a personal copy beside the blank sheet, never over it', async () => {
    const blank = await readFile(out('en/knee-hug.pdf'));
    const personal = await runCli(
      ['build', '--content', 'content', '--out', 'out', '--only', 'knee-hug', '--patient', 'Zoë Jones', '--clinician', 'Sam Lee, PT', '--date', '2026-12-01'],
      { cwd: dir },
    );
    expect(personal.code).toBe(0);
    expect(await readFile(out('en/knee-hug.pdf'))).toEqual(blank);
    const [copy] = (await listFiles(path.join(dir, 'private'))).filter((f) => /^en\/knee-hug--zoe-jones-[0-9a-f]{6}--2026-12-01\.pdf$/.test(f));
    expect(copy).toBeDefined();
    const file = path.join(dir, 'private', copy!);
    const text = squash(pdfText(file));
    expect(text).toContain(squash('Zoë Jones'));
    expect(text).toContain(squash('Sam Lee, PT'));
    expect(text).toContain(squash('Dec 1, 2026'));
    // The name is printed on the sheet, never in what the file says about itself (a file
    // manager, a mail client and a search index show the metadata).
    const described = `${JSON.stringify(pdfInfo(file))}${pdfXmp(file)}`;
    for (const part of ['Zoë', 'Jones', 'Sam Lee']) expect(described).not.toContain(part);
  });

  it('refuses a malformed personal date before doing anything', async () => {
    const bad = await runCli(['build', '--content', 'content', '--out', 'out', '--date', '2026-02-30'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('expected a date as YYYY-MM-DD');
  });

  it('prints large print at 16 pt or more on two pages, each with the title and "Page N of 2", no exercise split', async () => {
    // Four exercises: more than one page at 16 pt.
    const file = path.join(dir, 'content/en/knee-hug.yaml');
    const yaml = await readFile(file, 'utf8');
    const exercise = /  - name: [\s\S]*?(?=\n[a-z_]+:|\n?$)/.exec(yaml.slice(yaml.indexOf('exercises:')))![0];
    const four = [1, 2, 3, 4].map((n) => exercise.replace(/name: (.*)/, `name: $1 ${n}`)).join('\n');
    await writeFile(path.join(dir, 'content/en/four-hugs.yaml'), yaml.replace(exercise, four));
    const large = await runCli(['build', '--content', 'content', '--out', 'out', '--only', 'four-hugs', '--large-print'], { cwd: dir });
    expect(large.stderr).toBe('');
    expect(large.code).toBe(0);
    const pdf = out('en/four-hugs.large-print.pdf');
    expect(pdfPages(pdf)).toBe(2);
    expect(bodySize(pdf)).toBeGreaterThanOrEqual(16);
    const title = /^title: (.*)$/m.exec(yaml)![1]!;
    for (const n of [1, 2]) {
      const page = squash(execFileSync('pdftotext', ['-f', String(n), '-l', String(n), '-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' }));
      expect(page).toContain(squash(`Page ${n} of 2`));
      expect(page).toContain(squash(title));
      // Each exercise starts and ends on the same page: its name and its stop line together.
      for (const k of [1, 2, 3, 4]) {
        const name = squash(`${/name: (.*)/.exec(exercise)![1]} ${k}`);
        if (page.includes(name)) expect(page.slice(page.indexOf(name))).toContain(squash('Stop if you feel pain.'));
      }
    }
  });

  it('fits a longer handout by layout, exercises two to a row, with the type still at 12 pt or more', async () => {
    const file = path.join(dir, 'content/en/no-video.yaml');
    const yaml = await readFile(file, 'utf8');
    const exercise = /  - name: [\s\S]*?(?=\n[a-z_]+:|\n?$)/.exec(yaml.slice(yaml.indexOf('exercises:')))![0];
    // Six exercises of three steps, each step a full sentence: too long for one column at any size.
    const steps = '    steps:\n' + [1, 2, 3].map((k) => `      - Step ${k}, move slowly, breathe normally and stop if it hurts you.`).join('\n');
    const six = [1, 2, 3, 4, 5, 6].map((n) => exercise.replace(/name: (.*)/, `name: $1 ${n}`).replace(/    steps:\n(      - .*\n?)+/, `${steps}\n`)).join('\n');
    await writeFile(file, yaml.replace(exercise, six));
    const fitted = await runCli(['build', '--content', 'content', '--out', 'out', '--only', 'no-video'], { cwd: dir });
    expect(fitted.stderr).toBe('');
    expect(fitted.code).toBe(0);
    expect(pdfPages(out('en/no-video.pdf'))).toBe(1);
    const html = await readFile(out('en/no-video.html'), 'utf8');
    expect(/<html[^>]* data-fit="([^"]+)"/.exec(html)?.[1]).toMatch(/\bgrid\b/);
    expect(bodySize(out('en/no-video.pdf'))).toBeGreaterThanOrEqual(12);
  });

  it('shows the warning box, and the visual check notices when a template loses it', async () => {
    expect(warningBoxVisible(out('en/knee-hug.pdf'))).toBe(true);
    // The text is still there (so the verifier passes) but the box is gone.
    const templates = await copyInto(TEMPLATES, path.join(dir, 'plain-templates'));
    const css = path.join(templates, 'styles/handout.css');
    await writeFile(css, `${await readFile(css, 'utf8')}\n.warning { border: 0; background: none; }\n`);
    const run = await runCli(['build', '--content', 'content', '--out', 'plain-out', '--templates', 'plain-templates', '--only', 'knee-hug'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(warningBoxVisible(path.join(dir, 'plain-out/en/knee-hug.pdf'))).toBe(false);
  });

  it('lists exactly the expected outputs', async () => {
    expect(await listFiles(path.join(dir, 'out'))).toEqual([
      'en/four-hugs.large-print.html',
      'en/four-hugs.large-print.pdf',
      'en/knee-hug.html',
      'en/knee-hug.pdf',
      'en/no-video.html',
      'en/no-video.pdf',
    ]);
  });
});

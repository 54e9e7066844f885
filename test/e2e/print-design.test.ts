/**
 * The printed page a clinic hands over: branding, dose, write-in box or a personal copy,
 * a QR code that scans, the review stamp, safe margins, vector illustrations, and the
 * large-print variant.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { copyInto, FIXTURES, listFiles, removeDir, runCli, tempDir, TEMPLATES, type CliRun } from '../helpers/cli.js';
import { warningBoxVisible } from '../helpers/visual.js';
import { bodySize, pdfPages, pdfText, squash, textMargins } from '../helpers/pdf.js';
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

  it('keeps text 10 mm or more from every edge, body text at 10 pt or more, illustrations as vectors', () => {
    const margins = textMargins(out('en/knee-hug.pdf'));
    for (const side of Object.values(margins)) expect(side).toBeGreaterThanOrEqual(10);
    expect(bodySize(out('en/knee-hug.pdf'))).toBeGreaterThanOrEqual(10);
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
    const text = squash(pdfText(out('en/knee-hug--zoe-jones--2026-12-01.pdf')));
    expect(text).toContain(squash('Zoë Jones'));
    expect(text).toContain(squash('Sam Lee, PT'));
    expect(text).toContain(squash('December 1, 2026'));
  });

  it('refuses a malformed personal date before doing anything', async () => {
    const bad = await runCli(['build', '--content', 'content', '--out', 'out', '--date', '2026-02-30'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('expected a date as YYYY-MM-DD');
  });

  it('prints large print at 14 pt or more, on at most two pages, under its own name', async () => {
    const large = await runCli(['build', '--content', 'content', '--out', 'out', '--only', 'knee-hug', '--large-print'], { cwd: dir });
    expect(large.code).toBe(0);
    const pdf = out('en/knee-hug.large-print.pdf');
    expect(pdfPages(pdf)).toBeLessThanOrEqual(2);
    expect(bodySize(pdf)).toBeGreaterThanOrEqual(14);
  });

  it('shrinks a handout that is slightly too long, within the 9 pt floor, instead of failing', async () => {
    const file = path.join(dir, 'content/en/no-video.yaml');
    const steps = Array.from({ length: 20 }, (_, i) => `      - Step ${i + 1}, ${'breathe slowly and keep the movement small and comfortable. '.repeat(3)}`).join('\n');
    await writeFile(file, (await readFile(file, 'utf8')).replace(/    steps:\n(      - .*\n)+/, `    steps:\n${steps}\n`));
    const fitted = await runCli(['build', '--content', 'content', '--out', 'out', '--only', 'no-video'], { cwd: dir });
    expect(fitted.code).toBe(0);
    expect(pdfPages(out('en/no-video.pdf'))).toBe(1);
    const html = await readFile(out('en/no-video.html'), 'utf8');
    const fit = Number(/<style>:root { --fit: ([\d.]+); }<\/style>/.exec(html)?.[1]);
    expect(fit).toBeLessThan(1);
    expect(bodySize(out('en/no-video.pdf'))).toBeGreaterThanOrEqual(9);
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
      'en/knee-hug--zoe-jones--2026-12-01.html',
      'en/knee-hug--zoe-jones--2026-12-01.pdf',
      'en/knee-hug.html',
      'en/knee-hug.large-print.html',
      'en/knee-hug.large-print.pdf',
      'en/knee-hug.pdf',
      'en/no-video.html',
      'en/no-video.pdf',
    ]);
  });
});

/**
 * Reference images of the shipped sheets: every handout in content/ is built (from copies
 * of content/ and templates/), page 1 is rasterised at 50 dpi and compared with
 * test/references/<locale>-<slug>.png within a tolerance (see test/helpers/reference-images.ts
 * for the figures). A layout change therefore fails here. The bytes are compared too
 * (test/references/output-digests.json): a change of the code meant to change nothing
 * (a refactoring) must print every PDF and HTML file exactly as before. When a change is intended:
 *
 *   npm run test:references     (UPDATE_REFERENCES=1: rewrites the PNGs, removes stale ones)
 *
 * A failed comparison leaves the page and a diff in .vitest-tmp/reference-diffs/.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { appendFile, mkdir, readdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT, copyInto, listFiles, removeDir, runCli, tempDir, TEMPLATES, type CliRun } from '../helpers/cli.js';
import {
  compareWithReference,
  DIFFS_DIR,
  encodePng,
  RASTERISER_FILE,
  rasterisePage,
  rasteriserVersion,
  REFERENCES_DIR,
  UPDATE_COMMAND,
} from '../helpers/reference-images.js';

const UPDATE = process.env.UPDATE_REFERENCES === '1';

/** Every shipped handout, as <locale>/<slug>: each one's sheet has a reference. */
const SHEETS = readdirSync(CONTENT, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && /^[a-z]{2,3}(-[A-Za-z0-9]+)*$/.test(entry.name))
  .flatMap((locale) =>
    readdirSync(path.join(CONTENT, locale.name))
      .filter((file) => file.endsWith('.yaml'))
      .map((file) => `${locale.name}/${file.slice(0, -'.yaml'.length)}`),
  )
  .sort();
const referenceName = (sheet: string) => sheet.replace('/', '-');

/** The digests of every shipped sheet's PDF and HTML, as printed by one browser at one date. */
interface OutputDigests {
  browser: string;
  sourceDateEpoch: string;
  sheets: Record<string, { pdf: string; html: string }>;
}
const DIGESTS_FILE = path.join(REFERENCES_DIR, 'output-digests.json');
/** 2026-01-01: every PDF records this date, so the same inputs give the same bytes. */
const SOURCE_DATE_EPOCH = '1767225600';
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('reference images of the shipped sheets', () => {
  let dir: string;
  let build: CliRun;

  beforeAll(async () => {
    dir = await tempDir();
    await copyInto(CONTENT, path.join(dir, 'content'));
    await copyInto(TEMPLATES, path.join(dir, 'templates'));
    // Old diffs would only confuse: this run's failures write their own.
    await rm(DIFFS_DIR, { recursive: true, force: true });
    if (UPDATE) await mkdir(REFERENCES_DIR, { recursive: true });
    // Paper as the clinic ships it: Letter for en, A4 for the others (content/clinic.yaml).
    build = await runCli(['build', '--content', 'content', '--templates', 'templates', '--out', 'out', '--report', 'report.json'], { cwd: dir, env: { SOURCE_DATE_EPOCH } });
  });

  /** This run's digests, and the browser that printed them. */
  const digests = async (): Promise<OutputDigests> => {
    const report = JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8')) as { browser: { version: string | null } | null };
    const sheets = Object.fromEntries(SHEETS.map((s) => [s, { pdf: sha256(path.join(dir, 'out', `${s}.pdf`)), html: sha256(path.join(dir, 'out', `${s}.html`)) }]));
    return { browser: report.browser?.version ?? 'unknown', sourceDateEpoch: SOURCE_DATE_EPOCH, sheets };
  };
  afterAll(() => removeDir(dir));

  it('builds every shipped sheet', async () => {
    expect(build.stderr).not.toContain('✗');
    expect(build.code).toBe(0);
    expect(SHEETS).toEqual(expect.arrayContaining(['en/lower-back-relief', 'en/knee-to-chest', 'ar/lower-back-relief', 'zh/lower-back-relief', 'hi/lower-back-relief']));
    expect((await listFiles(path.join(dir, 'out'))).filter((f) => f.endsWith('.pdf'))).toEqual(SHEETS.map((s) => `${s}.pdf`));
  });

  it.each(SHEETS)(`%s looks like its reference${UPDATE ? ' (updating it)' : ''}`, async (sheet) => {
    const pdf = path.join(dir, 'out', `${sheet}.pdf`);
    if (!existsSync(pdf)) expect.fail(`${sheet}: the build wrote no PDF to compare:\n${build.stderr.split('\n').filter((line) => line.includes(`/${sheet}.`)).join('\n') || build.stderr}`);
    const page = rasterisePage(pdf);
    if (UPDATE) {
      await writeFile(path.join(REFERENCES_DIR, `${referenceName(sheet)}.png`), encodePng(page));
      return;
    }
    const result = compareWithReference(referenceName(sheet), page);
    if (!result.ok) expect.fail(result.message);
  });

  it.runIf(UPDATE)('removes the references of sheets no longer shipped, and records the rasteriser', async () => {
    const wanted = new Set(SHEETS.map((s) => `${referenceName(s)}.png`));
    for (const file of await readdir(REFERENCES_DIR)) {
      if (file.endsWith('.png') && !wanted.has(file)) await unlink(path.join(REFERENCES_DIR, file));
    }
    await writeFile(path.join(REFERENCES_DIR, RASTERISER_FILE), `${rasteriserVersion()}\n`);
    await writeFile(DIGESTS_FILE, `${JSON.stringify(await digests(), null, 1)}\n`);
  });

  it.skipIf(UPDATE)('prints every sheet byte for byte as recorded, when printed by the same browser', async (context) => {
    const recorded = JSON.parse(await readFile(DIGESTS_FILE, 'utf8')) as OutputDigests;
    const now = await digests();
    // Another Chromium writes other bytes for the same page: the images above still compare.
    if (now.browser !== recorded.browser) context.skip(`recorded with ${recorded.browser}, printed with ${now.browser}`);
    expect(Object.keys(now.sheets), `sheets added or removed: ${UPDATE_COMMAND}`).toEqual(Object.keys(recorded.sheets));
    const changed = SHEETS.flatMap((s) => (['pdf', 'html'] as const).filter((kind) => now.sheets[s]![kind] !== recorded.sheets[s]![kind]).map((kind) => `${s}.${kind}`));
    expect(changed, `files that are no longer byte-identical; after an intended change: ${UPDATE_COMMAND}`).toEqual([]);
  });

  it.skipIf(UPDATE)('has no reference without a shipped sheet', async () => {
    const stale = (await readdir(REFERENCES_DIR)).filter((f) => f.endsWith('.png') && !SHEETS.some((s) => `${referenceName(s)}.png` === f));
    expect(stale, `references of sheets no longer shipped; remove them with ${UPDATE_COMMAND}`).toEqual([]);
  });

  describe.skipIf(UPDATE)('the comparison', () => {
    const sheet = 'en/lower-back-relief';
    const buildOne = (out: string, args: string[]) => runCli(['build', '--content', 'content', '--out', out, '--only', 'lower-back-relief', '--locale', 'en', ...args], { cwd: dir });

    it('fails for a visibly changed template, and leaves the page and a diff where it says', async () => {
      // Text in dark red instead of near-black: the layout is untouched, every glyph differs.
      const templates = await copyInto(TEMPLATES, path.join(dir, 'templates-red'));
      const styles = (await readdir(path.join(templates, 'styles'))).filter((f) => f.endsWith('.css'));
      expect(styles.length).toBeGreaterThan(0);
      for (const css of styles) await appendFile(path.join(templates, 'styles', css), '\nhtml, html * { color: #b00000 !important; }\n');
      const run = await buildOne('out-red', ['--templates', templates]);
      expect(run.code, run.stderr).toBe(0);
      const diffsDir = path.join(dir, 'diffs');
      const result = compareWithReference(referenceName(sheet), rasterisePage(path.join(dir, 'out-red', `${sheet}.pdf`)), { diffsDir });
      expect(result.ok).toBe(false);
      expect(result.message).toMatch(/^en-lower-back-relief: \d+ pixels \(\d+\.\d\d %\) differ from test\/references\/en-lower-back-relief\.png, over the tolerance of \d+ \(0\.05 %\)/);
      expect(result.message).toContain(`${path.join(diffsDir, 'en-lower-back-relief.actual.png')}; the differences in red: ${path.join(diffsDir, 'en-lower-back-relief.diff.png')}`);
      expect(result.message).toContain(UPDATE_COMMAND);
      for (const file of ['en-lower-back-relief.actual.png', 'en-lower-back-relief.diff.png']) {
        expect((await readFile(path.join(diffsDir, file))).subarray(1, 4).toString()).toBe('PNG');
      }
    });

    it('fails with a clear message for a page of another size', async () => {
      const run = await buildOne('out-a4', ['--page-size', 'A4']);
      expect(run.code, run.stderr).toBe(0);
      const result = compareWithReference(referenceName(sheet), rasterisePage(path.join(dir, 'out-a4', `${sheet}.pdf`)), { diffsDir: path.join(dir, 'diffs') });
      expect(result.ok).toBe(false);
      expect(result.message).toContain(
        'en-lower-back-relief: the page is 414 × 585 px at 50 dpi, its reference test/references/en-lower-back-relief.png is 425 × 550 px: a different page size or shape',
      );
      expect(result.message).toContain(UPDATE_COMMAND);
    });
  });
});

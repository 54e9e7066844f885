/**
 * Typical clinic sheets, as a clinic writes them (test/fixtures/clinic-sheets: 4 exercises of
 * 3 short steps with pictures from Inkscape, Illustrator, Affinity and a PNG, 2–3 tips, 1
 * alternative, a warning; English, and Spanish, Arabic, Chinese and Hindi translations), built
 * on A4 and on Letter, blank and as personal copies, and in large print. The promise checked:
 * every sheet is written, on one page (large print: at most two), with body and safety text at
 * 12 pt or more (large print: 16 pt or more) and nothing on the page under 10 pt. The sheets
 * this repository ships (content/) are held to the same promise, in every variant.
 *
 * Sizes are read with pdfminer (test/helpers/type-sizes.ts, which says how strings are found
 * and what it cannot see). Each variant is one build of all sheets in one Chromium, then one
 * Python process reads all of its PDFs.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT, copyInto, FIXTURES, removeDir, runCli, tempDir, TEMPLATES, type CliRun } from '../helpers/cli.js';
import { handoutTexts, readTypeSizes, sizeOfString, smallestOnPage, type HandoutText, type PdfTypeSizes } from '../helpers/type-sizes.js';

const FIXTURE = path.join(FIXTURES, 'clinic-sheets');
const PERSONAL = ['--patient', 'Maria Fernández-López', '--clinician', 'Dr Amal Haddad', '--date', '2026-12-05'];
/** Labels, footer, write-in box, dose chips: nothing printed smaller. */
const SMALLEST_ANYWHERE = 10;

interface Sheet {
  /** "en/sciatica" */
  id: string;
  locale: string;
  slug: string;
  yaml: string;
}

const sheetsIn = (folder: string): Sheet[] =>
  readdirSync(folder, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== 'illustrations')
    .flatMap((d) =>
      readdirSync(path.join(folder, d.name))
        .filter((f) => f.endsWith('.yaml'))
        .map((f) => {
          const slug = f.slice(0, -'.yaml'.length);
          return { id: `${d.name}/${slug}`, locale: d.name, slug, yaml: path.join(folder, d.name, f) };
        }),
    )
    .sort((a, b) => a.id.localeCompare(b.id));

/** The typical clinic sheets, and the sheets this repository ships (content/), held to the same promise. */
const SETS = [
  { name: 'typical clinic sheets', folder: FIXTURE, sheets: sheetsIn(FIXTURE) },
  { name: 'shipped sheets', folder: CONTENT, sheets: sheetsIn(CONTENT) },
];

interface Variant {
  name: string;
  paper: 'A4' | 'Letter';
  args: string[];
  /** The PDF a sheet is written to, in its locale's folder, or undefined. */
  file: (sheet: Sheet, files: string[]) => string | undefined;
  maxPages: number;
  /** Body and safety text at this size or more. */
  text: number;
}

const blank = (s: Sheet, files: string[]) => files.find((f) => f === `${s.slug}.pdf`);
const personal = (s: Sheet, files: string[]) => files.find((f) => f.startsWith(`${s.slug}--`) && f.endsWith('.pdf'));
const largePrint = (s: Sheet, files: string[]) => files.find((f) => f === `${s.slug}.large-print.pdf`);

const VARIANTS: Variant[] = (['A4', 'Letter'] as const).flatMap((paper) => [
  { name: `${paper}, blank`, paper, args: ['--page-size', paper], file: blank, maxPages: 1, text: 12 },
  { name: `${paper}, personal copy`, paper, args: ['--page-size', paper, ...PERSONAL], file: personal, maxPages: 1, text: 12 },
  { name: `${paper}, large print`, paper, args: ['--page-size', paper, '--large-print'], file: largePrint, maxPages: 2, text: 16 },
]);

/** Paper sizes in pt, as pdfinfo prints them. */
const PAPER = { A4: [595.28, 841.89], Letter: [612, 792] } as const;

function pdfInfo(pdf: string): { pages: number; width: number; height: number } {
  const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
  const size = /^Page size:\s+([\d.]+) x ([\d.]+) pts/m.exec(info);
  return { pages: Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]), width: Number(size?.[1]), height: Number(size?.[2]) };
}

const short = (text: string, max = 70) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

/** The CLI's error lines for a sheet (it names the file as content/<locale>/<slug>.yaml). */
function errorsFor(run: CliRun, sheet: Sheet): string {
  const lines = run.stderr.split('\n').filter((l) => l.includes(`${sheet.locale}/${sheet.slug}.yaml`));
  return lines.length ? lines.map((l) => short(l, 400)).join(' | ') : `no error line for it (exit code ${run.code})`;
}

describe.each(SETS.flatMap((set) => VARIANTS.map((variant) => ({ ...variant, set }))))('$set.name, $name', (variant) => {
  const SHEETS = variant.set.sheets;
  let dir: string;
  let run: CliRun;
  /** Sheet id → its PDF, for the sheets written. */
  const written = new Map<string, string>();
  let sizes: Map<string, PdfTypeSizes>;
  const texts = new Map<string, HandoutText[]>();
  const writtenSheets = () => SHEETS.filter((s) => written.has(s.id));

  beforeAll(async () => {
    dir = await tempDir('handout-typical-');
    await copyInto(variant.set.folder, path.join(dir, 'content'));
    run = await runCli(['build', '--content', 'content', '--out', 'out', ...variant.args], { cwd: dir });
    // Personal copies are written to the private folder, never the site folder.
    const folder = variant.file === personal ? 'private' : 'out';
    for (const sheet of SHEETS) {
      let files: string[] = [];
      try {
        files = readdirSync(path.join(dir, folder, sheet.locale));
      } catch {
        // no sheet of this locale was written
      }
      const file = variant.file(sheet, files);
      if (file) written.set(sheet.id, path.join(dir, folder, sheet.locale, file));
      texts.set(sheet.id, await handoutTexts(sheet.yaml, TEMPLATES));
    }
    sizes = readTypeSizes([...written.values()]);
  });
  afterAll(() => removeDir(dir));

  it('builds every sheet (exit code 0)', () => {
    const missing = SHEETS.filter((s) => !written.has(s.id)).map((s) => `${s.id}: not written: ${errorsFor(run, s)}`);
    expect(missing, `${missing.length} of ${SHEETS.length} sheets not written`).toEqual([]);
    expect(run.code, run.stderr).toBe(0);
  });

  it(`prints every sheet on ${variant.maxPages === 1 ? 'one page' : `at most ${variant.maxPages} pages`} of ${variant.paper}`, () => {
    expect(written.size, `no sheet was written (${run.stderr.split('\n')[0]})`).toBeGreaterThan(0);
    const [width, height] = PAPER[variant.paper];
    const wrong: string[] = [];
    for (const sheet of writtenSheets()) {
      const info = pdfInfo(written.get(sheet.id)!);
      if (info.pages > variant.maxPages) wrong.push(`${sheet.id}: ${info.pages} pages`);
      if (Math.abs(info.width - width) > 1 || Math.abs(info.height - height) > 1) {
        wrong.push(`${sheet.id}: paper ${info.width} x ${info.height} pt, not ${variant.paper} (${width} x ${height})`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it(`prints body and safety text at ${variant.text} pt or more`, () => {
    expect(written.size, `no sheet was written, nothing to measure (${run.stderr.split('\n')[0]})`).toBeGreaterThan(0);
    const failures: string[] = [];
    const figures: string[] = [];
    for (const sheet of writtenSheets()) {
      const doc = sizes.get(written.get(sheet.id)!)!;
      const measured = texts.get(sheet.id)!.map((t) => ({ ...t, ...sizeOfString(doc, t.text) }));
      for (const m of measured.filter((m) => m.found === 'missing')) {
        failures.push(`${sheet.id}: ${m.field} "${short(m.text)}" not found on the page (${Math.round(m.coverage * 100)}% of it found)`);
      }
      const found = measured.filter((m) => m.size !== null).sort((a, b) => a.size! - b.size!);
      const under = found.filter((m) => m.size! < variant.text);
      if (under.length) {
        const fields = [...new Set(under.map((m) => m.field.replace(/\[\d+\]/g, '[]')))].join(', ');
        const worst = under[0]!;
        failures.push(
          `${sheet.id}: ${under.length} of ${measured.length} texts under ${variant.text} pt, smallest ${worst.size} pt: ${worst.field} "${short(worst.text)}" (under: ${fields})`,
        );
      }
      const body = found.filter((m) => !m.safety)[0];
      const safety = found.filter((m) => m.safety)[0];
      figures.push(
        `${sheet.id}: body ≥ ${body?.size ?? '?'} pt (${body?.field ?? '-'}), safety ≥ ${safety?.size ?? '?'} pt (${safety?.field ?? '-'}), anything ≥ ${smallestOnPage(doc).size} pt`,
      );
    }
    console.log(`[${variant.name}] text sizes\n  ${figures.join('\n  ')}`);
    expect(failures).toEqual([]);
  });

  it(`prints nothing under ${SMALLEST_ANYWHERE} pt`, () => {
    expect(written.size, `no sheet was written, nothing to measure (${run.stderr.split('\n')[0]})`).toBeGreaterThan(0);
    const failures: string[] = [];
    for (const sheet of writtenSheets()) {
      const doc = sizes.get(written.get(sheet.id)!)!;
      const { size } = smallestOnPage(doc);
      if (size < SMALLEST_ANYWHERE) {
        const lines = doc.lines.filter((l) => l.min < SMALLEST_ANYWHERE);
        failures.push(`${sheet.id}: ${lines.length} lines with text under ${SMALLEST_ANYWHERE} pt, smallest ${size} pt: ${lines.map((l) => `"${short(l.text, 30)}" ${l.min} pt`).slice(0, 4).join(', ')}`);
      }
    }
    expect(failures).toEqual([]);
  });
});

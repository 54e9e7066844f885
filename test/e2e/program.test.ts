/**
 * `handout program`: a personal sheet from a saved program or from library exercise ids, in
 * en, es and ar, printed and verified like every sheet (the real CLI, real Chromium): the
 * patient's name, each exercise with this patient's dose, the stop rule, the pain warning and
 * the disclaimer in the PDF; the PDF and its prescription in the private folder, nothing about
 * the patient under the site folder; `--from` re-issues the same bytes; an unknown id says
 * what it may have meant; a program too long for its page is refused with what to shorten,
 * or with --split printed on consecutive sheets, each one page with every safety text.
 */
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { fill, numberingFor } from '../../src/i18n/format-hold.js';
import { readPdf } from '../../src/verify/read-pdf.js';
import { CONTENT, removeDir, runCli, tempDir, TEMPLATES, type CliRun } from '../helpers/cli.js';
import { pdfPages, pdfText, squash } from '../helpers/pdf.js';

const catalogOf = (locale: string) =>
  parse(readFileSync(path.join(TEMPLATES, 'locales', `${locale}.yaml`), 'utf8')) as Record<string, string> & {
    reps: Record<string, string>;
    sets: Record<string, string>;
  };
const exerciseName = (locale: string, id: string) =>
  (parse(readFileSync(path.join(CONTENT, 'exercises', locale, `${id}.yaml`), 'utf8')) as { name: string }).name;

/** "5 repetitions", "٥ تكرارات": a count as the locale's catalog and Intl print it. */
function dose(locale: string, key: 'reps' | 'sets', count: number): string {
  const { numbers, rules } = numberingFor(locale);
  const forms = catalogOf(locale)[key];
  return (forms[rules.select(count)] ?? forms.other!).replace('{count}', numbers.format(count));
}

/** "Sheet 2 of 3", "الورقة ٢ من ٣": as the locale's catalog and digits print it. */
function sheetOf(locale: string, sheet: number, sheets: number): string {
  const { numbers } = numberingFor(locale);
  return fill(catalogOf(locale).sheet_of!, { sheet: numbers.format(sheet), sheets: numbers.format(sheets) });
}

/** Library exercises that do not fit one Letter page together (the library's have ~6 steps each). */
const LONG_WEEK = ['knee-to-chest', 'pelvic-tilt', 'glute-bridge', 'cat-cow'];

/** An exercise that fits no page even alone: 20 long steps. */
const MARATHON = `name: Marathon stretch
steps:
${Array.from({ length: 20 }, (_, i) => `  - Step ${i + 1}, move slowly and gently, keep breathing, and stop and rest whenever the stretch feels too strong for you today or your back starts to ache.`).join('\n')}
`;

const PROGRAMS: Record<string, string> = {
  'en/low-back-week-2': `title: "Low back pain: week 2"
summary: Four exercises this week. Do them slowly.
exercises:
${LONG_WEEK.map((id, i) => `  - exercise: ${id}\n    reps: ${i + 4}`).join('\n')}
notes: Walk for fifteen minutes every day as well.
`,
  'en/low-back-week-1': `title: "Low back pain: week 1"
summary: Gentle exercises for your first week. Do them slowly.
exercises:
  - exercise: knee-to-chest
    reps: 5
  - exercise: pelvic-tilt
    sets: 2
    reps: 9
notes: Walk for ten minutes every day as well.
`,
  'es/espalda-semana-1': `title: "Dolor lumbar: semana 1"
exercises:
  - exercise: supine-spinal-twist
    reps: 4
`,
  'ar/alzahr-1': `title: برنامج أسفل الظهر
warning:
  title: تمارين لك وحدك
  text: لا تفعل أكثر مما تقوله هذه النشرة.
exercises:
  - exercise: supine-spinal-twist
    reps: 6
`,
  'en/too-long': `title: Everything at once
notes: ${'Walk every day, and keep moving through the day; sitting for a long time makes a sore back stiffer. '.repeat(15).trim()}
exercises:
${['knee-to-chest', 'pelvic-tilt', 'glute-bridge', 'cat-cow', 'childs-pose', 'double-knee-to-chest'].map((id) => `  - exercise: ${id}`).join('\n')}
`,
};

/** One sheet printed: its arguments, what each exercise prints (name, dose) and the patient. */
interface Sheet {
  locale: string;
  args: string[];
  patient: string;
  exercises: Array<{ id: string; doses: string[] }>;
  /** The warning printed at the top: the program's own, else the catalog's. */
  warning?: { title: string; text: string };
}

const SHEETS: Record<string, Sheet> = {
  'en saved program': {
    locale: 'en',
    args: ['low-back-week-1', '--clinician', 'Sam Lee, PT', '--date', '2026-12-05'],
    patient: 'María López',
    exercises: [
      { id: 'knee-to-chest', doses: [dose('en', 'reps', 5)] },
      { id: 'pelvic-tilt', doses: [dose('en', 'sets', 2), dose('en', 'reps', 9)] },
    ],
  },
  'en exercise ids': {
    locale: 'en',
    args: ['knee-to-chest:reps=4', 'glute-bridge:sets=3,reps=7'],
    patient: 'John Q. Smith',
    exercises: [
      { id: 'knee-to-chest', doses: [dose('en', 'reps', 4)] },
      { id: 'glute-bridge', doses: [dose('en', 'sets', 3), dose('en', 'reps', 7)] },
    ],
  },
  'es saved program': {
    locale: 'es',
    args: ['espalda-semana-1', '--locale', 'es', '--date', '2026-12-05'],
    patient: 'Lucía Fernández',
    exercises: [{ id: 'supine-spinal-twist', doses: [dose('es', 'reps', 4)] }],
  },
  'es exercise ids': {
    locale: 'es',
    args: ['supine-spinal-twist:reps=8', '--locale', 'es'],
    patient: 'Jorge Ruiz',
    exercises: [{ id: 'supine-spinal-twist', doses: [dose('es', 'reps', 8)] }],
  },
  'ar saved program': {
    locale: 'ar',
    args: ['alzahr-1', '--locale', 'ar'],
    patient: 'محمد علي',
    exercises: [{ id: 'supine-spinal-twist', doses: [dose('ar', 'reps', 6)] }],
    warning: { title: 'تمارين لك وحدك', text: 'لا تفعل أكثر مما تقوله هذه النشرة.' },
  },
  'ar exercise ids': {
    locale: 'ar',
    args: ['supine-spinal-twist:reps=3', '--locale', 'ar'],
    patient: 'فاطمة حسن',
    exercises: [{ id: 'supine-spinal-twist', doses: [dose('ar', 'reps', 3)] }],
  },
};

describe('handout program', () => {
  let dir: string;
  let site: CliRun;
  const runs = new Map<string, CliRun>();
  const program = (...args: string[]) => runCli(['program', '--content', 'content', '--private-out', 'private', ...args], { cwd: dir });
  /** The PDF a run printed, from the name it logged with the patient's hidden (the hash of the name kept). */
  const pdfOf = async (run: CliRun): Promise<string> => {
    const shown = /→ (private\/programs\/\S+\.pdf)/.exec(run.stdout)?.[1];
    expect(shown, run.stdout + run.stderr).toBeDefined();
    const folder = path.join(dir, path.dirname(shown!));
    const pattern = new RegExp(`^${path.basename(shown!).replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace('…', '[a-z0-9-]*')}$`);
    const files = (await readdir(folder)).filter((f) => pattern.test(f));
    expect(files).toHaveLength(1);
    return path.join(folder, files[0]!);
  };

  beforeAll(async () => {
    dir = await tempDir('handout-program-');
    await cp(CONTENT, path.join(dir, 'content'), { recursive: true });
    for (const [name, text] of Object.entries(PROGRAMS)) {
      await mkdir(path.join(dir, 'content', 'programs', path.dirname(name)), { recursive: true });
      await writeFile(path.join(dir, 'content', 'programs', `${name}.yaml`), text);
    }
    await writeFile(path.join(dir, 'content', 'exercises', 'en', 'marathon-stretch.yaml'), MARATHON);
    // The clinic's site, built beside: a program must leave it as it is.
    site = await runCli(['build', '--content', 'content', '--out', 'site', '--locale', 'en', '--only', 'cat-cow'], { cwd: dir });
    for (const [label, sheet] of Object.entries(SHEETS)) runs.set(label, await program(...sheet.args, '--patient', sheet.patient));
  });
  afterAll(() => removeDir(dir));

  describe.each(Object.entries(SHEETS))('%s', (label, sheet) => {
    it('prints one verified page into the private folder: the patient, each exercise with its dose, stop rule, warnings and disclaimer', async () => {
      const run = runs.get(label)!;
      expect(run.code, run.stderr).toBe(0);
      // Logs never show the name.
      expect(`${run.stdout}${run.stderr}`).not.toContain(sheet.patient);
      const pdf = await pdfOf(run);
      expect(path.relative(dir, pdf).startsWith(path.join('private', 'programs', sheet.locale) + path.sep)).toBe(true);
      expect(pdfPages(pdf)).toBe(1);
      const catalog = catalogOf(sheet.locale);
      const text = catalog.dir === 'rtl' ? squash((await readPdf(readFileSync(pdf), { rtl: true })).text) : squash(pdfText(pdf));
      expect(text).toContain(squash(sheet.patient));
      for (const exercise of sheet.exercises) {
        expect(text).toContain(squash(exerciseName(sheet.locale, exercise.id)));
        for (const d of exercise.doses) expect(text, d).toContain(squash(d));
      }
      expect(text.split(squash(catalog.stop_if_pain!)).length - 1).toBeGreaterThanOrEqual(sheet.exercises.length);
      const warning = sheet.warning ?? { title: catalog.program_warning_title!, text: catalog.program_warning! };
      expect(text).toContain(squash(warning.title));
      expect(text).toContain(squash(warning.text));
      expect(text).toContain(squash(catalog.default_pain_warning!));
      expect(text).toContain(squash(catalog.default_disclaimer!));
      // The prescription beside it.
      const prescription = parse(await readFile(pdf.replace(/\.pdf$/, '.yaml'), 'utf8')) as Record<string, unknown>;
      expect(prescription).toMatchObject({ locale: sheet.locale, patient: sheet.patient });
    });
  });

  it('prints the notes of a saved program under their heading', async () => {
    const text = squash(pdfText(await pdfOf(runs.get('en saved program')!)));
    expect(text).toContain(squash(catalogOf('en').program_notes!));
    expect(text).toContain(squash('Walk for ten minutes every day as well.'));
  });

  it('leaves the site folder as the build left it: no file, manifest or index names a patient', async () => {
    expect(site.code, site.stderr).toBe(0);
    const entries = await readdir(path.join(dir, 'site'), { recursive: true, withFileTypes: true });
    const files = entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
    expect(files.some((f) => f.endsWith('index.html'))).toBe(true);
    // Whole names and their file-name spelling: short words turn up in the base64 of inlined fonts.
    const leaks = [...Object.values(SHEETS).map((s) => s.patient), 'maria-lopez', 'lucia-fernandez', 'low-back-week-1'];
    for (const file of files) {
      const content = `${file}\n${await readFile(file, 'utf8')}`;
      for (const leak of leaks) expect(content, `${file}: ${leak}`).not.toContain(leak);
    }
    expect(existsSync(path.join(dir, 'output'))).toBe(false);
  });

  it('re-issues the saved prescription (--from) as the same PDF bytes, and with a change as a new sheet', async () => {
    const first = await pdfOf(runs.get('en saved program')!);
    const bytes = await readFile(first);
    const again = await program('--from', path.relative(dir, first.replace(/\.pdf$/, '.yaml')));
    expect(again.code, again.stderr).toBe(0);
    expect(await pdfOf(again)).toBe(first);
    expect((await readFile(first)).equals(bytes)).toBe(true);

    const ids = await pdfOf(runs.get('ar exercise ids')!);
    const idBytes = await readFile(ids);
    const changed = await program('--from', path.relative(dir, ids.replace(/\.pdf$/, '.yaml')), '--date', '2026-12-19');
    expect(changed.code, changed.stderr).toBe(0);
    const next = await pdfOf(changed);
    expect(next).not.toBe(ids);
    expect(path.basename(next)).toMatch(/--2026-12-19\.pdf$/);
    expect((await readFile(ids)).equals(idBytes)).toBe(true);
    expect(parse(await readFile(next.replace(/\.pdf$/, '.yaml'), 'utf8'))).toMatchObject({ exercises: [{ exercise: 'supine-spinal-twist', reps: 3 }], date: '2026-12-19' });
  });

  it('names the argument of an unknown exercise id, with what it may have meant', async () => {
    const run = await program('knee-to-chets', 'glute-bridge', '--patient', 'Ann Lee');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('argument 1 (knee-to-chets): unknown exercise "knee-to-chets"');
    expect(run.stderr).toContain('did you mean "knee-to-chest"?');
    expect(run.stderr).toContain('[UNKNOWN_EXERCISE]');
    expect(existsSync(path.join(dir, 'private', 'programs', 'en')) && (await readdir(path.join(dir, 'private', 'programs', 'en'))).some((f) => f.includes('ann-lee'))).toBe(false);
  });

  it('refuses a program that does not fit its page, naming the longest parts, and writes nothing', async () => {
    const run = await program('too-long', '--patient', 'Ann Lee');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('[NOT_ONE_PAGE]');
    expect(run.stderr).toMatch(/longest parts: .*exercises\[\d\]/);
    // …and whether --split would print it, measured: not here, its notes are too long for any sheet.
    expect(run.stderr).toMatch(/Printing it on several sheets \(--split\) would not help: notes: a sheet with the notes and only exercises\[5\] does not fit .*no other sheet has room for them/);
    expect((await readdir(path.join(dir, 'private', 'programs', 'en'))).some((f) => f.startsWith('too-long'))).toBe(false);
  });

  describe('--split: a program too long for one page', () => {
    /** Every PDF a run printed, in the order logged (sheet 1 first), from the names shown with the patient's hidden. */
    const pdfsOf = async (run: CliRun): Promise<string[]> => {
      const shown = [...run.stdout.matchAll(/→ (private\/programs\/\S+\.pdf)/g)].map((m) => m[1]!);
      const files: string[] = [];
      for (const name of shown) {
        const folder = path.join(dir, path.dirname(name));
        const pattern = new RegExp(`^${path.basename(name).replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace('…', '[a-z0-9-]*')}$`);
        const found = (await readdir(folder)).filter((f) => pattern.test(f));
        expect(found, name).toHaveLength(1);
        files.push(path.join(folder, found[0]!));
      }
      return files;
    };
    const textOf = async (pdf: string, locale: string) =>
      catalogOf(locale).dir === 'rtl' ? squash((await readPdf(readFileSync(pdf), { rtl: true })).text) : squash(pdfText(pdf));
    const count = (text: string, needle: string) => text.split(squash(needle)).length - 1;

    /** The runs: a saved program (summary, notes) in English, on Letter; exercise ids in Arabic. */
    const SPLIT = {
      en: { locale: 'en', args: ['low-back-week-2', '--split', '--date', '2026-12-05'], patient: 'María López', reps: [4, 5, 6, 7] },
      ar: {
        locale: 'ar',
        args: ['supine-spinal-twist:reps=3', 'supine-spinal-twist:reps=5', 'supine-spinal-twist:reps=7', '--locale', 'ar', '--split'],
        patient: 'محمد علي',
        reps: [3, 5, 7],
      },
    };
    const splitRuns = new Map<string, { run: CliRun; ms: number }>();
    beforeAll(async () => {
      for (const [label, split] of Object.entries(SPLIT)) {
        const t0 = performance.now();
        const run = await program(...split.args, '--patient', split.patient);
        splitRuns.set(label, { run, ms: performance.now() - t0 });
      }
    });

    describe.each(Object.entries(SPLIT))('%s', (label, split) => {
      it('prints consecutive one-page sheets, each with the patient, "Sheet k of n", the warning, its exercises\' stop rules, the pain warning and the disclaimer', async () => {
        const { run, ms } = splitRuns.get(label)!;
        expect(run.code, run.stderr).toBe(0);
        expect(`${run.stdout}${run.stderr}`).not.toContain(split.patient);
        const pdfs = await pdfsOf(run);
        expect(pdfs.length).toBeGreaterThanOrEqual(2);
        console.log(`${label}: ${pdfs.length} sheets in ${(ms / 1000).toFixed(1)} s`);
        const catalog = catalogOf(split.locale);
        const seen: number[] = [];
        for (const [i, pdf] of pdfs.entries()) {
          expect(path.basename(pdf)).toMatch(new RegExp(`--sheet-${i + 1}-of-${pdfs.length}\\.pdf$`));
          expect(path.relative(dir, pdf).startsWith(path.join('private', 'programs', split.locale) + path.sep)).toBe(true);
          expect(pdfPages(pdf), pdf).toBe(1);
          const text = await textOf(pdf, split.locale);
          expect(text).toContain(squash(split.patient));
          expect(text).toContain(squash(sheetOf(split.locale, i + 1, pdfs.length)));
          expect(text).toContain(squash(catalog.program_warning_title!));
          expect(text).toContain(squash(catalog.program_warning!));
          expect(text).toContain(squash(catalog.default_pain_warning!));
          expect(text).toContain(squash(catalog.default_disclaimer!));
          // Its exercises, whole (the dose is printed once per exercise), each with its stop rule.
          const here = split.reps.filter((n) => text.includes(squash(dose(split.locale, 'reps', n))));
          expect(here.length, `sheet ${i + 1}`).toBeGreaterThan(0);
          expect(count(text, catalog.stop_if_pain!)).toBeGreaterThanOrEqual(here.length);
          seen.push(...here);
        }
        // Every exercise on exactly one sheet, in the program's order.
        expect(seen).toEqual(split.reps);
      });
    });

    it('keeps the summary on the first sheet, the notes on one sheet, and the exercise numbers running on', async () => {
      const pdfs = await pdfsOf(splitRuns.get('en')!.run);
      const texts = pdfs.map((pdf) => squash(pdfText(pdf)));
      const summary = squash('Four exercises this week. Do them slowly.');
      const notes = squash('Walk for fifteen minutes every day as well.');
      expect(texts.map((t) => t.includes(summary))).toEqual(texts.map((_, i) => i === 0));
      // On the last sheet, or on an earlier one with room if that saves a sheet: once.
      expect(texts.filter((t) => t.includes(notes))).toHaveLength(1);
      // The library's names, in order over the sheets: none cut in half, none twice.
      const names = LONG_WEEK.map((id) => squash(exerciseName('en', id)));
      expect(names.map((n) => texts.filter((t) => t.includes(n)).length)).toEqual(names.map(() => 1));
      const sheetOfName = names.map((n) => texts.findIndex((t) => t.includes(n)));
      expect([...sheetOfName].sort()).toEqual(sheetOfName);
      const last = texts[texts.length - 1]!;
      expect(last).toContain(`${LONG_WEEK.length}${names[LONG_WEEK.length - 1]}`);
    });

    it('writes one prescription that records the split, and --from re-issues the same bytes', async () => {
      for (const label of Object.keys(SPLIT)) {
        const pdfs = await pdfsOf(splitRuns.get(label)!.run);
        const prescription = pdfs[0]!.replace(/--sheet-1-of-\d+\.pdf$/, '.yaml');
        expect(parse(await readFile(prescription, 'utf8'))).toMatchObject({ split: true });
        const bytes = await Promise.all(pdfs.map((pdf) => readFile(pdf)));
        const again = await program('--from', path.relative(dir, prescription));
        expect(again.code, again.stderr).toBe(0);
        expect(await pdfsOf(again)).toEqual(pdfs);
        for (const [i, pdf] of pdfs.entries()) expect((await readFile(pdf)).equals(bytes[i]!), pdf).toBe(true);
      }
    });

    it('without --split, refuses the program and names the option with the sheets it would print', async () => {
      const run = await program('low-back-week-2', '--patient', 'Ann Lee');
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('[NOT_ONE_PAGE]');
      expect(run.stderr).toMatch(/or print it as \d sheets \(exercises 1–\d[^)]*\) with --split/);
      expect((await readdir(path.join(dir, 'private', 'programs', 'en'))).some((f) => f.includes('ann-lee') && f.startsWith('low-back-week-2'))).toBe(false);
    });

    it('prints a program that fits one page as one sheet, unnumbered, as without --split', async () => {
      const run = await program('knee-to-chest', '--split', '--patient', 'Ann Lee');
      expect(run.code, run.stderr).toBe(0);
      const pdfs = await pdfsOf(run);
      expect(pdfs).toHaveLength(1);
      expect(path.basename(pdfs[0]!)).not.toContain('--sheet-');
      expect(squash(pdfText(pdfs[0]!))).not.toContain(squash(sheetOf('en', 1, 1)));
    });

    it('refuses an exercise that does not fit a sheet even alone, naming it, and writes no sheet', async () => {
      const run = await program('knee-to-chest', 'marathon-stretch', 'glute-bridge', '--split', '--patient', 'Ann Lee');
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('[NOT_ONE_PAGE]');
      expect(run.stderr).toContain('argument 2 (marathon-stretch)');
      expect(run.stderr).toMatch(/even on a sheet of its own/);
      expect((await readdir(path.join(dir, 'private', 'programs', 'en'))).some((f) => f.includes('--sheet-') && f.includes('ann-lee'))).toBe(false);
    });
  });
});

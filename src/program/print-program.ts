/**
 * `handout program`: prints a personal program for one patient, from a saved program or
 * from library exercise ids, through the build every handout goes through (prepare → print →
 * verify → write: build-handouts.ts, given the program as an in-memory handout document). The
 * sheet and the prescription it was printed from (a small YAML file beside it, which
 * `handout program --from` prints again) go to the private folder, never the site folder.
 *
 * A program too long for one page is refused, saying what to shorten and on how many sheets
 * it would print; asked to (split), it is printed on that many consecutive sheets instead,
 * each a complete handout of its own (split-program.ts decides where to cut, by printing).
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import { z } from 'zod';
import { buildHandouts, failed, type BuildResult, type DocumentResult } from '../build/build-handouts.js';
import { writeAtomic } from '../build/write-atomic.js';
import { LOCALE_PATTERN, SLUG_PATTERN } from '../content/discover-handouts.js';
import { calendarDate, programSchema, type ExerciseReference } from '../content/handout-schema.js';
import { loadYaml, type LoadedYaml } from '../content/load-yaml.js';
import { displayPath } from '../content/safe-file.js';
import { closest, schemaErrorOf, schemaErrors, type SheetNumber, type Validation, type ValidHandout } from '../content/validate-handout.js';
import { ExerciseLibrary } from '../content/exercise-library.js';
import type { HandoutSource } from '../content/validate-handout.js';
import { HandoutError } from '../errors.js';
import { CatalogStore } from '../i18n/load-catalog.js';
import { PAGE_SIZES, type PageSize, type Personalisation } from '../resolve/resolve-handout.js';
import { fromCommandLine, loadSavedProgram, programFromExercises, programHandout, programNames, programSlug, PROGRAMS_FOLDER, sheetHandout, type ExerciseRange } from '../content/program-document.js';
import { findBrowser } from '../print/find-browser.js';
import { launchPrinter, type Printer } from '../print/launch-printer.js';
import { planSheets } from './split-program.js';

/** What is printed, for whom, how: the prescription, as saved beside the sheet. */
export interface Prescription {
  /** A saved program's name (content/programs/<locale>/<name>.yaml)… */
  program?: string | undefined;
  /** …or library exercises, each with its dose. */
  exercises?: ExerciseReference[] | undefined;
  locale: string;
  page_size?: PageSize | undefined;
  large_print?: boolean | undefined;
  patient: string;
  clinician?: string | undefined;
  date?: string | undefined;
  /** Too long for one page: print it on consecutive complete sheets rather than refuse it (--split). */
  split?: boolean | undefined;
}

export interface ProgramOptions {
  contentDir: string;
  templatesDir: string;
  /** The private folder (--private-out): the sheet goes to <privateDir>/programs/<locale>/. */
  privateDir: string;
  prescription: Prescription;
  /** The prescription file it was read from (--from): errors in its exercises are shown at their lines. */
  from?: LoadedYaml | undefined;
  chrome?: string | undefined;
  browserWSEndpoint?: string | undefined;
  sourceDateEpoch?: string | undefined;
  timeoutMs?: number | undefined;
  /** A printer already running (the composer's): used, not closed. */
  warmPrinter?: Printer | undefined;
}

export type ProgramOutcome =
  | {
      ok: true;
      build: BuildResult;
      /** The sheet printed; of a program printed on several, the first. */
      document: DocumentResult;
      /** Every sheet printed, in order: one, or the consecutive sheets of a split program. */
      sheets: DocumentResult[];
      /** Their PDFs, in order (for `--to`: every sheet goes with the message). */
      pdfs: string[];
      /** The program's title and summary as printed, for the e-mail that carries it. */
      title: string;
      summary: string | null;
      prescription: { file: string; shown: string };
    }
  | { ok: false; failed: DocumentResult[] };

/** A program as the handout document it prints as, its exercises found in the library. */
export interface ProgramSheet {
  source: HandoutSource;
  document: ValidHandout;
  /** What the build and the preview are given (BuildOptions.documents). */
  input: { source: HandoutSource; yaml: LoadedYaml };
  /** Errors at the command-line arguments the exercises were given as (or as they are). */
  atArguments(e: HandoutError): HandoutError;
}

/**
 * Reads the program (saved, or exercises by id), checks its fields and that every exercise
 * is in the library, and makes the handout document it prints as. Shared by printing and
 * by the composer's live preview, which renders it without printing.
 */
export async function programSheet(options: Pick<ProgramOptions, 'contentDir' | 'templatesDir' | 'prescription' | 'from'>): Promise<Validation<ProgramSheet> & { source?: HandoutSource }> {
  const p = options.prescription;
  const contentDir = path.resolve(options.contentDir);
  const strings = (await new CatalogStore(path.resolve(options.templatesDir)).get(p.locale)).strings;
  const loaded = p.program
    ? await loadSavedProgram(contentDir, p.locale, p.program)
    : programFromExercises(p.exercises ?? [], strings, options.from);
  if (!loaded.ok) return loaded;
  const program = loaded.value;
  const known = p.exercises?.length === 1 ? await programNames(contentDir, p.locale) : [];
  /** Exercises given as arguments: errors at the argument, not at the YAML they became; other errors as they are. */
  const atArguments = (e: HandoutError): HandoutError => {
    if (program.name || options.from) return e;
    const error = fromCommandLine(e, program.yaml);
    if (error.code !== 'UNKNOWN_EXERCISE' || p.exercises?.length !== 1) return error;
    // One word: perhaps a saved program's name, misspelt.
    const suggestion = closest(p.exercises[0]!.exercise, known);
    const programs = known.length ? `the saved programs for ${p.locale} are ${known.join(', ')}` : `there are no saved programs for ${p.locale}`;
    const hint = `${error.hint} Nor is it a saved program: ${programs} (content/programs/${p.locale}/).`;
    return suggestion
      ? new HandoutError(error.code, 'orSavedProgram', { message: error.message, suggestion }, { ...(error.where ? { where: error.where } : {}), hint, cause: error })
      : error.with({ hint, cause: error });
  };
  const slug = programSlug(program);
  const source: HandoutSource = {
    absPath: program.absPath ?? path.join(contentDir, PROGRAMS_FOLDER, p.locale, `${slug}.yaml`),
    file: program.yaml.file,
    locale: p.locale,
    slug,
  };
  const document: ValidHandout = { source, data: programHandout(program.data, strings), yaml: program.yaml };
  // Unknown exercise ids are told at once, before a browser is started for nothing (the
  // build checks them again, from the library files it reads once).
  const placed = await new ExerciseLibrary(contentDir).place(document);
  if (!placed.ok) return { ok: false, errors: placed.errors.map(atArguments), source };
  // The build reads the handout document, at the positions of the file the program came from.
  return { ok: true, value: { source, document, input: { source, yaml: { ...program.yaml, data: document.data } }, atArguments } };
}

export async function printProgram(options: ProgramOptions): Promise<ProgramOutcome> {
  const p = options.prescription;
  const contentDir = path.resolve(options.contentDir);
  const sheet = await programSheet(options);
  if (!sheet.ok) {
    const file = sheet.source?.file ?? sheet.errors[0]?.where?.file ?? options.from?.file ?? '(command line)';
    return { ok: false, failed: [failed({ file, ...(sheet.source ? { source: sheet.source } : {}), errors: sheet.errors })] };
  }
  const { source, document, input, atArguments } = sheet.value;
  const slug = source.slug;
  const personal: Personalisation = { patient: p.patient, clinician: p.clinician, date: p.date };
  const privateDir = path.join(path.resolve(options.privateDir), PROGRAMS_FOLDER);
  const whole = input;
  const common = {
    contentDir,
    templatesDir: options.templatesDir,
    pageSize: p.page_size,
    largePrint: p.large_print ?? false,
    personal,
    chrome: options.chrome,
    browserWSEndpoint: options.browserWSEndpoint,
    timeoutMs: options.timeoutMs,
  };
  const count = document.data.exercises.length;
  // One browser for the program, started while its sheet is prepared: the build prints on it,
  // and measuring where to cut (--split, or the refusal's "as 2 sheets") uses it warm rather
  // than starting another. The build closes what it is lent; this one is closed here, at the end.
  // The composer's printer is warm already, and its owner's to close.
  const warm = options.warmPrinter;
  const printer = warm
    ? Promise.resolve(warm)
    : Promise.resolve().then(() =>
        launchPrinter({
          ...(options.browserWSEndpoint ? { browserWSEndpoint: options.browserWSEndpoint } : { executablePath: findBrowser(options.chrome).path }),
          timeoutMs: options.timeoutMs,
        }),
      );
  printer.catch(() => {}); // reported by the build, which awaits it
  const lent = printer.then((started): Printer => ({ ...started, close: async () => {} }));
  try {
    return await printOnSheets();
  } finally {
    if (!warm) await printer.then((started) => started.close(), () => {});
  }

  async function printOnSheets(): Promise<ProgramOutcome> {
    /** One sheet of several: these exercises, numbered as this sheet of the program. */
    const sheetDocument = (range: ExerciseRange, sheet: SheetNumber) => ({ source: { ...source, sheet }, yaml: { ...input.yaml, data: sheetHandout(document.data, range) } });
    /** Where the program's sheets would be cut (split-program.ts); `whole`: not yet known too long. */
    const plan = (measureWhole: boolean) =>
      planSheets({
        ...common,
        exercises: count,
        notes: Boolean(document.data.considerations?.length),
        ...(measureWhole ? { whole } : {}),
        printer: lent,
        sheet: sheetDocument,
      });
    const refused = (documents: DocumentResult[]): ProgramOutcome => ({ ok: false, failed: documents.filter((d) => !d.ok).map((d) => ({ ...d, errors: d.errors.map(atArguments) })) });
    // Asked to split: where to cut is measured first (the whole is one candidate, and if it fits
    // it prints as the one sheet it is); otherwise the program is printed whole, as always.
    const planned = p.split && count > 1 ? await plan(true) : null;
    if (planned && !planned.ok) return { ok: false, failed: [failed({ file: source.file, source, errors: planned.errors.map(atArguments) })] };
    let sheets = planned?.ok && planned.sheets.length > 1 ? planned.sheets : null;
    const buildSheets = (cut: readonly ExerciseRange[] | null) =>
      buildHandouts({
        ...common,
        // Nothing is written to, read from or tidied in the site folder for a personal program.
        outDir: privateDir,
        privateDir,
        documents: cut ? cut.map((range, i) => sheetDocument(range, { index: i + 1, count: cut.length, first: range.first })) : [whole],
        sourceDateEpoch: options.sourceDateEpoch,
        launched: lent,
      });
    const tooLong = (result: BuildResult) =>
      result.documents.length === 1 && result.documents[0]!.errors.length === 1 && result.documents[0]!.errors[0]!.code === 'NOT_ONE_PAGE';
    let build = await buildSheets(sheets);
    if (p.split && !sheets && count > 1 && tooLong(build)) {
      // Measured to fit whole, printed onto two pages (the measurement keeps a millimetre to
      // spare; this is for what it still misjudges): cut it after all.
      const cut = await plan(false);
      if (!cut.ok) return { ok: false, failed: [failed({ file: source.file, source, errors: cut.errors.map(atArguments) })] };
      sheets = cut.sheets;
      build = await buildSheets(sheets);
    }
    // The build reports documents as they finish: in sheet order here.
    const printed = sheets
      ? [...build.documents].sort((a, b) => sheetIndex(a) - sheetIndex(b))
      : [build.documents.find((d) => d.slug === slug) ?? build.documents[0]].filter((d): d is DocumentResult => d !== undefined);
    const done = printed.length > 0 && printed.every((d) => d.ok && d.outputs && d.shown);
    if (!done) {
      // A patient handed sheet 1 of 2 without sheet 2 would miss exercises: all or none.
      if (sheets) await Promise.all(printed.flatMap((d) => (d.ok && d.outputs ? Object.values(d.outputs).map((file) => rm(path.resolve(file), { force: true })) : [])));
      if (sheets || !tooLong(build)) return refused(build.documents);
      // Refused as too long: say on how many sheets --split would print it, measured, not guessed.
      const [error] = build.documents[0]!.errors as [HandoutError];
      const cut = count > 1 ? await plan(false) : null;
      const over = /by (\d+ lines?) or more/.exec(error.hint ?? '')?.[1];
      const shorten = `${over ? `Shorten it by ${over} or more` : 'Shorten it'} (leave out an exercise, or shorten the notes)`;
      const hint = cut?.ok
        ? `${shorten}, or print it as ${cut.sheets.length} sheets (${describeSheets(cut.sheets)}) with --split: each a complete one-page sheet with every safety text.`
        : `${shorten}. Printing it on several sheets (--split) would not help: ${cut ? cut.errors[0]?.message : 'it has one exercise'}.`;
      return refused([{ ...build.documents[0]!, errors: [error.with({ hint, cause: error })] }]);
    }
    const first = printed[0]!;
    // One prescription for the program, beside its sheets: named as the unsplit sheet would be.
    const file = first.outputs!.pdf.replace(SHEET_SUFFIX, '').replace(/\.pdf$/, '.yaml');
    await writeAtomic(path.resolve(file), prescriptionText(p));
    return {
      ok: true,
      build,
      document: first,
      sheets: printed,
      pdfs: printed.map((d) => d.outputs!.pdf),
      title: document.data.title,
      summary: document.data.summary ?? null,
      prescription: { file, shown: first.shown!.pdf.replace(SHEET_SUFFIX, '').replace(/\.pdf$/, '.yaml') },
    };
  }
}

/** The part of a sheet's file name that numbers it (build/output-name.ts). */
const SHEET_SUFFIX = /--sheet-\d+-of-\d+(?=(\.large-print)?\.pdf$)/;

const sheetIndex = (d: DocumentResult) => Number(/--sheet-(\d+)-of-/.exec(d.outputs?.pdf ?? d.file)?.[1] ?? 0);

/** "exercises 1–3 with the notes, 4–5" (1-based, as the sheets number them). */
function describeSheets(sheets: readonly ExerciseRange[]): string {
  return `exercises ${sheets.map((r) => `${r.end - r.first === 1 ? `${r.first + 1}` : `${r.first + 1}–${r.end}`}${r.notes ? ' with the notes' : ''}`).join(', ')}`;
}

/** The prescription file: what `handout program --from <file>` reads back. */
export function prescriptionText(p: Prescription): string {
  const data: Record<string, unknown> = {};
  if (p.program) data.program = p.program;
  else data.exercises = p.exercises;
  data.locale = p.locale;
  if (p.page_size) data.page_size = p.page_size;
  if (p.large_print) data.large_print = true;
  data.patient = p.patient;
  if (p.clinician) data.clinician = p.clinician;
  if (p.date) data.date = p.date;
  // Where its sheets are cut is measured again, the same way, to the same bytes.
  if (p.split) data.split = true;
  return (
    '# A personal program printed by `handout program`. Print it again with\n' +
    '#   handout program --from <this file> [--date YYYY-MM-DD] [--clinician …]\n' +
    '# (options given on the command line replace the values here). It names a patient: keep it private.\n' +
    stringify(data)
  );
}

const oneLine = (what: string) =>
  z
    .string({ error: `expected ${what} as text` })
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(100, { error: 'expected at most 100 characters' })
    .regex(/^[^\r\n\t\0]*$/, { error: 'expected one line' });

const prescriptionSchema = z
  .strictObject(
    {
      program: z.string({ error: 'expected the name of a saved program' }).regex(SLUG_PATTERN, { error: 'expected the name of a saved program (its file name without .yaml)' }).optional(),
      exercises: programSchema.shape.exercises.optional(),
      locale: z.string({ error: 'expected a locale such as en' }).regex(LOCALE_PATTERN, { error: 'expected a locale such as en, es, pt-BR' }),
      page_size: z.enum(PAGE_SIZES as [PageSize, ...PageSize[]], { error: `expected ${PAGE_SIZES.join(' or ')}` }).optional(),
      large_print: z.boolean({ error: 'expected true or false' }).optional(),
      patient: oneLine("the patient's name"),
      clinician: oneLine("the clinician's name").optional(),
      date: calendarDate().optional(),
      split: z.boolean({ error: 'expected true or false' }).optional(),
    },
    { error: 'expected a mapping of prescription fields (program or exercises, locale, patient, …)' },
  )
  .refine((p) => (p.program === undefined) !== (p.exercises === undefined), { error: 'expected either program (a saved program\'s name) or exercises (library exercises with their doses), not both or neither' });

/** Reads a prescription saved beside a sheet, each error at its line. */
export async function readPrescription(file: string): Promise<Validation<{ prescription: Prescription; yaml: LoadedYaml }>> {
  const absPath = path.resolve(file);
  const yaml = await loadYaml(absPath, displayPath(absPath));
  const result = prescriptionSchema.safeParse(yaml.data, { reportInput: true });
  if (!result.success) {
    const errors = schemaErrors(result.error, yaml, Object.keys(prescriptionSchema.shape)).map((e) =>
      schemaErrorOf(e, 'prescription'),
    );
    return { ok: false, errors };
  }
  return { ok: true, value: { prescription: result.data, yaml } };
}

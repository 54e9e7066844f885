/**
 * `handout program`: prints a personal program for one patient, from a saved program or
 * from library exercise ids, through the build every handout goes through (prepare → print →
 * verify → write: build-handouts.ts, given the program as an in-memory handout document). The
 * sheet and the prescription it was printed from (a small YAML file beside it, which
 * `handout program --from` prints again) go to the private folder, never the site folder.
 */
import path from 'node:path';
import { stringify } from 'yaml';
import { z } from 'zod';
import { buildHandouts, failed, type BuildResult, type DocumentResult } from '../build/build-handouts.js';
import { writeAtomic } from '../build/write-atomic.js';
import { LOCALE_PATTERN, SLUG_PATTERN } from '../content/discover-handouts.js';
import { calendarDate, programSchema, type ExerciseReference } from '../content/handout-schema.js';
import { loadYaml, type LoadedYaml } from '../content/load-yaml.js';
import { displayPath } from '../content/safe-file.js';
import { closest, schemaErrors, type Validation, type ValidHandout } from '../content/validate-handout.js';
import { ExerciseLibrary } from '../content/exercise-library.js';
import type { HandoutSource } from '../content/validate-handout.js';
import { HandoutError } from '../errors.js';
import type { Printer } from '../print/launch-printer.js';
import { CatalogStore } from '../i18n/load-catalog.js';
import { PAGE_SIZES, type PageSize, type Personalisation } from '../resolve/resolve-handout.js';
import { fromCommandLine, loadSavedProgram, programFromExercises, programHandout, programNames, programSlug, PROGRAMS_FOLDER } from '../content/program-document.js';

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
      document: DocumentResult;
      /** The printed PDFs (for `--to`): the sheet, or each sheet of a program printed as several. */
      pdfs: string[];
      /** The sheet's title and summary as printed, for the e-mail that carries it. */
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
    return new HandoutError(error.code, `${error.message}${suggestion ? ` (or the saved program "${suggestion}"?)` : ''}`, {
      ...(error.where ? { where: error.where } : {}),
      hint: `${error.hint} Nor is it a saved program: ${programs} (content/programs/${p.locale}/).`,
      cause: error,
    });
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
  const build = await buildHandouts({
    contentDir,
    templatesDir: options.templatesDir,
    // Nothing is written to, read from or tidied in the site folder for a personal program.
    outDir: privateDir,
    privateDir,
    documents: [input],
    pageSize: p.page_size,
    largePrint: p.large_print ?? false,
    personal,
    chrome: options.chrome,
    browserWSEndpoint: options.browserWSEndpoint,
    sourceDateEpoch: options.sourceDateEpoch,
    timeoutMs: options.timeoutMs,
    warmPrinter: options.warmPrinter,
  });
  const printed = build.documents.find((d) => d.slug === slug) ?? build.documents[0];
  if (!printed?.ok || !printed.outputs || !printed.shown) return { ok: false, failed: build.documents.filter((d) => !d.ok).map((d) => ({ ...d, errors: d.errors.map(atArguments) })) };
  const file = printed.outputs.pdf.replace(/\.pdf$/, '.yaml');
  await writeAtomic(path.resolve(file), prescriptionText(p));
  return {
    ok: true,
    build,
    document: printed,
    pdfs: [printed.outputs.pdf],
    title: document.data.title,
    summary: document.data.summary ?? null,
    prescription: { file, shown: printed.shown.pdf.replace(/\.pdf$/, '.yaml') },
  };
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
    const errors = schemaErrors(result.error, yaml, Object.keys(prescriptionSchema.shape)).map(
      (e) =>
        new HandoutError(e.code, e.message.replace(/^\(the handout\)/, '(the prescription)'), {
          ...(e.where ? { where: e.where } : {}),
          hint: `${/^Did you mean "[^"]*"\? /.exec(e.hint)?.[0] ?? ''}A prescription is the .yaml file \`handout program\` writes beside the sheet: program or exercises, locale, patient and, if given, page_size, large_print, clinician and date.`,
        }),
    );
    return { ok: false, errors };
  }
  return { ok: true, value: { prescription: result.data, yaml } };
}

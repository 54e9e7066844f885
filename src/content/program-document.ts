/**
 * A personal program as the handout it prints as. A saved program
 * (content/programs/<locale>/<name>.yaml) or a list of library exercise ids from the command
 * line becomes the same data a content/<locale>/<slug>.yaml with `- exercise: <id>` references
 * would hold; the build then prepares, prints, verifies and writes it like any handout
 * (program/print-program.ts). Positions stay those of the file the program was written in:
 * the handout document keeps its `exercises` where the program has them.
 */
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import { HandoutError } from '../errors.js';
import { SLUG_PATTERN } from './discover-handouts.js';
import {
  EXERCISE_ID,
  EXERCISE_OVERRIDES,
  programSchema,
  type ExerciseReference,
  type ProgramData,
  type ValidHandoutData,
} from './handout-schema.js';
import { loadYaml, parseYaml, positionOf, type LoadedYaml } from './load-yaml.js';
import { localeChain } from '../shared/locale-chain.js';
import { displayPath } from './safe-file.js';
import { closest, schemaErrorOf, schemaErrors, type Validation } from './validate-handout.js';

/** The catalog strings a program is printed with (templates/locales/<locale>.yaml). */
export interface ProgramStrings {
  program_title: string;
  program_warning_title: string;
  program_warning: string;
  program_notes: string;
}

/** Saved programs: content/programs/<locale>/<name>.yaml; never a locale (discover-handouts.ts). */
export const PROGRAMS_FOLDER = 'programs';

/** What stands for the file of a program given as exercise ids on the command line. */
export const COMMAND_LINE = '(command line)';

/** A program read and validated, with the YAML its positions come from. */
export interface LoadedProgram {
  /** The saved program's name, or null for exercises given by id. */
  name: string | null;
  data: ProgramData;
  yaml: LoadedYaml;
  /** The saved program's file (absolute), or null. */
  absPath: string | null;
}

export function programFile(contentDir: string, locale: string, name: string): string {
  return path.join(path.resolve(contentDir), PROGRAMS_FOLDER, locale, `${name}.yaml`);
}

/** The saved programs in one locale's own folder. */
async function namesIn(contentDir: string, locale: string): Promise<string[]> {
  const names = await readdir(path.join(path.resolve(contentDir), PROGRAMS_FOLDER, locale)).catch(() => [] as string[]);
  return names
    .filter((n) => n.endsWith('.yaml'))
    .map((n) => n.slice(0, -'.yaml'.length))
    .filter((n) => SLUG_PATTERN.test(n));
}

/**
 * The saved programs a locale can print, sorted: its own and, as the library and the
 * catalogs do, its base language's (an en-GB clinic prints content/programs/en/ unless it
 * writes its own en-GB version).
 */
export async function programNames(contentDir: string, locale: string): Promise<string[]> {
  const lists = await Promise.all(localeChain(locale).map((l) => namesIn(contentDir, l)));
  return [...new Set(lists.flat())].sort();
}

/** The file a locale's saved program is read from: its own folder's, else the nearest base language's. */
async function savedProgramFile(contentDir: string, locale: string, name: string): Promise<string> {
  for (const l of localeChain(locale).reverse()) {
    if ((await namesIn(contentDir, l)).includes(name)) return programFile(contentDir, l, name);
  }
  return programFile(contentDir, locale, name);
}

/** Reads and validates content/programs/<locale>/<name>.yaml; an unknown name lists the locale's programs. */
export async function loadSavedProgram(contentDir: string, locale: string, name: string): Promise<Validation<LoadedProgram>> {
  const known = await programNames(contentDir, locale);
  const absPath = known.includes(name) ? await savedProgramFile(contentDir, locale, name) : programFile(contentDir, locale, name);
  if (!SLUG_PATTERN.test(name) || !known.includes(name)) {
    const suggestion = closest(name, known);
    const folder = displayPath(path.dirname(absPath));
    return {
      ok: false,
      errors: [
        new HandoutError('UNKNOWN_PROGRAM', 'unknown', { name, locale, file: displayPath(absPath), didYouMean: suggestion ? `; did you mean "${suggestion}"?` : '' }, {
          where: { file: folder },
          hint: known.length
            ? `The saved programs for ${locale} are: ${known.join(', ')}. To print library exercises instead, give their ids: \`handout program knee-to-chest glute-bridge --patient …\`.`
            : `There are no saved programs for ${locale} yet (${folder}/<name>.yaml). To print library exercises, give their ids: \`handout program knee-to-chest glute-bridge --patient …\`.`,
        }),
      ],
    };
  }
  const yaml = await loadYaml(absPath, displayPath(absPath), path.resolve(contentDir));
  const validation = validateProgram(yaml);
  return validation.ok ? { ok: true, value: { ...validation.value, name, absPath } } : validation;
}

/** Checks a program's fields, each error at its line and column. */
export function validateProgram(yaml: LoadedYaml): Validation<Omit<LoadedProgram, 'name' | 'absPath'>> {
  const result = programSchema.safeParse(yaml.data, { reportInput: true });
  if (!result.success) {
    const errors = schemaErrors(result.error, yaml, Object.keys(programSchema.shape)).map((e) =>
      schemaErrorOf(e, 'program'),
    );
    return { ok: false, errors };
  }
  return { ok: true, value: { data: result.data, yaml } };
}

/**
 * Exercise ids as typed on the command line, each optionally with its dose:
 * `knee-to-chest`, `knee-to-chest:reps=5,sets=2`, `supine-spinal-twist:hold_seconds=15-30`.
 * Only the fields a handout may change of a library exercise (EXERCISE_OVERRIDES); the
 * values are checked by the program's schema, like a saved program's.
 */
export function parseExerciseArgument(arg: string): ExerciseReference {
  const colon = arg.indexOf(':');
  const id = colon < 0 ? arg : arg.slice(0, colon);
  if (!EXERCISE_ID.test(id)) {
    throw new HandoutError('USAGE', 'notExerciseId', { arg });
  }
  const ref: Record<string, unknown> = { exercise: id };
  if (colon < 0) return ref as ExerciseReference;
  for (const part of arg.slice(colon + 1).split(',')) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (eq < 1 || !(EXERCISE_OVERRIDES as readonly string[]).includes(key) || !value) {
      throw new HandoutError('USAGE', 'badDose', { arg, id, part, keys: EXERCISE_OVERRIDES.join(', ') });
    }
    const range = /^(\d+)-(\d+)$/.exec(value);
    ref[key] = /^\d+$/.test(value) ? Number(value) : key === 'hold_seconds' && range ? [Number(range[1]), Number(range[2])] : value;
  }
  return ref as ExerciseReference;
}

/**
 * A program of exercises given by id: titled with the catalog's program_title, written as
 * YAML text so that it is read, checked and reported like a saved program.
 * `written`: the file these exercises were read from (a saved prescription), whose positions
 * errors then name; else they name the command line.
 */
export function programFromExercises(exercises: readonly ExerciseReference[], strings: ProgramStrings, written?: LoadedYaml): Validation<LoadedProgram> {
  const yaml = written ?? parseYaml(stringify({ exercises }), COMMAND_LINE);
  const data = { title: strings.program_title, exercises: (yaml.data as { exercises?: unknown } | null)?.exercises };
  const validation = validateProgram({ ...yaml, data });
  if (!validation.ok) return { ok: false, errors: written ? validation.errors : validation.errors.map((e) => fromCommandLine(e, yaml)) };
  return { ok: true, value: { ...validation.value, name: null, absPath: null } };
}

/**
 * An error in exercises given as arguments: at the command line, naming the argument, not
 * at a line of the YAML they were turned into, which nobody wrote. Other errors as they are.
 */
export function fromCommandLine(error: HandoutError, yaml?: LoadedYaml): HandoutError {
  if (error.where?.file !== COMMAND_LINE) return error;
  const items = (yaml?.data as { exercises?: unknown[] } | null)?.exercises ?? [];
  // The argument whose YAML starts at or before the error's line.
  let index: number | null = null;
  for (let i = 0; yaml && i < items.length; i++) {
    if ((positionOf(yaml, ['exercises', i]).line ?? 0) <= (error.where.line ?? 0)) index = i;
  }
  const message = error.message.replace(/^exercises\[(\d+)\]\.?/, (_, i: string) => {
    index = Number(i);
    return '';
  });
  const id = index === null ? undefined : (items[index] as { exercise?: unknown } | undefined)?.exercise;
  const argument = index === null ? '' : `argument ${index + 1}${typeof id === 'string' ? ` (${id})` : ''}: `;
  return new HandoutError(error.code, 'onCommandLine', { argument, message: message.replace(/^: /, '') }, {
    where: { file: COMMAND_LINE },
    hint: error.hint,
    cause: error,
  });
}

/**
 * The handout a program prints as: its title, summary and exercises; its own warning, else
 * the locale's program warning; its notes under the exercises. The pain warning, the stop
 * rule and the disclaimer are the locale's defaults, as for any handout that does not write
 * its own (a program's region adds that region's warning signs).
 */
export function programHandout(program: ProgramData, strings: ProgramStrings): ValidHandoutData {
  return {
    title: program.title,
    ...(program.summary ? { summary: program.summary } : {}),
    warning: program.warning ?? { title: strings.program_warning_title, text: strings.program_warning },
    exercises: program.exercises,
    ...(program.notes ? { considerations: [{ title: strings.program_notes, text: program.notes }] } : {}),
    ...(program.region ? { region: program.region } : {}),
  };
}

/**
 * The slug a program's sheet is named by (before the patient's part, output-name.ts): a saved
 * program's name, or `exercises-` and a short hash of the exercises and doses given by id, so
 * that two different programs for one patient on one day never share a file.
 */
export function programSlug(program: LoadedProgram): string {
  if (program.name) return program.name;
  const hash = createHash('sha256').update(JSON.stringify(program.data.exercises)).digest('hex').slice(0, 6);
  return `exercises-${hash}`;
}

/** Consecutive exercises of a program, [first, end), and whether the notes are with them: what one of its sheets holds. */
export interface ExerciseRange {
  first: number;
  end: number;
  notes: boolean;
}

/**
 * The handout one sheet of a program split over several prints as (program/split-program.ts):
 * its own exercises, whole and in the program's order; the title, the warning and, from the
 * locale, the pain warning and the disclaimer as on every sheet; the summary on the first
 * sheet, and the notes on the one the range says (a sheet holds at least one exercise).
 */
export function sheetHandout(handout: ValidHandoutData, range: ExerciseRange): ValidHandoutData {
  const { summary, considerations, ...rest } = handout;
  return {
    ...rest,
    exercises: handout.exercises.slice(range.first, range.end),
    ...(range.first === 0 && summary ? { summary } : {}),
    ...(range.notes && considerations ? { considerations } : {}),
  };
}

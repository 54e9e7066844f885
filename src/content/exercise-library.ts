/**
 * The exercise library: each exercise written once per locale, as
 * content/exercises/<locale>/<id>.yaml, and used by handouts as `- exercise: <id>` with the
 * handout's own dose, caution or stop rule in place of the library's.
 *
 * A reference is looked up in the handout's own locale, then in its base language's
 * (en-GB, then en: shared/locale-chain.ts), like the string catalogs. Once placed, a library
 * exercise is the same data as one written inline, so the page, the safety texts and the
 * verifier cannot tell them apart; only messages differ, each pointing at the file where the
 * field is written (the library file, or the handout for what it overrides).
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { HandoutError, toHandoutError } from '../errors.js';
import { localeChain } from '../shared/locale-chain.js';
import { SLUG_PATTERN } from './discover-handouts.js';
import {
  EXERCISE_ID,
  EXERCISE_OVERRIDES,
  exerciseFileSchema,
  isExerciseReference,
  type ExerciseData,
  type ExerciseFileData,
  type ExerciseReference,
} from './handout-schema.js';
import { loadYaml, positionOf, type LoadedYaml } from './load-yaml.js';
import { displayPath } from './safe-file.js';
import { closest, schemaErrorOf, schemaErrors, type Validation, type ValidHandout } from './validate-handout.js';

/** The library's folder in the content folder; never a locale (discover-handouts.ts). */
export const LIBRARY_FOLDER = 'exercises';

/** One exercise as the sheet prints it, and where each of its fields is written. */
export interface PlacedExercise {
  data: ExerciseData;
  /** The file and YAML path a field of this exercise is written at: `at('steps')`, `at('illustration')`. */
  at(field: string): { yaml: LoadedYaml; path: Array<string | number> };
  /** The library file it comes from (display path), or null when written inline. */
  libraryFile: string | null;
}

/** A library file that passed its schema. */
export interface LibraryExercise {
  id: string;
  /** The locale folder it was found in (en for an en-GB handout without an en-GB version). */
  locale: string;
  file: string;
  data: ExerciseFileData;
  yaml: LoadedYaml;
}

type Lookup = { found: LibraryExercise } | { errors: HandoutError[] } | null;

/**
 * The library files a reference from a handout in `locale` may resolve to, most specific
 * first: content/exercises/en-GB/<id>.yaml, then content/exercises/en/<id>.yaml.
 */
export function libraryCandidates(contentDir: string, locale: string, id: string): string[] {
  return localeChain(locale)
    .reverse()
    .map((l) => path.join(contentDir, LIBRARY_FOLDER, l, `${id}.yaml`));
}

/** The fields of a library exercise that make the printed exercise (not its region and tags). */
const PRINTED_FIELDS = ['name', 'illustration', 'illustration_alt', 'steps', ...EXERCISE_OVERRIDES] as const;

/**
 * Reads library files once per build (a file used by twenty handouts is read and checked
 * once), on demand: a build reads only the exercises its handouts use.
 */
export class ExerciseLibrary {
  readonly contentDir: string;
  private readonly files = new Map<string, Promise<Lookup>>();
  private readonly idLists = new Map<string, Promise<string[]>>();

  constructor(contentDir: string) {
    this.contentDir = path.resolve(contentDir);
  }

  /** The handout's exercises, references replaced by their library exercise; every unknown id or broken library file at once. */
  async place(handout: ValidHandout): Promise<Validation<PlacedExercise[]>> {
    const { source, yaml } = handout;
    // Each exercise's errors in its own slot: the lookups finish in any order, the errors are
    // told in the order of the handout (they used to follow whichever file was read first).
    const errorsAt: HandoutError[][] = handout.data.exercises.map(() => []);
    const lookups = await Promise.all(handout.data.exercises.map((entry) => (isExerciseReference(entry) ? this.find(source.locale, entry.exercise) : null)));
    const broken = new Set<Lookup>();
    const placed = await Promise.all(
      handout.data.exercises.map(async (entry, i): Promise<PlacedExercise | null> => {
        if (!isExerciseReference(entry)) return inlineExercise(entry, yaml, i);
        const lookup: Lookup = lookups[i] ?? null;
        if (lookup === null) {
          errorsAt[i]!.push(await this.unknown(entry.exercise, source.locale, positionOf(yaml, ['exercises', i, 'exercise'])));
          return null;
        }
        if ('errors' in lookup) {
          // Said once per handout, naming it (at its first use): the same library error is printed for each handout that uses the file.
          if (!broken.has(lookup)) errorsAt[i]!.push(...lookup.errors.map((e) => usedBy(e, source.file, i)));
          broken.add(lookup);
          return null;
        }
        return libraryExercise(lookup.found, entry, yaml, i);
      }),
    );
    const errors = errorsAt.flat();
    if (errors.length) return { ok: false, errors };
    return { ok: true, value: placed as PlacedExercise[] };
  }

  /** The library exercise `id` for a handout in `locale`: null when no file has it. */
  find(locale: string, id: string): Promise<Lookup> {
    const candidates = libraryCandidates(this.contentDir, locale, id);
    const key = candidates.join('\0');
    let lookup = this.files.get(key);
    if (!lookup) {
      lookup = this.load(candidates, id);
      this.files.set(key, lookup);
    }
    return lookup;
  }

  /** The ids a handout in `locale` can use, sorted. */
  ids(locale: string): Promise<string[]> {
    let list = this.idLists.get(locale);
    if (!list) {
      list = Promise.all(
        localeChain(locale).map((l) =>
          readdir(path.join(this.contentDir, LIBRARY_FOLDER, l)).then(
            (names) => names.filter((n) => n.endsWith('.yaml')).map((n) => n.slice(0, -'.yaml'.length)).filter((id) => SLUG_PATTERN.test(id)),
            () => [],
          ),
        ),
      ).then((lists) => [...new Set(lists.flat())].sort());
      this.idLists.set(locale, list);
    }
    return list;
  }

  private async load(candidates: readonly string[], id: string): Promise<Lookup> {
    for (const absPath of candidates) {
      const file = displayPath(absPath);
      let yaml: LoadedYaml;
      try {
        yaml = await loadYaml(absPath, file, this.contentDir);
      } catch (err) {
        if (await missing(absPath)) continue;
        return { errors: [err instanceof HandoutError ? err : toHandoutError(err, 'FILE_UNREADABLE', { file })] };
      }
      const result = exerciseFileSchema.safeParse(yaml.data, { reportInput: true });
      if (!result.success) {
        // The handout's hints name `handout schema`; a library file's fields are `handout schema exercise`'s.
        const errors = schemaErrors(result.error, yaml, Object.keys(exerciseFileSchema.shape)).map((e) =>
          schemaErrorOf(e, 'exercise'),
        );
        return { errors };
      }
      const locale = path.basename(path.dirname(absPath));
      return { found: { id, locale, file, data: result.data, yaml } };
    }
    return null;
  }

  private async unknown(id: string, locale: string, where: ReturnType<typeof positionOf>): Promise<HandoutError> {
    const candidates = libraryCandidates(this.contentDir, locale, id).map(displayPath);
    const known = await this.ids(locale);
    const suggestion = closest(id, known);
    const libraryFolder = displayPath(path.join(this.contentDir, LIBRARY_FOLDER, locale));
    return new HandoutError(
      'UNKNOWN_EXERCISE',
      'unknown',
      {
        id,
        candidates: candidates.join(' or '),
        didYouMean: suggestion ? `; did you mean "${suggestion}"?` : '',
        file: candidates.at(-1)!,
        library: known.length ? `The library has, for ${locale}: ${known.join(', ')}.` : `The library has no exercises for ${locale} yet (${libraryFolder}/).`,
      },
      { where },
    );
  }
}

function inlineExercise(data: ExerciseData, yaml: LoadedYaml, index: number): PlacedExercise {
  return { data, libraryFile: null, at: (field) => ({ yaml, path: ['exercises', index, field] }) };
}

/** The library's exercise with the handout's overrides, as if written inline. */
function libraryExercise(found: LibraryExercise, ref: ExerciseReference, handoutYaml: LoadedYaml, index: number): PlacedExercise {
  const data: Record<string, unknown> = {};
  for (const field of PRINTED_FIELDS) {
    const value = field in ref ? ref[field as keyof ExerciseReference] : found.data[field];
    if (value !== undefined) data[field] = value;
  }
  return {
    data: data as ExerciseData,
    libraryFile: found.file,
    at: (field) => (field in ref ? { yaml: handoutYaml, path: ['exercises', index, field] } : { yaml: found.yaml, path: [field] }),
  };
}

/** The exercises of a handout that uses no library (every one written inline); a reference is a mistake of the caller's. */
export function inlineExercises(handout: ValidHandout): PlacedExercise[] {
  return handout.data.exercises.map((entry, i) => {
    if (isExerciseReference(entry)) {
      throw new HandoutError('UNKNOWN_EXERCISE', 'libraryNotRead', { id: entry.exercise }, {
        where: positionOf(handout.yaml, ['exercises', i, 'exercise']),
      });
    }
    return inlineExercise(entry, handout.yaml, i);
  });
}

/**
 * The library files a handout's sheet is made from, for its cache key: for each id it
 * references, each candidate file in order up to the one that exists, with its bytes (null
 * for a candidate that is not there, so adding content/exercises/en-GB/<id>.yaml changes the
 * key of an en-GB handout that used en's). `read` reads a file, null when it cannot.
 */
export async function libraryInputs(
  contentDir: string,
  locale: string,
  handoutText: string,
  read: (absPath: string) => Promise<Buffer | null> = readOrNull,
): Promise<Array<{ file: string; bytes: Buffer | null }>> {
  return libraryFilesFor(contentDir, locale, await referencedExercises(handoutText), read);
}

/**
 * The ids of the library exercises a handout references, sorted, read from its text without
 * validating it: a handout that does not validate fails, and a failure is never cached.
 */
export async function referencedExercises(handoutText: string): Promise<string[]> {
  if (!handoutText.includes('exercise:')) return [];
  const ids = new Set<string>();
  try {
    const { parse } = await import('yaml');
    const data = parse(handoutText, { maxAliasCount: 100 }) as { exercises?: unknown } | null;
    for (const entry of Array.isArray(data?.exercises) ? data.exercises : []) {
      const id = (entry as { exercise?: unknown } | null)?.exercise;
      if (typeof id === 'string' && EXERCISE_ID.test(id)) ids.add(id);
    }
  } catch {
    return [];
  }
  return [...ids].sort();
}

/** libraryInputs() of a handout whose referenced ids are known (sorted, as referencedExercises() gives them). */
export async function libraryFilesFor(
  contentDir: string,
  locale: string,
  ids: readonly string[],
  read: (absPath: string) => Promise<Buffer | null> = readOrNull,
): Promise<Array<{ file: string; bytes: Buffer | null }>> {
  const inputs: Array<{ file: string; bytes: Buffer | null }> = [];
  for (const id of ids) {
    for (const absPath of libraryCandidates(contentDir, locale, id)) {
      const bytes = await read(absPath);
      inputs.push({ file: path.relative(contentDir, absPath), bytes });
      if (bytes) break;
    }
  }
  return inputs;
}

const readOrNull = (absPath: string): Promise<Buffer | null> => readFile(absPath).catch(() => null);

async function missing(absPath: string): Promise<boolean> {
  return readFile(absPath).then(
    () => false,
    (err: NodeJS.ErrnoException) => err.code === 'ENOENT' || err.code === 'ENOTDIR',
  );
}

/** A library file's error as one handout reports it: at the library file, naming the handout that uses it. */
function usedBy(error: HandoutError, handoutFile: string, index: number): HandoutError {
  return new HandoutError(error.code, 'inLibraryExercise', { message: error.message, handout: handoutFile, index }, {
    ...(error.where ? { where: error.where } : {}),
    hint: error.hint,
    cause: error,
  });
}

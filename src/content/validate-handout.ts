/**
 * Checks a loaded YAML handout against the content contract and reports every problem
 * at once, each at the line and column of the offending value.
 */
import type { z } from 'zod';
import { ERRORS, HandoutError } from '../errors.js';
import { exerciseEntryBranch, handoutSchema, type ValidHandoutData } from './handout-schema.js';
import { positionOf, type LoadedYaml } from './load-yaml.js';

/** Identifies one handout: which file, which locale, which slug. */
export interface HandoutSource {
  /** Absolute path of the YAML file. */
  absPath: string;
  /** Path shown to users. */
  file: string;
  locale: string;
  slug: string;
  /**
   * One of the consecutive sheets a personal program too long for one page is printed on
   * (program/split-program.ts): which, of how many, and the program's index of its first
   * exercise (so sheet 2 numbers its exercises on from sheet 1, and messages name them as
   * the program does). Its own file name (output-name.ts) and a "Sheet 1 of 2" it must print.
   */
  sheet?: SheetNumber | undefined;
}

export interface SheetNumber {
  /** 1-based. */
  index: number;
  count: number;
  /** The program's index of the sheet's first exercise (0-based). */
  first: number;
}

/** A handout whose content passed the schema; nothing is resolved yet. */
export interface ValidHandout {
  source: HandoutSource;
  data: ValidHandoutData;
  yaml: LoadedYaml;
}

export type Validation<T> = { ok: true; value: T } | { ok: false; errors: HandoutError[] };

export function validateHandout(source: HandoutSource, yaml: LoadedYaml): Validation<ValidHandout> {
  const result = handoutSchema.safeParse(yaml.data, { reportInput: true });
  if (result.success) return { ok: true, value: { source, data: result.data, yaml } };
  return { ok: false, errors: schemaErrors(result.error, yaml, Object.keys(handoutSchema.shape)) };
}

/** Turns zod issues into positioned errors, in file order. Shared with other YAML files (catalogs). */
export function schemaErrors(error: z.ZodError, yaml: LoadedYaml, topLevelKeys: readonly string[] = []): HandoutError[] {
  // One error per field: the first thing wrong with it is what the author must fix.
  const seen = new Set<string>();
  const issues = error.issues.flatMap(unionBranchIssues).filter((issue) => {
    const key = JSON.stringify(issue.path);
    if (issue.code !== 'unrecognized_keys' && seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const errors = issues.flatMap((issue) => {
    const at = formatPath(issue.path);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => {
        // An empty key ("": x) would otherwise print as ": unknown field".
        const shown = key === '' ? '""' : key;
        const fullPath = at ? `${at}.${shown}` : shown;
        const suggestion = issue.path.length === 0 ? closest(key, topLevelKeys) : undefined;
        return new HandoutError('SCHEMA', 'unknownField', { field: fullPath, key }, {
          where: positionOf(yaml, issue.path, key),
          ...(suggestion ? { hint: `Did you mean "${suggestion}"? ${ERRORS.SCHEMA.hint}` } : {}),
        });
      });
    }
    const missing = issue.code === 'invalid_type' && (issue as { input?: unknown }).input === undefined;
    const message = missing ? 'is required but missing' : issue.message;
    return [new HandoutError('SCHEMA', 'field', { field: at || '(the handout)', detail: message }, { where: positionOf(yaml, issue.path) })];
  });
  return errors.sort((a, b) => (a.where?.line ?? 0) - (b.where?.line ?? 0) || (a.where?.col ?? 0) - (b.where?.col ?? 0));
}

/**
 * A schema error as another kind of file reports it (a program, a library exercise): named
 * as that file, with that file's hint, keeping a did-you-mean.
 */
export function schemaErrorOf(e: HandoutError, kind: keyof typeof ERRORS.SCHEMA.hintFor): HandoutError {
  return e.with({
    ...(e.params.field === '(the handout)' ? { params: { field: `(the ${kind})` } } : {}),
    hint: `${/^Did you mean "[^"]*"\? /.exec(e.hint)?.[0] ?? ''}${ERRORS.SCHEMA.hintFor[kind]}`,
  });
}

/**
 * An exercise that is neither a valid library reference nor a valid inline exercise fails
 * as zod's "invalid_union", with the issues of both forms: keep those of the form the
 * author was writing (exerciseEntryBranch), at their place in the file.
 */
function unionBranchIssues(issue: z.core.$ZodIssue): z.core.$ZodIssue[] {
  const isEntry = issue.path.length === 2 && issue.path[0] === 'exercises' && typeof issue.path[1] === 'number';
  if (issue.code !== 'invalid_union' || !isEntry || issue.errors.length !== 2) return [issue];
  const branch = issue.errors[exerciseEntryBranch((issue as { input?: unknown }).input)]!;
  return branch.flatMap((inner) => unionBranchIssues({ ...inner, path: [...issue.path, ...inner.path] } as z.core.$ZodIssue));
}

/** ['exercises', 0, 'steps'] → "exercises[0].steps" */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, seg) => {
    if (typeof seg === 'number') return `${out}[${seg}]`;
    return out ? `${out}.${String(seg)}` : String(seg);
  }, '');
}

/**
 * The known key closest to a misspelt one, if it is close enough to be a likely typo
 * (a field name, an exercise id of the library). Levenshtein distance in a few lines, not a
 * package: no well-kept one is among the dependencies, and the lists are a few dozen names.
 */
export function closest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(key.length / 3)) + 1;
  for (const candidate of known) {
    const d = editDistance(key.toLowerCase(), candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * The plain-language check of one handout file, for `handout check`: the file is read
 * again (a rendered page keeps no YAML, and reading a handout takes a millisecond) so that
 * every finding can point at its line and column, and at the character itself.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadClinic } from '../config/load-clinic.js';
import type { ExerciseLibrary } from '../content/exercise-library.js';
import { parseYaml } from '../content/load-yaml.js';
import { validateHandout, type HandoutSource } from '../content/validate-handout.js';
import { checkPlainLanguage, DEFAULT_READING_GRADE, type PlainLanguageReport } from './check-plain-language.js';

/** The clinic's reading_grade from clinic.yaml, or the default (8) without one. */
export async function readingGradeTarget(contentDir: string): Promise<number> {
  try {
    return (await loadClinic(path.resolve(contentDir))).clinic?.data.reading_grade ?? DEFAULT_READING_GRADE;
  } catch {
    // A clinic.yaml that does not load is reported, and stops the sheets, where it is read for them.
    return DEFAULT_READING_GRADE;
  }
}

/** The report for one handout, or null when it cannot be read back as it was (changed meanwhile). */
export async function checkHandoutFile(source: HandoutSource, target: number, library: ExerciseLibrary): Promise<PlainLanguageReport | null> {
  try {
    // As loadYaml: the text without a leading byte order mark, which is what positions count in.
    const text = (await readFile(source.absPath, 'utf8')).replace(/^\uFEFF/, '');
    const yaml = parseYaml(text, source.file);
    const valid = validateHandout(source, yaml);
    if (!valid.ok) return null;
    const exercises = await library.place(valid.value);
    if (!exercises.ok) return null;
    return checkPlainLanguage({ name: `${source.locale}/${source.slug}`, data: valid.value.data, source: { yaml, text }, locale: source.locale, exercises: exercises.value }, target);
  } catch {
    return null;
  }
}

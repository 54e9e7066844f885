/**
 * `handout check` of the saved programs, content/programs/<locale>/<name>.yaml: each one's
 * fields and library references, at their lines, as `handout program` would find them, so a
 * renamed library exercise fails the check in CI rather than at the clinic's desk. Each
 * program that passes is also given as the handout document it prints as, for check to print
 * and read back as it does the sheets (check-handouts.ts): whether it fits its page.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { DocumentResult } from './build-handouts.js';
import { LOCALE_PATTERN, SLUG_PATTERN } from '../content/discover-handouts.js';
import { ExerciseLibrary } from '../content/exercise-library.js';
import { displayPath } from '../content/safe-file.js';
import { HandoutError, toHandoutError } from '../errors.js';
import { CatalogStore } from '../i18n/load-catalog.js';
import type { LoadedYaml } from '../content/load-yaml.js';
import type { HandoutSource } from '../content/validate-handout.js';
import { loadSavedProgram, programHandout, PROGRAMS_FOLDER } from '../content/program-document.js';

export interface CheckedPrograms {
  results: DocumentResult[];
  /** The programs that passed, as the handout documents they print as (PrepareOptions.documents). */
  documents: Array<{ source: HandoutSource; yaml: LoadedYaml }>;
}

export async function checkSavedPrograms(options: {
  contentDir: string;
  templatesDir: string;
  locales?: readonly string[] | undefined;
  only?: readonly string[] | undefined;
}): Promise<CheckedPrograms> {
  const contentDir = path.resolve(options.contentDir);
  const root = path.join(contentDir, PROGRAMS_FOLDER);
  const locales = (await readdir(root, { withFileTypes: true }).catch(() => [])).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const catalogs = new CatalogStore(path.resolve(options.templatesDir));
  const library = new ExerciseLibrary(contentDir);
  const results: DocumentResult[] = [];
  const documents: CheckedPrograms['documents'] = [];
  const result = (file: string, locale: string, slug: string, errors: HandoutError[]): DocumentResult => ({
    file,
    locale,
    slug,
    ok: errors.length === 0,
    cached: false,
    outputs: null,
    shown: null,
    errors,
    warnings: [],
    ms: 0,
  });
  for (const locale of locales) {
    if (options.locales?.length && !options.locales.includes(locale)) continue;
    const dir = path.join(root, locale);
    if (!LOCALE_PATTERN.test(locale)) {
      results.push(
        result(displayPath(dir), locale, '', [
          new HandoutError('BAD_NAME', 'notProgramLocale', { locale }, { where: { file: displayPath(dir) } }),
        ]),
      );
      continue;
    }
    const files = (await readdir(dir)).filter((f) => /\.ya?ml$/i.test(f)).sort();
    for (const f of files) {
      const name = f.replace(/\.ya?ml$/i, '');
      if (options.only?.length && !options.only.includes(name)) continue;
      const file = displayPath(path.join(dir, f));
      if (!SLUG_PATTERN.test(name) || !f.endsWith('.yaml')) {
        results.push(
          result(file, locale, name, [
            new HandoutError('BAD_NAME', 'programFileName', { name: f }, { where: { file } }),
          ]),
        );
        continue;
      }
      try {
        const loaded = await loadSavedProgram(contentDir, locale, name);
        if (!loaded.ok) {
          results.push(result(file, locale, name, loaded.errors));
          continue;
        }
        const strings = (await catalogs.get(locale)).strings;
        const source = { absPath: path.join(dir, f), file, locale, slug: name };
        const data = programHandout(loaded.value.data, strings);
        const placed = await library.place({ source, data, yaml: loaded.value.yaml });
        results.push(result(file, locale, name, placed.ok ? [] : placed.errors));
        if (placed.ok) documents.push({ source, yaml: { ...loaded.value.yaml, data } });
      } catch (err) {
        results.push(result(file, locale, name, [toHandoutError(err, 'INTERNAL', { file })]));
      }
    }
  }
  return { results, documents };
}

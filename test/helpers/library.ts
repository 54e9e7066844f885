/**
 * Shipped handouts take their exercises from the library (content/exercises/<locale>/<id>.yaml).
 * Tests that edit an exercise's text in a copy of a handout write it out first, as the
 * handout would hold it inline.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** The handout's text with each `  - exercise: <id>` line replaced by the library file's exercise, indented as an inline one. */
export async function inlineLibrary(text: string, contentDir: string, locale: string): Promise<string> {
  let out = text;
  for (const [line, id] of text.matchAll(/^ {2}- exercise: ([a-z0-9-]+)\n/gm)) {
    const library = await readFile(path.join(contentDir, 'exercises', locale, `${id!}.yaml`), 'utf8');
    const fields = library
      .split('\n')
      .filter((l) => l && !l.startsWith('#') && !/^(region|tags):/.test(l))
      .map((l, i) => (i === 0 ? `  - ${l}` : `    ${l}`));
    out = out.replace(line, `${fields.join('\n')}\n`);
  }
  return out;
}

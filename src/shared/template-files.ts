/**
 * Where each template file comes from. A clinic's templates folder holds only what it
 * changes (one partial, one stylesheet, a few catalog strings, a new locale); every other
 * file comes from the templates that ship with the tool. So a clinic never copies the
 * whole folder out of node_modules, and still gets the fixes of the next version.
 *
 * Files are taken whole from the first folder that has them (the clinic's, then the
 * built-in one), except the string catalogs, which are merged string by string
 * (i18n/load-catalog.ts).
 */
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The templates that ship with the tool: dist/shared/ or src/shared/ → ../../templates. */
export const BUILT_IN_TEMPLATES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'templates');

/**
 * The folders to look in, the clinic's first, each once: `dir` may be the built-in folder
 * itself (this repository, or `--templates` pointed at it), or a full copy of it.
 */
export function templateLayers(dir: string): string[] {
  const own = path.resolve(dir);
  return sameDir(own, BUILT_IN_TEMPLATES_DIR) ? [BUILT_IN_TEMPLATES_DIR] : [own, BUILT_IN_TEMPLATES_DIR];
}

/** The file at `relPath` (e.g. "handout.hbs", "locales/fr.yaml") from the first folder that has it. */
export function findTemplateFile(dir: string, relPath: string): string | null {
  for (const layer of templateLayers(dir)) {
    const file = path.join(layer, relPath);
    if (existsSync(file)) return file;
  }
  return null;
}

/** Every file of one kind in a subfolder, by name, each from the first folder that has it; sorted by name. */
export function listTemplateFiles(dir: string, subdir: string, ext: string): string[] {
  const byName = new Map<string, string>();
  for (const layer of templateLayers(dir)) {
    let names: string[];
    try {
      names = readdirSync(path.join(layer, subdir));
    } catch {
      continue;
    }
    for (const name of names) if (name.endsWith(ext) && !byName.has(name)) byName.set(name, path.join(layer, subdir, name));
  }
  return [...byName.keys()].sort().map((name) => byName.get(name)!);
}

/** Every layer's copy of `relPath`, the built-in one first (for merging string by string). */
export function allTemplateFiles(dir: string, relPath: string): string[] {
  return templateLayers(dir)
    .reverse()
    .map((layer) => path.join(layer, relPath))
    .filter((file) => existsSync(file));
}

function sameDir(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

/** One piece of the templates and the files it is made of, for `check --verbose`. */
export interface TemplateSource {
  /** "handout.hbs", "partials/exercise.hbs", "locales/en-GB.yaml" */
  piece: string;
  /** Absolute paths, lowest first: a catalog is merged from several, any other piece is one file. */
  files: string[];
}

/**
 * Where each piece of the templates comes from: the layout, partials, stylesheets, font
 * list and catalogs. A regional catalog lists its base language's files first.
 */
export function templateSources(dir: string): TemplateSource[] {
  const one = (piece: string): TemplateSource[] => {
    const file = findTemplateFile(dir, piece);
    return file ? [{ piece, files: [file] }] : [];
  };
  const each = (subdir: string, ext: string) => listTemplateFiles(dir, subdir, ext).flatMap((f) => one(`${subdir}/${path.basename(f)}`));
  const catalogs = listTemplateFiles(dir, 'locales', '.yaml').map((f) => {
    const parts = path.basename(f, '.yaml').split('-');
    const chain = parts.map((_, i) => parts.slice(0, i + 1).join('-'));
    return { piece: `locales/${path.basename(f)}`, files: chain.flatMap((l) => allTemplateFiles(dir, `locales/${l}.yaml`)) };
  });
  return [...one('handout.hbs'), ...each('partials', '.hbs'), ...each('styles', '.css'), ...one('fonts.yaml'), ...catalogs];
}

/** Whether a file is one of the tool's own templates. */
export function isBuiltIn(file: string): boolean {
  return !path.relative(BUILT_IN_TEMPLATES_DIR, file).startsWith('..');
}

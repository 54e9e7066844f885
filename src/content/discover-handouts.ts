/**
 * Finds the handouts in a content folder: <content>/<locale>/<slug>.yaml.
 */
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { HandoutError } from '../errors.js';
import { displayPath } from './safe-file.js';
import type { HandoutSource } from './validate-handout.js';

/** A BCP 47 language tag as used for folder names: en, pt-BR, zh-Hans. */
export const LOCALE_PATTERN = /^[a-z]{2,3}(-[A-Z][a-z]{3})?(-[A-Z]{2})?$/;
/** Slugs become file names and URLs: keep them portable everywhere. */
export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,79}$/;
/** Folders in the content root that are not locales: the pictures, the exercise library (exercise-library.ts) and the saved programs (content/program-document.ts). */
export const RESERVED_FOLDERS: ReadonlySet<string> = new Set(['illustrations', 'exercises', 'programs']);

export interface DiscoverOptions {
  locales?: readonly string[];
  only?: readonly string[];
}

export interface Discovery {
  sources: HandoutSource[];
  errors: HandoutError[];
}

export async function discoverHandouts(contentDir: string, options: DiscoverOptions = {}): Promise<Discovery> {
  const root = path.resolve(contentDir);
  let entries;
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch {
    throw new HandoutError('NO_CONTENT', 'noFolder', { folder: displayPath(root) }, {
      where: { file: displayPath(root) },
    });
  }
  const sources: HandoutSource[] = [];
  const errors: HandoutError[] = [];
  // A linked locale folder could bring in files from anywhere: say so, rather than skip it.
  for (const link of entries.filter((e) => e.isSymbolicLink() && !e.name.startsWith('.'))) {
    const target = path.join(root, link.name);
    const isDir = await stat(target).then((st) => st.isDirectory(), () => false);
    if (!isDir || (options.locales?.length && !options.locales.includes(link.name))) continue;
    errors.push(
      new HandoutError('BAD_NAME', 'linkedLocale', { target: await realpath(target) }, { where: { file: displayPath(target) } }),
    );
  }
  const localeDirs = entries
    .filter((e) => e.isDirectory() && !RESERVED_FOLDERS.has(e.name) && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();

  for (const locale of localeDirs) {
    if (options.locales?.length && !options.locales.includes(locale)) continue;
    const dir = path.join(root, locale);
    if (!LOCALE_PATTERN.test(locale)) {
      errors.push(
        new HandoutError('BAD_NAME', 'notLocale', { locale }, { where: { file: displayPath(dir) } }),
      );
      continue;
    }
    const files = (await readdir(dir, { withFileTypes: true })).filter((f) => /\.ya?ml$/i.test(f.name)).sort((a, b) => a.name.localeCompare(b.name));
    for (const f of files) {
      const slug = f.name.replace(/\.ya?ml$/i, '');
      if (options.only?.length && !options.only.includes(slug)) continue;
      const absPath = path.join(dir, f.name);
      if (!SLUG_PATTERN.test(slug) || !f.name.endsWith('.yaml')) {
        errors.push(
          new HandoutError('BAD_NAME', 'handoutFileName', { name: f.name }, { where: { file: displayPath(absPath) } }),
        );
        continue;
      }
      // "--" separates a slug from a patient's name in personal copies (output-name.ts):
      // content/en/knee-hug--jane-doe.yaml would be written over Jane Doe's copy of knee-hug.
      if (slug.includes('--')) {
        errors.push(
          new HandoutError('BAD_NAME', 'doubleDash', { name: f.name, single: slug.replace(/-{2,}/g, '-'), slug }, { where: { file: displayPath(absPath) } }),
        );
        continue;
      }
      sources.push({ absPath, file: displayPath(absPath), locale, slug });
    }
  }
  for (const locale of options.locales ?? []) {
    if (!localeDirs.includes(locale)) {
      errors.push(
        new HandoutError('NO_CONTENT', 'noLocale', { locale, folder: displayPath(path.join(root, locale)), locales: localeDirs.join(', ') || 'none' }, { where: { file: displayPath(root) } }),
      );
    }
  }
  for (const slug of options.only ?? []) {
    if (!sources.some((s) => s.slug === slug) && !errors.length) {
      errors.push(
        new HandoutError('NO_CONTENT', 'noHandout', { slug, inLocales: options.locales?.length ? ` in locale ${options.locales.join(', ')}` : '' }, { where: { file: displayPath(root) } }),
      );
    }
  }
  return { sources, errors };
}

/**
 * What a build's outputs depend on, hashed without rendering anything, so an unchanged
 * handout is skipped in milliseconds. Coarse on purpose where inputs are shared: any
 * change to the templates folder, the illustrations, the clinic's files, the fonts, the
 * tool's own code or its dependencies, or the browser rebuilds everything; a changed
 * handout, or an option that changes its sheet (by its effective value: sheet-options.ts),
 * rebuilds just what it changes.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { HandoutSource } from '../content/validate-handout.js';
import type { BuildOptions } from './build-handouts.js';
import { LibraryReader, type LibraryReferences } from './library-references.js';
import type { SheetOptions } from './sheet-options.js';
import { fontsConfigFile, resolveStylesheet } from '../render/font-faces.js';
import { templateLayers } from '../shared/template-files.js';
import { TOOL_VERSION } from '../version.js';

export interface FingerprintInputs {
  contentDir: string;
  templatesDir: string;
  /** The browser's identity (browserIdentity(), or a remote's version) and the test hooks that drive it. */
  browser: { identity: string; hooks: PrinterHooks | null };
}

/** The printer's test hooks (a canary proxy, page JavaScript): they may change what is printed. */
export type PrinterHooks = NonNullable<BuildOptions['printer']>;

const require = createRequire(import.meta.url);
const TOOL_CODE_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

export async function buildFingerprint(inputs: FingerprintInputs): Promise<string> {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ tool: TOOL_VERSION, browser: inputs.browser, deps: dependencyVersions() }));
  await hashTree(hash, TOOL_CODE_DIR, (f) => /\.(js|ts)$/.test(f));
  // The clinic's templates and the built-in ones beneath them (shared/template-files.ts).
  for (const layer of templateLayers(inputs.templatesDir)) await hashTree(hash, layer);
  await hashTree(hash, path.join(inputs.contentDir, 'illustrations'));
  await hashTree(hash, inputs.contentDir, undefined, false);
  await hashFonts(hash, inputs.templatesDir);
  return hash.digest('hex');
}

/**
 * One sheet's key: the shared fingerprint, the handout's file, the library exercises it
 * uses (only those: editing one rebuilds exactly the sheets that use it), its siblings and
 * the effective values of the options that change it (see sheet-options.ts), never the flags.
 * `library` finds the ids it references (remembered from the manifest when the handout is
 * unchanged) and reads their files; returned with the key, for the manifest to remember.
 */
export async function handoutKey(
  fingerprint: string,
  source: HandoutSource,
  siblings: readonly string[],
  sheet: SheetOptions,
  contentDir: string,
  library = new LibraryReader(contentDir, fingerprint),
): Promise<{ key: string; library: LibraryReferences }> {
  const bytes = await readFile(source.absPath);
  const hash = createHash('sha256')
    .update(fingerprint)
    // The published page links to the same handout in its other languages.
    .update(`\0${source.locale}/${source.slug}\0${siblings.join(',')}\0`)
    .update(`${sheetJson(sheet)}\0`)
    .update(bytes);
  const references = await library.references(bytes);
  for (const input of await library.inputs(source.locale, references.exercises)) {
    hash.update(`\0${input.file}\0`);
    hash.update(input.bytes ?? 'missing');
  }
  return { key: hash.digest('hex'), library: references };
}

/** Every field of the sheet options, keys sorted: the same values give the same text, whatever order they were set in. */
function sheetJson(sheet: SheetOptions): string {
  return JSON.stringify(sheet, (_key, value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1))) : value,
  );
}

/** Every file below `dir` (or only its own files), by relative path and content. */
async function hashTree(hash: ReturnType<typeof createHash>, dir: string, keep = (_f: string) => true, recursive = true): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive });
  } catch {
    hash.update(`missing:${dir}`);
    return;
  }
  const files = entries
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .filter(keep)
    .sort();
  for (const file of files) {
    hash.update(`\0${path.relative(dir, file)}\0`);
    hash.update(await readFile(file));
  }
}

/** The font stylesheets' contents and their packages' versions (the font files follow them). */
async function hashFonts(hash: ReturnType<typeof createHash>, templatesDir: string): Promise<void> {
  try {
    const configFile = fontsConfigFile(templatesDir);
    const config = parse(await readFile(configFile, 'utf8')) as { families?: Array<{ stylesheets?: string[] }> };
    for (const spec of (config.families ?? []).flatMap((f) => f.stylesheets ?? [])) {
      const css = resolveStylesheet(spec, path.dirname(configFile), { file: 'fonts.yaml' });
      hash.update(await readFile(css));
      hash.update(await readFile(path.join(path.dirname(css), 'package.json')).catch(() => Buffer.from('')));
    }
  } catch {
    hash.update(`fonts-unreadable:${Date.now()}`); // never cache on a font list that cannot be read
  }
}

/** The version in node_modules/<name>/package.json, looked for up from the tool's folder. */
function installedVersion(name: string): string {
  for (let dir = TOOL_CODE_DIR; ; dir = path.dirname(dir)) {
    try {
      return (JSON.parse(readFileSync(path.join(dir, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      if (path.dirname(dir) === dir) return 'unresolved';
    }
  }
}

function dependencyVersions(): Record<string, string> {
  const pkg = require('../../package.json') as { dependencies?: Record<string, string> };
  const versions: Record<string, string> = {};
  for (const name of Object.keys(pkg.dependencies ?? {})) {
    versions[name] = installedVersion(name);
  }
  return versions;
}

/** Identifies the browser binary without starting it: a new version is a new file. */
export async function browserIdentity(executable: string): Promise<string> {
  try {
    const real = await realpath(executable);
    const info = await stat(real);
    return `${real}:${info.size}:${Math.round(info.mtimeMs)}`;
  } catch {
    return executable;
  }
}

/**
 * `handout init`: a clinic's working folder, copied from the starter folder shipped in the
 * package (starter/): content/clinic.yaml, two example handouts in English and Spanish with
 * their drawings, a .gitignore, VS Code settings that point at the schemas, and a CI
 * workflow. `handout build --strict` passes on it as written.
 *
 * The starter files are real files, not strings in code, so they are validated by the
 * same tools a clinic uses (a test builds them) and can be read as they will be written.
 */
import { constants } from 'node:fs';
import { copyFile, lstat, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { displayPath } from '../content/safe-file.js';
import { HandoutError } from '../errors.js';

/** starter/ beside dist/ (and beside src/ when run from source). */
export const STARTER_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'starter');

export interface InitOptions {
  /** The clinic's folder; created if missing. */
  dir: string;
  /** Replace starter files that are already there (other files are never touched). */
  force?: boolean;
  starterDir?: string;
}

export interface InitResult {
  /** Every file written, relative to dir, in order: `content/clinic.yaml`, `.gitignore`, … */
  written: string[];
  /** Those of them that replaced a file already there (only with force). */
  replaced: string[];
}

export async function initClinic(options: InitOptions): Promise<InitResult> {
  const starter = options.starterDir ?? STARTER_DIR;
  const files = await starterFiles(starter);
  const existing: string[] = [];
  for (const file of files) if (await exists(path.join(options.dir, file.target))) existing.push(file.target);
  // Checked before anything is written, so a refusal leaves the folder as it was.
  if (existing.length > 0 && !options.force) {
    const named = existing.map((f) => displayPath(path.resolve(options.dir, f)));
    throw existing.length === 1
      ? new HandoutError('FILE_EXISTS', 'alreadyThere', {}, { where: { file: named[0]! } })
      : new HandoutError('FILE_EXISTS', 'someAlreadyThere', { count: named.length, list: named.join(', ') }, {
          where: { file: path.resolve(options.dir) === process.cwd() ? '.' : displayPath(path.resolve(options.dir)) },
        });
  }
  const written: string[] = [];
  for (const file of files) {
    const to = path.join(options.dir, file.target);
    try {
      await mkdir(path.dirname(to), { recursive: true });
      // COPYFILE_EXCL: a file that appeared since the check above is still not overwritten.
      await copyFile(path.join(starter, file.source), to, options.force ? 0 : constants.COPYFILE_EXCL);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new HandoutError(code === 'EEXIST' ? 'FILE_EXISTS' : 'WRITE', 'cannotWrite', { file: displayPath(path.resolve(to)), detail: (err as Error).message }, {
        where: { file: displayPath(path.resolve(to)) },
        cause: err,
        // Some files may be written already: name them, and the way to finish.
        ...(written.length
          ? { hint: `Fix the cause and run init again with --force (it replaces only starter files). Written so far: ${written.join(', ')}.` }
          : {}),
      });
    }
    written.push(file.target);
  }
  return { written, replaced: existing };
}

interface StarterFile {
  /** Path in starter/. */
  source: string;
  /** Path in the clinic's folder. */
  target: string;
}

/**
 * The starter's files, clinic.yaml and handouts first. A name starting with `_` is
 * written with a dot (`_gitignore` → `.gitignore`, `_github/` → `.github/`): npm leaves
 * a package's .gitignore files out of it, and dot-folders are easy to lose on the way.
 */
async function starterFiles(starter: string): Promise<StarterFile[]> {
  let entries;
  try {
    entries = await readdir(starter, { recursive: true, withFileTypes: true });
  } catch (err) {
    throw new HandoutError('INTERNAL', 'starterMissing', { folder: starter, detail: (err as Error).message }, { cause: err });
  }
  const files = entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(starter, path.join(e.parentPath, e.name)))
    .map((source) => ({ source, target: source.split(path.sep).map((part) => part.replace(/^_/, '.')).join('/') }));
  const rank = (f: StarterFile) => (f.target === 'content/clinic.yaml' ? 0 : f.target.startsWith('content/') ? 1 : 2);
  return files.sort((a, b) => rank(a) - rank(b) || a.target.localeCompare(b.target));
}

async function exists(file: string): Promise<boolean> {
  try {
    await lstat(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * Which library exercises each sheet's key covers (input-fingerprint.ts), found without
 * parsing every handout on every build: parsing the 210 handouts of the benchmark took
 * ~400 ms of a no-op rebuild that took ~850 ms in all before the library existed.
 *
 * The ids a handout references depend only on its bytes and on the code that reads them, so
 * the manifest keeps them with each sheet, under a hash of the two (the build fingerprint
 * covers the tool's code): an unchanged handout's ids are looked up, and only a new or
 * edited one, or any after the tool or a template changed, is parsed. The library files
 * themselves are read once per build, however many sheets use them.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { libraryFilesFor, referencedExercises } from '../content/exercise-library.js';

/** What the manifest keeps of a sheet's references (build/cache-manifest.ts). */
export interface LibraryReferences {
  /** SHA-256 of the build fingerprint and the handout's bytes the ids were read from. */
  read: string;
  /** The library ids the handout references, sorted. */
  exercises: string[];
}

export class LibraryReader {
  readonly contentDir: string;
  /** Ids by `read` hash: remembered from the manifest, or parsed in this build (copies of one handout are parsed once). */
  readonly #ids = new Map<string, Promise<string[]>>();
  readonly #files = new Map<string, Promise<Buffer | null>>();

  /** `remembered`: the references recorded with the manifest's sheets. */
  constructor(
    contentDir: string,
    readonly fingerprint: string,
    remembered: Iterable<LibraryReferences> = [],
  ) {
    this.contentDir = path.resolve(contentDir);
    for (const r of remembered) this.#ids.set(r.read, Promise.resolve(r.exercises));
  }

  /** The library ids a handout with these bytes references. */
  async references(handout: Buffer): Promise<LibraryReferences> {
    const read = createHash('sha256').update(this.fingerprint).update('\0').update(handout).digest('hex');
    let ids = this.#ids.get(read);
    if (!ids) {
      ids = referencedExercises(handout.toString('utf8'));
      this.#ids.set(read, ids);
    }
    return { read, exercises: await ids };
  }

  /** The library files these ids resolve to from `locale`, with their bytes (exercise-library.ts, libraryFilesFor). */
  inputs(locale: string, ids: readonly string[]): Promise<Array<{ file: string; bytes: Buffer | null }>> {
    return libraryFilesFor(this.contentDir, locale, ids, (absPath) => {
      let bytes = this.#files.get(absPath);
      if (!bytes) {
        bytes = readFile(absPath).catch(() => null);
        this.#files.set(absPath, bytes);
      }
      return bytes;
    });
  }
}

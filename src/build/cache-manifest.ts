/**
 * Incremental builds. The output folder keeps a manifest of what each output was built
 * from (a key over every input: see input-fingerprint.ts) and the hashes of the files
 * written. An output whose key is unchanged, and whose files are still the ones
 * written, is skipped.
 *
 * It fails soft: a missing, corrupt or foreign manifest means a full rebuild, never a
 * crash or a stale PDF.
 *
 * Checking that the files are intact reads them only when they look touched: like git's
 * index, the manifest keeps each file's size, times and inode as last seen, and a file
 * whose stat still matches is not hashed again (210 handouts' outputs are ~77 MB).
 */
import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { SiteEntry, SiteListing } from '../site/write-site-index.js';
import type { LibraryReferences } from './library-references.js';
import { isSiteRecord, sameSiteRecord, type SiteRecord } from './site-freshness.js';
import { writeAtomic } from './write-atomic.js';

export const MANIFEST_FILE = '.handout-cache.json';

/** A shard of a CI matrix keeps its own manifest, so merged shard folders never clash. */
export function manifestFile(shard?: { index: number; count: number }): string {
  return shard ? `.handout-cache.shard-${shard.index}-of-${shard.count}.json` : MANIFEST_FILE;
}
const ANY_MANIFEST = /^\.handout-cache(\.shard-\d+-of-\d+)?\.json$/;
const FORMAT = 1;

export interface ManifestEntry {
  key: string;
  /** The content folder it was built from (absolute) and the handout file in it. */
  content: string;
  source: string;
  /** Output files, relative to the output folder, with the SHA-256 of what was written. */
  files: Record<string, string>;
  /** The same files' statKey() when last written or hashed: unchanged means not hashed again. */
  stats?: Record<string, string>;
  pages: number;
  /** The PDF's size in bytes; absent in manifests written before it was recorded (then read from its stat). */
  bytes?: number;
  /** How many warnings (English fallbacks) it was built with; absent in older manifests (unknown). */
  warnings?: number;
  /**
   * The library exercises its handout references, so an unchanged handout need not be parsed
   * again to key it (library-references.ts); absent in manifests of older versions.
   */
  library?: LibraryReferences;
  /** What the site index lists; absent for personal copies and large print. */
  site?: SiteEntry;
  /** When these files were written (ISO 8601); absent in manifests of older versions. */
  built?: string;
  /**
   * When a later build of the same output failed (ISO 8601): the files are still the last
   * good ones, and the site index says so. Cleared when the output builds again.
   */
  failed?: string;
}


interface ManifestFile {
  format: number;
  tool: string;
  entries: Record<string, ManifestEntry>;
  /** The site index the build last wrote (site-freshness.ts); absent in shards' manifests and older ones. */
  site?: SiteRecord;
}

export class CacheManifest {
  private constructor(
    readonly outDir: string,
    readonly tool: string,
    private readonly entries: Map<string, ManifestEntry>,
    /** Nothing is fresh (--force); the entries are still known, so whose outputs are whose is too. */
    private readonly force = false,
    private readonly file = MANIFEST_FILE,
    private site: SiteRecord | null = null,
  ) {}

  /** Reads the manifest; anything unexpected yields an empty one (a full rebuild). */
  static async load(outDir: string, tool: string, force: boolean, file = MANIFEST_FILE): Promise<CacheManifest> {
    const empty = new CacheManifest(outDir, tool, new Map(), force, file);
    try {
      const data = JSON.parse(await readFile(path.join(outDir, file), 'utf8')) as ManifestFile;
      if (data?.format !== FORMAT || data.tool !== tool || typeof data.entries !== 'object' || data.entries === null) return empty;
      const entries = new Map<string, ManifestEntry>();
      for (const [name, entry] of Object.entries(data.entries)) {
        if (isEntry(entry)) entries.set(name, entry);
      }
      return new CacheManifest(outDir, tool, entries, force, file, isSiteRecord(data.site) ? data.site : null);
    } catch {
      return empty;
    }
  }

  /** The entry for an output, if its key matches and its files are intact on disk. */
  async fresh(outputName: string, key: string): Promise<ManifestEntry | null> {
    const entry = this.entries.get(outputName);
    if (this.force || !entry || entry.key !== key) return null;
    for (const [file, digest] of Object.entries(entry.files)) {
      const abs = path.join(this.outDir, file);
      try {
        const seen = statKey(await stat(abs));
        if (entry.stats?.[file] === seen) continue;
        if ((await sha256File(abs)) !== digest) return null;
        // Intact after all (copied, or touched): next time its stat is enough.
        (entry.stats ??= {})[file] = seen;
        this.restated = true;
      } catch {
        return null;
      }
    }
    return entry;
  }

  /**
   * What the report says of a cached PDF, from its entry: pages, bytes and SHA-256, as
   * when it was built. Call it on an entry fresh() returned: its PDF's hash and stat are
   * then known to be current (an entry of an older manifest, without `bytes`, gives the
   * size from that stat; none is left unknown).
   */
  static pdfFacts(outputName: string, entry: ManifestEntry): { pages: number; bytes?: number; sha256?: string } {
    const pdf = `${outputName}.pdf`;
    const statSize = Number(entry.stats?.[pdf]?.split(':')[0]);
    const bytes = entry.bytes ?? (Number.isSafeInteger(statSize) ? statSize : undefined);
    const digest = entry.files[pdf];
    return { pages: entry.pages, ...(bytes !== undefined ? { bytes } : {}), ...(digest ? { sha256: digest } : {}) };
  }

  /**
   * True when fresh() hashed files whose stat had changed, or a fresh entry learnt its
   * library references: saving spares the next run the hashing or the parsing.
   */
  restated = false;

  /** The library references every entry remembers (library-references.ts). */
  libraryReferences(): LibraryReferences[] {
    return [...this.entries.values()].flatMap((e) => (e.library ? [e.library] : []));
  }

  /** A fresh entry's library references, as this build read them, for an entry of an older manifest that has none. */
  keepLibraryReferences(outputName: string, library: LibraryReferences): void {
    const entry = this.entries.get(outputName);
    if (!entry || entry.library) return;
    entry.library = library;
    this.restated = true;
  }

  /**
   * The handout of another content folder that an output was built from, when that file
   * still exists: building a handout of this content folder under the same name would
   * silently overwrite it. (The outputs of a content folder that was moved or deleted
   * are not claimed by anyone.)
   */
  async claimedElsewhere(outputName: string, contentDir: string): Promise<string | null> {
    const entry = this.entries.get(outputName);
    if (!entry || entry.content === contentDir) return null;
    const other = path.join(entry.content, entry.source);
    return (await exists(other)) ? other : null;
  }

  /** Records an output just written (its files' stats are taken now), as built now. */
  async record(outputName: string, entry: Omit<ManifestEntry, 'stats' | 'built' | 'failed'>, built = new Date()): Promise<void> {
    // A file its last build wrote and this one did not (an output format no longer made)
    // would otherwise stay, unlisted, until the handout is deleted.
    for (const file of Object.keys(this.entries.get(outputName)?.files ?? {})) {
      if (!(file in entry.files)) await rm(path.join(this.outDir, file), { force: true });
    }
    const stats: Record<string, string> = {};
    for (const file of Object.keys(entry.files)) stats[file] = statKey(await stat(path.join(this.outDir, file)));
    this.entries.set(outputName, { ...entry, stats, built: built.toISOString() });
  }

  /**
   * A build of this output failed: its last good files stay (they were never replaced) and
   * are marked, so the site index can say so. Only an output of this content folder's
   * handout is marked (never another folder's, that a collision refused to overwrite).
   * Returns the entry marked, or null when there is no good build to keep.
   */
  markFailed(outputName: string, contentDir: string, source: string, at = new Date()): ManifestEntry | null {
    const entry = this.entries.get(outputName);
    if (!entry || entry.content !== contentDir || entry.source !== source) return null;
    entry.failed = at.toISOString();
    this.marked = true;
    return entry;
  }

  /** An output that is fresh again (its handout was put back as it was): no longer failed. */
  clearFailed(outputName: string): void {
    const entry = this.entries.get(outputName);
    if (entry?.failed === undefined) return;
    delete entry.failed;
    this.marked = true;
  }

  /** True when markFailed() or clearFailed() changed an entry: the manifest must be saved. */
  marked = false;

  /**
   * A shard forgets the handouts of this content folder that are no longer in it (when
   * handouts are added, others move between shards) and removes their files, which
   * another shard now builds: a shard's folder then holds only its own outputs, so merged
   * shard folders never carry a stale copy. Files another manifest in the folder also
   * lists (shards built into one shared folder) are left alone. Returns the removed files.
   */
  async keepOnly(contentDir: string, names: ReadonlySet<string>): Promise<string[]> {
    const others = await Promise.all(
      (await manifestNames(this.outDir)).filter((n) => n !== this.file).map((n) => CacheManifest.load(this.outDir, this.tool, false, n)),
    );
    const removed: string[] = [];
    for (const [name, entry] of this.entries) {
      if (entry.content !== contentDir || names.has(name)) continue;
      this.entries.delete(name);
      if (others.some((m) => m.entries.has(name))) continue;
      for (const file of Object.keys(entry.files)) {
        await rm(path.join(this.outDir, file), { force: true });
        removed.push(file);
      }
    }
    return removed.sort();
  }

  /**
   * Every handout the output folder holds that belongs on the site, with its large-print copy
   * and last build's state; in the order the manifest is saved in, whether the entries were
   * just recorded or read back (the index's record is keyed on them: site-freshness.ts).
   */
  async siteEntries(): Promise<SiteListing[]> {
    return siteListings(this.outDir, this.sorted().map(([name, entry]) => ({ name, entry })));
  }

  private sorted(): Array<[string, ManifestEntry]> {
    return [...this.entries].sort(([a], [b]) => a.localeCompare(b));
  }

  /** The site index last written, unless --force: then it is written again like everything else. */
  lastSite(): SiteRecord | null {
    return this.force ? null : this.site;
  }

  /** Remembers the site index as now written; true when that changes the manifest (it must be saved). */
  rememberSite(record: SiteRecord): boolean {
    if (sameSiteRecord(this.site, record)) return false;
    this.site = record;
    return true;
  }

  /**
   * Whether printing these pages may change what the site index lists, so that it is
   * written again (site-freshness.ts): a page new to the manifest, one marked failed, or a
   * sheet whose title, summary, category or language differ from its listing. Most edits (a
   * step, a dose) change none of these, and the index is then left as it is.
   */
  listingsMayChange(pages: ReadonlyArray<{ outputName: string; variant: boolean; meta: object; source: { locale: string; slug: string } }>): boolean {
    if (!this.lastSite()) return true;
    return pages.some(({ outputName, variant, meta, source }) => {
      const entry = this.entries.get(outputName);
      if (!entry || entry.failed !== undefined) return true;
      if (variant) return false;
      const site = entry.site as Record<string, unknown> | undefined;
      const listed = { locale: source.locale, slug: source.slug, outputName, ...meta, thumbnail: true };
      return !site || Object.entries(listed).some(([field, value]) => site[field] !== value);
    });
  }

  /** The locales of the handouts on the site (to load their catalogs early). */
  siteLocales(): Set<string> {
    return new Set([...this.entries.values()].flatMap((e) => (e.site ? [e.site.locale] : [])));
  }

  /**
   * Removes the outputs of handouts of this content folder whose source file is gone
   * (deleted or renamed), and returns them. Outputs of handouts merely left out of this
   * run (--only), or built from another content folder, are kept.
   */
  async removeOrphans(contentDir: string): Promise<string[]> {
    const removed: string[] = [];
    for (const [name, entry] of this.entries) {
      if (entry.content !== contentDir || (await exists(path.join(contentDir, entry.source)))) continue;
      for (const file of Object.keys(entry.files)) {
        await rm(path.join(this.outDir, file), { force: true });
        removed.push(file);
      }
      this.entries.delete(name);
    }
    return removed.sort();
  }

  async save(): Promise<void> {
    const data: ManifestFile = {
      format: FORMAT,
      tool: this.tool,
      entries: Object.fromEntries(this.sorted()),
      ...(this.site ? { site: this.site } : {}),
    };
    await writeAtomic(path.join(this.outDir, this.file), `${JSON.stringify(data, null, 1)}\n`);
  }

  /**
   * The site entries of every manifest in an output folder: after the folders of a
   * sharded build are merged, each shard's manifest says what it built. Null when the
   * folder holds no manifest of this tool version.
   */
  static async siteEntriesIn(outDir: string, tool: string): Promise<SiteListing[] | null> {
    const names = await manifestNames(outDir);
    const manifests = await Promise.all(names.map((name) => CacheManifest.load(outDir, tool, false, name)));
    const found = manifests.filter((m) => m.entries.size > 0);
    if (found.length === 0) return null;
    // Only entries whose files are the ones on disk: a stale manifest (a shard of an
    // earlier split, a failed job) never indexes what another build has replaced.
    const byName = new Map<string, ManifestEntry>();
    for (const m of found) {
      for (const [name, entry] of m.entries) {
        if (!byName.has(name) && (await m.fresh(name, entry.key))) byName.set(name, entry);
      }
    }
    return siteListings(outDir, [...byName].map(([name, entry]) => ({ name, entry })));
  }
}

/**
 * The site entries among these outputs, each with its large-print copy: the output named
 * exactly `<its name>.large-print` (a personal copy's name has more parts, so it never
 * matches). A sheet whose last build failed carries when, and when the sheet kept was
 * built (the PDF's modification time for a manifest of an older version).
 */
async function siteListings(outDir: string, outputs: ReadonlyArray<{ name: string; entry: ManifestEntry }>): Promise<SiteListing[]> {
  const byName = new Map(outputs.map((o) => [o.name, o.entry]));
  const listings: SiteListing[] = [];
  for (const { name, entry } of outputs) {
    if (!entry.site) continue;
    const large = byName.get(`${name}.large-print`);
    const largePrint = large && `${name}.large-print.pdf` in large.files ? { outputName: `${name}.large-print`, failed: large.failed !== undefined } : null;
    let failed: SiteListing['failed'] = null;
    if (entry.failed !== undefined) {
      const built = entry.built ?? (await stat(path.join(outDir, `${name}.pdf`)).then((s) => s.mtime.toISOString(), () => entry.failed!));
      failed = { at: entry.failed, built };
    }
    listings.push({ ...entry.site, largePrint, failed });
  }
  return listings;
}

/** What a file's stat says about its content: any write changes the size, mtime or ctime, or (a rename over it) the inode. */
function statKey(info: Stats): string {
  return `${info.size}:${info.mtimeMs}:${info.ctimeMs}:${info.ino}`;
}

export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

async function sha256File(file: string): Promise<string> {
  return sha256(await readFile(file));
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

function isEntry(value: unknown): value is ManifestEntry {
  const e = value as ManifestEntry;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof e.key === 'string' &&
    typeof e.content === 'string' &&
    typeof e.source === 'string' &&
    typeof e.pages === 'number' &&
    (e.bytes === undefined || typeof e.bytes === 'number') &&
    (e.warnings === undefined || typeof e.warnings === 'number') &&
    typeof e.files === 'object' &&
    e.files !== null &&
    Object.values(e.files).every((d) => typeof d === 'string') &&
    (e.stats === undefined || (typeof e.stats === 'object' && e.stats !== null && Object.values(e.stats).every((d) => typeof d === 'string'))) &&
    (e.library === undefined || isLibraryReferences(e.library)) &&
    (e.site === undefined || isSiteEntry(e.site)) &&
    (e.built === undefined || isDate(e.built)) &&
    (e.failed === undefined || isDate(e.failed))
  );
}

/** An ISO 8601 time as toISOString() writes it (the index shows its date). */
function isDate(value: unknown): value is string {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(value) && !Number.isNaN(Date.parse(value));
}

function isLibraryReferences(value: unknown): value is LibraryReferences {
  const r = value as LibraryReferences;
  return typeof r === 'object' && r !== null && typeof r.read === 'string' && Array.isArray(r.exercises) && r.exercises.every((id) => typeof id === 'string');
}

/** Manifests may come from merged CI artifacts: every field the index prints is checked. */
function isSiteEntry(value: unknown): value is SiteEntry {
  const site = value as Record<string, unknown>;
  const text = (k: string) => typeof site[k] === 'string';
  const textOrNull = (k: string) => site[k] === null || text(k);
  return (
    typeof site === 'object' &&
    site !== null &&
    ['locale', 'slug', 'outputName', 'title', 'languageName'].every(text) &&
    ['category', 'summary'].every(textOrNull) &&
    (site.dir === 'ltr' || site.dir === 'rtl') &&
    typeof site.thumbnail === 'boolean'
  );
}

/** The manifests in an output folder: a whole build's and each shard's. */
async function manifestNames(outDir: string): Promise<string[]> {
  try {
    return (await readdir(outDir)).filter((n) => ANY_MANIFEST.test(n)).sort();
  } catch {
    return [];
  }
}

/**
 * Whether the site index a build last wrote is still the one it would write now. The index
 * is made from the listings, the clinic's public details, and what the build fingerprint
 * covers (the templates and string catalogs, the fonts, the tool's code and dependencies);
 * making it reads every language's catalog, loads and selects the fonts and compiles the
 * templates: ~250 ms of a no-op rebuild of the benchmark, spent to write the same bytes.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { SiteClinic, SiteListing } from '../site/write-site-index.js';

/** What the manifest keeps of the index last written (build/cache-manifest.ts). */
export interface SiteRecord {
  /** siteKey() of what it was made from. */
  key: string;
  /** SHA-256 of index.html as written. */
  index: string;
  /** The font files beside it (relative to the output folder), with their sizes. */
  fonts: Record<string, number>;
}

/** Everything the index is made from; Node's version for its date formats (Intl). */
export function siteKey(fingerprint: string, entries: readonly SiteListing[], clinic: SiteClinic | null): string {
  return sha256(JSON.stringify({ fingerprint, node: process.version, entries, clinic }));
}

/**
 * The index and its fonts are still on disk as written. Font files are named by their
 * content, so one of the right size is the right font, as when the index is written.
 */
export async function siteIntact(outDir: string, record: SiteRecord): Promise<boolean> {
  const index = await readFile(path.join(outDir, 'index.html')).catch(() => null);
  if (!index || sha256(index) !== record.index) return false;
  for (const [file, bytes] of Object.entries(record.fonts)) {
    const present = await stat(path.join(outDir, file)).then((s) => s.size === bytes, () => false);
    if (!present) return false;
  }
  return true;
}

/** The record of an index just written with its fonts. */
export function siteRecord(key: string, written: { html: string; fonts: ReadonlyArray<{ file: string; bytes: Buffer }> }): SiteRecord {
  return { key, index: sha256(written.html), fonts: Object.fromEntries(written.fonts.map((f) => [f.file, f.bytes.length])) };
}

/** The same records: saving one over the other changes nothing. */
export function sameSiteRecord(a: SiteRecord | null, b: SiteRecord): boolean {
  return a !== null && a.key === b.key && a.index === b.index && JSON.stringify(a.fonts) === JSON.stringify(b.fonts);
}

const sha256 = (data: Uint8Array | string): string => createHash('sha256').update(data).digest('hex');

/** Manifests are read from disk: a record of another shape is none. */
export function isSiteRecord(value: unknown): value is SiteRecord {
  const r = value as SiteRecord;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.key === 'string' &&
    typeof r.index === 'string' &&
    typeof r.fonts === 'object' &&
    r.fonts !== null &&
    Object.values(r.fonts).every((n) => typeof n === 'number')
  );
}

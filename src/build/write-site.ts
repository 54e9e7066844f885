/**
 * Writes output/index.html: after a build, from the entries of its manifest; for
 * `handout site`, from the manifests every build (or every shard) left in the folder.
 * Beside it, fonts/ holds the font files the index uses (and no others). After a build, an
 * index that would be written the same is left as it is (site-freshness.ts).
 */
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { loadClinic } from '../config/load-clinic.js';
import { displayPath } from '../content/safe-file.js';
import { HandoutError } from '../errors.js';
import { CatalogStore } from '../i18n/load-catalog.js';
import { loadFontFamilies } from '../render/font-faces.js';
import { resolveClinic } from '../resolve/resolve-clinic.js';
import { SITE_FONTS_DIR, siteIndexHtml, type SiteClinic, type SiteListing, type SiteOptions } from '../site/write-site-index.js';
import { TOOL_VERSION } from '../version.js';
import { CacheManifest } from './cache-manifest.js';
import { siteIntact, siteKey, siteRecord, type SiteRecord } from './site-freshness.js';
import { writeAtomic } from './write-atomic.js';

export interface SiteWriteOptions {
  catalogs?: CatalogStore;
  /** The content folder whose clinic.yaml brands the index (name, logo, accent, contact). */
  contentDir?: string | null;
}

/** Writes the index for these entries; returns its path. */
export async function writeSiteIndex(outDir: string, templatesDir: string, entries: readonly SiteListing[], options: SiteWriteOptions = {}): Promise<string> {
  const [clinic, families] = await Promise.all([siteClinic(options.contentDir ?? null), loadFontFamilies(templatesDir)]);
  return (await writeIndex(outDir, templatesDir, entries, { catalogs: options.catalogs ?? new CatalogStore(templatesDir), clinic, families })).file;
}

/**
 * After a build: writes the index unless the one written last (`last`, from the manifest) is
 * still on disk and would be written the same (site-freshness.ts). Returns its path and the
 * record of it for the manifest.
 */
export async function updateSiteIndex(
  outDir: string,
  templatesDir: string,
  entries: readonly SiteListing[],
  options: SiteWriteOptions & { fingerprint: string; last: SiteRecord | null },
): Promise<{ file: string; record: SiteRecord }> {
  const clinic = await siteClinic(options.contentDir ?? null);
  const key = siteKey(options.fingerprint, entries, clinic);
  if (options.last?.key === key && (await siteIntact(outDir, options.last))) {
    // As a written index does: fonts of an earlier index that this one does not use go.
    await removeUnusedFonts(outDir, new Set(Object.keys(options.last.fonts).map((f) => path.basename(f))));
    return { file: path.join(outDir, 'index.html'), record: options.last };
  }
  const families = await loadFontFamilies(templatesDir);
  const written = await writeIndex(outDir, templatesDir, entries, { catalogs: options.catalogs ?? new CatalogStore(templatesDir), clinic, families });
  return { file: written.file, record: siteRecord(key, written) };
}

/** Writes index.html and the fonts it uses beside it, and removes the fonts it no longer uses. */
async function writeIndex(outDir: string, templatesDir: string, entries: readonly SiteListing[], options: Required<SiteOptions>) {
  const file = path.join(outDir, 'index.html');
  const site = await siteIndexHtml(templatesDir, entries, options);
  // Font files are named by their content: one already there is the same font.
  for (const font of site.fonts) {
    const target = path.join(outDir, font.file);
    const present = await stat(target).then((s) => s.size === font.bytes.length, () => false);
    if (!present) await writeAtomic(target, font.bytes);
  }
  await writeAtomic(file, site.html);
  await removeUnusedFonts(outDir, new Set(site.fonts.map((f) => path.basename(f.file))));
  return { file, ...site };
}

/** Fonts an earlier index used and this one does not (only files named as the index names them). */
async function removeUnusedFonts(outDir: string, used: ReadonlySet<string>): Promise<void> {
  const dir = path.join(outDir, SITE_FONTS_DIR);
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    if (/^[0-9a-f]{24}\.woff2$/.test(name) && !used.has(name)) await rm(path.join(dir, name), { force: true });
  }
}

/**
 * The clinic's public details from its clinic.yaml, the logo read and checked as for the
 * sheets (inside the content folder, a real image). None when there is no clinic.yaml or
 * it does not load: the build has reported that already, and the index is still written.
 */
async function siteClinic(contentDir: string | null): Promise<SiteClinic | null> {
  if (!contentDir) return null;
  try {
    const loaded = await loadClinic(path.resolve(contentDir));
    const clinic = await resolveClinic(loaded.clinic, path.resolve(contentDir));
    if (!clinic) return null;
    return {
      name: clinic.name,
      logo: clinic.logo,
      address: clinic.address,
      phone: clinic.phone,
      email: clinic.email,
      website: clinic.website,
      accent: clinic.accent,
      language: clinic.language,
    };
  } catch {
    return null;
  }
}

/**
 * `handout site`: the index over everything an output folder holds, from the manifests
 * of the builds that wrote it (several, after the folders of a sharded build are merged).
 */
export async function writeSiteFromOutput(outDir: string, templatesDir: string, contentDir: string | null = null): Promise<{ file: string; handouts: number; failed: number }> {
  const out = path.resolve(outDir);
  const entries = await CacheManifest.siteEntriesIn(out, TOOL_VERSION);
  if (!entries) {
    throw new HandoutError('NO_CONTENT', 'noneBuilt', {}, { where: { file: displayPath(out) } });
  }
  const file = await writeSiteIndex(out, path.resolve(templatesDir), entries, { contentDir });
  return { file: displayPath(file), handouts: entries.length, failed: entries.filter((e) => e.failed).length };
}

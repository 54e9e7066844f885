/**
 * Writes output/index.html: after a build, from the entries of its manifest; for
 * `handout site`, from the manifests every build (or every shard) left in the folder.
 */
import path from 'node:path';
import { displayPath } from '../content/safe-file.js';
import { HandoutError } from '../errors.js';
import { CatalogStore } from '../i18n/load-catalog.js';
import { siteIndexHtml, type SiteEntry } from '../site/write-site-index.js';
import { TOOL_VERSION } from '../version.js';
import { CacheManifest } from './cache-manifest.js';
import { writeAtomic } from './write-atomic.js';

/** Writes the index for these entries; returns its path. */
export async function writeSiteIndex(outDir: string, templatesDir: string, entries: readonly SiteEntry[], catalogs = new CatalogStore(templatesDir)): Promise<string> {
  const file = path.join(outDir, 'index.html');
  await writeAtomic(file, await siteIndexHtml(templatesDir, entries, catalogs));
  return file;
}

/**
 * `handout site`: the index over everything an output folder holds, from the manifests
 * of the builds that wrote it (several, after the folders of a sharded build are merged).
 */
export async function writeSiteFromOutput(outDir: string, templatesDir: string): Promise<{ file: string; handouts: number }> {
  const out = path.resolve(outDir);
  const entries = await CacheManifest.siteEntriesIn(out, TOOL_VERSION);
  if (!entries) {
    throw new HandoutError('NO_CONTENT', "no handouts built by this version of handout here (no .handout-cache*.json)", {
      where: { file: displayPath(out) },
      hint: 'Run `handout build` (or each `handout build --shard k/n`) into this folder first, with the same version of handout.',
    });
  }
  const file = await writeSiteIndex(out, path.resolve(templatesDir), entries);
  return { file: displayPath(file), handouts: entries.length };
}


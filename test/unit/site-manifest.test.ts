/**
 * What the manifest tells the site index: a manifest written before it kept build dates
 * still loads; a failed rebuild marks the entry (dated by the PDF when the manifest does
 * not say when it was built); the large-print copy is the output named exactly
 * <name>.large-print, never a personal copy.
 */
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { CacheManifest, MANIFEST_FILE, sha256 } from '../../src/build/cache-manifest.js';

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

const site = (outputName: string) => ({
  locale: 'en',
  slug: 'pelvic-tilt',
  outputName,
  title: 'Pelvic Tilt',
  category: null,
  summary: null,
  languageName: 'English',
  dir: 'ltr',
  thumbnail: false,
});

/** An output folder with these outputs' PDFs and a manifest of the format before build dates. */
async function folder(names: string[]): Promise<string> {
  const out = await mkdtemp(path.join(os.tmpdir(), 'handout-manifest-'));
  dirs.push(out);
  await mkdir(path.join(out, 'en'));
  const entries: Record<string, unknown> = {};
  for (const name of names) {
    const pdf = `${name}.pdf`;
    await writeFile(path.join(out, pdf), name);
    entries[name] = {
      key: `key-${name}`,
      content: '/clinic/content',
      source: 'en/pelvic-tilt.yaml',
      files: { [pdf]: sha256(name) },
      pages: 1,
      ...(name.includes('.') || name.includes('--') ? {} : { site: site(name) }),
    };
  }
  await writeFile(path.join(out, MANIFEST_FILE), JSON.stringify({ format: 1, tool: 'test', entries }));
  return out;
}

it('loads a manifest written before build dates, and lists its large-print copy but never a personal copy', async () => {
  const out = await folder(['en/pelvic-tilt', 'en/pelvic-tilt.large-print', 'en/pelvic-tilt--jane-doe', 'en/pelvic-tilt--jane-doe.large-print']);
  const manifest = await CacheManifest.load(out, 'test', false);
  expect(await manifest.fresh('en/pelvic-tilt', 'key-en/pelvic-tilt')).not.toBeNull();
  const listings = await manifest.siteEntries();
  expect(listings).toEqual([{ ...site('en/pelvic-tilt'), largePrint: { outputName: 'en/pelvic-tilt.large-print', failed: false }, failed: null }]);
});

it('marks a failed rebuild (dated by the PDF without a build date), only for its own content folder, and clears it', async () => {
  const out = await folder(['en/pelvic-tilt']);
  const when = new Date('2026-11-02T10:00:00Z');
  await utimes(path.join(out, 'en/pelvic-tilt.pdf'), when, when);
  const manifest = await CacheManifest.load(out, 'test', false);
  expect(manifest.markFailed('en/pelvic-tilt', '/other/content', 'en/pelvic-tilt.yaml')).toBeNull();
  expect(manifest.marked).toBe(false);
  expect(manifest.markFailed('en/pelvic-tilt', '/clinic/content', 'en/pelvic-tilt.yaml', new Date('2026-12-01T08:00:00Z'))).not.toBeNull();
  await manifest.save();
  const again = await CacheManifest.load(out, 'test', false);
  expect((await again.siteEntries())[0]!.failed).toEqual({ at: '2026-12-01T08:00:00.000Z', built: when.toISOString() });
  expect((await CacheManifest.siteEntriesIn(out, 'test'))![0]!.failed).toEqual({ at: '2026-12-01T08:00:00.000Z', built: when.toISOString() });
  again.clearFailed('en/pelvic-tilt');
  expect(again.marked).toBe(true);
  expect((await again.siteEntries())[0]!.failed).toBeNull();
});

it('drops an entry whose build date is not a date (a hand-edited or foreign manifest): a rebuild, never a crash', async () => {
  const out = await folder(['en/pelvic-tilt']);
  const file = path.join(out, MANIFEST_FILE);
  const data = JSON.parse(await (await import('node:fs/promises')).readFile(file, 'utf8'));
  data.entries['en/pelvic-tilt'].failed = '<script>';
  await writeFile(file, JSON.stringify(data));
  expect(await (await CacheManifest.load(out, 'test', false)).siteEntries()).toEqual([]);
});

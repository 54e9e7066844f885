/**
 * What the report says of a cached PDF comes from the cache manifest: its pages, bytes and
 * SHA-256 as when it was built. A manifest written before the PDF's size was recorded
 * still loads, and its entries report the size from the stat that fresh() checked.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CacheManifest, MANIFEST_FILE } from '../../src/build/cache-manifest.js';

const TOOL = 'handout@test';
let out: string;
const pdf = Buffer.from('%PDF-1.7 a small stand-in for a printed sheet\n%%EOF\n');
const html = '<!doctype html><title>Knee hug</title>';
const sha = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

beforeAll(async () => {
  out = await mkdtemp(path.join(os.tmpdir(), 'handout-manifest-'));
  await mkdir(path.join(out, 'en'));
  await writeFile(path.join(out, 'en/knee-hug.pdf'), pdf);
  await writeFile(path.join(out, 'en/knee-hug.html'), html);
});
afterAll(() => rm(out, { recursive: true, force: true }));

/** A manifest as an earlier version wrote it: no bytes, no warnings, maybe no stats. */
async function writeOldManifest(extra: Record<string, unknown> = {}): Promise<void> {
  const entry = {
    key: 'k1',
    content: '/clinic/content',
    source: 'en/knee-hug.yaml',
    files: { 'en/knee-hug.pdf': sha(pdf), 'en/knee-hug.html': sha(html) },
    pages: 1,
    ...extra,
  };
  await writeFile(path.join(out, MANIFEST_FILE), JSON.stringify({ format: 1, tool: TOOL, entries: { 'en/knee-hug': entry } }));
}

describe('the cache manifest as the report reads it', () => {
  it('loads an older manifest, and gives its cached PDF pages, bytes and hash from the checked files', async () => {
    await writeOldManifest();
    const manifest = await CacheManifest.load(out, TOOL, false);
    const entry = await manifest.fresh('en/knee-hug', 'k1');
    expect(entry).not.toBeNull();
    expect(entry!.bytes).toBeUndefined();
    expect(CacheManifest.pdfFacts('en/knee-hug', entry!)).toEqual({ pages: 1, bytes: pdf.length, sha256: sha(pdf) });
  });

  it('prefers the size it recorded when the PDF was written', async () => {
    await writeOldManifest({ bytes: 12345, warnings: 0 });
    const manifest = await CacheManifest.load(out, TOOL, false);
    const entry = await manifest.fresh('en/knee-hug', 'k1');
    expect(entry).toMatchObject({ bytes: 12345, warnings: 0 });
    expect(CacheManifest.pdfFacts('en/knee-hug', entry!)).toEqual({ pages: 1, bytes: 12345, sha256: sha(pdf) });
  });

  it('drops an entry whose new fields are of the wrong kind (a full rebuild of it), keeping the file readable', async () => {
    await writeOldManifest({ bytes: 'big' });
    const manifest = await CacheManifest.load(out, TOOL, false);
    expect(await manifest.fresh('en/knee-hug', 'k1')).toBeNull();
  });

  it('records the size and warnings of what it writes', async () => {
    const manifest = await CacheManifest.load(out, TOOL, false);
    await manifest.record('en/knee-hug', {
      key: 'k2',
      content: '/clinic/content',
      source: 'en/knee-hug.yaml',
      files: { 'en/knee-hug.pdf': sha(pdf) },
      pages: 1,
      bytes: pdf.length,
      warnings: 2,
    });
    const entry = await manifest.fresh('en/knee-hug', 'k2');
    expect(entry).toMatchObject({ bytes: pdf.length, warnings: 2 });
    expect(entry!.stats!['en/knee-hug.pdf']).toMatch(new RegExp(`^${(await stat(path.join(out, 'en/knee-hug.pdf'))).size}:`));
  });
});

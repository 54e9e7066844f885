import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { writeSiteIndex } from '../../src/build/write-site.js';
import type { SiteEntry } from '../../src/site/write-site-index.js';

const TEMPLATES = path.resolve('templates');
const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

const entry = (slug: string, locale = 'en'): SiteEntry => ({
  locale,
  slug,
  outputName: `${locale}/${slug}`,
  title: 'Cat-cow stretch',
  category: 'Back',
  summary: null,
  languageName: locale === 'en' ? 'English' : 'Deutsch',
  dir: 'ltr',
  thumbnail: true,
});

async function indexOf(entries: SiteEntry[]): Promise<string> {
  const out = await mkdtemp(path.join(os.tmpdir(), 'handout-site-'));
  dirs.push(out);
  return readFile(await writeSiteIndex(out, TEMPLATES, entries), 'utf8');
}

// Builds finish documents in whatever order the printer frees up; the index must not show it.
it('writes the same index whatever order same-titled handouts were built in', async () => {
  const entries = [entry('cat-cow'), entry('cat-cow-copy'), entry('cat-cow', 'de'), entry('cat-cow-copy', 'de')];
  const forward = await indexOf(entries);
  const backward = await indexOf([...entries].reverse());
  expect(backward).toBe(forward);
  expect(forward.indexOf('en/cat-cow.pdf')).toBeLessThan(forward.indexOf('en/cat-cow-copy.pdf'));
});

/**
 * `--shard k/n` for a CI matrix: the parts are disjoint, together they are exactly a full
 * build (byte for byte), and `handout site` over the merged folders lists everything.
 */
import { createHash } from 'node:crypto';
import { cp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyInto, CONTENT, removeDir, runCli, tempDir } from '../helpers/cli.js';

// Three locales keep it quick: 8 handouts, so shards of 3, 3 and 2.
const LOCALES = ['--locale', 'en', 'es', 'fr'];
const env = { SOURCE_DATE_EPOCH: '1767225600' };
let dir: string;

beforeAll(async () => {
  dir = await tempDir();
});
afterAll(() => removeDir(dir));

/** Every PDF, HTML page and thumbnail below a folder, with its SHA-256. */
const hashes = async (out: string): Promise<Record<string, string>> => {
  const files = (await readdir(out, { recursive: true })).filter((f) => /^[^/]+\/[^/]+\.(pdf|html|png)$/.test(f)).sort();
  return Object.fromEntries(await Promise.all(files.map(async (f) => [f, createHash('sha256').update(await readFile(path.join(out, f))).digest('hex')] as const)));
};

const siteLinks = async (out: string) =>
  [...(await readFile(path.join(out, 'index.html'), 'utf8')).matchAll(/href="([^"#]+)"/g)].map((m) => m[1]).sort();

describe('--shard k/n', () => {
  it('builds disjoint, even parts whose union is exactly the full build, and `handout site` indexes the merged folder', async () => {
    const full = path.join(dir, 'full');
    const fullRun = await runCli(['build', ...LOCALES, '--out', full], { env });
    expect(fullRun.code, fullRun.stderr).toBe(0);
    const expected = await hashes(full);

    const merged = path.join(dir, 'merged');
    const seen = new Map<string, string>();
    const sizes: number[] = [];
    for (const k of [1, 2, 3]) {
      const out = path.join(dir, `shard-${k}`);
      const run = await runCli(['build', ...LOCALES, '--shard', `${k}/3`, '--out', out], { env });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain(`shard ${k}/3: no site index`);
      const files = await hashes(out);
      sizes.push(Object.keys(files).filter((f) => f.endsWith('.pdf')).length);
      for (const [file, hash] of Object.entries(files)) {
        expect(seen.has(file), `${file} built by two shards`).toBe(false);
        seen.set(file, hash);
      }
      await cp(out, merged, { recursive: true }); // as a CI job downloads every shard's artifact
    }
    expect(Object.fromEntries([...seen].sort())).toEqual(expected);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    expect(Math.min(...sizes)).toBeGreaterThan(0);

    const site = await runCli(['site', '--out', merged]);
    expect(site.code, site.stderr).toBe(0);
    expect(site.stdout).toMatch(/site: .*index\.html \(18 handouts\)/);
    expect(await siteLinks(merged)).toEqual(await siteLinks(full));
  });

  it('is incremental per shard: a second run of the same shard rebuilds nothing', async () => {
    const out = path.join(dir, 'shard-2');
    const run = await runCli(['build', ...LOCALES, '--shard', '2/3', '--out', out], { env });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^0 passed, 0 failed, 6 skipped \(cached\)/m);
  });

  it('keeps each shard folder to its own outputs when handouts move between shards, so merged folders index the current pages', async () => {
    const content = await copyInto(path.join(CONTENT), path.join(dir, 'moving/content'));
    const shardOut = (k: number) => path.join(dir, `moving/shard-${k}`);
    const buildShards = async () => {
      for (const k of [1, 2]) {
        const run = await runCli(['build', '--content', content, '--locale', 'en', '--shard', `${k}/2`, '--out', shardOut(k)], { env });
        expect(run.code, run.stderr).toBe(0);
      }
    };
    const mergeAndIndex = async () => {
      const merged = path.join(dir, 'moving/merged');
      await rm(merged, { recursive: true, force: true });
      for (const k of [1, 2]) await cp(shardOut(k), merged, { recursive: true });
      const site = await runCli(['site', '--out', merged]);
      expect(site.code, site.stderr).toBe(0);
      return merged;
    };
    await buildShards();
    // A new first handout moves every other one to the other shard.
    await cp(path.join(content, 'en/pelvic-tilt.yaml'), path.join(content, 'en/aaa-first.yaml'));
    const pelvic = path.join(content, 'en/pelvic-tilt.yaml');
    await writeFile(pelvic, (await readFile(pelvic, 'utf8')).replace(/^title: .*$/m, 'title: Pelvic Tilt Renamed'));
    await buildShards();
    const pdfsIn = async (k: number) => Object.keys(await hashes(shardOut(k))).filter((f) => f.endsWith('.pdf'));
    const [one, two] = [await pdfsIn(1), await pdfsIn(2)];
    expect(one.filter((f) => two.includes(f))).toEqual([]); // no stale copy left behind in either folder
    expect([...one, ...two].sort()).toHaveLength(7);
    const merged = await mergeAndIndex();
    const index = await readFile(path.join(merged, 'index.html'), 'utf8');
    expect(index).toContain('Pelvic Tilt Renamed');
    expect((await readFile(path.join(merged, 'en/pelvic-tilt.html'), 'utf8'))).toContain('Pelvic Tilt Renamed');
    expect([...new Set([...index.matchAll(/href="(en\/[^"]+\.pdf)"/g)].map((m) => m[1]))]).toHaveLength(7);
  });

  it('refuses a shard that does not exist, as a usage error', async () => {
    for (const bad of ['0/3', '4/3', '2', 'a/b']) {
      const run = await runCli(['build', '--shard', bad, '--out', path.join(dir, 'never')]);
      expect(run.code, bad).toBe(2);
      expect(run.stderr).toMatch(/expected k\/n with 1 ≤ k ≤ n/);
    }
  });
});

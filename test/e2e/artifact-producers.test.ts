/**
 * Outputs are data (src/build/artifacts.ts): a new output format is one producer, and the
 * build writes it, records it in the manifest, reports it, keeps it while it is current and
 * removes it with its handout, with no change to the orchestrator. Registered here: a plain
 * text version of each sheet, read from the verified page's own text.
 */
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACT_PRODUCERS, type ArtifactProducer } from '../../src/build/artifacts.js';
import { buildHandouts, type BuildOptions, type BuildResult } from '../../src/build/build-handouts.js';
import { CONTENT, copyInto, removeDir, tempDir, TEMPLATES } from '../helpers/cli.js';

const plainText: ArtifactProducer = { kind: 'text', extension: '.txt', produce: (verified) => verified.page.text };

describe('an output format registered as one artifact producer', () => {
  let dir: string;
  let options: BuildOptions;
  let first: BuildResult;

  beforeAll(async () => {
    dir = await tempDir('handout-artifacts-');
    const content = path.join(dir, 'content');
    await copyInto(CONTENT, content);
    options = {
      contentDir: content,
      templatesDir: TEMPLATES,
      outDir: path.join(dir, 'output'),
      locales: ['en'],
      only: ['knee-to-chest', 'glute-bridge'],
      artifacts: [...ARTIFACT_PRODUCERS, plainText],
    };
    first = await buildHandouts(options);
  }, 120_000);
  afterAll(() => removeDir(dir));

  it('is written beside the PDF and HTML, and reported by kind', async () => {
    expect(first.failed).toBe(0);
    for (const document of first.documents) {
      expect(Object.keys(document.outputs!)).toEqual(['pdf', 'html', 'thumbnail', 'text']);
      const text = await readFile(document.outputs!.text!, 'utf8');
      expect(text).toContain(document.slug === 'knee-to-chest' ? 'Knee to Chest' : 'Glute Bridge');
    }
  });

  it('is recorded in the manifest with its hash', async () => {
    const manifest = JSON.parse(await readFile(path.join(dir, 'output', '.handout-cache.json'), 'utf8')) as { entries: Record<string, { files: Record<string, string> }> };
    expect(Object.keys(manifest.entries['en/knee-to-chest']!.files)).toContain('en/knee-to-chest.txt');
  });

  it('is kept by a rebuild that prints nothing, and reported again', async () => {
    const again = await buildHandouts(options);
    expect(again.documents.every((d) => d.cached)).toBe(true);
    expect(again.documents.map((d) => d.outputs!.text)).toEqual(first.documents.map((d) => d.outputs!.text));
  });

  it('is removed when a build no longer makes it, and with its handout', async () => {
    const without = await buildHandouts({ ...options, artifacts: undefined, only: ['knee-to-chest'] });
    expect(without.documents[0]!.cached).toBe(false);
    expect(without.documents[0]!.outputs!.text).toBeUndefined();
    expect(existsSync(path.join(dir, 'output', 'en', 'knee-to-chest.txt'))).toBe(false);
    await rm(path.join(dir, 'content', 'en', 'glute-bridge.yaml'));
    await buildHandouts({ ...options, only: undefined });
    expect(existsSync(path.join(dir, 'output', 'en', 'glute-bridge.txt'))).toBe(false);
  }, 120_000);
});

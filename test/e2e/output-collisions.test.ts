/**
 * Two inputs never share an output file: where they would, the second is an error naming
 * both, never a silent overwrite. The ways there were: a copy filled in with only the
 * clinician took the blank sheet's name; a slug with "--" could take the name of another
 * handout's personal copy; two content folders built into one output folder could both
 * have en/knee-hug.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyInto, FIXTURES, listFiles, removeDir, runCli, tempDir } from '../helpers/cli.js';
import { pdfText, squash } from '../helpers/pdf.js';

describe('output names never collide', () => {
  let dir: string;
  const build = (...args: string[]) => runCli(['build', '--out', 'out', '--only', 'knee-hug', ...args], { cwd: dir });
  const blank = () => readFile(path.join(dir, 'out/en/knee-hug.pdf'));

  beforeAll(async () => {
    dir = await tempDir();
    await copyInto(path.join(FIXTURES, 'other-clinic'), path.join(dir, 'content'));
    await copyInto(path.join(FIXTURES, 'other-clinic'), path.join(dir, 'other'));
    // Another clinic's knee hug: the same name, different content (identical content would just be cached).
    const other = path.join(dir, 'other/en/knee-hug.yaml');
    await writeFile(other, (await readFile(other, 'utf8')).replace(/^title: .*$/m, 'title: Knee hug, the other clinic’s'));
    const run = await build('--content', 'content');
    expect(run.code).toBe(0);
  });
  afterAll(() => removeDir(dir));

  it('a copy with only the clinician filled in is a personal copy: private, never over the blank sheet', async () => {
    const before = await blank();
    const run = await build('--content', 'content', '--clinician', 'Sam Lee, PT');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('→ private/en/knee-hug--by-sam-lee-pt.pdf');
    expect((await blank()).equals(before)).toBe(true);
    expect(squash(pdfText(path.join(dir, 'private/en/knee-hug--by-sam-lee-pt.pdf')))).toContain(squash('Sam Lee, PT'));
    expect(squash(pdfText(path.join(dir, 'out/en/knee-hug.pdf')))).not.toContain(squash('Sam Lee'));
  });

  it('refuses a slug with "--", which could be the name of another handout\'s personal copy', async () => {
    await writeFile(path.join(dir, 'other/en/knee-hug--jane-doe.yaml'), await readFile(path.join(dir, 'other/en/pelvic-tilt.yaml')));
    try {
      const run = await runCli(['check', '--content', 'other'], { cwd: dir });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('✗ other/en/knee-hug--jane-doe.yaml: "knee-hug--jane-doe.yaml" contains "--", which is reserved for the names of personal copies [BAD_NAME]');
      expect(run.stderr).toContain('hint: Use single dashes, e.g. knee-hug-jane-doe.yaml');
    } finally {
      await removeDir(path.join(dir, 'other/en/knee-hug--jane-doe.yaml'));
    }
  });

  it('refuses to build a second content folder\'s handout over the first one\'s, naming both, also with --force', async () => {
    const before = await blank();
    for (const flags of [[], ['--force']]) {
      const run = await build('--content', 'other', ...flags);
      expect(run.code, flags.join(' ')).toBe(1);
      expect(run.stderr).toContain(
        '✗ other/en/knee-hug.yaml: out/en/knee-hug.pdf is the output of content/en/knee-hug.yaml, a handout of another content folder; building other/en/knee-hug.yaml would overwrite it [OUTPUT_COLLISION]',
      );
      expect(run.stderr).toContain('hint: Two handouts would be written to the same file');
      expect((await blank()).equals(before)).toBe(true);
    }
    // The first folder's other outputs are still listed as its own (nothing was forgotten).
    expect(await listFiles(path.join(dir, 'out'))).toContain('en/knee-hug.pdf');
  });

  it('lets a content folder take over the outputs of one that was moved away', async () => {
    await rename(path.join(dir, 'content'), path.join(dir, 'moved'));
    const run = await build('--content', 'other');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/1 passed, 0 failed/);
  });
});

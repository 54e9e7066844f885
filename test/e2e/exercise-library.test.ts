/**
 * The exercise library through the real CLI: handouts that reference
 * content/exercises/<locale>/<id>.yaml print its text; editing that file rebuilds exactly
 * the sheets that use it (and editing an exercise nobody uses rebuilds none); an unknown id
 * and a broken library file fail exactly the handouts concerned, at their positions, in
 * build and in check (with and without --no-print).
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyInto, FIXTURES, removeDir, runCli, tempDir, ROOT } from '../helpers/cli.js';
import { pdfText, squash } from '../helpers/pdf.js';

const summary = (stdout: string) => /^(\d+) passed, (\d+) failed(?:, (\d+) skipped \(cached\))?/m.exec(stdout)?.slice(1, 4).map((n) => Number(n ?? 0));

const KNEE_HUG = `# yaml-language-server: $schema=../../../schema/exercise.schema.json
name: Single knee hug
illustration: knee-hug
illustration_alt: A person lies on their back and hugs one knee.
steps:
  - Lie on your back with both knees bent.
  - Bring one knee towards your chest and hold it with both hands.
  - Lower it slowly and change sides.
hold_seconds: 20
repeat: 3 times each side
caution: Keep your head resting on the floor.
region: back
tags: [stretch, lying]
`;

const handout = (title: string, exercises: string) => `title: ${title}
warning:
  title: Go gently
  text: Move slowly and stay within a comfortable range.
exercises:
${exercises}`;

describe('the exercise library', () => {
  let dir: string;
  const content = (rel: string) => path.join(dir, 'content', rel);
  const out = (rel: string) => path.join(dir, 'out', rel);
  const build = (...args: string[]) => runCli(['build', '--content', 'content', '--out', 'out', ...args], { cwd: dir, env: { SOURCE_DATE_EPOCH: '1767225600' } });

  beforeAll(async () => {
    dir = await tempDir();
    await copyInto(path.join(FIXTURES, 'other-clinic', 'illustrations'), content('illustrations'));
    await mkdir(content('en'), { recursive: true });
    await mkdir(content('exercises/en'), { recursive: true });
    await writeFile(content('exercises/en/knee-hug.yaml'), KNEE_HUG);
    await writeFile(content('exercises/en/unused.yaml'), KNEE_HUG.replace('Single knee hug', 'Not used by any handout'));
    // Two handouts use the library's knee hug, one with its own dose; the third writes its exercise inline.
    await writeFile(content('en/morning.yaml'), handout('Morning stretch', '  - exercise: knee-hug\n'));
    await writeFile(content('en/evening.yaml'), handout('Evening stretch', '  - exercise: knee-hug\n    hold_seconds: [30, 45]\n    repeat: Twice each side\n'));
    const inline = await readFile(path.join(FIXTURES, 'other-clinic', 'en', 'knee-hug.yaml'), 'utf8');
    await writeFile(content('en/inline.yaml'), inline);
  });
  afterAll(() => removeDir(dir));

  it("prints the library's exercise with each handout's own dose", async () => {
    const run = await build();
    expect(run.stderr).toBe('');
    expect(summary(run.stdout)).toEqual([3, 0, 0]);
    const morning = squash(pdfText(out('en/morning.pdf')));
    expect(morning).toContain(squash('Bring one knee towards your chest and hold it with both hands.'));
    expect(morning).toContain(squash('Hold 20 seconds'));
    expect(morning).toContain(squash('3 times each side'));
    const evening = squash(pdfText(out('en/evening.pdf')));
    expect(evening).toContain(squash('Bring one knee towards your chest and hold it with both hands.'));
    expect(evening).toContain(squash('Hold 30–45 seconds'));
    expect(evening).toContain(squash('Twice each side'));
    expect(evening).not.toContain(squash('3 times each side'));
  });

  it('rebuilds exactly the sheets that use a changed exercise, with its new text', async () => {
    expect(summary((await build()).stdout)).toEqual([0, 0, 3]);
    const file = content('exercises/en/knee-hug.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('Lower it slowly and change sides.', 'Lower it very slowly, then change sides.'));
    const run = await build();
    expect(run.stderr).toBe('');
    expect(summary(run.stdout)).toEqual([2, 0, 1]);
    expect(run.stdout).toContain('en/morning built');
    expect(run.stdout).toContain('en/evening built');
    expect(run.stdout).not.toContain('en/inline built');
    for (const sheet of ['morning', 'evening']) {
      const text = squash(pdfText(out(`en/${sheet}.pdf`)));
      expect(text, sheet).toContain(squash('Lower it very slowly, then change sides.'));
      expect(text, sheet).not.toContain(squash('Lower it slowly and change sides.'));
    }
  });

  it('rebuilds nothing for an exercise that no handout uses', async () => {
    const file = content('exercises/en/unused.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('Not used', 'Still not used'));
    expect(summary((await build()).stdout)).toEqual([0, 0, 3]);
  });

  it('fails a handout with an unknown id at its position, saying what it may have meant, and builds the others', async () => {
    await writeFile(content('en/typo.yaml'), handout('Typo', '  - exercise: knee-hgu\n'));
    try {
      for (const run of [await build(), await runCli(['check', '--no-print', '--content', 'content'], { cwd: dir }), await runCli(['check', '--content', 'content'], { cwd: dir })]) {
        expect(run.code).toBe(1);
        expect(run.stderr).toContain(
          '✗ content/en/typo.yaml:6:15: unknown exercise "knee-hgu" (no content/exercises/en/knee-hgu.yaml); did you mean "knee-hug"? [UNKNOWN_EXERCISE]',
        );
        expect(run.stderr).toContain('hint: Add the exercise to the library as content/exercises/en/knee-hgu.yaml');
        expect(run.stderr).toContain('The library has, for en: knee-hug, unused.');
        expect(run.stderr).not.toMatch(/✗ content\/en\/(morning|evening|inline)/);
      }
    } finally {
      await rm(content('en/typo.yaml'));
    }
  });

  it('fails every handout that uses a broken library file, at the line in that file, and only those', async () => {
    const file = content('exercises/en/knee-hug.yaml');
    const good = await readFile(file, 'utf8');
    await writeFile(file, good.replace('hold_seconds: 20', 'hold_seconds: twenty'));
    try {
      const error = 'content/exercises/en/knee-hug.yaml:9:15: hold_seconds: expected a number of seconds or a range [min, max], got the text "twenty"';
      for (const run of [await build(), await runCli(['check', '--no-print', '--content', 'content'], { cwd: dir })]) {
        expect(run.code).toBe(1);
        expect(run.stderr.split('\n').filter((l) => l.startsWith('✗')).sort()).toEqual([
          `✗ ${error} (in the library exercise that content/en/evening.yaml uses as exercises[0]) [SCHEMA]`,
          `✗ ${error} (in the library exercise that content/en/morning.yaml uses as exercises[0]) [SCHEMA]`,
        ]);
        expect(run.stderr).toContain('hint: See `handout schema exercise` for the fields of a library exercise.');
      }
      // The good sheet is still current, the others keep their last good PDF.
      const again = await build();
      expect(again.stdout).not.toContain('en/inline built');
    } finally {
      await writeFile(file, good);
    }
    // Put back as it was: the sheets last built from it are current again.
    expect(summary((await build()).stdout)).toEqual([0, 0, 3]);
  });

  it('gives editors the JSON Schema of a library file: handout schema exercise', async () => {
    const run = await runCli(['schema', 'exercise']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(JSON.parse(await readFile(path.join(ROOT, 'schema/exercise.schema.json'), 'utf8')));
  });
});

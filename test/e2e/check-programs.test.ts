/**
 * `handout check` prints each saved program's sheet and reads it back, as it does the
 * handouts: a program too long for one page is told in CI, not at the desk when a patient
 * is waiting. It still prints with --split, so it is a warning, and a failure with --strict.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT, copyInto, removeDir, runCli, tempDir } from '../helpers/cli.js';

describe('handout check and the saved programs', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await tempDir('handout-check-programs-');
    await copyInto(CONTENT, path.join(dir, 'content'));
    // Every exercise of the library on one sheet: a clinic's "everything we have" program.
    const ids = ['cat-cow', 'childs-pose', 'double-knee-to-chest', 'glute-bridge', 'knee-to-chest', 'pelvic-tilt', 'supine-spinal-twist'];
    await writeFile(path.join(dir, 'content', 'programs', 'en', 'whole-library.yaml'), `title: Every stretch we have\nexercises:\n${ids.map((id) => `  - exercise: ${id}\n`).join('')}`);
  });
  afterAll(() => removeDir(dir));

  it('prints each one: the shipped program fits, one too long is a warning that names --split', async () => {
    const run = await runCli(['check', '--locale', 'en'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('✓ en/low-back-week-1 ok');
    expect(run.stderr).toMatch(/^⚠ content\/programs\/en\/whole-library\.yaml: does not fit on one Letter page: about \d+ lines too long even at 12 pt in the most compact layout; longest parts: .*: `handout program` prints this saved program only with --split \[NOT_ONE_PAGE\]$/m);
    expect(run.stderr).toContain('hint: Shorten the program (fewer exercises, shorter notes) to print it on one sheet, or print it with --split');
    expect(run.stderr).not.toContain('low-back-week-1');
  });

  it('fails on it with --strict, and leaves it alone with --no-print', async () => {
    const strict = await runCli(['check', '--locale', 'en', '--strict'], { cwd: dir });
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/^✗ content\/programs\/en\/whole-library\.yaml: does not fit on one Letter page/m);
    const fields = await runCli(['check', '--locale', 'en', '--strict', '--no-print'], { cwd: dir });
    expect(fields.code, fields.stderr).toBe(0);
    expect(fields.stderr).not.toContain('whole-library');
  });
});

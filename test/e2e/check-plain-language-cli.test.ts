/**
 * `handout check --no-print` on a sheet written the way a clinic pastes from Word: the
 * real CLI (dist/cli.js, run `npm run compile` first) prints the reading grade and each
 * plain-language finding at its file:line:col with a hint, exits 0, fails with --strict,
 * and --report writes the grades and findings. No browser.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, runCli, tempDir } from '../helpers/cli.js';

// Line by line as the clinic wrote it: a step pasted with its number, a zero-width space
// (after "breathe"), a sentence of 30 words and a step in capitals.
const PASTED = [
  'title: Knee bends', // 1
  'warning:', // 2
  '  title: Go gently', // 3
  '  text: Stop if it hurts.', // 4
  'exercises:', // 5
  '  - name: Knee bend', // 6
  '    steps:', // 7
  '      - 2. Bend both knees', // 8
  '      - Lie on your back and breathe\u200B slowly.', // 9
  '      - Keep your back flat on the floor while you slowly bring both knees up toward your chest and hold them there with both hands for as long as feels comfortable.', // 10
  '      - DO NOT BOUNCE', // 11
  '',
].join('\n');

describe('handout check: plain language, from the command line', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await tempDir('handout-plain-');
    await mkdir(path.join(dir, 'content/en'), { recursive: true });
    await writeFile(path.join(dir, 'content/en/knee-bends.yaml'), PASTED);
  });
  afterAll(() => removeDir(dir));

  it('prints the grade and every finding at its file:line:col, with a hint, as warnings', async () => {
    const run = await runCli(['check', '--no-print', '--content', 'content'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^✓ en\/knee-bends ok\n {2}reading grade -?\d+\.\d \(Flesch–Kincaid\), SMOG \d+\.\d — target 8$/m);
    const warnings = run.stderr.split('\n').filter((l) => l.startsWith('⚠'));
    expect(warnings).toEqual([
      '⚠ content/en/knee-bends.yaml:8:9: exercises[0].steps[0]: the step starts with pasted numbering or a bullet, "2." [PASTED_NUMBERING]',
      '⚠ content/en/knee-bends.yaml:9:37: exercises[0].steps[1]: an invisible character, U+200B ZERO WIDTH SPACE, after "back and breathe" [INVISIBLE_CHARACTER]',
      '⚠ content/en/knee-bends.yaml:10:9: exercises[0].steps[2]: a sentence of 30 words: "Keep your back flat on the floor while…" [LONG_SENTENCE]',
      '⚠ content/en/knee-bends.yaml:11:9: exercises[0].steps[3]: words in capitals: "DO NOT BOUNCE" [ALL_CAPS]',
    ]);
    expect(run.stderr).toContain('  hint: Remove the number or bullet at the start');
    expect(run.stderr).toContain('  hint: Delete the invisible character');
    expect(run.stdout).toMatch(/^1 passed, 0 failed/m);
  });

  it('fails with --strict, naming the same places', async () => {
    const run = await runCli(['check', '--no-print', '--strict', '--content', 'content'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('✗ content/en/knee-bends.yaml:8:9: exercises[0].steps[0]: the step starts with pasted numbering or a bullet, "2." [PASTED_NUMBERING]');
    expect(run.stderr).toContain('✗ content/en/knee-bends.yaml:11:9: exercises[0].steps[3]: words in capitals: "DO NOT BOUNCE" [ALL_CAPS]');
    expect(run.stdout).toMatch(/^0 passed, 1 failed/m);
  });

  it('--report writes each sheet\'s grades, formulas and findings', async () => {
    const run = await runCli(['check', '--no-print', '--content', 'content', '--report', 'report.json'], { cwd: dir });
    expect(run.code).toBe(0);
    const report = JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8'));
    const sheet = report.documents[0];
    expect(sheet.source).toBe('content/en/knee-bends.yaml');
    expect(sheet.plainLanguage).toMatchObject({
      locale: 'en',
      target: 8,
      measured: true,
      scores: [
        { formula: 'Flesch–Kincaid', kind: 'grade' },
        { formula: 'SMOG', kind: 'grade' },
      ],
    });
    expect(sheet.plainLanguage.counts.sentences).toBe(5);
    expect(sheet.plainLanguage.findings.map((f: { code: string; line: number; col: number }) => `${f.code} ${f.line}:${f.col}`)).toEqual([
      'PASTED_NUMBERING 8:9',
      'INVISIBLE_CHARACTER 9:37',
      'LONG_SENTENCE 10:9',
      'ALL_CAPS 11:9',
    ]);
    expect(sheet.warnings).toHaveLength(4);
  });

  it('takes the target from reading_grade in clinic.yaml', async () => {
    await writeFile(path.join(dir, 'content/clinic.yaml'), 'name: Test clinic\nreading_grade: 6\n');
    try {
      const run = await runCli(['check', '--no-print', '--content', 'content'], { cwd: dir });
      expect(run.stdout).toMatch(/reading grade .* — target 6$/m);
    } finally {
      await removeDir(path.join(dir, 'content/clinic.yaml'));
    }
  });

  it('describes all this in check --help', async () => {
    const run = await runCli(['check', '--help']);
    expect(run.stdout).toContain('--report <file.json>');
    expect(run.stdout).toMatch(/reading grade/);
    for (const code of ['READING_LEVEL', 'LONG_SENTENCE', 'STEP_NOT_ACTION', 'PASTED_NUMBERING', 'INVISIBLE_CHARACTER', 'ALL_CAPS']) {
      expect(run.stdout).toContain(code);
    }
  });
});

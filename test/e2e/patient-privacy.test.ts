/**
 * A patient's name never reaches the site folder (its files, its manifest, its index),
 * the report or the build's output: personal copies go to the private folder, under a
 * file name the clinician can find and no other name shares.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyInto, FIXTURES, removeDir, runCli, tempDir, type CliRun } from '../helpers/cli.js';

const PATIENTS = ["Zoë O'Brien", "Zoe O'Brien", 'Jürgen Weiß', 'Jurgen Wei', 'Łukasz Żółć'];
/**
 * Every way a name could leak: as typed, and as file names spell it. Exact words, not
 * case-blind patterns: the pages inline their fonts in base64, where any short run of
 * letters turns up.
 */
const LEAKS = ['Zoë', "Zoe O'Brien", "O'Brien", 'OBrien', 'obrien', 'Jürgen', 'Jurgen', 'jurgen', 'Weiß', 'weiss', 'Łukasz', 'lukasz', 'Żółć', 'zolc'];

/** Every file below a folder, hidden ones (the manifest) included, by path and content. */
async function everyFile(dir: string): Promise<Array<{ name: string; text: string }>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return Promise.all(
    entries.filter((e) => e.isFile()).map(async (e) => {
      const file = path.join(e.parentPath, e.name);
      return { name: path.relative(dir, file), text: (await readFile(file)).toString('latin1') + (await readFile(file, 'utf8')) };
    }),
  );
}

describe('patient data stays private', () => {
  let dir: string;
  const runs: CliRun[] = [];
  beforeAll(async () => {
    dir = await tempDir('handout-privacy-');
    await copyInto(path.join(FIXTURES, 'other-clinic'), path.join(dir, 'content'));
    const build = (...args: string[]) => runCli(['build', '--content', 'content', '--out', 'site', '--only', 'knee-hug', ...args], { cwd: dir });
    runs.push(await build());
    for (const [i, patient] of PATIENTS.entries()) {
      runs.push(await build('--patient', patient, '--clinician', 'Sam Lee, PT', '--date', '2026-12-05', '--report', `report-${i}.json`, '--verbose'));
    }
    runs.push(await runCli(['check', '--content', 'content', '--only', 'knee-hug', '--patient', PATIENTS[0]!, '--report', 'check-report.json'], { cwd: dir }));
  });
  afterAll(() => removeDir(dir));

  it('writes each personal copy to the private folder, one file per name, each findable by its name', async () => {
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    const files = (await readdir(path.join(dir, 'private', 'en'))).filter((f) => f.endsWith('.pdf')).sort();
    expect(files).toHaveLength(PATIENTS.length);
    for (const spelled of ['zoe-obrien', 'jurgen-weiss', 'jurgen-wei', 'lukasz-zolc']) {
      expect(files.some((f) => f.startsWith(`knee-hug--${spelled}-`)), spelled).toBe(true);
    }
    for (const f of files) expect(f).toMatch(/^knee-hug--[a-z-]+-[0-9a-f]{6}--2026-12-05\.pdf$/);
  });

  it('leaves no trace of a name in the site folder: file names, manifest, index, pages', async () => {
    const site = await everyFile(path.join(dir, 'site'));
    expect(site.some((f) => f.name === 'index.html')).toBe(true);
    expect(site.some((f) => f.name.startsWith('.'))).toBe(true); // the manifest is read too
    for (const file of site) for (const leak of LEAKS) expect(`${file.name}\n${file.text}`, `${file.name} ${leak}`).not.toContain(leak);
  });

  it('never prints a name, nor writes one in a report; the hash there finds the file', async () => {
    for (const run of runs) for (const leak of LEAKS) expect(run.stdout + run.stderr, leak).not.toContain(leak);
    const reports = (await readdir(dir)).filter((f) => f.endsWith('.json'));
    expect(reports).toHaveLength(PATIENTS.length + 1);
    for (const report of reports) {
      const text = await readFile(path.join(dir, report), 'utf8');
      for (const leak of LEAKS) expect(text, `${report} ${leak}`).not.toContain(leak);
    }
    const shown = /→ (private\/en\/knee-hug--…-([0-9a-f]{6})--2026-12-05\.pdf)/.exec(runs[1]!.stdout);
    expect(shown, runs[1]!.stdout).not.toBeNull();
    const files = await readdir(path.join(dir, 'private', 'en'));
    expect(files.filter((f) => f.endsWith(`-${shown![2]}--2026-12-05.pdf`))).toEqual([expect.stringMatching(/^knee-hug--zoe-obrien-/)]);
  });
});

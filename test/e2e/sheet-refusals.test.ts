/**
 * What only printing shows, refused by build and by check alike, naming what to fix: a
 * write-in value too long for its line, and a picture that did not draw.
 */
import { writeFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureWorkspace, listFiles, removeDir, runCli } from '../helpers/cli.js';

describe('sheets refused after layout', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fixtureWorkspace('design-clinic');
  });
  afterAll(() => removeDir(dir));

  const run = (command: 'build' | 'check', ...args: string[]) =>
    runCli([command, '--content', 'content', '--templates', 'templates', ...(command === 'build' ? ['--out', 'out'] : []), '--only', 'knee-hug', ...args], { cwd: dir });

  it('prints a personal copy in the same layout as the blank sheet: the write-in box keeps its size', async () => {
    const blank = await run('build');
    const personal = await run('build', '--patient', 'Maria Fernández-López', '--clinician', 'Dr Amal Haddad', '--date', '2026-12-05');
    expect(blank.code).toBe(0);
    expect(personal.code).toBe(0);
    const level = async (file: string) => /<html[^>]* data-fit="([^"]+)"/.exec(await readFile(path.join(dir, file), 'utf8'))?.[1];
    // The personal copy is written to the private folder, never the site folder.
    const [copy] = (await listFiles(path.join(dir, 'private'))).filter((f) => /^en\/knee-hug--maria-fernandez-lopez-[0-9a-f]{6}--2026-12-05\.html$/.test(f));
    expect(copy).toBeDefined();
    expect(await level(`private/${copy}`)).toBe(await level('out/en/knee-hug.html'));
  });

  it('refuses a name too long for its line in build and check, with the same words, and writes nothing', async () => {
    // Far longer than any line of the box, even with the other two fields left blank.
    const name = 'Maria de los Ángeles Fernández-López y García-Villanueva de la Santísima Trinidad Rodríguez';
    const built = await run('build', '--patient', name);
    const checked = await run('check', '--patient', name);
    const line = new RegExp(`^✗ content/en/knee-hug\\.yaml: the write-in box's "Patient" line holds about \\d+ characters; the value given has ${name.length} \\[WRITE_IN_TOO_LONG\\]$`, 'm');
    expect(built.code).toBe(1);
    expect(built.stderr).toMatch(line);
    expect(checked.code).toBe(1);
    expect(checked.stderr).toContain(line.exec(built.stderr)![0]);
    expect(checked.stderr).toContain('hint: Shorten the value');
    expect((await listFiles(path.join(dir, 'out'))).filter((f) => f.includes('maria-de-los'))).toEqual([]);
    expect((await listFiles(path.join(dir, 'private'))).filter((f) => f.includes('maria-de-los'))).toEqual([]);
    // The name is the patient's: the error counts its characters, it does not repeat it.
    expect(built.stderr + checked.stderr).not.toContain('Ángeles');
  });

  it('refuses a sheet whose picture does not draw, naming the exercise, in build and check', async () => {
    // A PNG in name only: the right signature, then nothing a decoder can read.
    await writeFile(path.join(dir, 'content/illustrations/broken.png'), Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]));
    const file = path.join(dir, 'content/en/knee-hug.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('illustration: knee-hug', 'illustration: broken'));
    const built = await run('build', '--force');
    const checked = await run('check');
    const line = '✗ content/en/knee-hug.yaml: the picture in exercises[0] "Single knee hug" did not load, so the sheet would print a broken-image icon; not written [IMAGE_NOT_LOADED]';
    expect(built.code).toBe(1);
    expect(built.stderr).toContain(line);
    expect(checked.code).toBe(1);
    expect(checked.stderr).toContain(line);
  });
});

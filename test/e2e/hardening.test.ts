/**
 * More bad inputs: templates that reach for prototypes, an output folder that cannot be
 * written, and oversized or special input files.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { fixtureWorkspace, listFiles, removeDir, runCli } from '../helpers/cli.js';

describe('hardening', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fixtureWorkspace('other-clinic');
    return () => removeDir(dir);
  });

  it.each(['{{constructor.name}}', '{{__proto__}}', '{{lookup this "constructor"}}', '{{#with this}}{{constructor.name}}{{/with}}'])(
    'a template reaching for prototypes (%s) gets nothing, never code',
    async (expression) => {
      const file = path.join(dir, 'templates/handout.hbs');
      await writeFile(file, (await readFile(file, 'utf8')).replace('<body>', `<body><p class="probe">${expression}</p>`));
      const run = await runCli(['check', '--content', 'content', '--templates', 'templates', '--only', 'pelvic-tilt'], { cwd: dir });
      // Strict mode refuses the lookup with the template position, or it renders nothing.
      if (run.code !== 0) expect(run.stderr).toMatch(/templates\/handout\.hbs:\d+:\d+: .*\[TEMPLATE\]/);
      else expect(run.stdout).toContain('✓ en/pelvic-tilt ok');
      expect(run.stderr).not.toMatch(/function|Object\(\)|\[native code\]/);
    },
  );

  it('reports an output folder that cannot be written, with its path, and writes nothing half', async () => {
    await mkdir(path.join(dir, 'out'));
    await writeFile(path.join(dir, 'out/en'), 'a file where the locale folder should be');
    const run = await runCli(['build', '--content', 'content', '--out', 'out'], { cwd: dir });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/cannot write out\/en\/(knee-hug|pelvic-tilt)\.pdf/);
    expect(await listFiles(path.join(dir, 'out'))).toEqual([]);
  });

  it('refuses an oversized handout file and a FIFO named like a handout, quickly and by name', async () => {
    await writeFile(path.join(dir, 'content/en/huge.yaml'), `title: x\n# ${'x'.repeat(300 * 1024)}\n`);
    execFileSync('mkfifo', [path.join(dir, 'content/en/pipe.yaml')]);
    const t0 = Date.now();
    const run = await runCli(['check', '--content', 'content'], { cwd: dir });
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/content\/en\/huge\.yaml is 301 KB; the limit is 256 KB \[FILE_TOO_LARGE\]/);
    expect(run.stderr).toMatch(/content\/en\/pipe\.yaml is not a regular file/);
  });
});

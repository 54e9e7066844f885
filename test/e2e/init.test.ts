/**
 * `handout init` writes the starter clinic folder, and never writes over a file unless
 * told to (--force), and then only the starter's own files. No browser: the folder is
 * built in test/e2e/packed-install.test.ts, from the installed package.
 */
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { removeDir, runCli, tempDir } from '../helpers/cli.js';

let dir: string;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(() => removeDir(dir));

it('writes clinic.yaml, the handouts, drawings and the dot files, and says what to run next', async () => {
  const run = await runCli(['init', 'my-clinic'], { cwd: dir });
  expect(run.code, run.stderr).toBe(0);
  for (const file of [
    'content/clinic.yaml',
    'content/clinic-logo.svg',
    'content/en/knee-to-chest.yaml',
    'content/es/knee-to-chest.yaml',
    'content/en/pelvic-tilt.yaml',
    'content/es/pelvic-tilt.yaml',
    'content/illustrations/knee-to-chest.svg',
    'content/illustrations/pelvic-tilt.svg',
    '.gitignore',
    '.vscode/settings.json',
    '.github/workflows/handouts.yml',
  ]) {
    expect(run.stdout).toContain(`+ wrote ${path.join('my-clinic', file)}`);
  }
  expect(run.stdout).toMatch(/cd my-clinic\n[\s\S]*npx handout build[\s\S]*npx handout dev/);
  expect(await readFile(path.join(dir, 'my-clinic', '.gitignore'), 'utf8')).toMatch(/^output\/$[\s\S]*^private\/$/m);
  const workflow = await readFile(path.join(dir, 'my-clinic', '.github', 'workflows', 'handouts.yml'), 'utf8');
  for (const step of ['actions/checkout@', 'actions/setup-node@', 'node-version: 20', 'npm ci', 'apt-get install', 'npx handout build --strict', 'actions/upload-artifact@', 'path: output/']) {
    expect(workflow).toContain(step);
  }
  const check = await runCli(['check', '--strict', '--no-print', '--content', path.join('my-clinic', 'content')], { cwd: dir });
  expect(check.code, check.stdout + check.stderr).toBe(0);
  expect(check.stderr).toBe('');
});

it('refuses to write over a file, naming it, and writes nothing', async () => {
  await mkdir(path.join(dir, 'content'));
  await writeFile(path.join(dir, 'content', 'clinic.yaml'), 'name: Our own clinic\n');
  const run = await runCli(['init'], { cwd: dir });
  expect(run.code).toBe(2);
  expect(run.stderr).toContain('✗ content/clinic.yaml: already there, and init writes over no file: it wrote nothing [FILE_EXISTS]');
  expect(run.stderr).toContain('--force');
  expect(await readFile(path.join(dir, 'content', 'clinic.yaml'), 'utf8')).toBe('name: Our own clinic\n');
  expect(run.stdout).not.toContain('wrote');
});

it('with --force, replaces the starter files and leaves every other file alone', async () => {
  await mkdir(path.join(dir, 'content', 'en'), { recursive: true });
  await writeFile(path.join(dir, 'content', 'en', 'knee-to-chest.yaml'), 'title: mine\n');
  await writeFile(path.join(dir, 'content', 'en', 'our-own.yaml'), 'title: ours\n');
  await writeFile(path.join(dir, '.gitignore'), 'secrets/\n');
  const refused = await runCli(['init'], { cwd: dir });
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain('2 of the starter\'s files are already there');
  expect(refused.stderr).toContain('content/en/knee-to-chest.yaml, .gitignore');

  const forced = await runCli(['init', '--force'], { cwd: dir });
  expect(forced.code, forced.stderr).toBe(0);
  expect(forced.stdout).toContain('↻ replaced content/en/knee-to-chest.yaml');
  expect(forced.stdout).toContain('+ wrote content/clinic.yaml');
  expect(await readFile(path.join(dir, 'content', 'en', 'knee-to-chest.yaml'), 'utf8')).toContain('title: Knee to Chest Stretch');
  expect(await readFile(path.join(dir, 'content', 'en', 'our-own.yaml'), 'utf8')).toBe('title: ours\n');
});

/**
 * The package as a clinic gets it: `npm pack`, then `npm install <tarball>` in a new
 * folder, `npx handout init` and `npx handout build`. The install must compile nothing,
 * download nothing and warn about nothing of ours; the starter folder must build clean.
 *
 * The slowest test here (the install fetches the dependencies, from npm's cache when it
 * has them), so it is one test with a generous timeout.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { removeDir, ROOT, tempDir } from '../helpers/cli.js';

interface Run {
  code: number;
  output: string;
}

/**
 * The environment of a user's shell: none of the npm_* variables `npm test` hands down.
 * npm_config_local_prefix among them would make the nested npm install into this
 * repository instead of the clinic's folder.
 */
function userEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) && key !== 'INIT_CWD'));
  // The browser is found as a clinic's would be: no override pointing at it.
  delete env.HANDOUT_CHROME;
  delete env.PUPPETEER_EXECUTABLE_PATH;
  return env;
}

function run(command: string, args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env: userEnv(), maxBuffer: 16 * 1024 * 1024, timeout: 400_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: `${stdout}\n${stderr}` });
    });
  });
}

let dir: string;
beforeAll(async () => {
  dir = await tempDir('handout-packed-');
});
afterAll(() => removeDir(dir));

it('packs without tests, installs with no warning of its own, and `init` then `build` make verified sheets and a site', { timeout: 600_000 }, async () => {
  // --ignore-scripts: dist/ is compiled before the tests (pretest); prepack compiling again
  // would empty dist/ under the other tests running beside this one.
  const pack = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], ROOT);
  expect(pack.code, pack.output).toBe(0);
  const [packed] = JSON.parse(pack.output.slice(pack.output.indexOf('['), pack.output.lastIndexOf(']') + 1)) as Array<{ filename: string; files: Array<{ path: string }> }>;
  const files = packed!.files.map((f) => f.path);
  expect(files.filter((f) => /^(test|src|bench|scripts|content|docs)\//.test(f) || /\.test\.|\.map$/.test(f))).toEqual([]);
  for (const needed of ['dist/cli.js', 'dist/index.js', 'dist/index.d.ts', 'dist/init/init-clinic.js', 'templates/handout.hbs', 'templates/locales/es.yaml', 'schema/handout.schema.json', 'schema/clinic.schema.json', 'starter/content/clinic.yaml', 'README.md', 'LICENSE']) {
    expect(files, needed).toContain(needed);
  }
  const manifest = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string>; dependencies: Record<string, string> };
  // No script that runs on a user's install; no dependency that downloads a browser on it.
  expect(Object.keys(manifest.scripts).filter((s) => /^(pre|post)?install$|^prepare$/.test(s))).toEqual([]);
  expect(Object.keys(manifest.dependencies)).not.toContain('puppeteer');

  const clinic = path.join(dir, 'clinic');
  await mkdir(clinic);
  // As `npm init -y` would: with a package.json of its own, npm installs here and never
  // into a folder above it that happens to hold one.
  await writeFile(path.join(clinic, 'package.json'), '{ "private": true }\n');
  const install = await run('npm', ['install', path.join(dir, packed!.filename), '--no-audit', '--no-fund', '--prefer-offline'], clinic);
  expect(install.code, install.output).toBe(0);
  expect(install.output.split('\n').filter((line) => /warn|error|err!/i.test(line) && /handout|prepare|tsc|typescript|puppeteer|chrome/i.test(line))).toEqual([]);
  expect(existsSync(path.join(clinic, 'node_modules', 'handout', 'dist', 'cli.js'))).toBe(true);
  // No compiler came with it, and no browser was downloaded.
  expect(existsSync(path.join(clinic, 'node_modules', 'typescript'))).toBe(false);
  expect(existsSync(path.join(clinic, 'node_modules', 'puppeteer'))).toBe(false);

  const init = await run('npx', ['--no', 'handout', 'init'], clinic);
  expect(init.code, init.output).toBe(0);
  expect(init.output).toContain('npx handout build');
  expect(init.output).toContain('npx handout dev');
  for (const file of ['content/clinic.yaml', 'content/en/knee-to-chest.yaml', 'content/es/knee-to-chest.yaml', '.gitignore', '.vscode/settings.json', '.github/workflows/handouts.yml']) {
    expect(existsSync(path.join(clinic, file)), file).toBe(true);
  }
  // Every file's `$schema=` modeline leads to a schema the installed package holds.
  for (const file of ['content/clinic.yaml', 'content/en/knee-to-chest.yaml', 'content/es/pelvic-tilt.yaml']) {
    const schema = /^# yaml-language-server: \$schema=(\S+)/.exec(await readFile(path.join(clinic, file), 'utf8'))?.[1];
    expect(schema && existsSync(path.resolve(path.dirname(path.join(clinic, file)), schema)), `${file}: ${schema}`).toBe(true);
  }
  const settings = JSON.parse(await readFile(path.join(clinic, '.vscode', 'settings.json'), 'utf8')) as { 'yaml.schemas': Record<string, string[]> };
  for (const schema of Object.keys(settings['yaml.schemas'])) expect(existsSync(path.join(clinic, schema)), schema).toBe(true);

  const build = await run('npx', ['--no', 'handout', 'build', '--verbose'], clinic);
  expect(build.code, build.output).toBe(0);
  expect(build.output).toMatch(/via system browser/);
  expect(build.output).toMatch(/4 passed, 0 failed/);
  expect(build.output.split('\n').filter((line) => /warn|⚠|✗/i.test(line))).toEqual([]);
  for (const locale of ['en', 'es']) {
    expect((await readdir(path.join(clinic, 'output', locale))).filter((f) => f.endsWith('.pdf')).sort()).toEqual(['knee-to-chest.pdf', 'pelvic-tilt.pdf']);
  }
  expect(existsSync(path.join(clinic, 'output', 'index.html'))).toBe(true);

  // What the CI workflow init wrote runs: strict, so any warning would fail it. The
  // reading grade is checked here too (check only).
  const check = await run('npx', ['--no', 'handout', 'check', '--strict', '--no-print'], clinic);
  expect(check.code, check.output).toBe(0);
  expect(check.output.split('\n').filter((line) => /⚠|✗/.test(line))).toEqual([]);
});

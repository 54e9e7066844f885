/**
 * Illustration ids, logo paths and handout files can never leave their folders: "..",
 * absolute paths, "~", backslashes, URL-encoded dots, symlinks pointing outside, FIFOs,
 * devices and oversized files are each refused quickly with the YAML file and the
 * position of the value that named them, and the other handouts of the build are still
 * written.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureWorkspace, listFiles, removeDir, runCli, tempDir } from '../helpers/cli.js';

/** Written as YAML single-quoted scalars, so backslashes and "%" arrive as typed. */
const BAD_IDS = {
  'dot-dot': '../knee-hug',
  'etc-passwd': '../../../../etc/passwd',
  absolute: '/etc/passwd',
  tilde: '~/secret',
  backslash: '..\\..\\secret',
  'url-encoded': '%2e%2e%2fsecret',
  'url-encoded-dots': '%2e%2e/secret',
  'inner-dot-dot': 'knee-hug/../knee-hug',
  'file-url': 'file:///etc/passwd',
};

/** Ids that are fine as names, whose files are not. */
const BAD_FILES: Record<string, { make: (illustrations: string, outside: string) => Promise<void>; error: RegExp }> = {
  'symlink-out': {
    make: (ill, outside) => symlink(path.join(outside, 'secret.svg'), path.join(ill, 'symlink-out.svg')),
    error: /content\/illustrations\/symlink-out\.svg points outside content\/illustrations \(to .*secret\.svg\) \[ASSET_UNSAFE\]/,
  },
  'symlink-up': {
    // Still inside the content folder, but not inside illustrations/.
    make: (ill) => symlink('../en/knee-hug.yaml', path.join(ill, 'symlink-up.svg')),
    error: /content\/illustrations\/symlink-up\.svg points outside content\/illustrations \(to .*knee-hug\.yaml\) \[ASSET_UNSAFE\]/,
  },
  device: {
    make: (ill) => symlink('/dev/zero', path.join(ill, 'device.svg')),
    error: /content\/illustrations\/device\.svg points outside content\/illustrations \(to \/dev\/zero\) \[ASSET_UNSAFE\]/,
  },
  fifo: {
    make: async (ill) => void execFileSync('mkfifo', [path.join(ill, 'fifo.svg')]),
    error: /content\/illustrations\/fifo\.svg is not a regular file \[ASSET_UNSAFE\]/,
  },
  folder: {
    make: (ill) => mkdir(path.join(ill, 'folder.svg')),
    error: /content\/illustrations\/folder\.svg is not a regular file \[ASSET_UNSAFE\]/,
  },
  oversized: {
    make: (ill) => writeFile(path.join(ill, 'oversized.svg'), `<svg xmlns="http://www.w3.org/2000/svg"><!-- ${'x'.repeat(3 * 1024 * 1024)} --></svg>`),
    error: /content\/illustrations\/oversized\.svg is 3\.0 MB; the limit is 2\.0 MB \[FILE_TOO_LARGE\]/,
  },
  'not-an-svg': {
    make: (ill) => writeFile(path.join(ill, 'not-an-svg.svg'), '<!DOCTYPE html><html><body><iframe src="file:///etc/passwd"></iframe></body></html>'),
    error: /content\/illustrations\/not-an-svg\.svg is not a valid \.svg file \[ASSET_UNSAFE\]/,
  },
};

describe('hostile paths in a build', () => {
  let dir: string;
  let outside: string;
  let run: Awaited<ReturnType<typeof runCli>>;
  let ms: number;

  beforeAll(async () => {
    dir = await fixtureWorkspace('other-clinic');
    outside = await tempDir('handout-outside-');
    await writeFile(path.join(outside, 'secret.svg'), '<svg xmlns="http://www.w3.org/2000/svg"><text>secret</text></svg>');
    await writeFile(path.join(outside, 'secret.yaml'), await readFile(path.join(dir, 'content/en/pelvic-tilt.yaml')));
    const template = await readFile(path.join(dir, 'content/en/knee-hug.yaml'), 'utf8');
    const withId = (id: string) => template.replace('illustration: knee-hug', `illustration: '${id}'`);
    for (const [name, id] of Object.entries(BAD_IDS)) await writeFile(path.join(dir, `content/en/id-${name}.yaml`), withId(id));
    const illustrations = path.join(dir, 'content/illustrations');
    for (const [name, { make }] of Object.entries(BAD_FILES)) {
      await make(illustrations, outside);
      await writeFile(path.join(dir, `content/en/file-${name}.yaml`), withId(name));
    }
    // A handout file that is a symlink out of the content folder.
    await symlink(path.join(outside, 'secret.yaml'), path.join(dir, 'content/en/linked-out.yaml'));
    // A locale folder that is a symlink to a folder elsewhere.
    await mkdir(path.join(outside, 'de'));
    await writeFile(path.join(outside, 'de/linked.yaml'), await readFile(path.join(dir, 'content/en/pelvic-tilt.yaml')));
    await symlink(path.join(outside, 'de'), path.join(dir, 'content/de'));
    const t0 = Date.now();
    run = await runCli(['build', '--content', 'content', '--out', 'out'], { cwd: dir });
    ms = Date.now() - t0;
  });
  afterAll(async () => {
    await removeDir(dir);
    await removeDir(outside);
  });

  it('builds the good handouts and refuses every hostile one, quickly (nothing is read from a FIFO or device)', async () => {
    const hostile = Object.keys(BAD_IDS).length + Object.keys(BAD_FILES).length + 2;
    expect(run.stdout).toMatch(new RegExp(`^2 passed, ${hostile} failed`, 'm'));
    expect(run.code).toBe(1);
    expect(await listFiles(path.join(dir, 'out'))).toEqual(['en/knee-hug.html', 'en/knee-hug.pdf', 'en/pelvic-tilt.html', 'en/pelvic-tilt.pdf']);
    expect(ms).toBeLessThan(60_000);
    expect(run.stderr).not.toMatch(/internal error|TypeError/);
  });

  it.each(Object.keys(BAD_IDS))('refuses the illustration id "%s" at its position in the YAML, saying what an id is', (name) => {
    expect(run.stderr).toContain(
      `✗ content/en/id-${name}.yaml:8:19: exercises[0].illustration: expected the id of a file in the illustrations folder (its name without .svg/.png/.jpg: lowercase letters, digits, - and _), not a path or URL [SCHEMA]`,
    );
  });

  it.each(Object.keys(BAD_FILES))('refuses the illustration file "%s" at the position of its id, naming the file', (name) => {
    const line = run.stderr.split('\n').find((l) => l.startsWith(`✗ content/en/file-${name}.yaml`));
    expect(line).toMatch(new RegExp(`^✗ content/en/file-${name}\\.yaml:8:19: `));
    expect(line).toMatch(BAD_FILES[name]!.error);
  });

  it('refuses a locale folder that is a symlink, by name, instead of skipping it silently', () => {
    expect(run.stderr).toMatch(/✗ content\/de: this locale folder is a symbolic link \(to .*\/de\); its handouts are not built \[BAD_NAME\]/);
    expect(run.stderr).toMatch(/hint: Locale folders must be real folders inside the content folder/);
  });

  it('refuses a handout file that is a symlink out of the content folder, by name', () => {
    expect(run.stderr).toMatch(/✗ content\/en\/linked-out\.yaml: content\/en\/linked-out\.yaml points outside content \(to .*secret\.yaml\) \[FILE_UNREADABLE\]/);
  });
});

describe('hostile logo paths in clinic.yaml', () => {
  let dir: string;
  let outside: string;
  beforeAll(async () => {
    dir = await fixtureWorkspace('other-clinic');
    outside = await tempDir('handout-outside-');
    await writeFile(path.join(outside, 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"><text>secret</text></svg>');
  });
  afterAll(async () => {
    await removeDir(dir);
    await removeDir(outside);
  });

  const withLogo = (logo: string) => writeFile(path.join(dir, 'content/clinic.yaml'), `name: Test Clinic\nlogo: '${logo}'\n`);
  const check = () => runCli(['check', '--content', 'content'], { cwd: dir });

  it.each(['../logo.svg', '/etc/logo.svg', '~/logo.svg', '..\\logo.svg', '%2e%2e/logo.svg', '%2e%2e%2flogo.svg', 'img/../../logo.svg', 'file:///etc/logo.svg'])(
    'refuses the logo path %s at its position, saying it must be a file next to clinic.yaml',
    async (logo) => {
      await withLogo(logo);
      const run = await check();
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(
        '✗ content/clinic.yaml:2:7: logo: expected the file name of an .svg, .png or .jpg next to clinic.yaml (no folders) [SCHEMA]',
      );
      // A clinic.yaml that is wrong brands every sheet wrongly: none is checked as fine.
      expect(run.stdout).not.toContain('✓');
    },
  );

  const files: Array<[string, () => Promise<void>, RegExp]> = [
    ['a symlink out of the content folder', () => symlink(path.join(outside, 'logo.svg'), path.join(dir, 'content/logo.svg')), /content\/logo\.svg points outside content \(to .*logo\.svg\) \[ASSET_UNSAFE\]/],
    ['a symlink to /dev/zero', () => symlink('/dev/zero', path.join(dir, 'content/logo.svg')), /content\/logo\.svg points outside content \(to \/dev\/zero\) \[ASSET_UNSAFE\]/],
    ['a FIFO', async () => void execFileSync('mkfifo', [path.join(dir, 'content/logo.svg')]), /content\/logo\.svg is not a regular file \[ASSET_UNSAFE\]/],
    ['oversized', () => writeFile(path.join(dir, 'content/logo.svg'), `<svg xmlns="http://www.w3.org/2000/svg"><!-- ${'x'.repeat(3 * 1024 * 1024)} --></svg>`), /content\/logo\.svg is 3\.0 MB; the limit is 2\.0 MB \[FILE_TOO_LARGE\]/],
  ];
  it.each(files)('refuses a logo file that is %s, quickly, at the position of its name', async (_what, make, error) => {
    await removeDir(path.join(dir, 'content/logo.svg'));
    await make();
    await withLogo('logo.svg');
    const t0 = Date.now();
    const run = await check();
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(run.code).toBe(1);
    const line = run.stderr.split('\n').find((l) => l.startsWith('✗ content/clinic.yaml'));
    expect(line).toMatch(/^✗ content\/clinic\.yaml:2:7: /);
    expect(line).toMatch(error);
  });
});

/**
 * A malformed handout next to good ones: the good PDFs are written, the bad one is
 * reported as file:line:col, the exit code is non-zero and nothing partial is left.
 * Also: a content folder outside the repo, with its own illustrations, builds.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyInto, FIXTURES, listFiles, removeDir, runCli, tempDir } from '../helpers/cli.js';
import { pdfPages, pdfText, squash } from '../helpers/pdf.js';

describe('handout build with content outside the repo', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir();
    await copyInto(path.join(FIXTURES, 'other-clinic'), path.join(dir, 'content'));
  });
  afterEach(() => removeDir(dir));

  it('builds a foreign content folder with its own illustrations into a foreign output folder', async () => {
    const run = await runCli(['build', '--content', path.join(dir, 'content'), '--out', path.join(dir, 'out')]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(await listFiles(path.join(dir, 'out'))).toEqual([
      'en/knee-hug.html',
      'en/knee-hug.pdf',
      'en/pelvic-tilt.html',
      'en/pelvic-tilt.pdf',
    ]);
    const html = await import('node:fs/promises').then((fs) => fs.readFile(path.join(dir, 'out/en/knee-hug.html'), 'utf8'));
    expect(html).toContain('data:image/svg+xml;base64,');
    const text = squash(pdfText(path.join(dir, 'out/en/pelvic-tilt.pdf')));
    expect(text).toContain(squash('Hold 5–10 seconds'));
    expect(text).toContain(squash('Stop if the movement causes pain that spreads into your leg.'));
  });

  it('writes the good handouts and reports the bad one by file:line:col, exit 1, nothing partial', async () => {
    await writeFile(
      path.join(dir, 'content/en/broken.yaml'),
      'title: Broken\nwarning:\n  title: Careful\n  text: Gently.\nexercises:\n  - name: Twist\n    steps: "just one string"\n',
    );
    await writeFile(path.join(dir, 'content/en/bad-syntax.yaml'), 'title: [unclosed\n');
    const out = path.join(dir, 'out');
    const run = await runCli(['build', '--content', path.join(dir, 'content'), '--out', out], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      '✗ content/en/broken.yaml:7:12: exercises[0].steps: expected a list of steps (one "- step" per line), got the text "just one string" [SCHEMA]',
    );
    expect(run.stderr).toMatch(/✗ content\/en\/bad-syntax\.yaml:\d+:\d+: .* \[YAML_SYNTAX\]/);
    expect(run.stderr).toContain('  hint: ');
    expect(run.stdout).toMatch(/^2 passed, 2 failed/m);
    expect(await listFiles(out)).toEqual(['en/knee-hug.html', 'en/knee-hug.pdf', 'en/pelvic-tilt.html', 'en/pelvic-tilt.pdf']);
    expect(pdfPages(path.join(out, 'en/knee-hug.pdf'))).toBe(1);
  });

  it('reports a missing illustration at the line of its id', async () => {
    await writeFile(
      path.join(dir, 'content/en/knee-hug.yaml'),
      (await import('node:fs/promises').then((fs) => fs.readFile(path.join(dir, 'content/en/knee-hug.yaml'), 'utf8'))).replace(
        'illustration: knee-hug',
        'illustration: no-such-picture',
      ),
    );
    const run = await runCli(['build', '--content', 'content', '--out', 'out', '--only', 'knee-hug'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      '✗ content/en/knee-hug.yaml:8:19: illustration "no-such-picture" not found (looked for no-such-picture.svg, .png, .jpg in content/illustrations) [ASSET_MISSING]',
    );
    expect(await listFiles(path.join(dir, 'out'))).toEqual([]);
  });

  it('refuses a handout in a locale without a string catalog', async () => {
    await copyInto(path.join(dir, 'content/en'), path.join(dir, 'content/xx'));
    const run = await runCli(['check', '--content', 'content', '--locale', 'xx'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/✗ content\/xx\/knee-hug\.yaml: the handout is in locale "xx", which has no string catalog \(.*locales\/xx\.yaml\) \[UNKNOWN_LOCALE\]/);
  });

  it('fails clearly when no browser can be found', async () => {
    const run = await runCli(['build', '--content', 'content', '--out', 'out', '--chrome', '/nonexistent/chrome'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('✗ --chrome points at /nonexistent/chrome, which is not an executable browser [BROWSER_NOT_FOUND]');
    expect(run.stderr).toContain('hint: Install Chromium');
  });
});

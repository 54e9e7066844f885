/**
 * No request leaves the browser during a build. A real listener on 127.0.0.1 is the canary:
 * a template and an SVG illustration that reference it must cause zero requests to it,
 * and a page that tries is refused with the URL named (an SVG that does is refused before
 * printing; printed anyway, through <img>, it still reaches nothing).
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startCanary, type Canary } from '../helpers/canary.js';
import { findBrowser } from '../../src/print/find-browser.js';
import { launchPrinter } from '../../src/print/launch-printer.js';
import { barePage } from '../helpers/bare-page.js';
import { copyInto, FIXTURES, listFiles, removeDir, runCli, tempDir, TEMPLATES } from '../helpers/cli.js';

describe('rendering isolation', () => {
  let canary: Canary;
  let hits: string[];
  let base: string;
  let dir: string;

  beforeAll(async () => {
    canary = await startCanary();
    base = `http://${canary.address}`;
  });
  afterAll(() => canary.close());

  beforeEach(async () => {
    canary.hits.length = 0;
    hits = canary.hits;
    dir = await tempDir();
    await copyInto(path.join(FIXTURES, 'other-clinic'), path.join(dir, 'content'));
    return () => removeDir(dir);
  });

  const hostile = async (name: string) => (await readFile(path.join(FIXTURES, 'hostile', name), 'utf8')).replaceAll('CANARY', base);

  it('the canary is reachable, so zero hits below means blocked, not offline', async () => {
    const response = await fetch(`${base}/self-check`);
    expect(await response.text()).toBe('canary');
    expect(hits).toEqual(['/self-check']);
  });

  it('a template that references the network is refused, naming the URL, with zero requests', async () => {
    const templates = await copyInto(TEMPLATES, path.join(dir, 'templates'));
    const layout = path.join(templates, 'handout.hbs');
    await writeFile(layout, (await readFile(layout, 'utf8')).replace('<body>', `<body>\n${await hostile('template-additions.html')}`));

    const run = await runCli(['build', '--content', 'content', '--out', 'out', '--templates', 'templates', '--only', 'pelvic-tilt'], { cwd: dir });

    expect(hits).toEqual([]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('✗ content/en/pelvic-tilt.yaml: the page tried to load');
    expect(run.stderr).toContain(`"${base}/template-img.png"`);
    expect(run.stderr).toContain('[BLOCKED_REQUEST]');
    expect(await listFiles(path.join(dir, 'out'))).toEqual([]);
  });

  it('an SVG illustration that references the network or the disk is refused before printing, with zero requests', async () => {
    await writeFile(path.join(dir, 'content/illustrations/knee-hug.svg'), await hostile('evil.svg'));

    const run = await runCli(['build', '--content', 'content', '--out', 'out', '--only', 'knee-hug'], { cwd: dir });

    expect(hits).toEqual([]);
    // The illustration check (test/e2e/illustration-checks.test.ts) names the first link and counts the rest.
    expect(run.stderr).toContain(
      `✗ content/en/knee-hug.yaml:8:19: illustration "knee-hug" links to "${base}/svg-style-import.css" (@import in <style> at content/illustrations/knee-hug.svg:2:10, and 5 more);`,
    );
    expect(run.stderr).toContain('[SVG_LINK]');
    expect(run.code).toBe(1);
    expect(await listFiles(path.join(dir, 'out'))).toEqual([]);
  });

  it('the same SVG shown through <img> on a printed page loads and runs nothing (the print layer on its own)', async () => {
    const svg = Buffer.from(await hostile('evil.svg')).toString('base64');
    const html = `<!DOCTYPE html><html lang="en"><head><title>svg</title></head><body><p>hello</p><img src="data:image/svg+xml;base64,${svg}" alt=""></body></html>`;
    const printer = await launchPrinter({ executablePath: findBrowser(undefined).path, timeoutMs: 20_000 });
    try {
      // Inert inside <img>: it renders, and nothing it names is fetched.
      await printer.print(barePage('evil-svg', html, 'hello'));
      // Let anything that escaped try to arrive.
      await new Promise((r) => setTimeout(r, 1000));
    } finally {
      await printer.close();
    }
    expect(hits).toEqual([]);
  });

  it('refuses an illustration id that is a URL or leaves the illustrations folder, at its position', async () => {
    const file = path.join(dir, 'content/en/knee-hug.yaml');
    const original = await readFile(file, 'utf8');
    for (const id of [`${base}/x.svg`, '../../../etc/passwd']) {
      await writeFile(file, original.replace('illustration: knee-hug', `illustration: "${id}"`));
      const run = await runCli(['build', '--content', 'content', '--out', 'out', '--only', 'knee-hug'], { cwd: dir });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('✗ content/en/knee-hug.yaml:8:19: exercises[0].illustration: expected the id of a file in the illustrations folder');
    }
    expect(hits).toEqual([]);
  });

  it('refuses an illustration that is a symlink out of the illustrations folder', async () => {
    const { symlink, rm } = await import('node:fs/promises');
    const target = path.join(dir, 'content/illustrations/knee-hug.svg');
    await rm(target);
    await writeFile(path.join(dir, 'secret.svg'), '<svg xmlns="http://www.w3.org/2000/svg"><title>secret</title></svg>');
    await symlink(path.join(dir, 'secret.svg'), target);
    const run = await runCli(['build', '--content', 'content', '--out', 'out', '--only', 'knee-hug'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/✗ content\/en\/knee-hug\.yaml:8:19: content\/illustrations\/knee-hug\.svg points outside .* \[ASSET_UNSAFE\]/);
  });
});

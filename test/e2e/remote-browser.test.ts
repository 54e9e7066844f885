/**
 * `handout build --browser-ws-endpoint <ws-url>` prints through a Chrome that is already
 * running: a second local Chromium started with --remote-debugging-port stands in for a
 * remote one. The build still serves every asset itself (embedded data: URLs), still
 * intercepts every request of its pages, names the remote's version in its cache
 * fingerprint, and leaves the browser running with none of its own pages behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import puppeteer from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCanary } from '../helpers/canary.js';
import { copyInto, fixtureWorkspace, FIXTURES, listFiles, removeDir, runCli, tempDir } from '../helpers/cli.js';
import { pdfFonts, pdfPages, pdfText, qpdfCheck, squash } from '../helpers/pdf.js';
import { alive } from '../helpers/processes.js';
import { findBrowser } from '../../src/print/find-browser.js';

/** Starts Chromium with a DevTools port and returns its ws:// address from its stderr. */
async function startRemoteChromium(profile: string): Promise<{ child: ChildProcess; endpoint: string }> {
  const child = spawn(findBrowser(undefined).path, ['--remote-debugging-port=0', '--headless', '--no-sandbox', `--user-data-dir=${profile}`, '--disable-gpu', 'about:blank'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const endpoint = await new Promise<string>((resolve, reject) => {
    let stderr = '';
    const timer = setTimeout(() => reject(new Error(`no DevTools address after 30 s:\n${stderr}`)), 30_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`Chromium exited (${code}) before listening:\n${stderr}`)));
  });
  child.stderr!.resume();
  return { child, endpoint };
}

describe('printing through a running browser (--browser-ws-endpoint)', () => {
  let remote: { child: ChildProcess; endpoint: string };
  let profile: string;
  let dir: string;

  beforeAll(async () => {
    profile = await tempDir('handout-remote-profile-');
    remote = await startRemoteChromium(profile);
    dir = await fixtureWorkspace('design-clinic');
  });
  afterAll(async () => {
    if (remote && remote.child.exitCode === null) {
      const exited = new Promise((resolve) => remote.child.once('exit', resolve));
      remote.child.kill('SIGKILL');
      await exited;
    }
    await removeDir(dir);
    await removeDir(profile);
  });

  const build = (...extra: string[]) =>
    runCli(['build', '--content', 'content', '--out', 'out', '--templates', 'templates', '--browser-ws-endpoint', remote.endpoint, ...extra], { cwd: dir });

  it('builds verified PDFs through it and leaves it running, without its own pages', async () => {
    const run = await build('--verbose');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^2 passed, 0 failed/m);
    expect(run.stdout).toContain('via --browser-ws-endpoint');
    expect(await listFiles(path.join(dir, 'out'))).toEqual(['en/knee-hug.html', 'en/knee-hug.pdf', 'en/no-video.html', 'en/no-video.pdf']);
    for (const name of ['knee-hug', 'no-video']) {
      const pdf = path.join(dir, 'out/en', `${name}.pdf`);
      expect(qpdfCheck(pdf), name).toBe(true);
      expect(pdfPages(pdf), name).toBe(1);
      expect(pdfFonts(pdf).every((f) => f.embedded && f.name.includes('Noto')), name).toBe(true);
      const source = await readFile(path.join(dir, 'content/en', `${name}.yaml`), 'utf8');
      expect(squash(pdfText(pdf))).toContain(squash(/^title: (.+)$/m.exec(source)![1]!));
    }

    // Still running, still serving DevTools, and the build's contexts are gone.
    expect(alive(remote.child.pid!)).toBe(true);
    const browser = await puppeteer.connect({ browserWSEndpoint: remote.endpoint });
    try {
      expect(browser.browserContexts()).toHaveLength(1); // only its default context
      expect((await browser.pages()).map((p) => p.url())).toEqual(['about:blank']);
    } finally {
      await browser.disconnect();
    }
  });

  it("keys the cache on the remote browser's version: unchanged through it, rebuilt by a local browser", async () => {
    const again = await build();
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^0 passed, 0 failed, 2 skipped \(cached\)/m);
    const local = await runCli(['build', '--content', 'content', '--out', 'out', '--templates', 'templates'], { cwd: dir });
    expect(local.code).toBe(0);
    expect(local.stdout).toMatch(/^2 passed, 0 failed/m);
    expect(alive(remote.child.pid!)).toBe(true);
  });

  it("still refuses a page's requests on a connected browser, naming the URL, with zero requests", async () => {
    const canary = await startCanary();
    const work = await tempDir();
    try {
      await copyInto(path.join(FIXTURES, 'other-clinic'), path.join(work, 'content'));
      const templates = await copyInto(path.join(dir, 'templates'), path.join(work, 'templates'));
      const additions = (await readFile(path.join(FIXTURES, 'hostile', 'template-additions.html'), 'utf8')).replaceAll('CANARY', `http://${canary.address}`);
      const layout = path.join(templates, 'handout.hbs');
      await writeFile(layout, (await readFile(layout, 'utf8')).replace('<body>', `<body>\n${additions}`));

      const run = await runCli(
        ['build', '--content', 'content', '--out', 'out', '--templates', 'templates', '--only', 'pelvic-tilt', '--browser-ws-endpoint', remote.endpoint],
        { cwd: work },
      );

      expect(canary.hits).toEqual([]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('✗ content/en/pelvic-tilt.yaml: the page tried to load');
      expect(run.stderr).toContain(`"http://${canary.address}/template-img.png"`);
      expect(await listFiles(path.join(work, 'out'))).toEqual([]);
      expect(alive(remote.child.pid!)).toBe(true);
    } finally {
      await canary.close();
      await removeDir(work);
    }
  });

  it('reports an endpoint nothing answers at as a browser error naming it (exit 2), with a hint', async () => {
    const run = await runCli(
      ['build', '--content', 'content', '--out', 'elsewhere', '--templates', 'templates', '--browser-ws-endpoint', 'ws://127.0.0.1:9/devtools/browser/gone?token=secret'],
      { cwd: dir },
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('✗ could not connect to the browser at ws://127.0.0.1:9/devtools/browser/gone?…');
    expect(run.stderr).not.toContain('secret');
    expect(run.stderr).toContain('[BROWSER]');
    expect(run.stderr).toMatch(/hint: Start Chrome with --remote-debugging-port=9222 .*DevTools listening on.* or leave out --browser-ws-endpoint/);
    expect(await listFiles(path.join(dir, 'elsewhere'))).toEqual([]);
  });

  it('refuses an endpoint that is not a ws:// URL as a usage error (exit 2)', async () => {
    const run = await runCli(['build', '--browser-ws-endpoint', 'http://127.0.0.1:9222'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("option '--browser-ws-endpoint <ws-url>' argument 'http://127.0.0.1:9222' is invalid");
    expect(run.stderr).toContain('ws://127.0.0.1:9222/devtools/browser/');
  });
});

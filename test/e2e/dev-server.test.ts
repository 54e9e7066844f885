/**
 * `handout dev`, as an author uses it: the real CLI serving a copy of the repo's content,
 * opened in real headless Chromium. Edits show up by themselves, broken YAML shows its
 * position in the page, and the server answers nothing but GETs for rendered handouts.
 */
import { readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBrowser } from '../../src/print/find-browser.js';
import { runCli, startDevServer, type DevServer } from '../helpers/cli.js';
import { pdfPages, pdfText, squash } from '../helpers/pdf.js';

let dev: DevServer;
let dir: string;
let url: string;
let browser: Browser;

beforeAll(async () => {
  dev = await startDevServer();
  ({ dir, url } = dev);
  browser = await puppeteer.launch({ executablePath: findBrowser(undefined).path, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
});

afterAll(async () => {
  await browser?.close();
  // Stopped by SIGTERM, it exits cleanly.
  expect(await dev?.stop()).toBe(0);
});

/** Opens a page, recording every request it makes and every script error. */
async function open(pathname: string): Promise<{ page: Page; requests: string[]; errors: string[] }> {
  const page = await browser.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && !/status of 422/.test(m.text()) && errors.push(m.text()));
  await page.goto(new URL(pathname, url).href, { waitUntil: 'load' });
  return { page, requests, errors };
}

const bodyText = (page: Page) => page.evaluate(() => document.body.innerText);

/** Raw HTTP, so the method, path and Host header are exactly what the test says. */
function request(method: string, pathname: string, headers: Record<string, string> = {}) {
  const { port } = new URL(url);
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: pathname, headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('handout dev', () => {
  it('listens on 127.0.0.1 only, and lists every handout in every locale', async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const others = Object.values(os.networkInterfaces())
      .flat()
      .filter((i) => i && i.family === 'IPv4' && !i.internal)
      .map((i) => i!.address);
    for (const address of others) {
      const refused = await new Promise<boolean>((resolve) => {
        const socket = net.connect({ host: address, port: Number(new URL(url).port) });
        socket.once('connect', () => (socket.destroy(), resolve(false)));
        socket.once('error', () => resolve(true));
      });
      expect(refused, `reachable on ${address}`).toBe(true);
    }
    const { page, errors } = await open('/');
    const links = await page.$$eval('a[href]', (as) => as.map((a) => (a as HTMLAnchorElement).pathname));
    expect(links).toContain('/en/pelvic-tilt.html');
    for (const locale of ['ar', 'de', 'en', 'es', 'fr', 'hi', 'pt', 'ru', 'vi', 'zh']) expect(links).toContain(`/${locale}/lower-back-relief.html`);
    for (const link of links) expect((await request('GET', link)).status, link).toBe(200);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows an edit within 2 s, shows broken YAML with its position, and recovers when it is fixed', async () => {
    const file = path.join(dir, 'content/en/pelvic-tilt.yaml');
    const original = await readFile(file, 'utf8');
    const { page, requests, errors } = await open('/en/pelvic-tilt.html');
    expect(await bodyText(page)).toContain('Pelvic Tilt');

    let t0 = Date.now();
    await writeFile(file, original.replace('title: Pelvic Tilt', 'title: Pelvic Tilt Revised Today'));
    await page.waitForFunction(() => document.body.innerText.includes('Pelvic Tilt Revised Today'), { timeout: 2000 });
    const shownMs = Date.now() - t0;

    await writeFile(file, original.replace('title: Pelvic Tilt', 'title: [Pelvic Tilt'));
    await page.waitForFunction(() => document.body.innerText.includes('has errors'), { timeout: 2000 });
    const shown = await bodyText(page);
    expect(shown).toMatch(/content\/en\/pelvic-tilt\.yaml:\d+:\d+: /);
    expect(shown).toContain('[YAML_SYNTAX]');
    expect(shown).toContain('title: [Pelvic Tilt'); // the offending line is quoted

    t0 = Date.now();
    await writeFile(file, original);
    await page.waitForFunction(() => document.body.innerText.includes('Pelvic Tilt') && !document.body.innerText.includes('has errors'), {
      timeout: 2000,
    });
    const recoveredMs = Date.now() - t0;
    expect(errors).toEqual([]);
    // Everything the pages used came from the server or was embedded.
    for (const r of requests) expect(r.startsWith(url) || r.startsWith('data:'), r).toBe(true);
    console.log(`dev preview: edit shown after ${shownMs} ms, fix shown after ${recoveredMs} ms`);
    await page.close();
  });

  it('reloads when a template catalog changes, not only a handout', async () => {
    const file = path.join(dir, 'templates/locales/es.yaml');
    const original = await readFile(file, 'utf8');
    const { page } = await open('/es/lower-back-relief.html');
    const label = /^patient: (.+)$/m.exec(original)?.[1];
    expect(label).toBeTruthy();
    await writeFile(file, original.replace(`patient: ${label}`, 'patient: Nombre completo del paciente'));
    try {
      await page.waitForFunction(() => document.body.innerText.includes('Nombre completo del paciente'), { timeout: 2000 });
    } finally {
      await writeFile(file, original);
      await page.close();
    }
  });

  it('shows a broken template with its position instead of crashing, and recovers', async () => {
    const file = path.join(dir, 'templates/partials/warning-box.hbs');
    const original = await readFile(file, 'utf8');
    const { page } = await open('/en/knee-to-chest.html');
    await writeFile(file, `{{#if title}}${original}`); // an unclosed block
    try {
      await page.waitForFunction(() => document.body.innerText.includes('cannot be rendered'), { timeout: 2000 });
      expect(await bodyText(page)).toMatch(/templates\/partials\/warning-box\.hbs:\d+(:\d+)?: .*\[TEMPLATE\]/);
    } finally {
      await writeFile(file, original);
    }
    await page.waitForFunction(() => !document.body.innerText.includes('cannot be rendered'), { timeout: 2000 });
    expect(await bodyText(page)).toContain('Knee');
    await page.close();
  });

  it("draws its toolbar and pages from the clinic's templates/dev/, and reloads when they change", async () => {
    const file = path.join(dir, 'templates/dev/toolbar.hbs');
    const original = await readFile(file, 'utf8');
    const { page, errors } = await open('/en/knee-to-chest.html');
    await writeFile(file, original.replace('<a href="/">All handouts</a>', '<a href="/">All of Bayside\'s handouts</a>'));
    try {
      await page.waitForFunction(() => document.getElementById('handout-dev')?.innerText.includes("All of Bayside's handouts"), { timeout: 2000 });
      // The frame changed, nothing else: the sheet, the script (by nonce) and the policy as before.
      expect(await bodyText(page)).toContain('Knee');
      expect(errors).toEqual([]);
    } finally {
      await writeFile(file, original);
      await page.close();
    }
    const index = await request('GET', '/', { host: new URL(url).host });
    expect(index.headers['content-security-policy']).toMatch(/script-src 'nonce-[^']+'/);
    expect(index.body).toMatch(/<script nonce="[^"]+">/);
    expect(index.body).not.toContain('http-equiv="Content-Security-Policy"');
  });

  it('switches language and paper in the page, staying on the same handout', async () => {
    const { page, errors } = await open('/en/lower-back-relief.html');
    await Promise.all([page.waitForNavigation(), page.click('#handout-dev .languages a[href^="/es/lower-back-relief.html"]')]);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('es');
    await Promise.all([page.waitForNavigation(), page.click('#handout-dev .paper a[href$="size=Letter"]')]);
    expect(new URL(page.url()).pathname).toBe('/es/lower-back-relief.html');
    expect(await page.evaluate(() => document.documentElement.className)).toContain('page-Letter');
    // The toolbar is for the screen only: the page prints as the handout alone.
    await page.emulateMediaType('print');
    expect(await page.$eval('#handout-dev', (el) => getComputedStyle(el).display)).toBe('none');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('serves the printed and verified PDF at the paper chosen', async () => {
    const res = await fetch(new URL('/es/lower-back-relief.pdf?size=Letter', url));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const bytes = new Uint8Array(await res.arrayBuffer());
    const file = path.join(dir, 'preview.pdf');
    await writeFile(file, bytes);
    expect(pdfPages(file)).toBe(1);
    expect(squash(pdfText(file))).toContain(squash('No haga crujir la espalda de su pareja'));
  });

  it('answers GET only, to its own Host only, and serves nothing but rendered handouts', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const res = await request(method, '/en/pelvic-tilt.html');
      expect(res.status, method).toBe(405);
      expect(res.headers.allow).toBe('GET, HEAD');
    }
    const { port } = new URL(url);
    expect((await request('GET', '/', { Host: `evil.test:${port}` })).status).toBe(403);
    const secret = await readFile(path.join(dir, 'content/clinic.yaml'), 'utf8');
    for (const probe of [
      '/../../etc/passwd',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/en/..%2f..%2fclinic.yaml',
      '/content/clinic.yaml',
      '/clinic.yaml',
      '/templates/handout.hbs',
      '/en/pelvic-tilt.yaml',
      '/illustrations/pelvic-tilt.svg',
      '/en/no-such-handout.html',
    ]) {
      const res = await request('GET', probe);
      expect(res.status, probe).toBe(404);
      expect(res.body, probe).not.toContain(secret.slice(0, 40));
      expect(res.body, probe).not.toContain('root:x:0');
    }
    const page = await request('GET', '/en/pelvic-tilt.html');
    const csp = page.headers['content-security-policy'] as string;
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/script-src 'nonce-[A-Za-z0-9+/=]{16,}'(;|$)/);
    const scriptSrc = /script-src ([^;]*)/.exec(csp)![1]!;
    expect(scriptSrc).toMatch(/^'nonce-[^']+'$/); // no 'unsafe-inline', no 'unsafe-eval', no host
    expect(csp).not.toMatch(/unsafe-eval|\*/);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    // A fresh nonce each time, and no script in the page without it.
    const again = await request('GET', '/en/pelvic-tilt.html');
    expect(again.headers['content-security-policy']).not.toBe(csp);
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
    expect([...page.body.matchAll(/<script\b[^>]*>/g)].map((m) => m[0])).toEqual([`<script nonce="${nonce}">`]);
  });

  it('answers HEAD without printing, refuses cross-site requests and malformed targets without calling them bugs', async () => {
    for (const target of ['/', '/en/pelvic-tilt.html', '/en/pelvic-tilt.pdf', '/__dev/version']) {
      const t0 = Date.now();
      const res = await request('HEAD', target);
      expect(res.status, target).toBe(200);
      expect(res.body).toBe('');
      expect(Date.now() - t0, target).toBeLessThan(2000);
    }
    // Another site's page pointing <img> or fetch() at the server (browsers send this header).
    const crossSite = await request('GET', '/en/pelvic-tilt.pdf', { 'Sec-Fetch-Site': 'cross-site' });
    expect(crossSite.status).toBe(403);
    const malformed = await new Promise<string>((resolve) => {
      const socket = net.connect(Number(new URL(url).port), '127.0.0.1', () => socket.write(`GET http://[ HTTP/1.1\r\nHost: 127.0.0.1:${new URL(url).port}\r\n\r\n`));
      let reply = '';
      socket.on('data', (d: Buffer) => (reply += d));
      socket.on('end', () => resolve(reply));
      setTimeout(() => (socket.destroy(), resolve(reply)), 2000);
    });
    expect(malformed).toMatch(/^HTTP\/1\.1 400/);
    expect(malformed).not.toMatch(/internal error/);
  });

  it('keeps many preview tabs live at once (no connection held per tab)', async () => {
    const tabs = await Promise.all(Array.from({ length: 8 }, () => open('/en/cat-cow.html')));
    for (const { page } of tabs) expect(await bodyText(page)).toContain('Cat');
    const file = path.join(dir, 'content/en/cat-cow.yaml');
    const original = await readFile(file, 'utf8');
    await writeFile(file, original.replace(/^title: (.*)$/m, 'title: $1 Eight Tabs'));
    try {
      // What this proves is that no tab is left hanging (a held connection would never
      // reload), not speed: alone, eight reloads after a save take about 0.5 s here, but
      // beside the other test files on two cores they have taken over 4 s.
      await Promise.all(tabs.map(({ page }) => page.waitForFunction(() => document.body.innerText.includes('Eight Tabs'), { timeout: 15_000 })));
    } finally {
      await writeFile(file, original);
      await Promise.all(tabs.map(({ page }) => page.close()));
    }
  });

  it("says in the toolbar whether the sheet fits, in the build's own words, while the author types", async () => {
    const { page } = await open('/en/pelvic-tilt.html');
    const verdict = () => page.$eval('#handout-dev .verdict', (el) => (el as HTMLElement).innerText);
    expect(await verdict()).toMatch(/^✓ fits at 1[2-4] pt(, exercises two to a row)?: \d+ lines? left$/);
    // The exercise is the library's (content/exercises/en/pelvic-tilt.yaml): a save there reloads the preview too.
    const file = path.join(dir, 'content/exercises/en/pelvic-tilt.yaml');
    const original = await readFile(file, 'utf8');
    const steps = Array.from({ length: 20 }, (_, i) => `  - Step ${i + 1}, ${'keep breathing slowly and evenly while you hold the position. '.repeat(4)}`).join('\n');
    await writeFile(file, original.replace(/^steps:\n(  - .*\n)+/m, `steps:\n${steps}\n`));
    try {
      await page.waitForFunction(() => document.querySelector('#handout-dev .verdict')?.textContent?.startsWith('✗'), { timeout: 10_000 });
      expect(await verdict()).toMatch(/^✗ does not fit on one Letter page: about \d+ lines too long even at 12 pt in the most compact layout; longest parts: exercises\[0\] .* \[NOT_ONE_PAGE\]$/);
    } finally {
      await writeFile(file, original);
      // Seen back as fitting: the server has taken the restored file in, so its reload
      // cannot land on the next test's pages.
      await page.waitForFunction(() => document.querySelector('#handout-dev .verdict')?.textContent?.startsWith('✓'), { timeout: 10_000 });
      await page.close();
    }
  });

  it('draws the sheet at its paper size, with the page end marked', async () => {
    const { page } = await open('/en/pelvic-tilt.html?size=A4');
    const a4 = await page.$eval('.sheet', (el) => el.getBoundingClientRect().width);
    await page.goto(new URL('/en/pelvic-tilt.html?size=Letter', url).href);
    const letter = await page.$eval('.sheet', (el) => el.getBoundingClientRect().width);
    // Printable widths: A4 210 − 2 × 12 mm, Letter 215.9 − 2 × 12 mm, at 96 px per inch, plus padding.
    expect(letter - a4).toBeCloseTo(((215.9 - 210) / 25.4) * 96, -1);
    expect(await page.$eval('.sheet', (el) => getComputedStyle(el).backgroundImage)).toMatch(/linear-gradient/);
    await page.close();
  });

  it('refuses a port that is taken, with the port and a hint', async () => {
    const run = await runCli(['dev', '--port', new URL(url).port], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/port \d+ on 127\.0\.0\.1 is already in use/);
    expect(run.stderr).toMatch(/hint: Pick another port with --port/);
  });
});

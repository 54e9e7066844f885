/**
 * The clinic's own site (output/index.html), built by the real CLI from a clinic folder with
 * its clinic.yaml (name, logo, colour, contact) and handouts in English, Hindi and Chinese,
 * and read in real Chromium:
 * - every character on the page is drawn by the fonts the index embeds (DevTools names the
 *   font that drew each element's text: none may be one of this machine's own fonts);
 * - the clinic's name, logo and contact are on it; a large-print copy is linked next to its
 *   sheet, a personal copy never;
 * - a handout whose rebuild fails keeps its last good sheet, marked with the day it was
 *   built, and the build says so; putting the handout back clears the mark;
 * - the language and topic filters work as plain links with JavaScript off, and the search
 *   box filters the list with it on, under the page's security policy.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { copyFile, cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBrowser } from '../../src/print/find-browser.js';
import { CONTENT, removeDir, runCli, tempDir, TEMPLATES, type CliRun } from '../helpers/cli.js';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const CLINIC = `name: Lotus Physio & Rehab
logo: lotus.svg
address: 4 Harbour Lane, Port Town
phone: "+44 20 7946 0000"
website: https://lotus-physio.example
accent: "#7a2e8f"
`;

let dir: string;
let out: string;
let browser: Browser;
let first: CliRun;
const build = (...args: string[]) => runCli(['build', '--content', path.join(dir, 'content'), '--templates', TEMPLATES, '--out', out, ...args]);
const indexUrl = () => pathToFileURL(path.join(out, 'index.html')).href;

beforeAll(async () => {
  dir = await tempDir();
  out = path.join(dir, 'out');
  const content = path.join(dir, 'content');
  for (const locale of ['en', 'hi', 'zh']) {
    await mkdir(path.join(content, locale), { recursive: true });
    await copyFile(path.join(CONTENT, locale, 'lower-back-relief.yaml'), path.join(content, locale, 'lower-back-relief.yaml'));
  }
  // A second English handout under a topic of its own, for the topic filter.
  const tilt = await readFile(path.join(CONTENT, 'en', 'pelvic-tilt.yaml'), 'utf8');
  await writeFile(path.join(content, 'en', 'pelvic-tilt.yaml'), tilt.replace('category: Back Pain Relief', 'category: Core Strength'));
  await cp(path.join(CONTENT, 'illustrations'), path.join(content, 'illustrations'), { recursive: true });
  await cp(path.join(CONTENT, 'exercises'), path.join(content, 'exercises'), { recursive: true });
  await copyFile(path.join(CONTENT, 'clinic-logo.svg'), path.join(content, 'lotus.svg'));
  await writeFile(path.join(content, 'clinic.yaml'), CLINIC);
  first = await build();
  browser = await puppeteer.launch({ executablePath: findBrowser(undefined).path, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
});
afterAll(async () => {
  await browser?.close();
  await removeDir(dir);
});

/** Opens the index, recording console errors (a refused resource or script is one). */
async function open(options: { js?: boolean; hash?: string } = {}): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  await page.setJavaScriptEnabled(options.js ?? true);
  await page.setViewport({ width: 1100, height: 900 });
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(indexUrl() + (options.hash ?? ''), { waitUntil: 'load' });
  return { page, errors };
}

const shownSections = (page: Page, selector: string) =>
  page.$$eval(selector, (els) => els.filter((el) => (el as HTMLElement).getClientRects().length > 0).map((el) => el.id));

describe('the clinic site index', () => {
  it('builds, and shows the clinic: its name, logo and contact, in its colour', async () => {
    expect(first.code, first.stderr).toBe(0);
    const { page, errors } = await open();
    expect(await page.$eval('.clinic-name', (el) => el.textContent)).toBe('Lotus Physio & Rehab');
    expect(await page.title()).toContain('Lotus Physio & Rehab');
    const logo = await page.$eval('img.logo', async (img) => {
      const i = img as HTMLImageElement;
      await i.decode();
      return { src: i.src.slice(0, 26), width: i.naturalWidth };
    });
    expect(logo.src).toBe('data:image/svg+xml;base64,');
    expect(logo.width).toBeGreaterThan(0);
    const contact = await page.$eval('address.contact', (el) => el.textContent?.replace(/\s+/g, ' '));
    expect(contact).toContain('4 Harbour Lane, Port Town');
    expect(contact).toContain('+44 20 7946 0000');
    expect(await page.$eval('.site-header', (el) => getComputedStyle(el).backgroundColor)).toBe('rgb(122, 46, 143)');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('draws every character of the page with its embedded fonts, none of this machine\'s', async () => {
    const { page } = await open();
    await page.evaluate(() => document.fonts.ready);
    const cdp = await page.createCDPSession();
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
    // Every element with text of its own (not only inherited from children).
    const withText: string[] = await page.$$eval('body *', (els) =>
      els
        .filter((el) => el.getClientRects().length > 0 && Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent!.trim()))
        .map((el, i) => {
          el.setAttribute('data-font-probe', String(i));
          return String(i);
        }),
    );
    expect(withText.length).toBeGreaterThan(20);
    const system = new Map<string, string>();
    const used = new Set<string>();
    for (const probe of withText) {
      const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: `[data-font-probe="${probe}"]` });
      const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
      for (const font of fonts) {
        used.add(font.familyName);
        if (!font.isCustomFont) system.set(font.postScriptName || font.familyName, await page.$eval(`[data-font-probe="${probe}"]`, (el) => el.textContent!.trim().slice(0, 40)));
      }
    }
    expect(Object.fromEntries(system)).toEqual({});
    // The Hindi and Chinese sections really are on the page, drawn by the embedded families.
    expect([...used].some((f) => f.startsWith('Noto Sans SC'))).toBe(true);
    const fontRequests = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.endsWith('.woff2')));
    for (const url of fontRequests) expect(url.startsWith(pathToFileURL(path.join(out, 'fonts')).href), url).toBe(true);
    await page.close();
  });

  it('links a large-print copy next to its sheet, and never a personal copy', async () => {
    const large = await build('--large-print', '--locale', 'en', '--only', 'lower-back-relief');
    expect(large.code, large.stderr).toBe(0);
    const personal = await build('--locale', 'en', '--only', 'pelvic-tilt', '--patient', 'Jane Doe', '--private-out', path.join(dir, 'private'));
    expect(personal.code, personal.stderr).toBe(0);
    expect(readdirSync(path.join(dir, 'private', 'en')).some((f) => /^pelvic-tilt--jane-doe-[0-9a-f]{6}\.pdf$/.test(f))).toBe(true);
    expect(readdirSync(path.join(out, 'en')).filter((f) => /jane/i.test(f))).toEqual([]);
    const html = await readFile(path.join(out, 'index.html'), 'utf8');
    expect(html).not.toMatch(/jane/i);
    const { page } = await open();
    const links = await page.$$eval('a.large-print', (as) => as.map((a) => ({ href: (a as HTMLAnchorElement).href, card: a.closest('.card')!.querySelector('h4')!.textContent })));
    expect(links).toEqual([{ href: pathToFileURL(path.join(out, 'en', 'lower-back-relief.large-print.pdf')).href, card: expect.stringContaining('Crack My Lower Back') }]);
    expect(existsSync(path.join(out, 'en', 'lower-back-relief.large-print.pdf'))).toBe(true);
    await page.close();
  });

  it('the language and topic filters work as plain links without JavaScript', async () => {
    const { page, errors } = await open({ js: false });
    expect(await page.$eval('#site-search', (el) => getComputedStyle(el).display)).toBe('none');
    expect(await shownSections(page, 'section.locale')).toEqual(['en', 'hi', 'zh']);
    await page.click('nav.languages a[href="#hi"]');
    expect(await page.evaluate(() => location.hash)).toBe('#hi');
    expect(await shownSections(page, 'section.locale')).toEqual(['hi']);
    await page.click('nav.languages a[href="#en"]');
    expect(await shownSections(page, 'section.locale')).toEqual(['en']);
    const topics = await page.$$eval('#en nav.topics a', (as) => as.map((a) => [a.getAttribute('href'), a.textContent]));
    expect(topics).toEqual([
      ['#en', 'All topics'],
      ['#en-topic-1', 'Back Pain Relief'],
      ['#en-topic-2', 'Core Strength'],
    ]);
    await page.click('#en nav.topics a[href="#en-topic-2"]');
    expect(await shownSections(page, 'section.category')).toEqual(['en-topic-2']);
    expect(await page.$$eval('.card', (cs) => cs.filter((c) => c.getClientRects().length > 0).map((c) => c.querySelector('h4')!.textContent))).toEqual(['Pelvic Tilt']);
    await page.click('nav.languages a[href="#handouts"]');
    expect(await shownSections(page, 'section.locale')).toEqual(['en', 'hi', 'zh']);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('with JavaScript, the search box filters the list as the reader types, under the page\'s security policy', async () => {
    const { page, errors } = await open();
    expect(await page.$eval('#site-search', (el) => getComputedStyle(el).display)).not.toBe('none');
    await page.type('#site-search-input', 'pelvic');
    // The list is filtered as the reader types: on a slow machine "p" or "pel" may be shown
    // first, so wait for the word typed in full (the status says what it found for it).
    await page.waitForFunction(() => (document.getElementById('site-search-input') as HTMLInputElement).value === 'pelvic' && document.getElementById('site-search-status')!.textContent === '1 handout found');
    expect(await page.$eval('#site-search-status', (el) => el.textContent)).toBe('1 handout found');
    expect(await page.$$eval('.card', (cs) => cs.filter((c) => c.getClientRects().length > 0).map((c) => c.querySelector('h4')!.textContent))).toEqual(['Pelvic Tilt']);
    expect(await shownSections(page, 'section.locale')).toEqual(['en']);
    // Hindi words find the Hindi sheet.
    await page.$eval('#site-search-input', (el) => ((el as HTMLInputElement).value = ''));
    await page.type('#site-search-input', 'हिन्दी');
    await page.waitForFunction(() => document.getElementById('site-search-status')!.textContent === '1 handout found');
    expect(await shownSections(page, 'section.locale')).toEqual(['hi']);
    // The filter link in use is marked for screen readers.
    await page.click('nav.languages a[href="#zh"]');
    // Marked when the page's hash changes (an event after the click): wait for it, then look.
    await page.waitForFunction(() => document.querySelector('nav a[aria-current]')?.getAttribute('href') === '#zh');
    expect(await page.$$eval('nav a[aria-current]', (as) => as.map((a) => a.getAttribute('href')))).toEqual(['#zh']);
    const policy = await page.$eval('meta[http-equiv="Content-Security-Policy"]', (m) => m.getAttribute('content'));
    expect(policy).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(policy).not.toMatch(/script-src[^;]*unsafe/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('marks a handout whose rebuild failed, keeping its last good sheet, and says so; fixed, the mark goes', async () => {
    const file = path.join(dir, 'content', 'en', 'pelvic-tilt.yaml');
    const good = await readFile(file, 'utf8');
    await writeFile(file, good.replace(/^title: .*$/m, 'title: [broken'));
    const broken = await build();
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/⚠ .*pelvic-tilt\.yaml failed: its last good sheet stays \(.*en\/pelvic-tilt\.pdf, built \d{4}-\d\d-\d\d\), marked on the site as failed/);
    expect(existsSync(path.join(out, 'en', 'pelvic-tilt.pdf'))).toBe(true);
    const { page } = await open();
    const card = await page.$$eval('.card.failed', (cs) =>
      cs.map((c) => ({ title: c.querySelector('h4')!.textContent, note: c.querySelector('.failed-note')!.textContent, pdf: (c.querySelector('.links a') as HTMLAnchorElement).href })),
    );
    const today = new Intl.DateTimeFormat('en', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date());
    expect(card).toEqual([
      { title: 'Pelvic Tilt', note: `This sheet failed its last build. Shown: the last good sheet, built on ${today}.`, pdf: pathToFileURL(path.join(out, 'en', 'pelvic-tilt.pdf')).href },
    ]);
    // The page with all it can show (clinic, topics, large print, a failed sheet, the search
    // box) passes the axe-core rules the site is held to (accessibility-html.test.ts).
    await page.evaluate(AXE_SOURCE);
    const violations = await page.evaluate(async (tags: string[]) => {
      const axe = (window as unknown as { axe: typeof import('axe-core') }).axe;
      const rules = Object.fromEntries(axe.getRules(tags).filter((r) => !r.tags.includes('experimental')).map((r) => [r.ruleId, { enabled: true }]));
      const result = await axe.run(document, { rules, resultTypes: ['violations'] });
      return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    }, ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']);
    expect(violations).toEqual([]);
    await page.close();
    // `handout site` (merged shard folders) keeps the mark too.
    const site = await runCli(['site', '--out', out, '--content', path.join(dir, 'content'), '--templates', TEMPLATES]);
    expect(site.code, site.stderr).toBe(0);
    expect(site.stdout).toContain('1 marked as failed');
    expect(await readFile(path.join(out, 'index.html'), 'utf8')).toContain('class="card failed"');

    await writeFile(file, good);
    const fixed = await build();
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(fixed.stderr).not.toContain('failed:');
    expect(await readFile(path.join(out, 'index.html'), 'utf8')).not.toContain('class="card failed"');
  });
});

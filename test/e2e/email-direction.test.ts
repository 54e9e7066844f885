/**
 * The e-mail as a patient's mail client shows it: the Arabic message, written by the real
 * CLI (`handout email … --eml`) and parsed back with mailparser, runs right to left in
 * Chromium, its HTML part and its plain-text part alike, with the sentence around "PDF" in
 * reading order; and it comes from the clinic by name, the name encoded so that any
 * characters survive the trip.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { composeEmail, type EmailInput } from '../../src/email/compose-email.js';
import { toEml } from '../../src/email/send-email.js';
import { CatalogStore } from '../../src/i18n/load-catalog.js';
import { findBrowser } from '../../src/print/find-browser.js';
import { CONTENT, removeDir, runCli, tempDir, TEMPLATES, type CliRun } from '../helpers/cli.js';

const AXE_SOURCE = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const clinic = parse(await readFile(path.join(CONTENT, 'clinic.yaml'), 'utf8')) as { name: string; email: string; translations?: Record<string, { name?: string }> };
/** The clinic as the Arabic sheet and message name it. */
const clinicName = clinic.translations?.ar?.name ?? clinic.name;
/** Bidi controls: marks, embeddings, overrides, isolates. */
const BIDI_CONTROLS = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

let browser: Browser;
let dir: string;

beforeAll(async () => {
  dir = await tempDir();
  browser = await puppeteer.launch({ executablePath: findBrowser(undefined).path, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
});
afterAll(async () => {
  await browser?.close();
  await removeDir(dir);
});

interface Box {
  left: number;
  right: number;
  top: number;
}

/**
 * Where the screen shows the intro sentence's "PDF", the words just before and after it
 * (in the order they are written), and the full stop that ends its line. Found in the
 * first text node under `selector` that holds "PDF".
 */
function introLayout(page: Page, selector: string): Promise<{ before: Box; pdf: Box; after: Box; stop: Box; words: string[] } | null> {
  return page.$eval(selector, (root) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? '';
      const at = text.indexOf('PDF');
      if (at < 0) continue;
      const box = (start: number, end: number) => {
        const range = document.createRange();
        range.setStart(node!, start);
        range.setEnd(node!, end);
        const rect = range.getClientRects()[0]!;
        return { left: rect.left, right: rect.right, top: rect.top };
      };
      const before = /([\p{L}\p{M}]+)[^\p{L}\p{M}]*$/u.exec(text.slice(0, at))!;
      const after = /[\p{L}\p{M}]+/u.exec(text.slice(at + 3))!;
      const lineEnd = text.indexOf('\n', at) < 0 ? text.length : text.indexOf('\n', at);
      const stop = text.lastIndexOf('.', lineEnd);
      const afterAt = at + 3 + after.index;
      return {
        before: box(before.index, before.index + before[1]!.length),
        pdf: box(at, at + 3),
        after: box(afterAt, afterAt + after[0].length),
        stop: box(stop, stop + 1),
        words: [before[1]!, 'PDF', after[0]],
      };
    }
    return null;
  });
}

/** Read right to left: the word before "PDF" on its right, the one after on its left, the full stop leftmost. */
async function expectReadRightToLeft(page: Page, selector: string) {
  const layout = await introLayout(page, selector);
  expect(layout, 'the intro sentence has "PDF" in it').not.toBeNull();
  const { before, pdf, after, stop, words } = layout!;
  // All on one line (the page is wide), so left and right compare reading positions.
  expect(new Set([before.top, pdf.top, after.top, stop.top].map(Math.round)).size, `"${words.join(' ')}" on one line`).toBe(1);
  expect(before.left, `"${words[0]}" is right of "PDF"`).toBeGreaterThanOrEqual(pdf.right - 0.5);
  expect(after.right, `"${words[2]}" is left of "PDF"`).toBeLessThanOrEqual(pdf.left + 0.5);
  expect(stop.right, 'the full stop ends the sentence on its left').toBeLessThanOrEqual(Math.min(before.left, pdf.left, after.left) + 0.5);
}

describe('the Arabic e-mail (`handout email lower-back-relief --locale ar --eml`)', () => {
  let run: CliRun;
  let mail: ParsedMail;
  let page: Page;

  beforeAll(async () => {
    const eml = path.join(dir, 'ar.eml');
    run = await runCli([
      'email', 'lower-back-relief', '--locale', 'ar', '--to', 'patient@example.test',
      '--content', CONTENT, '--templates', TEMPLATES, '--out', path.join(dir, 'out'), '--eml', eml,
    ]);
    if (run.code === 0) mail = await simpleParser(await readFile(eml));
    page = await browser.newPage();
    // Wide enough for the intro sentence to take one line.
    await page.setViewport({ width: 1400, height: 600 });
  });
  afterAll(() => page?.close());

  it('is written', () => {
    expect(run.stderr).not.toContain('✗');
    expect(run.code).toBe(0);
  });

  it("comes from the clinic by name: content/clinic.yaml's name (in Arabic, where it gives one) and address", () => {
    expect(mail.from?.value).toEqual([{ name: clinicName, address: clinic.email }]);
    // The dry run shows it too.
    expect(run.stdout).toContain(`From: ${clinicName} <${clinic.email}>`);
  });

  it('HTML part: lang="ar" dir="rtl", and Chromium lays every paragraph right to left, "PDF" in reading order', async () => {
    await page.setContent(mail.html as string);
    const root = await page.evaluate(() => ({ lang: document.documentElement.lang, dir: document.documentElement.dir }));
    expect(root).toEqual({ lang: 'ar', dir: 'rtl' });
    const paragraphs = await page.$$eval('body p', (ps) => ps.map((p) => ({ text: p.textContent, direction: getComputedStyle(p).direction })));
    expect(paragraphs.length).toBeGreaterThanOrEqual(4);
    expect(paragraphs.filter((p) => p.direction !== 'rtl')).toEqual([]);
    await expectReadRightToLeft(page, 'body');
  });

  it('HTML part: still right to left where webmail keeps only what is inside <body>, in its own left-to-right page', async () => {
    const inner = /<body[^>]*>([\s\S]*)<\/body>/i.exec(mail.html as string)![1]!;
    await page.setContent(`<!DOCTYPE html><html lang="en" dir="ltr"><head><title>Inbox</title></head><body><main>${inner}</main></body></html>`);
    const directions = await page.$$eval('main p', (ps) => ps.map((p) => getComputedStyle(p).direction));
    expect(directions.length).toBeGreaterThanOrEqual(4);
    expect(directions.filter((d) => d !== 'rtl')).toEqual([]);
    expect(await page.$eval('main p', (p) => p.closest('[lang]')?.getAttribute('lang'))).toBe('ar');
    await expectReadRightToLeft(page, 'main');
  });

  it('HTML part: axe-core finds no WCAG 2.x A/AA violation', async () => {
    await page.setContent(mail.html as string);
    await page.evaluate(AXE_SOURCE);
    // WCAG rules only: best practice asks a web page for a <main> landmark and an <h1>,
    // which a message shown inside a mail client's own page should not bring.
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: typeof import('axe-core') }).axe;
      const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
      return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    });
    expect(violations).toEqual([]);
  });

  it("plain-text part: reads right to left in Chromium's own text viewer (which runs every line left to right)", async () => {
    await page.goto(`data:text/plain;charset=utf-8,${encodeURIComponent(mail.text as string)}`);
    await expectReadRightToLeft(page, 'pre');
  });

  it('plain-text part: a reader that takes each line\'s direction from its text (Unicode bidi P2-P3) sets every line from the right', async () => {
    await page.setContent('<!DOCTYPE html><html><body><pre style="white-space:pre-wrap;unicode-bidi:plaintext;font:16px sans-serif"></pre></body></html>');
    await page.$eval('pre', (pre, text) => void (pre.textContent = text), mail.text as string);
    await expectReadRightToLeft(page, 'pre');
    // Each line's right end at the right edge, the clinic's Latin name and number too.
    const offsets = await page.$eval('pre', (pre) => {
      const node = pre.firstChild!;
      const text = node.textContent!;
      const edge = pre.getBoundingClientRect().right;
      const result: Array<{ line: string; gap: number }> = [];
      let start = 0;
      for (const line of text.split('\n')) {
        if (line.trim()) {
          const range = document.createRange();
          range.setStart(node, start);
          range.setEnd(node, start + line.length);
          const right = Math.max(...Array.from(range.getClientRects(), (r) => r.right));
          result.push({ line, gap: Math.round(edge - right) });
        }
        start += line.length + 1;
      }
      return result;
    });
    expect(offsets.length).toBeGreaterThanOrEqual(5);
    expect(offsets.filter((o) => o.gap > 1)).toEqual([]);
  });
});

describe('the sender and embedded values, composed', () => {
  const catalogs = new CatalogStore(TEMPLATES);
  let pdf: string;
  beforeAll(async () => {
    pdf = path.join(dir, 'tiny.pdf');
    await writeFile(pdf, '%PDF-1.4\n');
  });

  const compose = async (locale: string, overrides: Partial<EmailInput> = {}) =>
    composeEmail({
      to: 'patient@example.test',
      from: 'desk@clinic.example',
      locale,
      title: 'Knee Stretch',
      summary: null,
      patient: null,
      clinic: { name: 'Riverside Physiotherapy', phone: '+1 555 0100', website: 'clinic.example' },
      strings: (await catalogs.get(locale)).strings,
      pdfPaths: [pdf],
      maxBytes: 1024,
      ...overrides,
    });
  const roundTrip = async (message: Awaited<ReturnType<typeof composeEmail>>) => {
    const eml = await toEml(message);
    return { eml: eml.toString('latin1'), mail: await simpleParser(eml) };
  };

  it.each([
    ['Arabic', 'عيادة النهر للعلاج الطبيعي'],
    ['accented', 'Ærø Fysioterapi & Søn'],
    ['quotes, comma, brackets, backslash', 'Dr. "Bob" O\'Neil, Physio (Test) <x> \\ y'],
  ])('a clinic name (%s) arrives as the display name, exactly, in an ASCII header', async (_what, name) => {
    const { eml, mail } = await roundTrip(await compose('en', { clinic: { name, phone: null, website: null } }));
    expect(mail.from?.value).toEqual([{ name, address: 'desk@clinic.example' }]);
    const header = /^From: .*(?:\r\n[ \t].*)*/m.exec(eml)![0];
    expect(header).toMatch(/^[\x20-\x7e\r\n\t]+$/);
  });

  it('without a clinic, the sender is the bare address', async () => {
    const message = await compose('en', { clinic: null });
    expect(message.from).toBe('desk@clinic.example');
    const { eml, mail } = await roundTrip(message);
    expect(mail.from?.value).toEqual([{ name: '', address: 'desk@clinic.example' }]);
    expect(eml).toMatch(/^From: desk@clinic\.example\r$/m);
  });

  it('an English message with Latin values carries no bidi control, and its HTML is lang="en" dir="ltr"', async () => {
    const message = await compose('en', { patient: 'Jane Doe' });
    expect(message.text).not.toMatch(BIDI_CONTROLS);
    expect(message.text.startsWith('Hello Jane Doe,')).toBe(true);
    expect(message.html).toMatch(/^<!DOCTYPE html>\s*<html lang="en" dir="ltr">/);
  });

  it('an Arabic title in an English message, and a Latin title in an Arabic one, keep their punctuation (Chromium)', async () => {
    const page = await browser.newPage();
    await page.setViewport({ width: 1400, height: 400 });
    try {
      for (const [locale, title, end] of [
        ['en', 'كيف أطقطق ظهري؟', '؟'],
        ['ar', 'Knee Stretch?', '?'],
      ] as const) {
        const message = await compose(locale, { title });
        // The title's own last mark stays at its end: the left end of Arabic, the right end of Latin.
        for (const body of [message.html, `<pre style="unicode-bidi:plaintext;font:16px sans-serif">${message.text.replace(/[<&]/g, (c) => (c === '<' ? '&lt;' : '&amp;'))}</pre>`]) {
          await page.setContent(body);
          const placed = await page.evaluate(
            (title, end) => {
              const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
              for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const at = node.textContent!.indexOf(title);
                if (at < 0) continue;
                const box = (start: number, stop: number) => {
                  const range = document.createRange();
                  range.setStart(node!, start);
                  range.setEnd(node!, stop);
                  return range.getBoundingClientRect();
                };
                const mark = box(at + title.length - end.length, at + title.length);
                const words = box(at, at + title.length - end.length);
                return { markLeft: mark.left, markRight: mark.right, wordsLeft: words.left, wordsRight: words.right };
              }
              return null;
            },
            title,
            end,
          );
          expect(placed, `${locale}: "${title}" found`).not.toBeNull();
          if (end === '؟') expect(placed!.markRight, `${locale}: "؟" left of the Arabic title`).toBeLessThanOrEqual(placed!.wordsLeft + 0.5);
          else expect(placed!.markLeft, `${locale}: "?" right of the Latin title`).toBeGreaterThanOrEqual(placed!.wordsRight - 0.5);
        }
      }
    } finally {
      await page.close();
    }
  });
});

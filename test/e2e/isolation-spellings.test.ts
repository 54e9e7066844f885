/**
 * Every spelling of a local file and of the cloud-metadata and loopback addresses meets
 * the same wall (checklist items 2, 4, 5). Each is put into the page through the layout
 * template, the way a mistaken template edit would, rendered by the real renderer and
 * printed by real Chromium whose proxy is a listening canary: whatever leaves the
 * browser, to any host, is recorded there. A secret file outside the project holds a
 * random token that must never reach a PDF.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareHandouts } from '../../src/build/prepare-handouts.js';
import type { HandoutError } from '../../src/errors.js';
import { findBrowser } from '../../src/print/find-browser.js';
import { launchPrinter, type Printer, type PrinterOptions } from '../../src/print/launch-printer.js';
import type { HtmlPage } from '../../src/render/create-renderer.js';
import { ASSET_ORIGIN } from '../../src/render/page-assets.js';
import { linkedAssets, splitTemplateOutput } from '../../src/render/serialize-page.js';
import { barePage } from '../helpers/bare-page.js';
import { startCanary, type Canary } from '../helpers/canary.js';
import { copyInto, FIXTURES, removeDir, tempDir, TEMPLATES } from '../helpers/cli.js';

let canary: Canary;
/** Build flags, but the canary as proxy, reachable (see throughCanary). */
let printer: Printer;
let dir: string;
let secretDir: string;
let secret: string;
let token: string;

/**
 * Chromium with the build's flags, its proxy pointed at the canary. The build's resolver
 * rule (MAP * ~NOTFOUND) also covers the proxy's own address, which would leave the canary
 * unreachable and every "zero hits" meaningless; so with `reachable` the canary's address,
 * and only it, is excluded (a repeated switch: Chromium takes the last). Every other host
 * still resolves to nothing, and through a proxy Chromium resolves no destination itself:
 * the canary sees every connection to every host.
 */
const throughCanary = (reachable: boolean): PrinterOptions => ({
  executablePath: findBrowser(undefined).path,
  proxyServer: `http://${canary.address}`,
  ...(reachable ? { extraArgs: ['--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'] } : {}),
  timeoutMs: 10_000,
});

/** Chromium's own background connections (sign-in, updates), not the page's. */
const CHROMIUM_OWN = /^(CONNECT |https?:\/\/)([\w-]+\.)*(google\.com|googleapis\.com|gstatic\.com|gvt1\.com)([:/]|$)/;
const pageHits = (hits: string[]) => hits.filter((h) => !CHROMIUM_OWN.test(h));

/** Every element that can fetch a URL or show a file's text, all pointing at `url`. */
const markupFor = (url: string) =>
  `<iframe src="${url}"></iframe><object data="${url}" type="text/plain"></object><embed src="${url}" type="text/plain">` +
  `<img src="${url}" alt=""><link rel="stylesheet" href="${url}"><div style="background-image: url('${url}')"></div>`;

interface Outcome {
  error: HandoutError | null;
  /** pdftotext of the PDF, when one was printed. */
  text: string | null;
  hits: string[];
}

/** Renders pelvic-tilt with the real renderer, `markup` added to the layout template. */
async function renderWith(markup: string): Promise<HtmlPage> {
  const templates = await mkdtemp(path.join(dir, 'templates-'));
  await copyInto(TEMPLATES, templates);
  const layout = path.join(templates, 'handout.hbs');
  await writeFile(layout, (await readFile(layout, 'utf8')).replace('<body>', `<body>\n${markup}`));
  const prepared = await prepareHandouts({ contentDir: path.join(dir, 'content'), templatesDir: templates, only: ['pelvic-tilt'] });
  expect(prepared.failures).toEqual([]);
  return prepared.pages[0]!;
}

/** Prints the page and records what happened. */
async function print(page: HtmlPage, on: Printer = printer): Promise<Outcome> {
  canary.hits.length = 0;
  const outcome: Outcome = { error: null, text: null, hits: canary.hits };
  try {
    const printed = await on.print(page);
    const pdf = path.join(dir, 'out.pdf');
    await writeFile(pdf, printed.bytes);
    outcome.text = execFileSync('pdftotext', ['-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' });
  } catch (err) {
    outcome.error = err as HandoutError;
  }
  // Let anything that escaped try to arrive.
  await new Promise((r) => setTimeout(r, 200));
  return { ...outcome, hits: [...canary.hits] };
}

/**
 * `markup` in the page exactly as a template edit puts it there: the page rendered once
 * from the layout with a marker, the marker replaced (a renderer and a copy of the
 * templates per vector would cost more than printing).
 */
const MARKER = '<!--vector-->';
let marked: HtmlPage;
const render = (markup: string) => {
  const { template } = marked.parts;
  return print({ ...marked, parts: { ...marked.parts, template: splitTemplateOutput(template.text.replace(MARKER, markup), 'handout.hbs') } });
};

beforeAll(async () => {
  canary = await startCanary();
  dir = await tempDir();
  await copyInto(path.join(FIXTURES, 'other-clinic'), path.join(dir, 'content'));
  secretDir = await mkdtemp(path.join(os.tmpdir(), 'canary-'));
  token = `secret-${Math.random().toString(36).slice(2)}`;
  secret = path.join(secretDir, 'secret.txt');
  await writeFile(secret, `${token}\n`);
  printer = await launchPrinter(throughCanary(true));
  marked = await renderWith(MARKER);
  expect(marked.parts.template.text).toContain(MARKER);
});
afterAll(async () => {
  await printer?.close();
  await canary?.close();
  await removeDir(dir);
  await removeDir(secretDir);
});

describe('the canary as proxy', () => {
  it('sees what leaves the browser, so zero hits below means blocked: a WebSocket (JavaScript on, no CSP) arrives', async () => {
    const open = await launchPrinter({ ...throughCanary(true), javaScript: true });
    const page = barePage('ws', "<!DOCTYPE html><html><head><title>ws</title></head><body><p>ws</p><script>new WebSocket('ws://169.254.169.254/latest/meta-data/');</script></body></html>");
    canary.hits.length = 0;
    try {
      await open.print(page).catch(() => {});
      const end = Date.now() + 5000;
      while (!canary.hits.includes('CONNECT 169.254.169.254:80') && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    } finally {
      await open.close();
    }
    expect(canary.hits).toContain('CONNECT 169.254.169.254:80');
  });
});

describe('file URLs in every spelling', () => {
  // Absolute file: URLs: refused, and named (Chromium reports the <object>/<embed> ones
  // it refuses under the CSP).
  const absolute = () => [`file://${secret}`, `FILE://${secret}`, `File://${secret}`, `file://localhost${secret}`, `file:${secret}`, `file:\\\\\\${secret}`];
  // Relative spellings resolve against the page's base, about:blank, so they name nothing
  // to load; they would become file: URLs if the page were ever loaded from a file.
  const relative = () => [secret, `../../../../../..${secret}`, `%2e%2e/%2e%2e/%2e%2e/%2e%2e${secret}`, `\\\\localhost${secret}`, `//localhost${secret}`];
  const shownAbsolute = ['file://S', 'FILE://S', 'File://S', 'file://localhostS', 'file:S', 'file:\\\\\\S'];
  const shownRelative = ['S', '../../../../../..S', '%2e%2e/%2e%2e/%2e%2e/%2e%2eS', '\\\\localhostS', '//localhostS'];

  it.each(shownAbsolute.map((s, i) => [s, i] as const))('%s (S = the secret file) is refused naming the URL; nothing of the file is read', async (_shown, i) => {
    const outcome = await render(markupFor(absolute()[i]!));
    expect(pageHits(outcome.hits)).toEqual([]);
    expect(outcome.error?.code).toBe('BLOCKED_REQUEST');
    expect(outcome.error?.where?.file).toMatch(/content\/en\/pelvic-tilt\.yaml$/);
    expect(outcome.error?.message).toMatch(/the page tried to load "file:[^"]*secret\.txt"/);
    expect(outcome.text).toBeNull();
  });

  it.each(shownRelative.map((s, i) => [s, i] as const))('%s (S = the secret file) loads nothing: the PDF has the page, not the file', async (_shown, i) => {
    const outcome = await render(markupFor(relative()[i]!));
    expect(pageHits(outcome.hits)).toEqual([]);
    if (outcome.error) {
      expect(String(outcome.error)).toMatch(/pelvic-tilt\.yaml: the page tried to load .*\[BLOCKED_REQUEST\]$/);
    } else {
      expect(outcome.text).toContain('Pelvic tilt');
      expect(outcome.text).not.toContain(token);
    }
  });

  // Chromium refuses these before any request exists to intercept (nothing is read: see
  // the token check); the page slot hears of it from the console and fails the document.
  it.each(['iframe', 'img', 'link'])('a file: URL in an <%s> alone fails the document, naming the URL', async (element) => {
    const url = `file://${secret}`;
    const markup = { iframe: `<iframe src="${url}"></iframe>`, img: `<img src="${url}" alt="">`, link: `<link rel="stylesheet" href="${url}">` }[element]!;
    const outcome = await render(markup);
    expect(outcome.text ?? '').not.toContain(token);
    expect(outcome.error?.message).toContain(`"${url}"`);
  });
});

// The printed page may load fonts from the printer's own asset origin (render/page-assets.ts):
// only the ones its own page declared are answered, from memory; nothing is fetched.
describe("the printer's asset origin", () => {
  it('answers only the fonts the page itself declared: another font URL there is refused, named, and reaches no host', async () => {
    const url = `${ASSET_ORIGIN}/fonts/${'0'.repeat(24)}.woff2`;
    const outcome = await render(`<style>@font-face { font-family: Stray; src: url(${url}); }</style><p style="font-family: Stray">stray</p>`);
    expect(linkedAssets(marked.parts).length).toBeGreaterThan(0);
    expect(outcome.error?.code).toBe('BLOCKED_REQUEST');
    expect(outcome.error?.message).toContain(`"${url}"`);
    expect(pageHits(outcome.hits)).toEqual([]);
  });

  it('is a font source only: an image from it is refused by policy', async () => {
    const url = linkedAssets(marked.parts)[0]!.url;
    const outcome = await render(`<img src="${url}" alt="">`);
    expect(outcome.error?.code).toBe('BLOCKED_REQUEST');
    expect(outcome.error?.message).toContain(`"${url}"`);
  });
});

describe('cloud metadata and loopback addresses in every encoding', () => {
  const port = () => canary.address.split(':')[1]!;
  const shown = [
    'http://169.254.169.254/latest/meta-data/',
    'https://169.254.169.254/latest/meta-data/',
    'http://[::ffff:169.254.169.254]/',
    'http://2852039166/',
    'http://0xA9FEA9FE/',
    'http://0251.0376.0251.0376/',
    'http://169.254.169.254.nip.io/',
    'http://metadata.google.internal/computeMetadata/v1/',
    'http://[fd00:ec2::254]/latest/meta-data/',
    'http://127.0.0.1:CANARY/',
    'http://localhost:CANARY/',
    'http://[::1]:CANARY/',
    'http://127.1:CANARY/',
    'http://0.0.0.0:CANARY/',
    'http://2130706433:CANARY/',
    'http://example.com@127.0.0.1:CANARY/',
    'HTTP://127.0.0.1:CANARY/',
    'https://127.0.0.1:CANARY/',
    'ws://127.0.0.1:CANARY/',
  ];
  const urlOf = (s: string) => s.replace('CANARY', port());

  it.each(shown)('%s is refused by policy and named in the error; no request reaches any host', async (s) => {
    const url = urlOf(s);
    const outcome = await render(markupFor(url));
    expect(outcome.error?.code).toBe('BLOCKED_REQUEST');
    expect(outcome.error?.where?.file).toMatch(/content\/en\/pelvic-tilt\.yaml$/);
    // Named as Chromium parsed it (2852039166 is 169.254.169.254); frames are reported by origin.
    const { protocol, host } = new URL(url);
    expect(outcome.error?.message).toContain(`"${protocol}//${host}`);
    // No request line, path or data reached the canary, for any host. The one thing the page
    // layer lets through: an https <iframe> refused by the CSP still has Chromium open a
    // tunnel to its host (CONNECT host:443, nothing sent inside). In a build, that tunnel
    // meets the resolver rule and the dead proxy: see the next test.
    const preconnect = protocol === 'https:' ? `CONNECT ${new URL(url).hostname}:443` : null;
    expect(pageHits(outcome.hits).filter((h) => h !== preconnect && h !== preconnect?.replace(':443', `:${port()}`))).toEqual([]);
  });

  it('with the build\'s own flags nothing at all arrives, not even a tunnel, though the proxy listens', async () => {
    // A canary of its own: the other browser's background traffic must not be counted here.
    const listener = await startCanary();
    const build = await launchPrinter({ executablePath: findBrowser(undefined).path, proxyServer: `http://${listener.address}`, timeoutMs: 10_000 });
    try {
      // This time through the template itself, as a build would render it.
      const page = await renderWith([...shown.map(urlOf), `file://${secret}`].map(markupFor).join('\n'));
      const error = await build.print(page).then(() => null, (err: HandoutError) => err);
      await new Promise((r) => setTimeout(r, 500));
      expect(error?.code).toBe('BLOCKED_REQUEST');
      expect(listener.hits).toEqual([]);
    } finally {
      await build.close();
      await listener.close();
    }
  });
});

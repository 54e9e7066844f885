/**
 * Prints HTML pages to PDF with one headless Chromium for the whole build.
 *
 * Isolation: each page is served from a synthetic origin that never resolves
 * (http://handout.invalid/) by request interception; the page itself is the only request
 * answered. Everything else is aborted and fails that document, naming the URL. Behind
 * that, the browser is started with a dead proxy and a resolver that resolves nothing, so
 * traffic that interception cannot see (WebSockets, workers) has nowhere to go either.
 * JavaScript is off in the page. This is the only module that imports puppeteer.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type HTTPRequest, type Page } from 'puppeteer';
import { HandoutError } from '../errors.js';
import { applyFit } from '../render/apply-fit.js';
import { CONTENT_SECURITY_POLICY, type HtmlPage } from '../render/create-renderer.js';
import { countPages } from './count-pages.js';

/** A printed PDF, not yet checked. */
export interface PdfFile {
  page: HtmlPage;
  /** The exact HTML printed: the page's, with the fit level that made it fit. */
  html: string;
  /** The --fit level used (1 = designed size). */
  fit: number;
  bytes: Uint8Array;
  printMs: number;
}

export interface Printer {
  readonly browserVersion: string;
  print(page: HtmlPage): Promise<PdfFile>;
  close(): Promise<void>;
}

export interface PrinterOptions {
  executablePath: string;
  /** Deadline for loading and printing one document, in milliseconds. */
  timeoutMs?: number;
  /** Extra Chromium flags (tests use this to point the proxy at a canary). */
  extraArgs?: string[];
  /** Replaces the dead proxy; only tests set this. */
  proxyServer?: string;
  /** Allow page JavaScript (tests use this to prove the second isolation layer). */
  javaScript?: boolean;
}

export const ORIGIN = 'http://handout.invalid';

export async function launchPrinter(options: PrinterOptions): Promise<Printer> {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'handout-chromium-'));
  const timeoutMs = options.timeoutMs ?? 30_000;
  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      executablePath: options.executablePath,
      headless: true,
      pipe: true,
      userDataDir: profile,
      env: minimalEnv(profile),
      args: chromiumArgs(options),
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      timeout: 30_000,
    });
  } catch (err) {
    await rm(profile, { recursive: true, force: true });
    throw new HandoutError('BROWSER', `could not start the browser at ${options.executablePath}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  const browserVersion = await browser.version();

  return {
    browserVersion,
    print: (page) => printOne(browser, page, timeoutMs, options.javaScript ?? false),
    async close() {
      await browser.close().catch(() => browser.process()?.kill('SIGKILL'));
      await rm(profile, { recursive: true, force: true });
    },
  };
}

function chromiumArgs(options: PrinterOptions): string[] {
  const runningAsRoot = process.getuid?.() === 0;
  return [
    ...(runningAsRoot ? ['--no-sandbox'] : []),
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
    '--disable-extensions',
    '--disable-features=Translate,MediaRouter,OptimizationHints,AutofillServerCommunication',
    '--font-render-hinting=none',
    // Second layer: whatever escapes interception meets a proxy that does not exist
    // (port 9, discard) and a resolver that resolves nothing.
    `--proxy-server=${options.proxyServer ?? 'http://127.0.0.1:9'}`,
    '--proxy-bypass-list=<-loopback>',
    '--host-resolver-rules=MAP * ~NOTFOUND',
    ...(options.extraArgs ?? []),
  ];
}

/** Chromium gets no secrets from the caller's environment: only what it needs to run. */
function minimalEnv(profile: string): Record<string, string> {
  const env: Record<string, string> = { HOME: profile, TMPDIR: os.tmpdir(), LANG: 'C.UTF-8', TZ: 'UTC' };
  for (const key of ['PATH', 'FONTCONFIG_FILE', 'FONTCONFIG_PATH', 'DISPLAY', 'XDG_RUNTIME_DIR']) {
    const value = process.env[key];
    if (value) env[key] = value;
  }
  return env;
}

async function printOne(browser: Browser, doc: HtmlPage, timeoutMs: number, javaScript: boolean): Promise<PdfFile> {
  const started = performance.now();
  const context = await browser.createBrowserContext();
  const deadline = setTimeout(() => void context.close().catch(() => {}), timeoutMs + 5_000);
  try {
    const page = await context.newPage();
    const url = `${ORIGIN}/${encodeURIComponent(doc.source.locale)}/${encodeURIComponent(doc.source.slug)}.html`;
    const served = { html: doc.html };
    const blocked = await isolate(page, url, served, javaScript);
    // Most handouts fit at the designed size: one print. Longer ones (often a
    // translation) are printed again a step smaller, down to the floor.
    let attempt: { html: string; fit: number; bytes: Uint8Array } | undefined;
    for (const fit of doc.layout.fitLevels) {
      served.html = applyFit(doc.html, fit);
      await page.goto(url, { waitUntil: 'load', timeout: timeoutMs });
      await waitForFontsAndImages(page, timeoutMs);
      refuseIfBlocked(blocked, doc);
      const bytes = await page.pdf({ printBackground: true, preferCSSPageSize: true, tagged: true, timeout: timeoutMs });
      attempt = { html: served.html, fit, bytes };
      if (countPages(bytes) <= doc.layout.maxPages) break;
    }
    // Console reports can trail the load event; look again now that layout is final.
    refuseIfBlocked(blocked, doc);
    return { page: doc, ...attempt!, printMs: performance.now() - started };
  } catch (err) {
    if (err instanceof HandoutError) throw err;
    const message = (err as Error).message;
    const timedOut = /timeout|timed out/i.test(message);
    throw new HandoutError(timedOut ? 'PRINT_TIMEOUT' : 'BROWSER', `printing failed: ${message}`, {
      where: { file: doc.source.file },
      cause: err,
    });
  } finally {
    clearTimeout(deadline);
    await context.close().catch(() => {});
  }
}

function refuseIfBlocked(blocked: readonly string[], doc: HtmlPage): void {
  if (blocked.length === 0) return;
  const urls = [...new Set(blocked)];
  throw new HandoutError('BLOCKED_REQUEST', `the page tried to load ${urls.map((u) => `"${u}"`).join(', ')}; blocked`, {
    where: { file: doc.source.file },
  });
}

/**
 * Answers the page's own URL with the rendered HTML and refuses everything else,
 * returning the list of refused URLs (filled in as the page loads).
 */
async function isolate(page: Page, url: string, served: { html: string }, javaScript: boolean): Promise<string[]> {
  const blocked: string[] = [];
  await page.setJavaScriptEnabled(javaScript);
  await page.setRequestInterception(true);
  page.on('request', (request: HTTPRequest) => {
    if (request.isInterceptResolutionHandled()) return;
    const target = request.url();
    // Only our own navigation to the page itself; a page that navigates (meta refresh,
    // a link) to the same URL from inside would be a frame or a redirect, not this.
    if (target === url && request.isNavigationRequest() && request.frame() === page.mainFrame() && request.redirectChain().length === 0) {
      void request.respond({
        status: 200,
        contentType: 'text/html; charset=utf-8',
        headers: { 'Content-Security-Policy': CONTENT_SECURITY_POLICY },
        body: served.html,
      });
    } else if (target.startsWith('data:')) {
      void request.continue();
    } else {
      blocked.push(target);
      void request.abort('accessdenied');
    }
  });
  // Requests the Content-Security-Policy stops never reach interception; Chromium
  // reports them on the console instead. Count them as blocked too.
  // ("Loading the image 'http://…' violates the following Content Security Policy…")
  page.on('console', (msg) => {
    const text = msg.text();
    if (!text.includes('Content Security Policy')) return;
    blocked.push(/'([^']+)'/.exec(text)?.[1] ?? text);
  });
  return blocked;
}

async function waitForFontsAndImages(page: Page, timeoutMs: number): Promise<void> {
  await page.waitForFunction(
    async () => {
      await document.fonts.ready;
      await Promise.all(Array.from(document.images, (img) => img.decode().catch(() => undefined)));
      return true;
    },
    { timeout: timeoutMs },
  );
}

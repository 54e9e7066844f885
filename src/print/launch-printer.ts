/**
 * Prints HTML pages to PDF with one headless Chromium for the whole build, on a small
 * pool of warm pages (see page-slot.ts for how each page is isolated).
 *
 * Behind the page-level isolation, the browser is started with a dead proxy and a
 * resolver that resolves nothing, so traffic that request interception cannot see
 * (WebSockets, workers) has nowhere to go either, and with an environment that holds
 * none of the caller's secrets. The print/ folder is the only one that imports puppeteer.
 *
 * Or the build prints through a browser that is already running (--browser-ws-endpoint):
 * it connects, opens its own browser contexts (each with the dead proxy), and on close
 * closes those and disconnects, leaving the browser running. Its flags, resolver and
 * environment are the remote's; every request of a page is still intercepted.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'puppeteer-core';
import { HandoutError, toHandoutError } from '../errors.js';
import type { HtmlPage } from '../render/create-renderer.js';
import { linkedAssets, serializePage } from '../render/serialize-page.js';
import { countPages } from './count-pages.js';
import { measureFit, notOnePage, refuseIfBroken, type FitMeasure } from './measure-fit.js';
import { SlotPool, type Slot } from './page-slot.js';
import { isTimeout, withTimeout } from './with-timeout.js';

/** A printed PDF, not yet checked. */
export interface PdfFile {
  page: HtmlPage;
  /** The exact HTML printed: the page's, with the fit level that made it fit. */
  html: string;
  /** The fit level printed (render/apply-fit.ts), and the lines of body text left to spare on the page when measured. */
  fit: { level: string; linesLeft: number | null };
  bytes: Uint8Array;
  /** A small PNG picture of the first page, for the site index (when asked for). */
  thumbnail: Uint8Array | null;
  printMs: number;
}

export interface Printer {
  readonly browserVersion: string;
  print(page: HtmlPage): Promise<PdfFile>;
  /**
   * Lays the page out and measures it at each fit level, as print() does before printing,
   * without printing it: whether it fits, and by how much (a program deciding where to cut
   * itself into sheets, program/split-program.ts). A page that is then printed is still
   * counted and verified.
   */
  measure(page: HtmlPage): Promise<FitMeasure>;
  close(): Promise<void>;
}

export interface PrinterOptions {
  /** The browser to launch; or, with browserWSEndpoint, none. */
  executablePath?: string;
  /** The DevTools WebSocket URL of a running browser to print through instead of launching one. */
  browserWSEndpoint?: string;
  /** Deadline for loading and printing one document, in milliseconds. */
  timeoutMs?: number;
  /** Extra Chromium flags (tests use this to point the proxy at a canary). */
  extraArgs?: string[];
  /** Replaces the dead proxy; only tests set this. */
  proxyServer?: string;
  /** Allow page JavaScript (tests use this to prove the second isolation layer). */
  javaScript?: boolean;
  /** Take a thumbnail of each page (for the site index). */
  thumbnails?: boolean;
}


/**
 * Starts the browser. Printing survives the browser's faults: a document whose printing
 * fails for an infrastructure reason (a crashed page or browser, a timeout) is retried
 * once on a fresh page, in a relaunched browser if the old one died. Content errors
 * (a blocked request, a page that does not fit) are never retried.
 */
export async function launchPrinter(options: PrinterOptions): Promise<Printer> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  let { session, browserVersion } = await firstSession(options);
  let relaunch: Promise<Session> | null = null;
  let closed = false;

  const live = async (): Promise<Session> => {
    if (session.connected()) return session;
    relaunch ??= (async () => {
      await session.close();
      session = await startSession(options);
      relaunch = null;
      return session;
    })();
    return relaunch;
  };

  /** Runs one document's work on a page, retried once on a fresh page for an infrastructure fault. */
  const onPage = async <T>(doc: HtmlPage, work: (slot: Slot) => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      if (closed) throw new HandoutError('BROWSER', 'buildStopped', {}, { where: { file: doc.source.file } });
      const current = await live();
      try {
        // One overall deadline too: whatever a crashed renderer leaves waiting, the
        // document moves on (its page is closed with the browser at the end).
        return await withTimeout(current.slots.use(work), timeoutMs * 2, 'printing').catch((err: unknown) => {
          throw isTimeout(err)
            ? new HandoutError('PRINT_TIMEOUT', 'tookTooLong', { seconds: (timeoutMs * 2) / 1000 }, { where: { file: doc.source.file } })
            : err;
        });
      } catch (raw) {
        const err = toHandoutError(raw, 'BROWSER', { file: doc.source.file });
        const retryable = err instanceof HandoutError && (err.code === 'BROWSER' || err.code === 'PRINT_TIMEOUT');
        if (!retryable || attempt >= 2 || closed) {
          throw attempt >= 2 && err instanceof HandoutError
            ? new HandoutError(err.code, 'alsoOnRetry', { message: err.message }, { where: err.where ?? { file: doc.source.file }, cause: err })
            : err;
        }
      }
    }
  };

  return {
    browserVersion,
    print: (doc) => onPage(doc, (slot) => printOn(slot, doc, timeoutMs, options.thumbnails ?? false)),
    measure: (doc) => onPage(doc, (slot) => measureOn(slot, doc, timeoutMs)),
    async close() {
      closed = true;
      await (relaunch ?? Promise.resolve()).catch(() => {});
      await session.close();
    },
  };
}

interface Session {
  browser: Browser;
  slots: SlotPool;
  connected(): boolean;
  close(): Promise<void>;
}

/**
 * The first session and the browser's version. A browser that dies while starting (a
 * crash, or killed by a busy machine's OOM killer) is started once more; a remote browser
 * that cannot be reached is reported at once, naming its address.
 */
async function firstSession(options: PrinterOptions): Promise<{ session: Session; browserVersion: string }> {
  for (let attempt = 1; ; attempt++) {
    let session: Session | undefined;
    try {
      session = await startSession(options);
      const browserVersion = await withTimeout(session.browser.version(), 15_000, 'asking the browser its version');
      return { session, browserVersion };
    } catch (err) {
      await session?.close();
      const timedOut = /timed? ?out/i.test(String((err as Error)?.message));
      if (options.browserWSEndpoint || timedOut || attempt >= 2) {
        throw err instanceof HandoutError ? err : new HandoutError('BROWSER', 'starting', { detail: (err as Error).message }, { cause: err });
      }
    }
  }
}

function startSession(options: PrinterOptions): Promise<Session> {
  return options.browserWSEndpoint ? connectSession(options.browserWSEndpoint, options) : launchSession(options);
}

/** Puppeteer, loaded when a browser is first needed: a build with nothing to print never pays its ~250 ms. */
async function loadPuppeteer() {
  return (await import('puppeteer-core')).default;
}

/** A session on a browser someone else runs: its contexts are ours, the browser is not. */
async function connectSession(endpoint: string, options: PrinterOptions): Promise<Session> {
  let browser: Browser;
  try {
    browser = await (await loadPuppeteer()).connect({ browserWSEndpoint: endpoint, defaultViewport: null, protocolTimeout: 60_000, networkEnabled: false });
  } catch (err) {
    throw new HandoutError('BROWSER', 'connect', { endpoint: describeEndpoint(endpoint), detail: (err as Error).message }, { cause: err });
  }
  // Its flags are not ours: each context gets the dead proxy instead.
  const slots = new SlotPool(browser, options.javaScript ?? false, {
    proxyServer: options.proxyServer ?? DEAD_PROXY,
    proxyBypassList: ['<-loopback>'],
  });
  // Never browser.close(): that would end the remote browser for everyone using it.
  return session(browser, slots, { closePages: true }, () => withTimeout(browser.disconnect(), 10_000, 'disconnecting from the browser').catch(() => {}));
}

/**
 * A DevTools address as shown in messages: scheme, host, port and path. Credentials and a
 * query (services put access tokens there) are left out.
 */
export function describeEndpoint(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    return `${url.protocol}//${url.host}${url.pathname}${url.search ? '?…' : ''}`;
  } catch {
    return JSON.stringify(endpoint.length > 80 ? `${endpoint.slice(0, 77)}...` : endpoint);
  }
}

async function launchSession(options: PrinterOptions): Promise<Session> {
  if (!options.executablePath) throw new HandoutError('BROWSER_NOT_FOUND', 'notGiven');
  const profile = await mkdtemp(path.join(os.tmpdir(), 'handout-chromium-'));
  let browser: Browser;
  try {
    browser = await (await loadPuppeteer()).launch({
      executablePath: options.executablePath,
      headless: true,
      // Over a pipe, Chromium exits when this process does, even if it is killed.
      pipe: true,
      // No Network domain: the page slots intercept requests themselves (see page-slot.ts).
      networkEnabled: false,
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
    throw new HandoutError('BROWSER', 'launch', { path: options.executablePath, detail: (err as Error).message }, {
      cause: err,
    });
  }
  const slots = new SlotPool(browser, options.javaScript ?? false);
  // The browser is ours and its profile is thrown away, so it is killed rather than asked
  // to close: nothing of it is worth saving, and a polite close (every context, then the
  // browser) kept both cores busy for ~150 ms at the end of every build.
  return session(browser, slots, { closePages: false }, async () => {
    const child = browser.process();
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await withTimeout(exited, 10_000, 'stopping the browser').catch(() => {});
    } else if (!child) {
      await withTimeout(browser.close(), 10_000, 'closing the browser').catch(() => {});
    }
    // Its helper processes may still be leaving the profile folder for a moment.
    await rm(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });
}

/**
 * A browser and its pages. Closing (once, however often asked) first closes the pages
 * when `closePages` is true (a remote browser's contexts would outlive the connection),
 * then `end`s the browser.
 */
function session(browser: Browser, slots: SlotPool, { closePages }: { closePages: boolean }, end: () => Promise<void>): Session {
  slots.warm();
  let closing: Promise<void> | null = null;
  return {
    browser,
    slots,
    connected: () => browser.connected,
    close() {
      closing ??= (async () => {
        if (closePages) await slots.closeAll().catch(() => {});
        await end();
      })();
      return closing;
    },
  };
}

/** Port 9 (discard) on loopback: a proxy that does not exist. */
const DEAD_PROXY = 'http://127.0.0.1:9';

/** The flags the build starts Chromium with (exported so the benchmark's floor uses the same browser). */
export function chromiumArgs(options: Pick<PrinterOptions, 'proxyServer' | 'extraArgs'>): string[] {
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
    // Chromium 15x preloads WebUI omnibox popups in every window; in a window per browser
    // context they follow each document load (about 30 ms of CPU per document here).
    '--disable-features=Translate,MediaRouter,OptimizationHints,AutofillServerCommunication,WebUIOmniboxPopup,WebUIOmniboxAimPopup,WebUIOmniboxFullPopup',
    '--font-render-hinting=none',
    // Each document is drawn whole, not patched onto the tiles of the last one: patched
    // tiles at the page slot's thumbnail zoom (page-slot.ts) left edge pixels that depended
    // on which document the page had shown before, so thumbnails differed between builds.
    '--disable-partial-raster',
    // Second layer: whatever escapes interception meets a proxy that does not exist
    // (port 9, discard) and a resolver that resolves nothing.
    `--proxy-server=${options.proxyServer ?? DEAD_PROXY}`,
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

/** Puppeteer's window for a new page, for pages whose printable area is unknown. */
const UNKNOWN_AREA = { width: 800, height: 600 };

/**
 * Prints one document on a warm page. The page is laid out at the printable width with
 * print styles, so which fit level it needs is measured in the page (a relayout per
 * level, milliseconds) before printing once (measure-fit.ts). The PDF's page count is
 * still checked, and if the measurement was off the next levels are printed and counted.
 *
 * The thumbnail is a picture of the same layout, asked for together with the PDF: the
 * screenshot waits for a compositor frame of the screen layout, which printing does not
 * change, so the two overlap instead of queueing (the pictures are byte-identical to ones
 * taken before printing; a document costs about 40 ms less).
 */
async function printOn(slot: Slot, doc: HtmlPage, timeoutMs: number, thumbnail: boolean): Promise<PdfFile> {
  const started = performance.now();
  // Only the files its own page links are answered.
  const blocked = slot.startDocument(linkedAssets(doc.parts));
  const { fitLevels, maxPages } = doc.layout;
  const printable = doc.printable;
  // Printed with its fonts linked, saved with them inlined: the same bytes (page-assets.ts).
  const load = (level: string) => slot.guard(slot.page.setContent(serializePage(doc.parts, { as: 'printed', fit: level }), { waitUntil: 'load', timeout: timeoutMs }));
  // Personal copies and large print are kept out of the site: no picture for them.
  const snap = async () => (thumbnail && printable && !doc.variant ? slot.guard(slot.picture()) : null);
  try {
    // The window is sized before loading, so the document is laid out once, at that width.
    // A page whose printable area is unknown gets puppeteer's usual window (zoomed like
    // every other), so it prints the same whichever page it lands on.
    await slot.setArea(printable ?? UNKNOWN_AREA);
    await load(fitLevels[0]!);
    const limit = printable ? printable.height * maxPages : null;
    const measure = await slot.guard(measureFit(slot.page, fitLevels, limit, timeoutMs));
    refuseIfBlocked(blocked, doc);
    refuseIfBroken(measure, doc);
    // measureFit() left the chosen level on the live page, as serializePage() writes it into
    // the HTML: the DOM printed is the DOM the saved HTML parses to.
    let attempt: { level: string; bytes: Uint8Array; picture: Uint8Array | null } | undefined;
    for (let i = measure.chosen; i < fitLevels.length; i++) {
      if (i > measure.chosen) {
        await load(fitLevels[i]!);
        await slot.guard(measureFit(slot.page, [fitLevels[i]!], null, timeoutMs));
      }
      const [bytes, picture] = await Promise.all([
        // measureFit() waited for the fonts already: no second round trip for that.
        slot.guard(slot.page.pdf({ printBackground: true, preferCSSPageSize: true, tagged: true, timeout: timeoutMs, waitForFonts: false })),
        snap(),
      ]);
      attempt = { level: fitLevels[i]!, bytes, picture };
      if (countPages(bytes) <= maxPages) break;
    }
    // Console reports can trail the load event; look again now that layout is final.
    refuseIfBlocked(blocked, doc);
    const { picture, level, bytes } = attempt!;
    if (countPages(bytes) > maxPages) throw notOnePage(doc, measure);
    const fit = { level, linesLeft: measure.fits ? measure.linesLeft : null };
    return { page: doc, html: serializePage(doc.parts, { as: 'saved', fit: level }), fit, bytes, thumbnail: picture, printMs: performance.now() - started };
  } catch (err) {
    if (err instanceof HandoutError) throw err;
    const message = (err as Error).message;
    throw new HandoutError(isTimeout(err) ? 'PRINT_TIMEOUT' : 'BROWSER', 'printing', { detail: message }, {
      where: { file: doc.source.file },
      cause: err,
    });
  }
}

/** What printOn() measures before it prints: the page laid out at its printable width, at each fit level. */
async function measureOn(slot: Slot, doc: HtmlPage, timeoutMs: number): Promise<FitMeasure> {
  slot.startDocument(linkedAssets(doc.parts));
  const { fitLevels, maxPages } = doc.layout;
  try {
    await slot.setArea(doc.printable ?? UNKNOWN_AREA);
    await slot.guard(slot.page.setContent(serializePage(doc.parts, { as: 'printed', fit: fitLevels[0]! }), { waitUntil: 'load', timeout: timeoutMs }));
    return await slot.guard(measureFit(slot.page, fitLevels, doc.printable ? doc.printable.height * maxPages : null, timeoutMs));
  } catch (err) {
    if (err instanceof HandoutError) throw err;
    throw new HandoutError(isTimeout(err) ? 'PRINT_TIMEOUT' : 'BROWSER', 'measuring', { detail: (err as Error).message }, { where: { file: doc.source.file }, cause: err });
  }
}

function refuseIfBlocked(blocked: readonly string[], doc: HtmlPage): void {
  if (blocked.length === 0) return;
  const urls = [...new Set(blocked)];
  throw new HandoutError('BLOCKED_REQUEST', 'blocked', { urls: urls.map((u) => `"${u}"`).join(', ') }, {
    where: { file: doc.source.file },
  });
}


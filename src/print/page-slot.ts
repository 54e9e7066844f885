/**
 * A warm page to print on, in its own browser context, reused for a run of documents.
 *
 * A fresh browser context per document costs a new renderer process (about 120 ms here,
 * more than printing the page itself), so each worker keeps one page and loads each
 * document into it with setContent. Documents still cannot see each other: page
 * JavaScript is off (so nothing runs to keep state), every document replaces the last
 * completely, and the page is thrown away after a failure and after MAX_USES documents.
 *
 * Isolation on the page: every request a document makes is intercepted (the DevTools
 * Fetch domain, on the page's own session) and refused, and recorded, so the document
 * fails naming the URL; only the document's own fonts are answered, from memory (see
 * render/page-assets.ts). data: URLs (the embedded fonts and images) never reach the
 * network stack, so they are never paused. Requests that the document's
 * Content-Security-Policy stops never reach interception; Chromium reports them on the
 * console, and they are recorded too.
 *
 * Puppeteer's own interception is not used: it needs the Network domain, whose events
 * repeat every data: URL in full, twice (~1.6 MB of JSON per document for Chromium to
 * write and Node to parse). The browser is started with networkEnabled: false.
 */
import type { Browser, BrowserContext, BrowserContextOptions, CDPSession, Page, Protocol } from 'puppeteer-core';
import type { PageAsset } from '../render/page-assets.js';
import { withTimeout } from './with-timeout.js';

/**
 * Recycle a page after this many documents, so memory stays flat over long runs (and the
 * Content-Security-Policies that document.write leaves behind stay few). A page kept warm
 * keeps its fonts decoded (page-assets.ts): over 210 documents, recycling every 50 cost
 * ~10 % more than never; over 420, every 200 cost ~3 % more than never.
 */
const MAX_USES = 200;
const OPEN_TIMEOUT_MS = 15_000;
/** The width of a page's picture in pixels: what a reader recognises in a list. */
const THUMBNAIL_WIDTH = 240;

export class Slot {
  uses = 0;
  /** False once the page crashed or closed, even while it waits in the pool. */
  healthy = true;
  #blocked: string[] = [];
  /** The current document's assets by URL: the only requests answered. */
  #assets = new Map<string, PageAsset>();
  /** The window's size in CSS px and its zoom (see setArea). */
  #area: { width: number; height: number; scale: number } | null = null;
  /** Rejects when the page's renderer crashes or the page closes: nothing then waits for its timeout. */
  readonly #crashed: Promise<never>;

  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    /** The page's own DevTools session: interception and pictures. */
    readonly cdp: CDPSession,
  ) {
    this.#crashed = new Promise<never>((_, reject) => {
      page.once('error', (err) => {
        this.healthy = false;
        reject(new Error(`the page crashed (${err.message})`));
      });
      page.once('close', () => {
        this.healthy = false;
        reject(new Error('the page closed'));
      });
    });
    this.#crashed.catch(() => {});
  }

  /** `work`, or a rejection as soon as the page crashes. */
  guard<T>(work: Promise<T>): Promise<T> {
    return Promise.race([work, this.#crashed]);
  }

  static async open(browser: Browser, javaScript: boolean, contextOptions: BrowserContextOptions = {}): Promise<Slot> {
    // A browser that crashed half-way can leave these waiting forever.
    const context = await withTimeout(browser.createBrowserContext(contextOptions), OPEN_TIMEOUT_MS, 'opening a browser context');
    const page = await withTimeout(context.newPage(), OPEN_TIMEOUT_MS, 'opening a page').catch(async (err: unknown) => {
      await context.close().catch(() => {});
      throw err;
    });
    try {
      return await Slot.#prepare(context, page, javaScript);
    } catch (err) {
      // A page that could not be set up is never used: nothing of it may stay open.
      await context.close().catch(() => {});
      throw err;
    }
  }

  static async #prepare(context: BrowserContext, page: Page, javaScript: boolean): Promise<Slot> {
    const cdp = await page.createCDPSession();
    const slot = new Slot(context, page, cdp);
    await page.setJavaScriptEnabled(javaScript);
    await page.emulateMediaType('print');
    cdp.on('Fetch.requestPaused', (event: Protocol.Fetch.RequestPausedEvent) => {
      const { requestId, request } = event;
      const asset = request.method === 'GET' ? slot.#assets.get(request.url) : undefined;
      // (A data: URL is never paused today; should a Chromium ever pause one, it is let through.)
      if (request.url.startsWith('data:')) {
        cdp.send('Fetch.continueRequest', { requestId }).catch(() => {});
      } else if (asset) {
        cdp.send('Fetch.fulfillRequest', { requestId, responseCode: 200, responseHeaders: assetHeaders(asset), body: asset.base64 }).catch(() => {});
      } else {
        slot.#blocked.push(request.url + (request.urlFragment ?? ''));
        cdp.send('Fetch.failRequest', { requestId, errorReason: 'AccessDenied' }).catch(() => {});
      }
    });
    await cdp.send('Fetch.enable', { patterns: [{ urlPattern: '*' }] });
    // ("Loading the image 'http://…' violates the following Content Security Policy…")
    page.on('console', (msg) => {
      const text = msg.text();
      if (text.includes('Content Security Policy')) slot.#blocked.push(/'([^']+)'/.exec(text)?.[1] ?? text);
      // Chromium refuses file: URLs before any request exists to intercept, and says so only here.
      const local = /^Not allowed to load local resource: (\S+)/.exec(text);
      if (local) slot.#blocked.push(local[1]!);
    });
    return slot;
  }

  /**
   * Starts a document that may load `assets`: returns the list its refused requests will
   * be recorded in.
   */
  startDocument(assets: readonly PageAsset[]): string[] {
    this.#blocked = [];
    this.#assets = new Map(assets.map((asset) => [asset.url, asset]));
    return this.#blocked;
  }

  /**
   * Lays pages out at the printable width (CSS px), so their height can be measured, in a
   * window as tall as the printable area, and shows that window at thumbnail scale.
   *
   * Why the window is zoomed out for good: Chromium takes a scaled picture by zooming the
   * window, drawing a frame, and zooming back, and every change of zoom costs a frame of
   * the whole page. That was the largest cost of a build beyond printing (~20 ms of CPU per
   * document, whatever the size of the picture). Zoomed out from the start, the picture
   * needs no change of zoom, and the frames Chromium draws of every document anyway are
   * drawn at a ninth of the pixels. Layout and printing do not see the zoom (it is a
   * pinch-zoom of the window, not a page zoom); 8 of the repo's 15 PDFs differ from
   * unzoomed prints only in the last digit of a coordinate (1846.8749 for 1846.875).
   * The zoom depends only on the document's own printable area, so a document prints the
   * same bytes whichever page it lands on.
   */
  async setArea(area: { width: number; height: number }): Promise<void> {
    const width = Math.floor(area.width);
    const height = Math.ceil(area.height);
    if (width === this.#area?.width && height === this.#area.height) return;
    const scale = THUMBNAIL_WIDTH / width;
    await this.cdp.send('Emulation.setDeviceMetricsOverride', {
      width,
      height,
      deviceScaleFactor: 1,
      mobile: false,
      viewport: { x: 0, y: 0, width, height, scale },
    });
    this.#area = { width, height, scale };
  }

  /**
   * A PNG of the window (the printable area, as setArea() laid it out) at thumbnail width,
   * straight from the compositor. The clip asks for exactly the zoom the window already
   * has, so Chromium captures the frame as it is.
   */
  async picture(): Promise<Uint8Array> {
    const area = this.#area;
    if (!area) throw new Error('picture() before setArea()');
    const { data } = await this.cdp.send('Page.captureScreenshot', {
      format: 'png',
      clip: { x: 0, y: 0, width: area.width, height: area.height, scale: area.scale },
      captureBeyondViewport: false,
      // Faster compression: the picture is small either way.
      optimizeForSpeed: true,
    });
    return Buffer.from(data, 'base64');
  }

  async close(): Promise<void> {
    await withTimeout(this.context.close(), OPEN_TIMEOUT_MS, 'closing a page').catch(() => {});
  }
}

/**
 * Kept for a year and never revalidated (the URL names the content), so the next document
 * on the page finds the font already decoded; fonts load in CORS mode, hence the
 * Allow-Origin.
 */
function assetHeaders(asset: PageAsset): Protocol.Fetch.HeaderEntry[] {
  return [
    { name: 'Content-Type', value: asset.contentType },
    { name: 'Cache-Control', value: 'public, max-age=31536000, immutable' },
    { name: 'Access-Control-Allow-Origin', value: '*' },
  ];
}

/** Hands out warm slots; the caller's concurrency limit bounds how many exist. */
export class SlotPool {
  readonly #idle: Slot[] = [];
  readonly #all = new Set<Slot>();

  constructor(
    readonly browser: Browser,
    readonly javaScript: boolean,
    /** For a remote browser: the dead proxy, set per context since its flags are not ours. */
    readonly contextOptions: BrowserContextOptions = {},
  ) {}

  #warming: Promise<void> | null = null;

  /**
   * Opens a page before the first document arrives: a browser context and its renderer
   * take ~200 ms to start, which then overlaps the rendering of the handouts instead of
   * delaying the first PDF (most of a one-handout rebuild).
   */
  warm(): void {
    this.#warming = this.#open().then(
      (slot) => void this.#idle.push(slot),
      () => {}, // the first document opens its own page, and meets the error there
    );
  }

  async use<T>(fn: (slot: Slot) => Promise<T>): Promise<T> {
    if (this.#warming) {
      await this.#warming;
      this.#warming = null;
    }
    let slot = this.#idle.pop();
    while (slot && !slot.healthy) {
      await this.#retire(slot);
      slot = this.#idle.pop();
    }
    slot ??= await this.#open();
    try {
      const result = await fn(slot);
      slot.uses++;
      if (slot.uses >= MAX_USES) await this.#retire(slot);
      else this.#idle.push(slot);
      return result;
    } catch (err) {
      // A failed document may have left the page in any state: never reuse it.
      await this.#retire(slot);
      throw err;
    }
  }

  async closeAll(): Promise<void> {
    // A page still opening would outlive the close (and, on a remote browser, stay open there).
    await this.#warming;
    await Promise.all([...this.#all].map((slot) => this.#retire(slot)));
  }

  async #open(): Promise<Slot> {
    const slot = await Slot.open(this.browser, this.javaScript, this.contextOptions);
    this.#all.add(slot);
    return slot;
  }

  async #retire(slot: Slot): Promise<void> {
    this.#all.delete(slot);
    await slot.close();
  }
}

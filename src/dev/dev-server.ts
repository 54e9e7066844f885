/**
 * `handout dev`: a preview server for authors. Each request renders the handout afresh
 * from the files (the same prepare stage as a build), and every open page reloads when a
 * file of the project changes. Errors are pages, never crashes.
 *
 * It is a local tool and is built like one that could be reached by a hostile web page
 * in the author's browser: bound to 127.0.0.1; GET and HEAD only, but for the composer's
 * POSTs (Origin and a per-session token checked, composer.ts); a Host check against
 * DNS rebinding; URLs are matched against the discovered handouts, never mapped to
 * paths, so nothing but rendered handouts is served; a strict Content-Security-Policy
 * that allows one inline script (live reload) by nonce. Requests another site's page
 * makes (Sec-Fetch-Site: cross-site) are refused.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { prepareHandouts } from '../build/prepare-handouts.js';
import { discoverHandouts, LOCALE_PATTERN, SLUG_PATTERN } from '../content/discover-handouts.js';
import { HandoutError, toHandoutError } from '../errors.js';
import { findBrowser } from '../print/find-browser.js';
import { finished } from '../print/finish-pdf.js';
import { launchPrinter, type Printer } from '../print/launch-printer.js';
import { contentSecurityPolicy } from '../render/content-security-policy.js';
import type { HtmlPage } from '../render/create-renderer.js';
import { PAGE_SIZES, type PageSize } from '../resolve/resolve-handout.js';
import { verifyPdf } from '../verify/verify-pdf.js';
import { Composer, MAX_BODY_BYTES } from './composer.js';
import { loadDevPages, type FitVerdict, type PreviewTarget, type PageContext } from './preview-pages.js';
import { watchFiles } from './watch-files.js';

export interface DevServerOptions {
  contentDir: string;
  templatesDir: string;
  /** 0 picks a free port. */
  port: number;
  /** Paper for every page unless the page asks for another (?size=). */
  pageSize?: PageSize | undefined;
  /** Browser for the PDF link (found as a build finds it when not given). */
  chrome?: string | undefined;
  /** Called for each request, for the terminal log. */
  onRequest?: (line: string) => void;
  /** Where the composer's sheets and messages go (--private-out; default "private"). */
  privateDir?: string | undefined;
  /** From the environment: the composer sends e-mail only with it, and writes .eml files without. */
  smtpUrl?: string | undefined;
  mailFrom?: string | undefined;
}

export interface DevServer {
  url: string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const contentDir = path.resolve(options.contentDir);
  const templatesDir = path.resolve(options.templatesDir);
  // Pages poll this (a small GET every 400 ms) rather than holding a connection open:
  // a browser allows six connections per host, and a seventh preview tab would hang.
  // The boot id makes a page rendered by an earlier server reload too.
  const boot = randomBytes(4).toString('hex');
  const watcher = watchFiles([contentDir, templatesDir]);
  const version = () => `${boot}-${watcher.version}`;
  let closed = false;
  // The browser starts on the first page asked for (it measures the fit), and stays warm.
  let printer: Promise<Printer> | null = null;
  const getPrinter = () => {
    if (closed) return Promise.reject(new HandoutError('BROWSER', 'serverStopping'));
    printer ??= launchPrinter({ executablePath: findBrowser(options.chrome).path }).catch((err: unknown) => {
      printer = null;
      throw err;
    });
    return printer;
  };

  // The composer (/compose): the only part that changes anything, so the only one that takes POST.
  const composer = new Composer({
    contentDir,
    templatesDir,
    privateDir: path.resolve(options.privateDir ?? 'private'),
    getPrinter,
    smtpUrl: options.smtpUrl,
    mailFrom: options.mailFrom,
    sourceDateEpoch: process.env.SOURCE_DATE_EPOCH,
  });

  const server = http.createServer((req, res) => {
    const t0 = performance.now();
    handle(req, res)
      .catch((err: unknown) =>
        // A dev template the clinic broke (templates/dev/): said in plain text, the frame cannot be drawn.
        err instanceof HandoutError
          ? send(res, 500, TEXT, `the dev pages cannot be shown: ${err.toString()}\n${err.hint ? `hint: ${err.hint}\n` : ''}`)
          : send(res, 500, TEXT, `internal error in handout dev (a bug; please report it): ${String(err)}\n`),
      )
      // eslint-disable-next-line no-control-regex -- a URL's control characters never reach the terminal
      .finally(() => options.onRequest?.(`${req.method} ${String(req.url).replace(/[\u0000-\u001f\u007f-\u009f]/g, '?')} → ${res.statusCode} (${Math.round(performance.now() - t0)} ms)`));
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const port = (server.address() as AddressInfo).port;
    const composing = req.method === 'POST' && /^\/compose\/[a-z]+$/.test(req.url ?? '');
    if (req.method !== 'GET' && req.method !== 'HEAD' && !composing) {
      res.setHeader('Allow', 'GET, HEAD');
      return send(res, 405, TEXT, 'handout dev answers GET and HEAD requests only (and POST from its composer)\n');
    }
    // A page on another site that points a DNS name at 127.0.0.1 sends its own Host.
    if (req.headers.host !== `${HOST}:${port}` && req.headers.host !== `localhost:${port}`) {
      return send(res, 403, TEXT, `handout dev answers only to http://${HOST}:${port}/\n`);
    }
    // Another site's page may still point <img> or fetch() here (to start Chromium over
    // and over): browsers say where a request comes from, and only our pages are answered.
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none') {
      return send(res, 403, TEXT, 'handout dev answers only its own pages and the address bar\n');
    }
    if (!req.url?.startsWith('/')) return send(res, 400, TEXT, 'expected a path such as /en/lower-back-relief.html\n');
    let url: URL;
    try {
      url = new URL(`http://${HOST}:${port}${req.url}`);
    } catch {
      return send(res, 400, TEXT, 'expected a path such as /en/lower-back-relief.html\n');
    }
    if (composing) return compose(req, res, port, url.pathname.slice('/compose/'.length));
    const ctx: PageContext = { nonce: randomBytes(16).toString('base64'), version: version(), projectDirs: [contentDir, templatesDir], contentDir };
    if (url.pathname === '/__dev/version') return send(res, 200, TEXT, version());
    // HEAD is answered from what a GET would send, without printing anything.
    if (req.method === 'HEAD' && url.pathname.endsWith('.pdf')) return send(res, 200, 'application/pdf', '');
    // The dev templates, read afresh like every other template (a clinic may be editing them).
    const pages = await loadDevPages(templatesDir);
    if (url.pathname === '/compose') return sendPage(res, 200, await pages.composer(composer.token, ctx), ctx);
    if (url.pathname === '/compose/library.json') {
      const reply = await composer.library(url.searchParams.get('locale'));
      return send(res, reply.status, reply.type, reply.body);
    }
    if (url.pathname === '/') {
      const { sources, errors } = await discoverHandouts(contentDir).catch((err: unknown) => ({
        sources: [],
        errors: [toHandoutError(err, 'NO_CONTENT')],
      }));
      return sendPage(res, 200, pages.index(sources, errors, ctx), ctx);
    }
    const match = /^\/([^/]+)\/([^/]+)\.(html|pdf)$/.exec(url.pathname);
    const size = PAGE_SIZES.find((s) => s === url.searchParams.get('size')) ?? null;
    if (!match || !LOCALE_PATTERN.test(match[1]!) || !SLUG_PATTERN.test(match[2]!)) {
      return sendPage(res, 404, pages.notFound(`There is no page at ${url.pathname}.`, ctx), ctx);
    }
    const [, locale, slug, ext] = match as unknown as [string, string, string, 'html' | 'pdf'];
    const view: PreviewTarget = { locale, slug, size, locales: await localesOf(slug) };
    if (!view.locales.includes(locale)) {
      return sendPage(res, 404, pages.notFound(`There is no handout ${locale}/${slug}.yaml in ${contentDir}.`, ctx), ctx);
    }
    let prepared;
    try {
      prepared = await prepareHandouts({
        contentDir,
        templatesDir,
        locales: [locale],
        only: [slug],
        pageSize: size ?? options.pageSize,
      });
    } catch (err) {
      // Templates that do not compile, a clinic.yaml that cannot be read: for every page.
      if (!(err instanceof HandoutError)) throw err;
      const error = err;
      return sendPage(res, 500, await pages.errors(`${locale}/${slug} cannot be rendered`, [error], view, ctx), ctx);
    }
    const page = prepared.pages[0];
    if (!page) {
      const errors = prepared.failures.flatMap((f) => f.errors);
      return sendPage(res, 422, await pages.errors(`${locale}/${slug} has errors`, errors, view, ctx), ctx);
    }
    if (ext === 'html') {
      const { level, verdict } = await measured(page);
      return sendPage(res, 200, pages.preview(page, level, verdict, view, ctx), ctx);
    }
    try {
      const verified = await verifyPdf(finished(await (await getPrinter()).print(page), process.env.SOURCE_DATE_EPOCH));
      res.setHeader('Content-Disposition', `inline; filename="${locale}-${slug}.pdf"`);
      return send(res, 200, 'application/pdf', verified.bytes);
    } catch (err) {
      const error = toHandoutError(err, 'BROWSER', { file: page.source.file });
      return sendPage(res, 422, await pages.errors(`${locale}/${slug} cannot be printed`, [error], view, ctx), ctx);
    }
  }

  /**
   * A POST of the composer's page. A page of another site can make the browser send a POST
   * here, so each must come from our own origin (the Origin header, which browsers set and
   * pages cannot) and carry this session's token, which only our page can read; its body
   * must be JSON (a cross-site form cannot send it without asking first) and small.
   */
  async function compose(req: http.IncomingMessage, res: http.ServerResponse, port: number, action: string): Promise<void> {
    const origins = [`http://${HOST}:${port}`, `http://localhost:${port}`];
    if (!origins.includes(String(req.headers.origin))) return send(res, 403, TEXT, 'the composer answers only its own page (Origin)\n');
    if (!composer.hasToken(req.headers['x-handout-token'])) return send(res, 403, TEXT, 'the composer answers only its own page (token); reload it\n');
    if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) return send(res, 415, TEXT, 'expected a JSON body\n');
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) return send(res, 413, TEXT, 'the request is larger than the composer ever sends\n');
      chunks.push(chunk);
    }
    const reply = await composer.post(action, Buffer.concat(chunks).toString('utf8'));
    for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
    return send(res, reply.status, reply.type, reply.body);
  }

  /**
   * The page as the build would print it, and the build's verdict on it: printed and read
   * back (about half a second), so the toolbar's "3 lines left" or "2 lines over" is the
   * build's own word, and the fit level it printed at. Without a browser the page is shown
   * at its first fit level, unmeasured.
   */
  function measured(page: HtmlPage): Promise<{ level: string; verdict: FitVerdict }> {
    // Tabs showing the same sheet from the same files share one print: the verdict depends
    // only on those (eight tabs reloading after a save print once, not eight times).
    const key = `${version()} ${page.outputName} ${page.pageSize}`;
    if (verdicts.version !== version()) verdicts = { version: version(), byKey: new Map() };
    let pending = verdicts.byKey.get(key);
    if (!pending) {
      pending = measure(page);
      verdicts.byKey.set(key, pending);
    }
    return pending;
  }
  let verdicts: { version: string; byKey: Map<string, Promise<{ level: string; verdict: FitVerdict }>> } = { version: '', byKey: new Map() };

  async function measure(page: HtmlPage): Promise<{ level: string; verdict: FitVerdict }> {
    const printer = await Promise.resolve().then(getPrinter).catch(() => null);
    const last = page.layout.fitLevels[page.layout.fitLevels.length - 1]!;
    if (!printer) return { level: page.layout.fitLevels[0]!, verdict: null };
    try {
      const printed = await printer.print(page);
      await verifyPdf(finished(printed, process.env.SOURCE_DATE_EPOCH));
      return { level: printed.fit.level, verdict: { ok: true, level: printed.fit.level, linesLeft: printed.fit.linesLeft } };
    } catch (err) {
      return { level: last, verdict: { ok: false, error: toHandoutError(err, 'BROWSER', { file: page.source.file }) } };
    }
  }

  async function localesOf(slug: string): Promise<string[]> {
    const { sources } = await discoverHandouts(contentDir, { only: [slug] }).catch(() => ({ sources: [] }));
    return sources.map((s) => s.locale);
  }

  await new Promise<void>((resolve, reject) => {
    const failed = (err: NodeJS.ErrnoException) => {
      void watcher.close();
      reject(
        err.code === 'EADDRINUSE'
          ? new HandoutError('USAGE', 'portInUse', { port: options.port, host: HOST })
          : new HandoutError('USAGE', 'cannotListen', { host: HOST, port: options.port, detail: err.message }, { cause: err }),
      );
    };
    server.once('error', failed);
    server.listen(options.port, HOST, () => {
      server.off('error', failed);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  // The page an author opens first must already see their next save.
  await watcher.ready;
  return {
    url: `http://${HOST}:${port}/`,
    async close() {
      closed = true;
      await watcher.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (printer) await (await printer.catch(() => null))?.close();
    },
  };
}

/** Strict by default: the pages load nothing; the reload script is allowed by nonce only. */
const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
};

function sendPage(res: http.ServerResponse, status: number, html: string, ctx: PageContext): void {
  // The sheet's own policy (content-security-policy.ts), plus the nonce of the reload script and no framing.
  res.setHeader('Content-Security-Policy', contentSecurityPolicy({ scriptNonce: ctx.nonce, noFraming: true }));
  send(res, status, 'text/html; charset=utf-8', html);
}

const TEXT = 'text/plain; charset=utf-8';

function send(res: http.ServerResponse, status: number, type: string, body: string | Uint8Array): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

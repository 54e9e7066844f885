/**
 * `handout dev`: a preview server for authors. Each request renders the handout afresh
 * from the files (the same prepare stage as a build), and every open page reloads when a
 * file of the project changes. Errors are pages, never crashes.
 *
 * It is a local tool and is built like one that could be reached by a hostile web page
 * in the author's browser: bound to 127.0.0.1; GET and HEAD only; a Host check against
 * DNS rebinding; URLs are matched against the discovered handouts, never mapped to
 * paths, so nothing but rendered handouts is served; a strict Content-Security-Policy
 * that allows one inline script (live reload) by nonce.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { prepareHandouts } from '../build/prepare-handouts.js';
import { discoverHandouts, LOCALE_PATTERN, SLUG_PATTERN } from '../content/discover-handouts.js';
import { HandoutError, toHandoutError } from '../errors.js';
import { findBrowser } from '../print/find-browser.js';
import { launchPrinter, type Printer } from '../print/launch-printer.js';
import { PAGE_SIZES, type PageSize } from '../resolve/resolve-handout.js';
import { verifyPdf } from '../verify/verify-pdf.js';
import { errorPage, indexPage, notFoundPage, previewPage, type HandoutView, type PageContext } from './preview-pages.js';
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
}

export interface DevServer {
  url: string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const contentDir = path.resolve(options.contentDir);
  const templatesDir = path.resolve(options.templatesDir);
  const listeners = new Set<http.ServerResponse>();
  const watcher = watchFiles([contentDir, templatesDir], (version) => {
    for (const res of listeners) res.write(`data: ${version}\n\n`);
  });
  // The browser starts on the first PDF asked for, and stays warm.
  let printer: Promise<Printer> | null = null;
  const getPrinter = () => {
    printer ??= launchPrinter({ executablePath: findBrowser(options.chrome).path }).catch((err: unknown) => {
      printer = null;
      throw err;
    });
    return printer;
  };

  const server = http.createServer((req, res) => {
    const t0 = performance.now();
    handle(req, res)
      .catch((err: unknown) => send(res, 500, 'text/plain; charset=utf-8', `internal error in handout dev (a bug; please report it): ${String(err)}\n`))
      .finally(() => options.onRequest?.(`${req.method} ${req.url} → ${res.statusCode} (${Math.round(performance.now() - t0)} ms)`));
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const port = (server.address() as AddressInfo).port;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return send(res, 405, 'text/plain', 'handout dev serves GET requests only\n');
    }
    // A page on another site that points a DNS name at 127.0.0.1 sends its own Host.
    if (req.headers.host !== `${HOST}:${port}` && req.headers.host !== `localhost:${port}`) {
      return send(res, 403, 'text/plain', `handout dev answers only to http://${HOST}:${port}/\n`);
    }
    const url = new URL(req.url ?? '/', `http://${HOST}:${port}`);
    const ctx: PageContext = { nonce: randomBytes(16).toString('base64'), version: watcher.version, projectDirs: [contentDir, templatesDir] };
    if (url.pathname === '/__dev/events') return events(res);
    if (url.pathname === '/') {
      const { sources, errors } = await discoverHandouts(contentDir).catch((err: unknown) => ({
        sources: [],
        errors: [toHandoutError(err, 'NO_CONTENT')],
      }));
      return sendPage(res, 200, indexPage(sources, errors, ctx), ctx);
    }
    const match = /^\/([^/]+)\/([^/]+)\.(html|pdf)$/.exec(url.pathname);
    const size = PAGE_SIZES.find((s) => s === url.searchParams.get('size')) ?? null;
    if (!match || !LOCALE_PATTERN.test(match[1]!) || !SLUG_PATTERN.test(match[2]!)) {
      return sendPage(res, 404, notFoundPage(`There is no page at ${url.pathname}.`, ctx), ctx);
    }
    const [, locale, slug, ext] = match as unknown as [string, string, string, 'html' | 'pdf'];
    const view: HandoutView = { locale, slug, size, locales: await localesOf(slug) };
    if (!view.locales.includes(locale)) {
      return sendPage(res, 404, notFoundPage(`There is no handout ${locale}/${slug}.yaml in ${contentDir}.`, ctx), ctx);
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
      const error = toHandoutError(err, 'TEMPLATE');
      return sendPage(res, 500, await errorPage(`${locale}/${slug} cannot be rendered`, [error], view, ctx), ctx);
    }
    const page = prepared.pages[0];
    if (!page) {
      const errors = prepared.failures.flatMap((f) => f.errors);
      return sendPage(res, 422, await errorPage(`${locale}/${slug} has errors`, errors, view, ctx), ctx);
    }
    if (ext === 'html') return sendPage(res, 200, previewPage(page, view, ctx), ctx);
    try {
      const verified = await verifyPdf(await (await getPrinter()).print(page));
      res.setHeader('Content-Disposition', `inline; filename="${slug}.${locale}.pdf"`);
      return send(res, 200, 'application/pdf', verified.bytes);
    } catch (err) {
      const error = toHandoutError(err, 'BROWSER', { file: page.source.file });
      return sendPage(res, 422, await errorPage(`${locale}/${slug} cannot be printed`, [error], view, ctx), ctx);
    }
  }

  async function localesOf(slug: string): Promise<string[]> {
    const { sources } = await discoverHandouts(contentDir, { only: [slug] }).catch(() => ({ sources: [] }));
    return sources.map((s) => s.locale);
  }

  /** Server-sent events: the files' version now, then each time it changes. */
  function events(res: http.ServerResponse): void {
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream', Connection: 'keep-alive' });
    res.write(`retry: 500\ndata: ${watcher.version}\n\n`);
    listeners.add(res);
    res.on('close', () => listeners.delete(res));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      watcher.close();
      reject(
        err.code === 'EADDRINUSE'
          ? new HandoutError('USAGE', `port ${options.port} on ${HOST} is already in use`, { hint: 'Pick another port with --port, or --port 0 for any free one.' })
          : new HandoutError('USAGE', `cannot listen on ${HOST}:${options.port}: ${err.message}`, { cause: err }),
      );
    });
    server.listen(options.port, HOST, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${HOST}:${port}/`,
    async close() {
      watcher.close();
      for (const res of listeners) res.end();
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

function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'none'",
    'img-src data:',
    'font-src data:',
    "style-src 'unsafe-inline'",
    `script-src 'nonce-${nonce}'`,
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function sendPage(res: http.ServerResponse, status: number, html: string, ctx: PageContext): void {
  res.setHeader('Content-Security-Policy', contentSecurityPolicy(ctx.nonce));
  send(res, status, 'text/html; charset=utf-8', html);
}

function send(res: http.ServerResponse, status: number, type: string, body: string | Uint8Array): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

/**
 * The build, in the order the data travels:
 * discover → load → validate → resolve → render → print → verify → write.
 *
 * Content errors are collected per handout and never stop the others; only a problem
 * with the templates or the browser stops the whole build.
 */
import os from 'node:os';
import path from 'node:path';
import { discoverHandouts } from '../content/discover-handouts.js';
import { displayPath } from '../content/safe-file.js';
import type { HandoutSource } from '../content/validate-handout.js';
import { HandoutError, toHandoutError } from '../errors.js';
import { findBrowser } from '../print/find-browser.js';
import { launchPrinter, type PrinterOptions } from '../print/launch-printer.js';
import { createRenderer, type HtmlPage } from '../render/create-renderer.js';
import type { PageSize } from '../resolve/resolve-handout.js';
import { verifyPdf } from '../verify/verify-pdf.js';
import { mapPool } from './map-pool.js';
import { prepareHandouts } from './prepare-handouts.js';
import { removeStaleTempFiles } from './remove-stale-temp-files.js';
import { writeAtomic } from './write-atomic.js';

export interface BuildOptions {
  contentDir: string;
  outDir: string;
  templatesDir: string;
  locales?: string[];
  only?: string[];
  pageSize?: PageSize;
  /** Explicit browser path (--chrome); otherwise found by findBrowser. */
  chrome?: string;
  concurrency?: number;
  /** Test hooks for the printer (canary proxy, page JavaScript). */
  printer?: Omit<PrinterOptions, 'executablePath'>;
  onResult?: (result: DocumentResult) => void;
}

export interface DocumentResult {
  /** The handout file, as shown to users. */
  file: string;
  locale?: string;
  slug?: string;
  ok: boolean;
  outputs: { pdf: string; html: string } | null;
  errors: HandoutError[];
  pages?: number;
  bytes?: number;
  ms: number;
}

export interface BuildResult {
  documents: DocumentResult[];
  browser: { path: string; via: string; version: string } | null;
  passed: number;
  failed: number;
}

export async function buildHandouts(options: BuildOptions): Promise<BuildResult> {
  const started = performance.now();
  const contentDir = path.resolve(options.contentDir);
  const outDir = path.resolve(options.outDir);
  const renderer = await createRenderer(path.resolve(options.templatesDir));
  const discovery = await discoverHandouts(contentDir, { locales: options.locales, only: options.only });
  const documents: DocumentResult[] = [];
  const report = (result: DocumentResult) => {
    documents.push(result);
    options.onResult?.(result);
  };
  for (const error of discovery.errors) {
    report({ file: error.where?.file ?? displayPath(contentDir), ok: false, outputs: null, errors: [error], ms: 0 });
  }

  const prepared = await prepareHandouts(discovery.sources, renderer, {
    contentDir,
    templatesDir: path.resolve(options.templatesDir),
    pageSize: options.pageSize ?? 'A4',
  });
  const pages: HtmlPage[] = [];
  for (const item of prepared) {
    if ('errors' in item) report(failure(item.source, item.errors, started));
    else pages.push(item);
  }
  if (pages.length === 0) return summarize(documents, null);

  const browser = findBrowser(options.chrome);
  await removeStaleTempFiles(outDir);
  const printer = await launchPrinter({ executablePath: browser.path, ...options.printer });
  try {
    const concurrency = options.concurrency ?? defaultConcurrency();
    await mapPool(pages, concurrency, async (page) => {
      const t0 = performance.now();
      try {
        const verified = await verifyPdf(await printer.print(page));
        const target = path.join(outDir, page.source.locale, page.source.slug);
        await writeAtomic(`${target}.pdf`, verified.bytes);
        await writeAtomic(`${target}.html`, verified.html);
        report({
          ...identify(page.source),
          ok: true,
          outputs: { pdf: displayPath(`${target}.pdf`), html: displayPath(`${target}.html`) },
          errors: [],
          pages: verified.pages,
          bytes: verified.bytes.length,
          ms: performance.now() - t0,
        });
      } catch (err) {
        report(failure(page.source, [toHandoutError(err, 'BROWSER', { file: page.source.file })], t0));
      }
    });
  } finally {
    await printer.close();
  }
  return summarize(documents, { ...browser, version: printer.browserVersion });
}

function identify(source: HandoutSource) {
  return { file: source.file, locale: source.locale, slug: source.slug };
}

function failure(source: HandoutSource, errors: HandoutError[], since: number): DocumentResult {
  return { ...identify(source), ok: false, outputs: null, errors, ms: performance.now() - since };
}

function summarize(documents: DocumentResult[], browser: BuildResult['browser']): BuildResult {
  const failed = documents.filter((d) => !d.ok).length;
  return { documents, browser, passed: documents.length - failed, failed };
}

/** Chromium uses more than one core per page; one page per core keeps both busy without thrashing. */
function defaultConcurrency(): number {
  return Math.max(1, Math.min(os.availableParallelism?.() ?? os.cpus().length, 4));
}

/**
 * The build, in the order the data travels:
 * prepare (discover → load → validate → resolve → render) → print → verify → write.
 *
 * Content errors are collected per handout and never stop the others; only a problem
 * with the templates or the browser stops the whole build.
 */
import os from 'node:os';
import path from 'node:path';
import { displayPath } from '../content/safe-file.js';
import type { HandoutSource } from '../content/validate-handout.js';
import { HandoutError, toHandoutError } from '../errors.js';
import { findBrowser } from '../print/find-browser.js';
import { launchPrinter, type PrinterOptions } from '../print/launch-printer.js';
import { verifyPdf } from '../verify/verify-pdf.js';
import { mapPool } from './map-pool.js';
import { prepareHandouts, type Failure, type PrepareOptions, type Prepared } from './prepare-handouts.js';
import { removeStaleTempFiles } from './remove-stale-temp-files.js';
import { writeAtomic } from './write-atomic.js';

export interface BuildOptions extends PrepareOptions {
  outDir: string;
  /** Explicit browser path (--chrome); otherwise found by findBrowser. */
  chrome?: string | undefined;
  concurrency?: number | undefined;
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
  warnings: HandoutError[];
  pages?: number;
  bytes?: number;
  ms: number;
}

export interface BuildResult {
  documents: DocumentResult[];
  /** Warnings about the content as a whole (missing translations); failures with --strict. */
  warnings: HandoutError[];
  browser: { path: string; via: string; version: string } | null;
  passed: number;
  failed: number;
}

export async function buildHandouts(options: BuildOptions): Promise<BuildResult> {
  const outDir = path.resolve(options.outDir);
  const prepared = await prepareHandouts(options);
  const documents: DocumentResult[] = [];
  const report = (result: DocumentResult) => {
    documents.push(result);
    options.onResult?.(result);
  };
  prepared.failures.forEach((f) => report(failed(f)));
  if (prepared.pages.length === 0) return summarize(documents, prepared, options, null);

  const browser = findBrowser(options.chrome);
  await removeStaleTempFiles(outDir);
  const printer = await launchPrinter({ executablePath: browser.path, ...options.printer });
  try {
    await mapPool(prepared.pages, options.concurrency ?? defaultConcurrency(), async (page) => {
      const t0 = performance.now();
      try {
        const verified = await verifyPdf(await printer.print(page));
        const target = path.join(outDir, page.outputName);
        await writeAtomic(`${target}.pdf`, verified.bytes);
        await writeAtomic(`${target}.html`, verified.html);
        report({
          ...identify(page.source),
          ok: true,
          outputs: { pdf: displayPath(`${target}.pdf`), html: displayPath(`${target}.html`) },
          errors: [],
          warnings: page.warnings,
          pages: verified.pages,
          bytes: verified.bytes.length,
          ms: performance.now() - t0,
        });
      } catch (err) {
        const error = toHandoutError(err, 'BROWSER', { file: page.source.file });
        report({ ...failed({ file: page.source.file, source: page.source, errors: [error] }), ms: performance.now() - t0 });
      }
    });
  } finally {
    await printer.close();
  }
  return summarize(documents, prepared, options, { ...browser, version: printer.browserVersion });
}

function identify(source: HandoutSource) {
  return { file: source.file, locale: source.locale, slug: source.slug };
}

export function failed(failure: Failure): DocumentResult {
  return {
    file: failure.file,
    ...(failure.source ? identify(failure.source) : {}),
    ok: false,
    outputs: null,
    errors: failure.errors,
    warnings: [],
    ms: 0,
  };
}

export function summarize(
  documents: DocumentResult[],
  prepared: Prepared,
  options: PrepareOptions,
  browser: BuildResult['browser'],
): BuildResult {
  const failedDocs = documents.filter((d) => !d.ok).length;
  // With --strict, each content-wide warning (a locale missing handouts) counts as a failure.
  const strictFailures = options.strict ? prepared.warnings.length : 0;
  return {
    documents,
    warnings: prepared.warnings,
    browser,
    passed: documents.length - failedDocs,
    failed: failedDocs + strictFailures,
  };
}

/** Chromium uses more than one core per page; one page per core keeps both busy without thrashing. */
function defaultConcurrency(): number {
  return Math.max(1, Math.min(os.availableParallelism?.() ?? os.cpus().length, 4));
}

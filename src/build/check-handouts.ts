/**
 * `handout check`: one verdict with `build`. Everything before printing (discover, load,
 * validate, resolve, render, glyph coverage), then each page printed in the browser and
 * read back by the same checks as build (fits its pages, every picture drew, every safety
 * text and character reached the PDF), with nothing written. A sheet check passes is a
 * sheet build writes, and check refuses it with build's own message.
 *
 * With `print: false` (`--no-print`) it stops before the browser: fast enough for an
 * editor hook, but blind to what only printing shows (fit, fonts, pictures).
 */
import { toHandoutError } from '../errors.js';
import { findBrowser } from '../print/find-browser.js';
import { finished } from '../print/finish-pdf.js';
import { launchPrinter, type PrinterOptions } from '../print/launch-printer.js';
import type { HtmlPage } from '../render/create-renderer.js';
import { verifyPdf } from '../verify/verify-pdf.js';
import { failed, summarize, type BuildResult, type DocumentResult } from './build-handouts.js';
import { mapPool } from './map-pool.js';
import { prepareHandouts, type PrepareOptions } from './prepare-handouts.js';

export interface CheckOptions extends PrepareOptions {
  onResult?: (result: DocumentResult) => void;
  /** Print and read back each sheet, as build does (default); false checks only what needs no browser. */
  print?: boolean | undefined;
  /** Explicit browser path (--chrome); otherwise found as build finds it. */
  chrome?: string | undefined;
  concurrency?: number | undefined;
  /** Test hooks for the printer. */
  printer?: Omit<PrinterOptions, 'executablePath' | 'browserWSEndpoint'>;
}

export async function checkHandouts(options: CheckOptions): Promise<BuildResult> {
  const prepared = await prepareHandouts(options);
  const documents: DocumentResult[] = prepared.failures.map(failed);
  let browser: BuildResult['browser'] = null;
  if (options.print === false || prepared.pages.length === 0) {
    documents.push(...prepared.pages.map((page) => passed(page, null)));
  } else {
    // No browser is a reason the check could not run at all, like build's.
    const found = findBrowser(options.chrome);
    const printer = await launchPrinter({ executablePath: found.path, thumbnails: false, ...options.printer });
    browser = { ...found, version: printer.browserVersion };
    try {
      await mapPool(prepared.pages, options.concurrency ?? 2, async (page) => {
        const t0 = performance.now();
        try {
          const verified = await verifyPdf(finished(await printer.print(page), process.env.SOURCE_DATE_EPOCH));
          documents.push({ ...passed(page, verified.pages), ms: performance.now() - t0 });
        } catch (err) {
          // As in build: a sheet that failed, for whatever reason, is that sheet's failure.
          const error = toHandoutError(err, 'BROWSER', { file: page.source.file });
          documents.push({ ...failed({ file: page.source.file, source: page.source, errors: [error] }), ms: performance.now() - t0 });
        }
      });
    } finally {
      await printer.close();
    }
  }
  documents.sort((a, b) => a.file.localeCompare(b.file));
  documents.forEach((d) => options.onResult?.(d));
  return summarize(documents, prepared, options, browser);
}

function passed(page: HtmlPage, pages: number | null): DocumentResult {
  return {
    file: page.source.file,
    locale: page.source.locale,
    slug: page.source.slug,
    ok: true,
    cached: false,
    outputs: null,
    errors: [],
    warnings: page.warnings,
    ...(pages === null ? {} : { pages }),
    ms: 0,
  };
}

/**
 * `handout check`: one verdict with `build`. Everything before printing (discover, load,
 * validate, resolve, render, glyph coverage), then each page printed in the browser and
 * read back by the same checks as build (fits its pages, every picture drew, every safety
 * text and character reached the PDF), with nothing written. A sheet check passes is a
 * sheet build writes, and check refuses it with build's own message.
 *
 * With `print: false` (`--no-print`) it stops before the browser: fast enough for an
 * editor hook, but blind to what only printing shows (fit, fonts, pictures).
 *
 * Check alone also reads each sheet as its patient will (src/plain-language/): its reading
 * grade against the clinic's target, and plain-language findings (long sentences, steps
 * that do not start with an action, pasted numbering, invisible characters, capitals),
 * as warnings, so that --strict fails on them. Build does not: these are for the author.
 */
import { ExerciseLibrary } from '../content/exercise-library.js';
import { HandoutError, toHandoutError } from '../errors.js';
import { findBrowser } from '../print/find-browser.js';
import { finished } from '../print/finish-pdf.js';
import { launchPrinter, type PrinterOptions } from '../print/launch-printer.js';
import type { HtmlPage } from '../render/create-renderer.js';
import { checkHandoutFile, readingGradeTarget } from '../plain-language/check-handout-file.js';
import type { PlainLanguageReport } from '../plain-language/check-plain-language.js';
import { verifyPdf } from '../verify/verify-pdf.js';
import { failed, summarize, type BuildResult, type DocumentResult } from './build-handouts.js';
import { mapPool } from './map-pool.js';
import { prepareHandouts, type PrepareOptions } from './prepare-handouts.js';
import { checkSavedPrograms } from './check-programs.js';

/** A sheet as check reports it: build's result, with its reading grade and plain-language findings. */
export interface CheckedDocument extends DocumentResult {
  plainLanguage?: PlainLanguageReport;
}

export interface CheckResult extends BuildResult {
  documents: CheckedDocument[];
}

export interface CheckOptions extends PrepareOptions {
  onResult?: (result: CheckedDocument) => void;
  /** Print and read back each sheet, as build does (default); false checks only what needs no browser. */
  print?: boolean | undefined;
  /** Explicit browser path (--chrome); otherwise found as build finds it. */
  chrome?: string | undefined;
  concurrency?: number | undefined;
  /** Test hooks for the printer. */
  printer?: Omit<PrinterOptions, 'executablePath' | 'browserWSEndpoint'>;
}

export async function checkHandouts(options: CheckOptions): Promise<CheckResult> {
  const prepared = await prepareHandouts(options);
  const plain = await plainLanguageOf(prepared.pages, options.contentDir);
  const documents: DocumentResult[] = prepared.failures.map(failed);
  // Saved programs: their fields and library references (a renamed exercise fails here, in CI),
  // then, when printing, each one's sheet as `handout program` prints it (blank write-in box).
  const programs = await checkSavedPrograms(options);
  const printing = options.print !== false;
  const programPages = printing && programs.documents.length ? await prepareHandouts({ ...options, documents: programs.documents }) : null;
  const programResults = new Map(programs.results.map((r) => [r.file, r]));
  for (const f of programPages?.failures ?? []) programResults.set(f.file, { ...failed(f), ...(f.source ? { slug: f.source.slug } : {}) });
  let browser: BuildResult['browser'] = null;
  const pages = printing ? [...prepared.pages, ...(programPages?.pages ?? [])] : [];
  if (!printing) documents.push(...prepared.pages.map((page) => passed(page, null)));
  if (pages.length > 0) {
    // No browser is a reason the check could not run at all, like build's.
    const found = findBrowser(options.chrome);
    const printer = await launchPrinter({ executablePath: found.path, thumbnails: false, ...options.printer });
    browser = { ...found, version: printer.browserVersion };
    try {
      await mapPool(pages, options.concurrency ?? 2, async (page) => {
        const t0 = performance.now();
        const program = programResults.get(page.source.file);
        try {
          const verified = await verifyPdf(finished(await printer.print(page), process.env.SOURCE_DATE_EPOCH));
          if (program) programResults.set(page.source.file, { ...program, pages: verified.pages, ms: performance.now() - t0 });
          else documents.push({ ...passed(page, verified.pages), ms: performance.now() - t0 });
        } catch (err) {
          // As in build: a sheet that failed, for whatever reason, is that sheet's failure.
          const error = toHandoutError(err, 'BROWSER', { file: page.source.file });
          if (program && error.code === 'NOT_ONE_PAGE') {
            // A saved program too long for one page still prints, with --split: a warning
            // (a failure under --strict), as a sheet's untranslated string is.
            const warning = new HandoutError('NOT_ONE_PAGE', 'savedProgram', { detail: error.message }, { where: { file: page.source.file }, cause: error });
            programResults.set(
              page.source.file,
              options.strict ? { ...program, ok: false, errors: [warning], ms: performance.now() - t0 } : { ...program, warnings: [...program.warnings, warning], ms: performance.now() - t0 },
            );
          } else if (program) {
            programResults.set(page.source.file, { ...program, ok: false, errors: [error], ms: performance.now() - t0 });
          } else {
            documents.push({ ...failed({ file: page.source.file, source: page.source, errors: [error] }), ms: performance.now() - t0 });
          }
        }
      });
    } finally {
      await printer.close();
    }
  }
  documents.push(...programResults.values());
  const checked = documents.map((d) => withPlainLanguage(d, plain.get(d.file), options.strict ?? false));
  checked.sort((a, b) => a.file.localeCompare(b.file));
  checked.forEach((d) => options.onResult?.(d));
  return { ...summarize(checked, prepared, options, browser), documents: checked };
}

/** Each rendered sheet's plain-language report, by file (a millisecond or two each). */
async function plainLanguageOf(pages: readonly HtmlPage[], contentDir: string): Promise<Map<string, PlainLanguageReport>> {
  const target = await readingGradeTarget(contentDir);
  const library = new ExerciseLibrary(contentDir);
  const reports = new Map<string, PlainLanguageReport>();
  await mapPool([...pages], 8, async (page) => {
    const report = await checkHandoutFile(page.source, target, library);
    if (report) reports.set(page.source.file, report);
  });
  return reports;
}

/** The findings are warnings, like an untranslated string; with --strict, the sheet's failures. */
function withPlainLanguage(d: DocumentResult, report: PlainLanguageReport | undefined, strict: boolean): CheckedDocument {
  if (!report) return d;
  if (strict && report.findings.length > 0) return { ...d, ok: false, errors: [...d.errors, ...report.findings], plainLanguage: report };
  return { ...d, warnings: [...d.warnings, ...report.findings], plainLanguage: report };
}

function passed(page: HtmlPage, pages: number | null): DocumentResult {
  return {
    file: page.source.file,
    locale: page.source.locale,
    slug: page.source.slug,
    ok: true,
    cached: false,
    outputs: null,
    shown: null,
    errors: [],
    warnings: page.warnings,
    ...(pages === null ? {} : { pages }),
    ms: 0,
  };
}

/**
 * The build, in the order the data travels:
 * prepare (discover → load → validate → resolve → render) → skip what is cached →
 * print → verify → write.
 *
 * Content errors are collected per handout and never stop the others; only a problem
 * with the templates or the browser stops the whole build.
 */
import os from 'node:os';
import path from 'node:path';
import { displayPath } from '../content/safe-file.js';
import type { HandoutSource } from '../content/validate-handout.js';
import { HandoutError, toHandoutError } from '../errors.js';
import { findBrowser, type FoundBrowser } from '../print/find-browser.js';
import { documentDate } from '../print/document-date.js';
import { describeEndpoint, launchPrinter, type PdfFile, type Printer, type PrinterOptions } from '../print/launch-printer.js';
import type { HtmlPage } from '../render/create-renderer.js';
import { TOOL_VERSION } from '../version.js';
import { updateSiteIndex } from './write-site.js';
import { startVerifier, type Verifier } from '../verify/verifier.js';
import { CatalogStore } from '../i18n/load-catalog.js';
import { CacheManifest, manifestFile, sha256, type ManifestEntry } from './cache-manifest.js';
import { browserIdentity, buildFingerprint, handoutKey } from './input-fingerprint.js';
import { LibraryReader, type LibraryReferences } from './library-references.js';
import { mapPool } from './map-pool.js';
import { isPersonal, shownName } from './output-name.js';
import type { Personalisation } from '../resolve/resolve-handout.js';
import { planDocuments, type DocumentJob } from './plan-documents.js';
import { prepareJobs, type Failure, type PrepareOptions, type Prepared } from './prepare-handouts.js';
import { removeStaleTempFiles } from './remove-stale-temp-files.js';
import { sheetOptions } from './sheet-options.js';
import { writeAtomic } from './write-atomic.js';
import { ARTIFACT_PRODUCERS, artifactPaths, produceArtifacts, recordedArtifacts, type ArtifactPaths, type ArtifactProducer } from './artifacts.js';

export interface BuildOptions extends PrepareOptions {
  outDir: string;
  /**
   * Where personal copies (a patient's name, a date or a clinician in the write-in box) are
   * written: never the site folder, whose files are published. Default: "private".
   */
  privateDir?: string | undefined;
  /** Explicit browser path (--chrome); otherwise found by findBrowser. */
  chrome?: string | undefined;
  /**
   * Print through this running browser (its DevTools ws:// URL) instead of launching one;
   * it is disconnected from, never closed, at the end.
   */
  browserWSEndpoint?: string | undefined;
  concurrency?: number | undefined;
  /** Rebuild everything, ignoring the cache manifest. */
  force?: boolean | undefined;
  /** Seconds since 1970 to record as every PDF's date (reproducible builds); from the environment. */
  sourceDateEpoch?: string | undefined;
  /**
   * A printer already started, to print on instead of launching one (a personal program
   * measures where to cut its sheets in the browser that then prints them). Closed at the
   * end like one the build started, unless its close() leaves it to its owner.
   */
  launched?: Promise<Printer> | undefined;
  /** Test hooks for the printer (canary proxy, page JavaScript). */
  printer?: Omit<PrinterOptions, 'executablePath' | 'browserWSEndpoint'>;
  /** The files each verified sheet becomes (default: PDF, HTML, the site's thumbnail). */
  artifacts?: readonly ArtifactProducer[] | undefined;
  onResult?: (result: DocumentResult) => void;
  /** Aborting stops the build: nothing new is started, the browser is closed. */
  signal?: AbortSignal | undefined;
  /** Deadline for printing one document, in milliseconds. */
  timeoutMs?: number | undefined;
  /** Called once the work is known: how many documents will be printed. */
  onPlan?: (plan: { total: number; toPrint: number }) => void;
}

export interface DocumentResult {
  /** The handout file, as shown to users. */
  file: string;
  locale?: string;
  slug?: string;
  ok: boolean;
  /** Unchanged since the last build: not printed again. */
  cached: boolean;
  /** Each file written (or kept, when cached), by kind (build/artifacts.ts). */
  outputs: ArtifactPaths | null;
  /** The outputs as logs and reports show them: a personal copy's with the patient's name hidden (its hash kept). */
  shown: ArtifactPaths | null;
  errors: HandoutError[];
  warnings: HandoutError[];
  pages?: number;
  bytes?: number;
  sha256?: string;
  ms: number;
}

export interface BuildResult {
  documents: DocumentResult[];
  /** Warnings about the content as a whole (missing translations); failures with --strict. */
  warnings: HandoutError[];
  /** Outputs removed because their handout was deleted. */
  removed: string[];
  /** Outputs a shard removed because the handout is now in another shard. */
  moved: string[];
  /** The site index written, when the build writes one. */
  site?: string;
  /**
   * Handouts that failed this build but have a last good sheet: it is kept, and the site
   * index lists it marked as failed. `built`: when that sheet was built (ISO 8601), if known.
   */
  kept: Array<{ file: string; pdf: string; built: string | null }>;
  browser: { path: string; via: string; version: string | null } | null;
  passed: number;
  failed: number;
  skipped: number;
}

export async function buildHandouts(options: BuildOptions): Promise<BuildResult> {
  const lazy = new LazyPrinter(options.launched);
  try {
    return await build(options, lazy);
  } finally {
    // Started but not needed (every handout fresh or failed), or still closing: done here.
    await lazy.close();
  }
}

/** The printer, started on first need and at most once. */
class LazyPrinter {
  #starting: Promise<Printer> | null;

  constructor(launched?: Promise<Printer>) {
    this.#starting = launched ?? null;
  }

  start(options: PrinterOptions): Promise<Printer> {
    if (!this.#starting) {
      this.#starting = launchPrinter(options);
      this.#starting.catch(() => {}); // reported where it is awaited, if it is needed at all
    }
    return this.#starting;
  }

  async close(): Promise<void> {
    await this.#starting?.then(
      (printer) => printer.close(),
      () => {},
    );
  }
}

async function build(options: BuildOptions, lazy: LazyPrinter): Promise<BuildResult> {
  const outDir = path.resolve(options.outDir);
  const contentDir = path.resolve(options.contentDir);
  // A personal copy holds patient data: it goes to the private folder, is never cached,
  // never listed in the site folder's manifest or index, never marked there as failed.
  const personal = isPersonal(options.personal);
  const writeDir = personal ? path.resolve(options.privateDir ?? 'private') : outDir;
  const documents: DocumentResult[] = [];
  const report = (result: DocumentResult) => {
    documents.push(result);
    options.onResult?.(result);
  };

  const remote = options.browserWSEndpoint;
  // A missing browser only matters if something needs printing (templates are checked first).
  let browser: FoundBrowser | null = null;
  let noBrowser: unknown = null;
  if (remote) {
    browser = { path: describeEndpoint(remote), via: '--browser-ws-endpoint' };
  } else {
    try {
      browser = findBrowser(options.chrome);
    } catch (err) {
      noBrowser = err;
    }
  }
  // The browser starts as soon as the first handout turns out to need printing, so its
  // start-up overlaps reading and rendering the handouts.
  const printerOptions: PrinterOptions = {
    ...(remote ? { browserWSEndpoint: remote } : { executablePath: browser?.path }),
    timeoutMs: options.timeoutMs,
    thumbnails: true,
    ...options.printer,
  };
  const startPrinter = () => lazy.start(printerOptions);
  // A remote browser is asked its version first: the cache fingerprint names it.
  const identity = remote ? `remote:${(await startPrinter()).browserVersion}` : browser ? await browserIdentity(browser.path) : 'none';
  // A run killed mid-write leaves temp files (never half-written PDFs): remove them first.
  await removeStaleTempFiles(outDir);
  const manifest = await CacheManifest.load(outDir, TOOL_VERSION, options.force ?? false, manifestFile(options.shard));
  // Options are keyed per sheet by their effective values (sheet-options.ts), not here.
  const fingerprint = await buildFingerprint({
    contentDir,
    templatesDir: path.resolve(options.templatesDir),
    browser: { identity, hooks: options.printer ?? null },
  });
  const keys = new Map<string, { key: string; library: LibraryReferences }>();
  // An unchanged handout's library ids come from the manifest, not from parsing it again.
  const library = new LibraryReader(contentDir, fingerprint, manifest.libraryReferences());
  const cachedEntries = new Map<string, ManifestEntry>();
  const producers = options.artifacts ?? ARTIFACT_PRODUCERS;
  const catalogs = new CatalogStore(path.resolve(options.templatesDir));
  const plan = await planDocuments(options);
  // Which planned documents the cache holds: unchanged handouts, whose files are intact, are
  // not even read. Checked side by side (hashing outputs is mostly waiting for the disk).
  const fresh: DocumentJob[] = [];
  const stale: DocumentJob[] = [];
  const verdicts: boolean[] = [];
  await mapPool([...plan.jobs.entries()], 8, async ([i, job]) => {
    verdicts[i] = await isCurrent(job);
  });
  plan.jobs.forEach((job, i) => (verdicts[i] ? fresh : stale).push(job));
  async function isCurrent(job: DocumentJob): Promise<boolean> {
    // A personal copy is never cached.
    if (!personal) {
      const key = await handoutKey(fingerprint, job.source, job.siblings, sheetOptions(options, job.pageSize), contentDir, library);
      keys.set(job.outputName, key);
      const entry = await manifest.fresh(job.outputName, key.key);
      // --strict does not change a sheet's bytes, only whether one built with warnings
      // (English fallbacks) passes: such a sheet (or one not known to be without) is
      // prepared again, and fails as it would have. Under --reviewed-only every sheet is
      // read again: one cached as a draft must be refused.
      if (entry !== null && !(options.strict && entry.warnings !== 0) && !options.reviewedOnly) {
        cachedEntries.set(job.outputName, entry);
        manifest.keepLibraryReferences(job.outputName, key.library);
        return true;
      }
    }
    // Something will print: the browser starts now, while the rest is read and rendered.
    if (browser && !options.signal?.aborted) void startPrinter();
    return false;
  }
  const rendered = await prepareJobs(plan, stale, options, catalogs);
  const prepared: Prepared = {
    pages: rendered.pages,
    failures: [...plan.failures, ...rendered.failures],
    warnings: plan.warnings,
    names: new Set(plan.jobs.map((j) => j.outputName)),
  };
  const moved = options.shard ? await manifest.keepOnly(contentDir, prepared.names) : [];
  // Outputs whose handout failed this build: their last good files are kept, and marked.
  const failedOutputs: Array<{ outputName: string; source: HandoutSource }> = [];
  for (const f of prepared.failures) {
    report(failed(f));
    if (f.source && f.outputName && !personal) failedOutputs.push({ outputName: f.outputName, source: f.source });
  }
  for (const { source, outputName } of fresh) {
    manifest.clearFailed(outputName);
    const entry = cachedEntries.get(outputName)!;
    const outputs = artifactPaths(outDir, outputName, recordedArtifacts(outputName, entry.files, producers));
    report({
      ...identify(source),
      ok: true,
      cached: true,
      outputs,
      shown: outputs,
      errors: [],
      warnings: [],
      // As when it was built: fresh() has just checked that the PDF is the one recorded.
      ...CacheManifest.pdfFacts(outputName, entry),
      ms: 0,
    });
  }
  // Two content folders built into one output folder may not write the same file: the
  // second would silently overwrite the first one's handout.
  const pages: HtmlPage[] = [];
  for (const page of prepared.pages) {
    const other = personal ? null : await manifest.claimedElsewhere(page.outputName, contentDir);
    if (other) report(failed({ file: page.source.file, source: page.source, errors: [collision(page, other, outDir)] }));
    else pages.push(page);
  }
  const toPrint = pages.map((page) => ({
    page,
    ...keys.get(page.outputName)!,
    date: documentDate(options.sourceDateEpoch, page.reviewed),
  }));
  options.onPlan?.({ total: prepared.pages.length + fresh.length + prepared.failures.length, toPrint: toPrint.length });

  let version: string | null = null;
  if (toPrint.length > 0) {
    if (!browser) throw noBrowser;
    const printer = await startPrinter();
    version = printer.browserVersion;
    // The site index needs every locale's catalog: read them while the first pages print,
    // not after the last one (most of the end of a one-handout rebuild), when it will be
    // written again; an index left as it is (most edits) needs none (~100 ms of CPU saved).
    if (!options.shard && manifest.listingsMayChange(pages)) for (const locale of manifest.siteLocales()) void catalogs.get(locale).catch(() => {});
    // Stopping closes the browser at once: documents being printed fail, none is written half.
    const stop = () => void printer.close();
    options.signal?.addEventListener('abort', stop);
    // Each worker prints its next document while the one it printed last is verified and
    // written: Node's reading and writing overlaps Chromium's printing instead of leaving
    // a page idle. At most one finished document per worker waits (bounded memory).
    const concurrency = options.concurrency ?? defaultConcurrency();
    const finishing = new Set<Promise<void>>();
    const verifier = startVerifier(toPrint.length);
    const finish = (page: HtmlPage, work: Promise<DocumentResult>) => {
      const done = work.then((result) => {
        if (!options.signal?.aborted || result.ok) report(result);
        if (!result.ok && !options.signal?.aborted && !personal) failedOutputs.push({ outputName: page.outputName, source: page.source });
      });
      finishing.add(done);
      void done.finally(() => finishing.delete(done));
    };
    try {
      await mapPool(
        toPrint,
        concurrency,
        async (job) => {
          const t0 = performance.now();
          const printed = await printer.print(job.page).then(
            (pdf) => ({ pdf }),
            (error: unknown) => ({ error }),
          );
          while (finishing.size >= concurrency) await Promise.race(finishing);
          finish(job.page, 'pdf' in printed ? finishOne(printed.pdf, job, { dir: writeDir, personal: personal ? options.personal! : null, largePrint: options.largePrint ?? false, producers }, contentDir, manifest, verifier, t0) : Promise.resolve(failedDocument(job.page, printed.error, t0)));
        },
        options.signal,
      );
    } finally {
      options.signal?.removeEventListener('abort', stop);
      // The browser closes while the last documents are written and the index is made.
      void printer.close();
      await Promise.all(finishing);
      await verifier.close();
    }
  }
  // Only a build that ran to its end removes the outputs of deleted handouts.
  // A handout given in memory (a personal program) is built alone: the site folder, its
  // manifest and index are not this build's to tidy or rewrite.
  const standalone = Boolean(options.documents);
  const removed = options.signal?.aborted || standalone ? [] : await manifest.removeOrphans(contentDir);
  const kept: BuildResult['kept'] = [];
  for (const { outputName, source } of failedOutputs.sort((a, b) => compareCodeUnits(a.outputName, b.outputName))) {
    const entry = manifest.markFailed(outputName, contentDir, path.relative(contentDir, source.absPath));
    if (entry) kept.push({ file: source.file, pdf: displayPath(path.join(outDir, `${outputName}.pdf`)), built: entry.built ?? null });
  }
  // A full disk or a read-only folder at the very end loses no PDF (each one was written
  // whole or not at all): the file is reported by path like a failed document, and the
  // build still ends with its summary. An unsaved manifest only means a rebuild next time.
  const reportWriteError = (err: unknown) => {
    if (!(err instanceof HandoutError && err.code === 'WRITE')) throw err;
    report(failed({ file: err.where?.file ?? displayPath(outDir), errors: [err] }));
  };
  // A manifest that cannot be written is reported once, not again for the index's record.
  const save = () => manifest.save().then(() => true, (err: unknown) => (reportWriteError(err), false));
  const saved = !standalone && (toPrint.length > 0 || removed.length > 0 || moved.length > 0 || manifest.restated || manifest.marked) ? await save() : true;
  // A shard sees only its part: the index is written once the shards are merged (`handout site`).
  const site = options.shard || standalone
    ? null
    : await updateSiteIndex(outDir, path.resolve(options.templatesDir), await manifest.siteEntries(), { catalogs, contentDir, fingerprint, last: manifest.lastSite() }).catch(reportWriteError);
  if (site && manifest.rememberSite(site.record) && saved) await save();
  return {
    ...summarize(documents, prepared, options, browser && { ...browser, version }),
    removed,
    moved,
    kept,
    ...(site ? { site: displayPath(site.file) } : {}),
  };
}

/** Verifies a printed document and writes its files; a PDF that fails is never written. */
async function finishOne(
  printed: PdfFile,
  job: { page: HtmlPage; key: string; library: LibraryReferences; date: Date | null },
  /** Where its files go and which they are; a personal copy's write-in values, which keep it out of the manifest. */
  to: { dir: string; personal: Personalisation | null; largePrint: boolean; producers: readonly ArtifactProducer[] },
  contentDir: string,
  manifest: CacheManifest,
  verifier: Verifier,
  t0: number,
): Promise<DocumentResult> {
  const { page } = job;
  try {
    const verified = await verifier.verify(printed, job.date);
    const artifacts = produceArtifacts(verified, to.producers);
    const target = path.join(to.dir, page.outputName);
    const files: Record<string, string> = {};
    for (const { extension, bytes } of artifacts) {
      await writeAtomic(`${target}${extension}`, bytes);
      files[`${page.outputName}${extension}`] = sha256(bytes);
    }
    const pdfHash = files[`${page.outputName}.pdf`]!;
    if (!to.personal) await manifest.record(page.outputName, {
      key: job.key,
      library: job.library,
      content: contentDir,
      source: path.relative(contentDir, page.source.absPath),
      files,
      pages: verified.pages,
      bytes: verified.bytes.length,
      warnings: page.warnings.length,
      ...(page.variant
        ? {}
        : {
            site: {
              locale: page.source.locale,
              slug: page.source.slug,
              outputName: page.outputName,
              ...page.meta,
              thumbnail: artifacts.some((a) => a.kind === 'thumbnail'),
            },
          }),
    });
    return {
      ...identify(page.source),
      ok: true,
      cached: false,
      outputs: artifactPaths(to.dir, page.outputName, artifacts),
      shown: artifactPaths(to.dir, to.personal ? shownName(page.source, to.personal, to.largePrint) : page.outputName, artifacts),
      errors: [],
      warnings: page.warnings,
      pages: verified.pages,
      bytes: verified.bytes.length,
      sha256: pdfHash,
      ms: performance.now() - t0,
    };
  } catch (err) {
    return failedDocument(page, err, t0);
  }
}

function failedDocument(page: HtmlPage, err: unknown, t0: number): DocumentResult {
  const error = toHandoutError(err, 'BROWSER', { file: page.source.file });
  return { ...failed({ file: page.source.file, source: page.source, errors: [error] }), ms: performance.now() - t0 };
}

function collision(page: HtmlPage, otherSource: string, outDir: string): HandoutError {
  const target = displayPath(`${path.join(outDir, page.outputName)}.pdf`);
  return new HandoutError('OUTPUT_COLLISION', 'collision', { target, other: displayPath(otherSource), file: page.source.file }, { where: { file: page.source.file } });
}

function identify(source: HandoutSource) {
  return { file: source.file, locale: source.locale, slug: source.slug };
}

export function failed(failure: Failure): DocumentResult {
  return {
    file: failure.file,
    ...(failure.source ? identify(failure.source) : {}),
    ok: false,
    cached: false,
    outputs: null,
    shown: null,
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
  const skipped = documents.filter((d) => d.cached).length;
  // With --strict, each content-wide warning (a locale missing handouts) counts as a failure.
  const strictFailures = options.strict ? prepared.warnings.length : 0;
  return {
    documents,
    warnings: prepared.warnings,
    removed: [],
    moved: [],
    kept: [],
    browser,
    passed: documents.length - failedDocs - skipped,
    failed: failedDocs + strictFailures,
    skipped,
  };
}

/** Chromium uses more than one core per page; one page per core keeps both busy without thrashing. */
function defaultConcurrency(): number {
  return Math.max(1, Math.min(os.availableParallelism?.() ?? os.cpus().length, 4));
}

const compareCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The plan of a build: every output document decided once, before anything is read or
 * rendered. Each job says which handout, in which language, under which output name, on
 * which paper and in which layout; the build then asks its cache which jobs are current
 * and prepares the rest (prepare-handouts.ts). Nothing downstream decides these again.
 */
import path from 'node:path';
import { loadClinic } from '../config/load-clinic.js';
import { discoverHandouts } from '../content/discover-handouts.js';
import { ExerciseLibrary } from '../content/exercise-library.js';
import type { LoadedYaml } from '../content/load-yaml.js';
import { displayPath } from '../content/safe-file.js';
import type { HandoutSource } from '../content/validate-handout.js';
import { HandoutError, toHandoutError } from '../errors.js';
import { LARGE_PRINT_LAYOUT, STANDARD_LAYOUT, type Layout } from '../render/apply-fit.js';
import { IllustrationStore } from '../resolve/load-image.js';
import { resolveClinic, type ResolvedClinic } from '../resolve/resolve-clinic.js';
import type { PageSize, Personalisation } from '../resolve/resolve-handout.js';
import { TranslationIndex, translationWarnings } from '../translations/translation-status.js';
import { isPersonal, outputName } from './output-name.js';
import { effectivePageSize } from './sheet-options.js';

export interface Shard {
  /** 1-based */
  index: number;
  count: number;
}

export interface PlanOptions {
  contentDir: string;
  templatesDir: string;
  locales?: string[] | undefined;
  only?: string[] | undefined;
  pageSize?: PageSize | undefined;
  /** Warnings (a string taken from English, a missing translation) become failures. */
  strict?: boolean | undefined;
  /** Refuse sheets that are draft translations (TRANSLATION_DRAFT): for a release that prints reviewed translations only. */
  reviewedOnly?: boolean | undefined;
  /** Fill the write-in box for one patient (a personal copy). */
  personal?: Personalisation | undefined;
  /** Body text at 14 pt; may take two pages. */
  largePrint?: boolean | undefined;
  /**
   * Build only part k of n (a CI matrix job): every n-th handout × locale, starting at
   * the k-th, in locale/slug order. The n parts are disjoint, cover everything, and differ in
   * size by at most one.
   */
  shard?: Shard | undefined;
  /**
   * Handouts given in memory instead of discovered in the content folder: a personal program
   * (program/print-program.ts), turned into the handout document it prints as. Built alone:
   * no other handout, no language links, no QR code to a page of the clinic's site.
   * `yaml.data` is the handout document; `yaml`'s positions are those of the file it came from.
   */
  documents?: ReadonlyArray<{ source: HandoutSource; yaml: LoadedYaml }> | undefined;
}

/** One output document, as planned: everything about it that does not need its file read. */
export interface DocumentJob {
  source: HandoutSource;
  /** The document given in memory (a personal program); null: read from source.absPath. */
  given: LoadedYaml | null;
  /** Its files' name without extension, in the output folder: "en/knee-hug", "en/knee-hug.large-print". */
  outputName: string;
  /** The paper it is printed on: --page-size, else clinic.yaml's for its locale, else A4. */
  pageSize: PageSize;
  layout: Layout;
  /** A personal copy or large print: never in the site index. */
  variant: boolean;
  /** Every locale the same handout exists in, for its language links (none for a document given in memory). */
  siblings: string[];
}

/** What every job of a plan shares when it is prepared. */
export interface PlanContext {
  contentDir: string;
  templatesDir: string;
  clinic: ResolvedClinic | null;
  translations: TranslationIndex;
  illustrations: IllustrationStore;
  library: ExerciseLibrary;
}

/** A handout that could not be prepared, or was refused. */
export interface Failure {
  file: string;
  source?: HandoutSource;
  /** The output it would have written, when it got as far as a plan. */
  outputName?: string;
  errors: HandoutError[];
}

export interface Plan {
  /** This run's documents (its shard, --locale, --only), in locale/slug order. */
  jobs: DocumentJob[];
  /** Null when nothing can be prepared: a broken clinic.yaml or translations ledger (in `failures`). */
  context: PlanContext | null;
  failures: Failure[];
  /** Warnings about the content as a whole (missing or stale translations). */
  warnings: HandoutError[];
}

export async function planDocuments(options: PlanOptions): Promise<Plan> {
  const contentDir = path.resolve(options.contentDir);
  const templatesDir = path.resolve(options.templatesDir);
  const clinicLoad = await loadClinic(contentDir);
  const clinic = clinicLoad.clinic?.data;
  const discovery = options.documents
    ? { sources: options.documents.map((d) => d.source), errors: [] }
    : await discoverHandouts(contentDir, { locales: options.locales ?? clinic?.locales, only: options.only });
  const failures: Failure[] = [...clinicLoad.errors, ...discovery.errors].map((error) => ({
    file: error.where?.file ?? displayPath(contentDir),
    errors: [error],
  }));
  const none = (failure?: Failure): Plan => ({ jobs: [], context: null, failures: failure ? [failure] : failures, warnings: [] });
  // A broken clinic.yaml would brand every sheet wrongly: print none until it is fixed.
  if (clinicLoad.errors.length) return none();
  let resolvedClinic: ResolvedClinic | null;
  try {
    resolvedClinic = await resolveClinic(clinicLoad.clinic, contentDir);
  } catch (err) {
    return none({ file: clinicLoad.clinic!.file, errors: [toHandoutError(err, 'ASSET_UNSAFE')] });
  }
  // Where each translation stands: what the sheets say about it, and what is stale or missing.
  let translations: TranslationIndex;
  try {
    translations = await TranslationIndex.open(contentDir, { locales: clinic?.locales, handout_locales: clinic?.handout_locales });
  } catch (err) {
    // A broken content/translations.yaml: no sheet can say truly whether it was reviewed.
    if (!(err instanceof HandoutError)) throw err;
    return none({ file: err.where?.file ?? displayPath(contentDir), errors: [err] });
  }
  // Content-wide warnings are reported once: by the whole build, or by shard 1 of n.
  const warnings =
    (options.shard && options.shard.index !== 1) || options.documents
      ? []
      : translationWarnings({ source: translations.source, locales: translations.locales, rows: await translations.rows(), ledger: translations.ledger }, contentDir, {
          locales: options.locales ?? clinic?.locales,
          only: options.only,
        });
  const given = new Map((options.documents ?? []).map((d) => [d.source, d.yaml]));
  const siblingsOf = options.documents ? () => [] : await siblingLocales(contentDir, discovery.sources, options, clinic?.locales);
  const mine = options.shard ? inShard(discovery.sources, options.shard) : discovery.sources;
  const largePrint = options.largePrint ?? false;
  const jobs = mine.map(
    (source): DocumentJob => ({
      source,
      given: given.get(source) ?? null,
      outputName: outputName(source, options.personal ?? null, largePrint),
      pageSize: effectivePageSize(options.pageSize, clinic, source.locale),
      layout: largePrint ? LARGE_PRINT_LAYOUT : STANDARD_LAYOUT,
      variant: largePrint || isPersonal(options.personal),
      siblings: siblingsOf(source.slug),
    }),
  );
  return {
    jobs,
    context: {
      contentDir,
      templatesDir,
      clinic: resolvedClinic,
      translations,
      illustrations: new IllustrationStore(path.join(contentDir, 'illustrations')),
      library: new ExerciseLibrary(contentDir),
    },
    failures,
    warnings,
  };
}

/**
 * Which locales each handout exists in, over the whole content folder (the clinic's
 * locales), whatever this run's --locale and --only: the published pages link to each
 * other, and building one locale must not unlink the others.
 */
async function siblingLocales(
  contentDir: string,
  sources: readonly HandoutSource[],
  options: Pick<PlanOptions, 'locales' | 'only'>,
  clinicLocales: readonly string[] | undefined,
): Promise<(slug: string) => string[]> {
  const filtered = Boolean(options.locales?.length || options.only?.length);
  const all = filtered ? (await discoverHandouts(contentDir, clinicLocales ? { locales: clinicLocales } : {})).sources : sources;
  const bySlug = new Map<string, string[]>();
  for (const s of all) bySlug.set(s.slug, [...(bySlug.get(s.slug) ?? []), s.locale]);
  return (slug) => [...new Set(bySlug.get(slug) ?? [])].sort();
}

/** Part k of n, in an order every machine agrees on (code points, not the locale's collation). */
export function inShard(sources: readonly HandoutSource[], shard: Shard): HandoutSource[] {
  const id = (s: HandoutSource) => `${s.locale}/${s.slug}`;
  return [...sources].sort((a, b) => (id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0)).filter((_, i) => i % shard.count === shard.index - 1);
}

/**
 * Everything before the browser, for every handout: discover, load, validate, resolve,
 * render. Cheap (milliseconds per handout), so it runs for all of them before Chromium
 * starts, and `handout check` is exactly this.
 */
import path from 'node:path';
import { discoverHandouts } from '../content/discover-handouts.js';
import { ExerciseLibrary } from '../content/exercise-library.js';
import { isExerciseReference } from '../content/handout-schema.js';
import { loadYaml, type LoadedYaml } from '../content/load-yaml.js';
import { displayPath } from '../content/safe-file.js';
import { validateHandout, type HandoutSource } from '../content/validate-handout.js';
import { HandoutError, toHandoutError } from '../errors.js';
import { sheetStamp, TranslationIndex, translationWarnings } from '../translations/translation-status.js';
import { CatalogStore } from '../i18n/load-catalog.js';
import { LARGE_PRINT_LAYOUT, STANDARD_LAYOUT } from '../render/apply-fit.js';
import { createRenderer, type HtmlPage } from '../render/create-renderer.js';
import { mapPool } from './map-pool.js';
import { outputName } from './output-name.js';
import { effectivePageSize } from './sheet-options.js';
import { IllustrationStore } from '../resolve/load-image.js';
import { resolveClinic, type ResolvedClinic } from '../resolve/resolve-clinic.js';
import { resolveHandout, type PageSize, type Personalisation, type Sibling } from '../resolve/resolve-handout.js';
import { loadClinic } from '../config/load-clinic.js';

export interface Shard {
  /** 1-based */
  index: number;
  count: number;
}

export interface PrepareOptions {
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
   * Asked before a handout is read: true means its outputs are current, skip it.
   * `pageSize`: the paper its sheet is printed on (--page-size, else clinic.yaml's).
   */
  /**
   * Handouts given in memory instead of discovered in the content folder: a personal program
   * (program/print-program.ts), turned into the handout document it prints as. Built alone:
   * no other handout, no language links, no QR code to a page of the clinic's site.
   * `yaml.data` is the handout document; `yaml`'s positions are those of the file it came from.
   */
  documents?: ReadonlyArray<{ source: HandoutSource; yaml: LoadedYaml }> | undefined;
  isFresh?: ((source: HandoutSource, outputName: string, siblings: readonly string[], pageSize: PageSize) => Promise<boolean>) | undefined;
}

/** A handout that could not be prepared, or was refused. */
export interface Failure {
  file: string;
  source?: HandoutSource;
  errors: HandoutError[];
}

export interface Prepared {
  pages: HtmlPage[];
  /** Handouts whose outputs are current (isFresh said so): not rendered. */
  fresh: Array<{ source: HandoutSource; outputName: string }>;
  failures: Failure[];
  /** Warnings about the content as a whole (missing translations). */
  warnings: HandoutError[];
  /** The output names of every handout this run was given (its shard, --locale, --only), built or not. */
  names: Set<string>;
}

/** `catalogs`: the string catalogs, shared with the caller (the site index needs them too). */
export async function prepareHandouts(options: PrepareOptions, catalogs = new CatalogStore(path.resolve(options.templatesDir))): Promise<Prepared> {
  const contentDir = path.resolve(options.contentDir);
  const templatesDir = path.resolve(options.templatesDir);
  const clinicLoad = await loadClinic(contentDir);
  const clinic = clinicLoad.clinic?.data;
  const given = new Map((options.documents ?? []).map((d) => [d.source, d.yaml]));
  const discovery = options.documents
    ? { sources: options.documents.map((d) => d.source), errors: [] }
    : await discoverHandouts(contentDir, { locales: options.locales ?? clinic?.locales, only: options.only });
  const failures: Failure[] = [...clinicLoad.errors, ...discovery.errors].map((error) => ({
    file: error.where?.file ?? displayPath(contentDir),
    errors: [error],
  }));
  // A broken clinic.yaml would brand every sheet wrongly: print none until it is fixed.
  if (clinicLoad.errors.length) return { pages: [], fresh: [], failures, warnings: [], names: new Set() };
  let resolvedClinic: ResolvedClinic | null;
  try {
    resolvedClinic = await resolveClinic(clinicLoad.clinic, contentDir);
  } catch (err) {
    return { pages: [], fresh: [], failures: [{ file: clinicLoad.clinic!.file, errors: [toHandoutError(err, 'ASSET_UNSAFE')] }], warnings: [], names: new Set() };
  }
  const pageSizeFor = (locale: string): PageSize => effectivePageSize(options.pageSize, clinic, locale);
  // Content-wide warnings are reported once: by the whole build, or by shard 1 of n.
  // Where each translation stands: what the sheets say about it, and what is stale or missing.
  let translations: TranslationIndex;
  try {
    translations = await TranslationIndex.open(contentDir, { locales: clinic?.locales, handout_locales: clinic?.handout_locales });
  } catch (err) {
    // A broken content/translations.yaml: no sheet can say truly whether it was reviewed.
    if (!(err instanceof HandoutError)) throw err;
    return { pages: [], fresh: [], failures: [{ file: err.where?.file ?? displayPath(contentDir), errors: [err] }], warnings: [], names: new Set() };
  }
  const warnings =
    (options.shard && options.shard.index !== 1) || options.documents
      ? []
      : translationWarnings({ source: translations.source, locales: translations.locales, rows: await translations.rows(), ledger: translations.ledger }, contentDir, {
          locales: options.locales ?? clinic?.locales,
          only: options.only,
        });
  const illustrations = new IllustrationStore(path.join(contentDir, 'illustrations'));
  const library = new ExerciseLibrary(contentDir);
  const pages: HtmlPage[] = [];
  const personal = options.personal ?? null;
  const nameOf = (source: HandoutSource) => outputName(source, personal, options.largePrint ?? false);
  const fresh: Prepared['fresh'] = [];
  const toRender: HandoutSource[] = [];
  const siblingsOf = options.documents ? () => [] : await siblingLocales(contentDir, discovery.sources, options, clinic?.locales);
  const shard = options.shard;
  const mine = shard ? inShard(discovery.sources, shard) : discovery.sources;
  // Checked side by side (hashing a handout's outputs is mostly waiting for the disk), in order.
  // Under --reviewed-only every sheet is read again: one cached as a draft must be refused.
  const isFresh = options.reviewedOnly ? undefined : options.isFresh;
  const verdicts: boolean[] = [];
  if (isFresh) {
    await mapPool([...mine.entries()], 8, async ([i, source]) => {
      verdicts[i] = await isFresh(source, nameOf(source), siblingsOf(source.slug), pageSizeFor(source.locale));
    });
  }
  mine.forEach((source, i) => {
    if (verdicts[i]) fresh.push({ source, outputName: nameOf(source) });
    else toRender.push(source);
  });
  // Templates and fonts are read only when something is to be rendered.
  const renderer = toRender.length > 0 ? await createRenderer(templatesDir) : null;

  await Promise.all(
    toRender.map(async (source) => {
      try {
        const yaml = given.get(source) ?? (await loadYaml(source.absPath, source.file, contentDir));
        const validation = validateHandout(source, yaml);
        if (!validation.ok) {
          failures.push({ file: source.file, source, errors: validation.errors });
          return;
        }
        // Library references replaced by their exercises: an unknown id, or a library file that
        // does not validate (at its own line), fails each handout that uses it, and only those.
        const exercises = await library.place(validation.value);
        if (!exercises.ok) {
          failures.push({ file: source.file, source, errors: exercises.errors });
          return;
        }
        // Its own text and the library exercises it prints: a translation is reviewed only if all are.
        const stamp = await sheetStamp(translations, source.locale, [
          { kind: options.documents ? 'programs' : 'handouts', id: source.slug },
          ...validation.value.data.exercises.filter(isExerciseReference).map((e) => ({ kind: 'exercises' as const, id: e.exercise })),
        ]);
        if (options.reviewedOnly && stamp?.state === 'draft') {
          failures.push({
            file: source.file,
            source,
            errors: [
              new HandoutError('TRANSLATION_DRAFT', 'draft', { locale: source.locale, slug: source.slug }, { where: { file: source.file } }),
            ],
          });
          return;
        }
        const catalog = await catalogs.get(source.locale).catch((err: unknown) => {
          throw err instanceof HandoutError && err.code === 'UNKNOWN_LOCALE'
            ? new HandoutError('UNKNOWN_LOCALE', 'handoutLocale', { locale: source.locale, file: String(err.where?.file) }, {
                where: { file: source.file },
                hint: err.hint,
              })
            : err;
        });
        if (options.strict && catalog.warnings.length) {
          failures.push({ file: source.file, source, errors: catalog.warnings });
          return;
        }
        const resolved = await resolveHandout(validation.value, {
          catalog,
          illustrations,
          pageSize: pageSizeFor(source.locale),
          clinic: resolvedClinic,
          personal: options.personal ?? null,
          unpublished: Boolean(options.documents),
          largePrint: options.largePrint ?? false,
          siblings: await languageNames(catalogs, siblingsOf(source.slug)),
          exercises: exercises.value,
          translation: stamp,
        });
        pages.push(
          renderer!.render(resolved, {
            outputName: nameOf(source),
            layout: options.largePrint ? LARGE_PRINT_LAYOUT : STANDARD_LAYOUT,
          }),
        );
      } catch (err) {
        // Resolving and rendering report what is wrong with a handout as HandoutErrors;
        // anything else thrown here is a bug of the tool's, not the handout's fault.
        failures.push({ file: source.file, source, errors: [toHandoutError(err, 'INTERNAL', { file: source.file })] });
      }
    }),
  );
  const byFile = (a: { file: string }, b: { file: string }) => a.file.localeCompare(b.file);
  return { pages: pages.sort((a, b) => byFile(a.source, b.source)), fresh, failures: failures.sort(byFile), warnings, names: new Set(mine.map(nameOf)) };
}

/**
 * Which locales each handout exists in, over the whole content folder (the clinic's
 * locales), whatever this run's --locale and --only: the published pages link to each
 * other, and building one locale must not unlink the others.
 */
async function siblingLocales(
  contentDir: string,
  sources: readonly HandoutSource[],
  options: PrepareOptions,
  clinicLocales: readonly string[] | undefined,
): Promise<(slug: string) => string[]> {
  const filtered = Boolean(options.locales?.length || options.only?.length);
  const all = filtered ? (await discoverHandouts(contentDir, clinicLocales ? { locales: clinicLocales } : {})).sources : sources;
  const bySlug = new Map<string, string[]>();
  for (const s of all) bySlug.set(s.slug, [...(bySlug.get(s.slug) ?? []), s.locale]);
  return (slug) => [...new Set(bySlug.get(slug) ?? [])].sort();
}

/** Each language's name for itself, from its catalog ("Español", "中文"); a locale without a catalog is left out. */
async function languageNames(catalogs: CatalogStore, locales: readonly string[]): Promise<Sibling[]> {
  const named = await Promise.all(
    locales.map(async (locale) => {
      try {
        return { locale, name: (await catalogs.get(locale)).strings.language_name };
      } catch {
        return null;
      }
    }),
  );
  return named.filter((s): s is Sibling => s !== null);
}

/** Part k of n, in an order every machine agrees on (code points, not the locale's collation). */
export function inShard(sources: readonly HandoutSource[], shard: Shard): HandoutSource[] {
  const id = (s: HandoutSource) => `${s.locale}/${s.slug}`;
  return [...sources].sort((a, b) => (id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0)).filter((_, i) => i % shard.count === shard.index - 1);
}

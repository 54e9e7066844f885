/**
 * Everything before the browser, for each planned document (plan-documents.ts): load,
 * validate, resolve, render. Cheap (milliseconds per handout), so it runs for all of them
 * before Chromium starts, and `handout check` is exactly this.
 */
import path from 'node:path';
import { isExerciseReference } from '../content/handout-schema.js';
import { loadYaml } from '../content/load-yaml.js';
import { validateHandout } from '../content/validate-handout.js';
import { HandoutError, toHandoutError } from '../errors.js';
import { sheetStamp } from '../translations/translation-status.js';
import { CatalogStore } from '../i18n/load-catalog.js';
import { LARGE_PRINT_LAYOUT } from '../render/apply-fit.js';
import { createRenderer, type HtmlPage } from '../render/create-renderer.js';
import { resolveHandout, type Sibling } from '../resolve/resolve-handout.js';
import { planDocuments, type DocumentJob, type Failure, type Plan, type PlanOptions } from './plan-documents.js';

export { inShard, type Failure, type Shard } from './plan-documents.js';

export type PrepareOptions = PlanOptions;

export interface Prepared {
  pages: HtmlPage[];
  failures: Failure[];
  /** Warnings about the content as a whole (missing translations). */
  warnings: HandoutError[];
  /** The output names of every handout this run was given (its shard, --locale, --only). */
  names: Set<string>;
}

/** Plans and prepares every document: what `handout check`, the dev server and a program's split need. */
export async function prepareHandouts(options: PrepareOptions, catalogs = new CatalogStore(path.resolve(options.templatesDir))): Promise<Prepared> {
  const plan = await planDocuments(options);
  const { pages, failures } = await prepareJobs(plan, plan.jobs, options, catalogs);
  return { pages, failures: [...plan.failures, ...failures].sort(byFile), warnings: plan.warnings, names: new Set(plan.jobs.map((j) => j.outputName)) };
}

/**
 * Prepares these jobs of the plan (the build leaves out those its cache holds). A handout
 * that fails is a Failure and never stops the others. `catalogs`: the string catalogs,
 * shared with the caller (the site index needs them too).
 */
export async function prepareJobs(
  plan: Plan,
  jobs: readonly DocumentJob[],
  options: Pick<PrepareOptions, 'strict' | 'reviewedOnly' | 'personal'>,
  catalogs: CatalogStore,
): Promise<{ pages: HtmlPage[]; failures: Failure[] }> {
  const pages: HtmlPage[] = [];
  const failures: Failure[] = [];
  if (!plan.context || jobs.length === 0) return { pages, failures };
  const { contentDir, templatesDir, clinic, translations, illustrations, library } = plan.context;
  // Templates and fonts are read only when something is to be rendered.
  const renderer = await createRenderer(templatesDir);

  await Promise.all(
    jobs.map(async (job) => {
      const { source } = job;
      try {
        const yaml = job.given ?? (await loadYaml(source.absPath, source.file, contentDir));
        const validation = validateHandout(source, yaml);
        if (!validation.ok) {
          failures.push({ file: source.file, source, outputName: job.outputName, errors: validation.errors });
          return;
        }
        // Library references replaced by their exercises: an unknown id, or a library file that
        // does not validate (at its own line), fails each handout that uses it, and only those.
        const exercises = await library.place(validation.value);
        if (!exercises.ok) {
          failures.push({ file: source.file, source, outputName: job.outputName, errors: exercises.errors });
          return;
        }
        // Its own text and the library exercises it prints: a translation is reviewed only if all are.
        const stamp = await sheetStamp(translations, source.locale, [
          { kind: job.given ? 'programs' : 'handouts', id: source.slug },
          ...validation.value.data.exercises.filter(isExerciseReference).map((e) => ({ kind: 'exercises' as const, id: e.exercise })),
        ]);
        if (options.reviewedOnly && stamp?.state === 'draft') {
          failures.push({
            file: source.file,
            source,
            outputName: job.outputName,
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
          failures.push({ file: source.file, source, outputName: job.outputName, errors: catalog.warnings });
          return;
        }
        const resolved = await resolveHandout(validation.value, {
          catalog,
          illustrations,
          pageSize: job.pageSize,
          clinic,
          personal: options.personal ?? null,
          unpublished: job.given !== null,
          largePrint: job.layout === LARGE_PRINT_LAYOUT,
          siblings: await languageNames(catalogs, job.siblings),
          exercises: exercises.value,
          translation: stamp,
        });
        pages.push(
          renderer!.render(resolved, { outputName: job.outputName, layout: job.layout, variant: job.variant }),
        );
      } catch (err) {
        // Resolving and rendering report what is wrong with a handout as HandoutErrors;
        // anything else thrown here is a bug of the tool's, not the handout's fault.
        failures.push({ file: source.file, source, outputName: job.outputName, errors: [toHandoutError(err, 'INTERNAL', { file: source.file })] });
      }
    }),
  );
  return { pages: pages.sort((a, b) => byFile(a.source, b.source)), failures: failures.sort(byFile) };
}

const byFile = (a: { file: string }, b: { file: string }) => a.file.localeCompare(b.file);

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


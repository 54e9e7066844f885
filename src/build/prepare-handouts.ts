/**
 * Everything before the browser, for every handout: load, validate, resolve, render.
 * Cheap (milliseconds per handout), so it runs for all of them before Chromium starts,
 * and `handout check` runs exactly this.
 */
import path from 'node:path';
import { loadYaml } from '../content/load-yaml.js';
import { validateHandout, type HandoutSource } from '../content/validate-handout.js';
import { HandoutError, toHandoutError } from '../errors.js';
import { loadCatalog, type Catalog } from '../i18n/load-catalog.js';
import type { HtmlPage, Renderer } from '../render/create-renderer.js';
import { IllustrationStore } from '../resolve/load-illustration.js';
import { resolveHandout, type PageSize } from '../resolve/resolve-handout.js';

export interface PrepareOptions {
  contentDir: string;
  templatesDir: string;
  pageSize: PageSize;
}

export type Prepared = HtmlPage | { source: HandoutSource; errors: HandoutError[] };

/** Everything before the browser: cheap, so done for all handouts before Chromium starts. */
export async function prepareHandouts(
  sources: HandoutSource[],
  renderer: Renderer,
  options: PrepareOptions,
): Promise<Prepared[]> {
  const { contentDir, templatesDir, pageSize } = options;
  const illustrations = new IllustrationStore(path.join(contentDir, 'illustrations'));
  const catalogs = new Map<string, Promise<Catalog>>();
  const catalogFor = (locale: string) => {
    if (!catalogs.has(locale)) catalogs.set(locale, loadCatalog(templatesDir, locale));
    return catalogs.get(locale)!;
  };
  return Promise.all(
    sources.map(async (source): Promise<Prepared> => {
      try {
        const yaml = await loadYaml(source.absPath, source.file, contentDir);
        const validation = validateHandout(source, yaml);
        if (!validation.ok) return { source, errors: validation.errors };
        const catalog = await catalogFor(source.locale).catch((err: unknown) => {
          throw err instanceof HandoutError && err.code === 'UNKNOWN_LOCALE'
            ? new HandoutError(err.code, `the handout is in locale "${source.locale}", which has no string catalog (${err.where?.file})`, {
                where: { file: source.file },
              })
            : err;
        });
        const resolved = await resolveHandout(validation.value, {
          catalog,
          illustrations,
          pageSize,
        });
        return renderer.render(resolved);
      } catch (err) {
        return { source, errors: [toHandoutError(err, 'SCHEMA', { file: source.file })] };
      }
    }),
  );
}


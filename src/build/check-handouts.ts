/**
 * `handout check`: everything a build does before printing (discover, load, validate,
 * resolve, render, glyph coverage), without a browser. Fast enough for an editor hook or
 * a pre-commit check.
 */
import { failed, summarize, type BuildResult, type DocumentResult } from './build-handouts.js';
import { prepareHandouts, type PrepareOptions } from './prepare-handouts.js';

export interface CheckOptions extends PrepareOptions {
  onResult?: (result: DocumentResult) => void;
}

export async function checkHandouts(options: CheckOptions): Promise<BuildResult> {
  const prepared = await prepareHandouts(options);
  const documents: DocumentResult[] = [
    ...prepared.failures.map(failed),
    ...prepared.pages.map((page) => ({
      file: page.source.file,
      locale: page.source.locale,
      slug: page.source.slug,
      ok: true,
      cached: false,
      outputs: null,
      errors: [],
      warnings: page.warnings,
      ms: 0,
    })),
  ].sort((a, b) => a.file.localeCompare(b.file));
  documents.forEach((d) => options.onResult?.(d));
  return summarize(documents, prepared, options, null);
}

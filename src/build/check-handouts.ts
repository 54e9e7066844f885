/**
 * `handout check`: everything a build does before printing (load, validate, resolve,
 * render), without a browser. Fast enough for an editor hook or a pre-commit check.
 */
import path from 'node:path';
import { discoverHandouts } from '../content/discover-handouts.js';
import { displayPath } from '../content/safe-file.js';
import { createRenderer } from '../render/create-renderer.js';
import type { BuildOptions, BuildResult, DocumentResult } from './build-handouts.js';
import { prepareHandouts } from './prepare-handouts.js';

export type CheckOptions = Pick<BuildOptions, 'contentDir' | 'templatesDir' | 'locales' | 'only' | 'pageSize' | 'onResult'>;

export async function checkHandouts(options: CheckOptions): Promise<BuildResult> {
  const contentDir = path.resolve(options.contentDir);
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
  for (const item of prepared) {
    const { file, locale, slug } = item.source;
    report({ file, locale, slug, ok: !('errors' in item), outputs: null, errors: 'errors' in item ? item.errors : [], ms: 0 });
  }
  const failed = documents.filter((d) => !d.ok).length;
  return { documents, browser: null, passed: documents.length - failed, failed };
}

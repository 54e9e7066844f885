/**
 * A handout that exists in one locale but not in another: the patient reading that
 * language gets no sheet. A warning for `handout check` and `build` (an error with
 * --strict), one per locale, listing the handouts it lacks.
 */
import path from 'node:path';
import { displayPath } from '../content/safe-file.js';
import type { HandoutSource } from '../content/validate-handout.js';
import { HandoutError } from '../errors.js';

export function findMissingTranslations(contentDir: string, sources: readonly HandoutSource[]): HandoutError[] {
  const slugsByLocale = new Map<string, Set<string>>();
  for (const s of sources) {
    if (!slugsByLocale.has(s.locale)) slugsByLocale.set(s.locale, new Set());
    slugsByLocale.get(s.locale)!.add(s.slug);
  }
  const allSlugs = new Set(sources.map((s) => s.slug));
  const warnings: HandoutError[] = [];
  for (const [locale, slugs] of [...slugsByLocale].sort(([a], [b]) => a.localeCompare(b))) {
    const missing = [...allSlugs].filter((slug) => !slugs.has(slug)).sort();
    if (missing.length === 0) continue;
    const others = (slug: string) =>
      [...slugsByLocale].filter(([, s]) => s.has(slug)).map(([l]) => l).sort().join(', ');
    warnings.push(
      new HandoutError(
        'TRANSLATION_MISSING',
        `locale ${locale} lacks ${missing.length} handout${missing.length > 1 ? 's' : ''} that other locales have: ${missing
          .slice(0, 8)
          .map((slug) => `${slug} (in ${others(slug)})`)
          .join('; ')}${missing.length > 8 ? `; and ${missing.length - 8} more` : ''}`,
        { where: { file: displayPath(path.join(contentDir, locale)) } },
      ),
    );
  }
  return warnings;
}

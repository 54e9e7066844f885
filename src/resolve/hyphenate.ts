/**
 * Hyphenation that works in headless Chromium on Linux: Chromium's own `hyphens: auto`
 * needs dictionaries it downloads at run time, so offline it silently does nothing.
 * Instead, soft hyphens (U+00AD) are placed in long words with TeX patterns for the
 * handout's language (the `hyphen` package); Chromium breaks there and draws a hyphen
 * only when it does. Long German compounds wrap instead of overflowing their boxes.
 */
import { createRequire } from 'node:module';

type HyphenateSync = (text: string, options?: { hyphenChar?: string; minWordLength?: number }) => string;

const require = createRequire(import.meta.url);
/** Languages with patterns and long words; the others (zh, ar, vi…) do not hyphenate. */
const PATTERNS: Record<string, string> = { de: 'hyphen/de', en: 'hyphen/en-us', es: 'hyphen/es', fr: 'hyphen/fr', pt: 'hyphen/pt', ru: 'hyphen/ru', hi: 'hyphen/hi' };
/** Words shorter than this are never broken: a split short word is harder to read. */
const MIN_WORD_LENGTH = 8;

export type Hyphenate = (text: string) => string;

const cache = new Map<string, Hyphenate>();

export function hyphenatorFor(locale: string): Hyphenate {
  const language = locale.split('-')[0]!;
  let hyphenate = cache.get(language);
  if (!hyphenate) {
    const module = PATTERNS[language];
    if (module) {
      const { hyphenateSync } = require(module) as { hyphenateSync: HyphenateSync };
      hyphenate = (text) => hyphenateSync(text, { hyphenChar: '\u00ad', minWordLength: MIN_WORD_LENGTH });
    } else {
      hyphenate = (text) => text;
    }
    cache.set(language, hyphenate);
  }
  return hyphenate;
}

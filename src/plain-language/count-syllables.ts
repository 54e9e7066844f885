/**
 * Syllables per word, the unit of every Flesch-type formula.
 *
 * English: the `syllable` package (rules and exceptions written for English spelling).
 * Other languages: Frank Liang's hyphenation patterns (the TeX patterns, via the `hyphen`
 * package), counting a word's hyphenation points + 1, as textstat does with Pyphen. A
 * hyphenation point is always a syllable boundary, but the patterns never split off a
 * single letter at either end ("aber", "una" stay whole), so this counts slightly fewer
 * syllables than a person would: the grade it gives leans a little low, never high.
 */
import { createRequire } from 'node:module';
import { syllable } from 'syllable';
import { languageOf } from './segment-text.js';

interface Hyphenator {
  hyphenateSync(text: string, options?: { hyphenChar?: string; minWordLength?: number }): string;
}

/** The `hyphen` pattern modules for the languages a formula is built in for (see readability-formulas.ts). */
const HYPHEN_MODULES: Record<string, string> = {
  de: 'hyphen/de',
  es: 'hyphen/es',
  fr: 'hyphen/fr',
  pt: 'hyphen/pt',
};

// `hyphen` is CommonJS with one folder per language and no "exports" map, so ESM cannot
// import "hyphen/de" (a folder); require() can, and loads only the language asked for.
const require = createRequire(import.meta.url);
const hyphenators = new Map<string, Hyphenator>();

function hyphenatorFor(language: string): Hyphenator | null {
  const id = HYPHEN_MODULES[language];
  if (!id) return null;
  let hyphenator = hyphenators.get(language);
  if (!hyphenator) {
    hyphenator = require(id) as Hyphenator;
    hyphenators.set(language, hyphenator);
  }
  return hyphenator;
}

/** Whether syllables can be counted for this locale. */
export function canCountSyllables(locale: string): boolean {
  const language = languageOf(locale);
  return language === 'en' || language in HYPHEN_MODULES;
}

/**
 * Syllables in one word (as `wordsOf` gives them). At least 1: a numeral ("30") or an
 * abbreviation is read aloud as at least one syllable, and no word has none.
 */
export function countSyllables(word: string, locale: string): number {
  const language = languageOf(locale);
  if (language === 'en') return Math.max(1, syllable(word));
  const hyphenator = hyphenatorFor(language);
  if (!hyphenator) throw new Error(`no syllable counter for locale "${locale}"`);
  if (!/\p{L}/u.test(word)) return 1;
  // Soft hyphens as markers; minWordLength 1, since the package skips words under 5 letters by default.
  const marked = hyphenator.hyphenateSync(word.toLowerCase(), { hyphenChar: '\u00AD', minWordLength: 1 });
  return marked.split('\u00AD').length;
}

/**
 * Whether a handout's words come back whole from a PDF reader: what a patient who searches
 * the PDF, copies a sentence from it or has it read aloud gets. A word is intact when the
 * reader's text holds it as a whole word, character for character (NFC): a soft hyphen, a
 * U+0000, a space or a lost vowel sign inside it breaks it.
 */

/** Characters that join a word to its neighbours: a match next to one is not a whole word. */
const WORD_CHAR = /[\p{L}\p{M}\p{N}\u00ad\u0000\u200c\u200d]/u;
/** Scripts written without spaces: their words touch their neighbours, and lines wrap inside them. */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;

/** The words of a text, as a reader of the locale divides it (Intl.Segmenter), in NFC. */
export function wordsOf(text: string, locale: string): string[] {
  const segmenter = new Intl.Segmenter(locale, { granularity: 'word' });
  return [...segmenter.segment(text.normalize('NFC'))].filter((s) => s.isWordLike).map((s) => s.segment);
}

/**
 * A reader's text made comparable: NFC, and the line breaks between Chinese characters
 * (a line may wrap anywhere in Chinese, inside a word too) taken out.
 */
function prepare(readerText: string): string {
  return readerText.normalize('NFC').replace(/(?<=[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303f\uff00-\uffef])\s+(?=[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303f\uff00-\uffef])/gu, '');
}

/** How often `word` occurs in `text` as a whole word (Chinese words: as a substring). */
function occurrences(text: string, word: string): number {
  const whole = !UNSPACED.test(word);
  let count = 0;
  for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
    if (whole) {
      const before = [...text.slice(Math.max(0, i - 2), i)].at(-1);
      const after = [...text.slice(i + word.length, i + word.length + 2)][0];
      if (joins(before) || joins(after)) continue;
    }
    count++;
  }
  return count;
}

function joins(ch: string | undefined): boolean {
  return ch !== undefined && WORD_CHAR.test(ch) && !UNSPACED.test(ch);
}

export interface WordCheck {
  /** Word occurrences in the source text. */
  total: number;
  /** Of those, how many the reader gave back whole. */
  intact: number;
  /** The source's words the reader broke or lost (each once, with how many were missing). */
  broken: Array<{ word: string; missing: number }>;
}

/** Counts the source's words (each occurrence) that come back whole in the reader's text. */
export function checkWords(sourceText: string, readerText: string, locale: string): WordCheck {
  const counts = new Map<string, number>();
  for (const word of wordsOf(sourceText, locale)) counts.set(word, (counts.get(word) ?? 0) + 1);
  const text = prepare(readerText);
  let total = 0;
  let intact = 0;
  const broken: WordCheck['broken'] = [];
  for (const [word, n] of counts) {
    const found = Math.min(n, occurrences(text, word));
    total += n;
    intact += found;
    if (found < n) broken.push({ word, missing: n - found });
  }
  return { total, intact, broken };
}

export function countChar(text: string, ch: string): number {
  return text.split(ch).length - 1;
}

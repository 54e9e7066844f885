/**
 * Sentences and words of a text, as the readability formulas count them, with
 * `Intl.Segmenter` (Unicode's sentence and word boundaries, UAX #29, in the text's locale):
 * no language needs its own tokenizer, and Chinese or Thai words come out as words.
 */

/** Titles of people, and the like, that end in a full stop without ending the sentence. */
const ABBREVIATIONS = new Set(
  [
    // English
    'dr', 'mr', 'mrs', 'ms', 'prof', 'approx', 'vs',
    // German
    'nr', 'bzw', 'ca', 'ggf', 'evtl', 'usw', 'inkl', 'bspw', 'hr', 'fr',
    // French, Spanish, Portuguese
    'mme', 'mlle', 'env', 'sr', 'sra', 'srta', 'dra', 'ud', 'uds', 'aprox', 'pág',
  ].map((a) => a.normalize('NFC')),
);

/**
 * The sentences of one text. V8's segmenter has no abbreviation list (ICU's "ss=standard"
 * suppressions are not applied), so "Ask Dr. Smith" or "z. B. Ihren Arzt" would be cut in
 * two, and two short sentences would flatter the grade: a piece that ends in a known
 * abbreviation or a single letter and a full stop, or that is only a list number ("2. "
 * pasted before a step), or that is followed by one starting in lower case, is joined to
 * the next.
 */
export function sentencesOf(text: string, locale: string): string[] {
  const segmenter = new Intl.Segmenter(locale, { granularity: 'sentence' });
  const pieces = [...segmenter.segment(text)].map((s) => s.segment);
  const out: string[] = [];
  for (const piece of pieces) {
    const previous = out.at(-1);
    if (previous !== undefined && (endsInAbbreviation(previous) || /^\s*\p{Nd}{1,3}[.)]\s*$/u.test(previous) || /^\s*\p{Ll}/u.test(piece))) {
      out[out.length - 1] = previous + piece;
    } else {
      out.push(piece);
    }
  }
  return out.map((s) => s.trim()).filter((s) => wordsOf(s, locale).length > 0);
}

function endsInAbbreviation(piece: string): boolean {
  const match = /(?:^|[\s(])(\p{L}+)\.\s*$/u.exec(piece);
  if (!match) return false;
  const word = match[1]!;
  // A single letter and a full stop is an initial or part of "z. B.", "d. h.", "p. ex."
  return [...word].length === 1 || ABBREVIATIONS.has(word.toLowerCase());
}

/**
 * The words of a text: the segmenter's word-like segments (letters or digits; punctuation,
 * spaces and symbols are not words). "hip-width" is two words, "don't" one, "15–30" two.
 */
export function wordsOf(text: string, locale: string): string[] {
  const segmenter = new Intl.Segmenter(locale, { granularity: 'word' });
  return [...segmenter.segment(text)].filter((s) => s.isWordLike).map((s) => s.segment);
}

/** The language subtag of a locale code: "pt-BR" → "pt". */
export function languageOf(locale: string): string {
  return locale.split(/[-_]/)[0]!.toLowerCase();
}

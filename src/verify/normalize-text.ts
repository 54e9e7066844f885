/**
 * Comparing source text with text read back from a PDF: the PDF has line breaks where
 * the layout wrapped, and a word that contains a hyphen may be wrapped right after it.
 */

/** Whitespace-insensitive, Unicode-normalised form of source text. */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').replace(/\u00ad/g, '').replace(/\s+/g, ' ').trim();
}

/**
 * The form in which text is compared with a PDF's: without whitespace or hyphens. Line
 * breaks land anywhere in a PDF (between Chinese characters, inside a hyphenated word,
 * where a soft hyphen becomes a printed one), so neither can be compared; the sequence
 * of every other visible character still must match.
 */
export function compactText(text: string): string {
  return text.normalize('NFKC').replace(/[\s\p{Cf}\u002d\u2010]+/gu, '');
}

export function countOccurrences(haystack: string, needle: string): number {
  if (!needle) return 0;
  let count = 0;
  for (let i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + needle.length)) count++;
  return count;
}

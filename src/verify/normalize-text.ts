/**
 * Comparing source text with text read back from a PDF: the PDF has line breaks where
 * the layout wrapped, and a word that contains a hyphen may be wrapped right after it.
 */

/** Whitespace-insensitive, Unicode-normalised form of source text. */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, ' ').trim();
}

/** The same for text extracted from a PDF: also rejoins words wrapped after a hyphen. */
export function normalizePdfText(text: string): string {
  return normalizeText(text.replace(/(\p{L}[-\u2010])[ \t]*\r?\n\s*(?=\p{L})/gu, '$1'));
}

export function countOccurrences(haystack: string, needle: string): number {
  if (!needle) return 0;
  let count = 0;
  for (let i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + needle.length)) count++;
  return count;
}

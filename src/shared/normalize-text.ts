/**
 * Comparing source text with text read back from a PDF: the PDF has line breaks where
 * the layout wrapped, and a word that contains a hyphen may be wrapped right after it.
 */

/** Whitespace-insensitive, Unicode-normalised form of source text (for messages). */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, ' ').trim();
}

/**
 * The form in which text is compared with a PDF's: without whitespace, hyphens or
 * invisible format marks (bidi marks). Line breaks land anywhere in a PDF (between Chinese
 * characters, after the hyphen of "vous-même"), so they cannot be compared; the sequence
 * of every other visible character still must match. A soft hyphen (U+00AD) is kept: in a
 * PDF's text it breaks the word for every reader, and the verifier refuses it
 * (check-text-layer.ts).
 */
export function compactText(text: string): string {
  return text.normalize('NFKC').replace(/[\s\u002d\u2010]|(?!\u00ad)\p{Cf}/gu, '');
}

export function countOccurrences(haystack: string, needle: string): number {
  if (!needle) return 0;
  let count = 0;
  for (let i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + needle.length)) count++;
  return count;
}

/**
 * Reads a PDF back the way a reader would: its pages, found through its cross-reference
 * table and page tree, and its text in reading order (extractPdfText honours the
 * /ActualText Chromium writes for Arabic and Devanagari, which pdf.js drops).
 *
 * One parse serves both. pdf.js used to count the pages: it parsed every PDF a second
 * time, and the Uint8Array.fromBase64 polyfill it installs made puppeteer decode every
 * PDF and picture in slow JavaScript; the independent readers (poppler, qpdf) are the
 * tests' business.
 */
import { extractPdfText } from './pdf-text/extract-text.js';

export interface PdfReadBack {
  pages: number;
  /** Text of all pages, line by line in reading order. */
  text: string;
  /** Pages of content, e.g. 1.3 when the text reaches a third down the second page. */
  extent: number;
}

export async function readPdf(bytes: Uint8Array, options: { rtl?: boolean } = {}): Promise<PdfReadBack> {
  const extracted = extractPdfText(bytes, options.rtl ?? false);
  const text = extracted.map((p) => p.text).join('\n');
  const extent = extracted.length ? extracted.length - 1 + extracted.at(-1)!.filled : 0;
  return { pages: extracted.length, text, extent };
}

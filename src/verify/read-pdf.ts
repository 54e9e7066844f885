/**
 * Reads a PDF back the way a reader would: its page count, from pdf-parse (pdf.js, a
 * standard reader that must be able to open it), and its text in reading order, from
 * extractPdfText (which, unlike pdf.js, honours the /ActualText Chromium writes for
 * Arabic and Devanagari).
 */
import { PDFParse } from 'pdf-parse';
import { extractPdfText } from './pdf-text/extract-text.js';

export interface PdfReadBack {
  pages: number;
  /** Text of all pages, line by line in reading order. */
  text: string;
  /** Pages of content, e.g. 1.3 when the text reaches a third down the second page. */
  extent: number;
}

export async function readPdf(bytes: Uint8Array, options: { rtl?: boolean } = {}): Promise<PdfReadBack> {
  // pdf.js may transfer (detach) the buffer it is given; hand it a copy.
  const parser = new PDFParse({ data: new Uint8Array(bytes) });
  let pages: number;
  try {
    pages = (await parser.getInfo()).total;
  } finally {
    await parser.destroy();
  }
  const extracted = extractPdfText(bytes, options.rtl ?? false);
  const text = extracted.map((p) => p.text).join('\n');
  const extent = extracted.length ? extracted.length - 1 + extracted.at(-1)!.filled : 0;
  return { pages, text, extent };
}

/**
 * Reads a PDF back the way a reader (or a screen reader) would: its page count and text.
 */
import { PDFParse } from 'pdf-parse';

export interface PdfReadBack {
  pages: number;
  /** Text of all pages, in reading order as pdf.js extracts it. */
  text: string;
}

export async function readPdf(bytes: Uint8Array): Promise<PdfReadBack> {
  // pdf.js may transfer (detach) the buffer it is given; hand it a copy.
  const parser = new PDFParse({ data: new Uint8Array(bytes) });
  try {
    const result = await parser.getText();
    return { pages: result.total, text: result.pages.map((p) => p.text).join('\n') };
  } finally {
    await parser.destroy();
  }
}

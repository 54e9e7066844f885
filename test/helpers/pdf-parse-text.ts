/**
 * pdf.js's reading of a PDF, through pdf-parse 2.x: what a browser's PDF viewer (Firefox,
 * and the many tools built on pdf.js) gives a reader who searches, copies or listens to
 * the page. Tests and scripts only: pdf-parse installs globals (a slow
 * Uint8Array.fromBase64 polyfill among them) that the build must not carry.
 */
import { readFile } from 'node:fs/promises';

/** The text of every page, pages joined by a line break (no "-- 1 of 1 --" markers). */
export async function pdfParseText(file: string): Promise<string> {
  // Imported on first use: its globals stay out of test files that never read with it.
  const { PDFParse } = await import('pdf-parse');
  const parser = new PDFParse({ data: new Uint8Array(await readFile(file)) });
  try {
    const result = await parser.getText({ pageJoiner: '' });
    return result.text;
  } finally {
    await parser.destroy();
  }
}

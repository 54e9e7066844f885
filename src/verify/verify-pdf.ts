/**
 * The product's core promise: a PDF is written only when reading it back shows exactly
 * one page carrying the warning, the pain warning, the disclaimer and the per-exercise
 * "stop if you feel pain" line, in the handout's language.
 */
import { HandoutError } from '../errors.js';
import type { PdfFile } from '../print/launch-printer.js';
import { countOccurrences, normalizePdfText, normalizeText } from './normalize-text.js';
import { readPdf } from './read-pdf.js';

/** A PDF that passed every check and may be written. */
export interface VerifiedPdf extends PdfFile {
  pages: number;
}

export async function verifyPdf(pdf: PdfFile, expectedPages = 1): Promise<VerifiedPdf> {
  const { source, safety } = pdf.page;
  const where = { file: source.file };
  const readBack = await readPdf(pdf.bytes);
  if (readBack.pages !== expectedPages) {
    const over = readBack.pages - expectedPages;
    throw new HandoutError(
      'NOT_ONE_PAGE',
      `does not fit on one ${pdf.page.pageSize} page: it printed on ${readBack.pages} pages (${over} too many)`,
      { where },
    );
  }
  const text = normalizePdfText(readBack.text);
  const missing: string[] = [];
  const expect = (label: string, needle: string) => {
    if (!text.includes(normalizeText(needle))) missing.push(`${label} ("${excerpt(needle)}")`);
  };
  safety.warning.forEach((t, i) => expect(i === 0 ? 'the warning title' : 'the warning text', t));
  expect('the pain warning', safety.painWarning);
  expect('the disclaimer', safety.disclaimer);
  const stops = countOccurrences(text, normalizeText(safety.stopIfPain));
  if (stops < safety.stopIfPainCount) {
    missing.push(`the line "${safety.stopIfPain}" (found ${stops} of ${safety.stopIfPainCount}, one per exercise)`);
  }
  if (missing.length) {
    throw new HandoutError('SAFETY_TEXT_MISSING', `the printed PDF is missing ${missing.join(', ')}; not written`, {
      where,
    });
  }
  return { ...pdf, pages: readBack.pages };
}

function excerpt(text: string): string {
  const t = normalizeText(text);
  return t.length > 60 ? `${t.slice(0, 57)}...` : t;
}

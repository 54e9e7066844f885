/**
 * The product's core promise: a PDF is written only when reading it back shows exactly
 * one page carrying the warning, the pain warning, the disclaimer and the per-exercise
 * "stop if you feel pain" line, in the handout's language, with every character of the
 * page drawn by an embedded font.
 */
import type { HandoutSource } from '../content/validate-handout.js';
import { HandoutError } from '../errors.js';
import { bodyPt } from '../render/apply-fit.js';
import type { PdfFile } from '../print/launch-printer.js';
import { describeCodePoint, visibleCodePoints } from '../render/code-points.js';
import type { HtmlPage } from '../render/create-renderer.js';
import { brokenSafetyWords, hiddenCharacters } from './check-text-layer.js';
import { compactText, countOccurrences, normalizeText } from '../shared/normalize-text.js';
import { pdfFontNames } from './pdf-font-names.js';
import { readPdf } from './read-pdf.js';

/** A PDF that passed every check and may be written. */
export interface VerifiedPdf extends PdfFile {
  pages: number;
}

/** What the checks read: the PDF, and what its page promised (small enough to send to a worker). */
export interface PdfToCheck {
  bytes: Uint8Array;
  /** The fit level it was printed at (render/apply-fit.ts). */
  fit: { level: string };
  page: Pick<HtmlPage, 'layout' | 'pageSize' | 'dir' | 'safety' | 'text' | 'fontNames'> & { source: Pick<HandoutSource, 'file' | 'locale'> };
}

export async function verifyPdf(pdf: PdfFile): Promise<VerifiedPdf> {
  return { ...pdf, ...(await checkPdf(pdf)) };
}

/** The checks themselves: the page count, or a HandoutError saying what is wrong. */
export async function checkPdf(pdf: PdfToCheck): Promise<{ pages: number }> {
  const where = { file: pdf.page.source.file };
  const { maxPages, name } = pdf.page.layout;
  const readBack = await readPdf(pdf.bytes, { rtl: pdf.page.dir === 'rtl' });
  if (readBack.pages > maxPages || readBack.pages < 1) {
    const needs = Math.max(readBack.extent, maxPages + 0.1).toFixed(1);
    const pages = maxPages === 1 ? `one ${pdf.page.pageSize} page` : `${maxPages} ${pdf.page.pageSize} pages`;
    // The printer refuses what it measured too long, saying by how much (print/measure-fit.ts);
    // this is the last guard, for a page the measurement misjudged.
    const how = `${name === 'large print' ? ' in large print' : ''}, at ${bodyPt(pdf.fit.level)} pt`;
    throw new HandoutError('NOT_ONE_PAGE', 'pages', { pages, needs, how }, { where });
  }
  // The most specific diagnosis first: a font fallback also garbles the text.
  checkFonts(pdf, where);
  checkCharacters(pdf, readBack.text, where);
  textLayer(hiddenCharacters(readBack.text, pdf.page.source.locale, where));
  const missing = missingSafetyTexts(pdf, compactText(readBack.text));
  if (missing.length) {
    throw new HandoutError('SAFETY_TEXT_MISSING', 'missing', { texts: missing.join(', ') }, { where });
  }
  textLayer(brokenSafetyWords(readBack.text, pdf.page.safety, pdf.page.source.locale, where));
  return { pages: readBack.pages };
}

function missingSafetyTexts(pdf: PdfToCheck, text: string): string[] {
  const { safety } = pdf.page;
  const missing: string[] = [];
  const expect = (label: string, needle: string) => {
    if (!text.includes(compactText(needle))) missing.push(`${label} ("${excerpt(needle)}")`);
  };
  safety.warning.forEach((t, i) => expect(i === 0 ? 'the warning title' : 'the warning text', t));
  expect('the pain warning', safety.painWarning);
  expect('the disclaimer', safety.disclaimer);
  if (safety.sheetOf) expect('the sheet number', safety.sheetOf);
  if (safety.translationDraft) expect('the line saying the translation is not yet reviewed', safety.translationDraft);
  for (const rule of safety.stopRules) {
    const stops = countOccurrences(text, compactText(rule.text));
    if (stops < rule.count) missing.push(`the stop rule "${excerpt(rule.text)}" (found ${stops} of ${rule.count}, one per exercise)`);
  }
  return missing;
}

/** Only embedded fonts may appear: anything else is Chromium falling back to a system font. */
function checkFonts(pdf: PdfToCheck, where: { file: string }): void {
  const foreign = pdfFontNames(pdf.bytes).filter((name) => !pdf.page.fontNames.includes(name));
  if (foreign.length) {
    throw new HandoutError('GLYPH_MISSING', 'fallback', { fonts: foreign.map((f) => `"${f}"`).join(', '), locale: pdf.page.source.locale }, { where });
  }
}

/** Every character the page shows must be in the text read back from the PDF. */
function checkCharacters(pdf: PdfToCheck, pdfText: string, where: { file: string }): void {
  const printed = visibleCodePoints(pdfText.normalize('NFKC'));
  const lost = [...visibleCodePoints(pdf.page.text.normalize('NFKC'))].filter((cp) => !printed.has(cp));
  if (lost.length) {
    throw new HandoutError('TEXT_LOST', 'lost', { characters: lost.slice(0, 10).map(describeCodePoint).join(', '), locale: pdf.page.source.locale }, { where });
  }
}

/** Words must reach the reader whole, not only their characters (check-text-layer.ts). */
function textLayer(problem: HandoutError | null): void {
  if (problem) throw problem;
}

function excerpt(text: string): string {
  const t = normalizeText(text);
  return t.length > 60 ? `${t.slice(0, 57)}...` : t;
}

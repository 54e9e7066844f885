/**
 * Turns a resolved handout into one self-contained HTML page: the exact page that is
 * printed and saved next to the PDF.
 *
 * One isolated Handlebars environment per build; templates run in strict mode (a missing
 * field is an error, not a blank) with only the built-in helpers, and are parsed when the
 * renderer is created, so a template typo stops the build before any browser starts.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { lineColAt } from '../content/load-yaml.js';
import { displayPath } from '../content/safe-file.js';
import type { HandoutSource } from '../content/validate-handout.js';
import { HandoutError, type SourcePosition } from '../errors.js';
import type { PageHeader, PageSize, ResolvedHandout, SafetyTexts } from '../resolve/resolve-handout.js';
import type { Layout } from './apply-fit.js';
import { printableArea, type PrintableArea } from './printable-area.js';
import { describeCodePoint, visibleCodePoints } from './code-points.js';
import { familiesFor, loadFontFamilies, selectFaces, type EmbeddedFontFace, type FontFamily } from './font-faces.js';
import { visibleText } from './visible-text.js';
import { splitTemplateOutput, type HeadElement, type PageParts } from './serialize-page.js';
import { VERSION } from '../version.js';
import { compile, readTemplate } from './compile-template.js';
import { allTemplateFiles, findTemplateFile, listTemplateFiles } from '../shared/template-files.js';

/** A rendered page, ready to print. */
/** What a printed sheet says about itself: its PDF's Info dictionary and XMP metadata. */
export interface DocumentInfo {
  title: string;
  /** The clinic that hands the sheet out; null without a clinic. */
  author: string | null;
  /** The handout's summary. */
  subject: string | null;
  /** The handout's category. */
  keywords: string | null;
  /** BCP 47, e.g. "en", "pt-BR". */
  lang: string;
  /** "handout 0.1.0" */
  creator: string;
}

export interface HtmlPage {
  source: HandoutSource;
  /** Where it is written, without extension: "en/lower-back-relief--jane-doe". */
  outputName: string;
  layout: Layout;
  /** Where the page's content goes on paper, for measuring before printing. */
  printable: PrintableArea | null;
  /** The handout's review date, YYYY-MM-DD. */
  reviewed: string | null;
  /** What the site index shows about it. */
  meta: ResolvedHandout['meta'];
  /** What the PDF says about itself (its Info dictionary and XMP metadata). */
  document: DocumentInfo;
  /** A personal copy or large print: kept out of the site index. */
  variant: boolean;
  /**
   * The page as data: the template's output and what the build adds to its head (its
   * fonts among them); serialize-page.ts writes it as saved, printed or previewed.
   */
  parts: PageParts;
  pageSize: PageSize;
  dir: 'ltr' | 'rtl';
  safety: SafetyTexts;
  /** Every character the page shows, for the check that they all reach the PDF. */
  text: string;
  /** PostScript names of the embedded fonts: the only fonts the PDF may use. */
  fontNames: string[];
  /** Problems that do not stop this handout (an untranslated UI string). */
  warnings: HandoutError[];
}

export interface Renderer {
  render(resolved: ResolvedHandout, job: { outputName: string; layout: Layout; variant: boolean }): HtmlPage;
}

export async function createRenderer(templatesDir: string): Promise<Renderer> {
  // Loaded here, not at start-up: a build with nothing to render never pays for it.
  const hb = (await import('handlebars')).default.create();
  // Each file from the clinic's templates folder if it has one, else the built-in one.
  const mainFile = findTemplateFile(templatesDir, 'handout.hbs') ?? path.join(templatesDir, 'handout.hbs');
  const main = compile(hb, await readTemplate(mainFile), mainFile);
  for (const file of listTemplateFiles(templatesDir, 'partials', '.hbs')) {
    const partial = compile(hb, await readTemplate(file), file);
    hb.registerPartial(path.basename(file, '.hbs'), partial);
  }
  const styles = await readStyles(listTemplateFiles(templatesDir, 'styles', '.css'));
  const families = await loadFontFamilies(templatesDir);

  return {
    render(resolved, job) {
      const body = main(resolved.view);
      const header = resolved.view.pageHeader;
      // The running header of a two-page sheet is printed text too: its characters need
      // fonts and must reach the PDF, and so do the digits of its page numbers.
      const text = header ? `${visibleText(body)}\n${header.title}\n${header.pageOf.join(' ')}` : visibleText(body);
      const ordered = familiesFor(families, resolved.source.locale);
      const { faces, missing } = selectFaces(ordered, visibleCodePoints(header ? `${text} 0123456789` : text));
      checkGlyphs(missing, resolved, templatesDir);
      const pageRule = header ? runningHeader(header, resolved.view.dir, ordered) : '';
      const parts: PageParts = { template: splitTemplateOutput(body, mainFile), head: headFor(resolved.view.pageSize, styles + pageRule, faces, ordered) };
      const fontNames = [...new Set(faces.map((f) => f.postscriptName()))];
      return {
        source: resolved.source,
        ...job,
        printable: printableArea(resolved.view.pageSize, styles + pageRule),
        reviewed: resolved.reviewed,
        meta: resolved.meta,
        document: {
          title: resolved.meta.title,
          author: resolved.view.clinic?.name ?? null,
          subject: resolved.meta.summary,
          keywords: resolved.meta.category,
          lang: resolved.source.locale,
          creator: `handout ${VERSION}`,
        },
        parts,
        pageSize: resolved.view.pageSize,
        dir: resolved.view.dir,
        safety: resolved.safety,
        text,
        fontNames,
        warnings: resolved.warnings,
      };
    },
  };
}

/** Every character must come from an embedded font: no empty boxes, no silent system fallback. */
function checkGlyphs(missing: readonly number[], resolved: ResolvedHandout, templatesDir: string): void {
  if (missing.length === 0) return;
  const shown = missing.slice(0, 10).map(describeCodePoint).join(', ');
  const more = missing.length > 10 ? ` and ${missing.length - 10} more` : '';
  throw new HandoutError(
    'GLYPH_MISSING',
    'noFont',
    { characters: shown, more, locale: resolved.source.locale },
    { where: whereCharacterIs(missing[0]!, [resolved.source.absPath, ...allTemplateFiles(templatesDir, `locales/${resolved.source.locale}.yaml`).reverse()]) ?? { file: resolved.source.file } },
  );
}

/** The first place the character is written: the handout, else its catalog (an error path only). */
function whereCharacterIs(cp: number, files: readonly string[]): SourcePosition | null {
  const ch = String.fromCodePoint(cp);
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8').normalize('NFC');
    } catch {
      continue;
    }
    const at = text.indexOf(ch);
    if (at < 0) continue;
    return { file: displayPath(file), ...lineColAt(text, at) };
  }
  return null;
}

/** What the build puts first in the page's <head>: the policy, the fonts, the page's styles. */
function headFor(pageSize: PageSize, styles: string, faces: readonly EmbeddedFontFace[], families: readonly FontFamily[]): HeadElement[] {
  return [
    { kind: 'policy' },
    // No generic fallback (sans-serif): a character the embedded fonts cannot draw should
    // fail the checks, not be drawn in whatever font this machine has.
    { kind: 'fonts', faces, families: families.map((f) => f.name) },
    { kind: 'style', css: `\n@page { size: ${pageSize}; }\n${styles}` },
    // Set by the build, not the stylesheet: what is screen-only (the published page's
    // links) is left out of the text and font checks, so it must never reach paper.
    { kind: 'style', css: '@media print { [data-screen-only] { display: none !important; } }' },
  ];
}

/**
 * A sheet on more than one page (large print) carries its title and "Page 1 of 2" in
 * the top margin of every page: CSS page-margin boxes, which Chromium prints as text.
 * The strings are the handout's, so every character is written as a CSS escape.
 */
function runningHeader(header: PageHeader, dir: 'ltr' | 'rtl', families: readonly FontFamily[]): string {
  const [before, between, after] = header.pageOf.map(cssString) as [string, string, string];
  const [start, end] = dir === 'rtl' ? ['right', 'left'] : ['left', 'right'];
  const font = `font-family: ${families.map((f) => `'${f.name}'`).join(', ')}; font-size: 16pt; color: #404040;`;
  return [
    '\n@page {',
    `  margin: ${LARGE_PRINT_MARGIN};`,
    `  @top-${start} { content: ${cssString(header.title)}; ${font} font-weight: 700; vertical-align: bottom; padding-bottom: 3mm; }`,
    `  @top-${end} { content: ${before} counter(page) ${between} counter(pages) ${after}; ${font} vertical-align: bottom; padding-bottom: 3mm; }`,
    '}\n',
  ].join('\n');
}
/** Room at the top for the running header (16 pt, like the text); the sides and bottom as on every sheet. */
const LARGE_PRINT_MARGIN = '17mm 10.3mm 10.8mm';

/** Any text as a CSS string: every character but letters, digits and spaces escaped, so nothing can end the string or the rule. */
function cssString(text: string): string {
  return `"${[...text].map((ch) => (/^[A-Za-z0-9 ]$/.test(ch) ? ch : `\\${ch.codePointAt(0)!.toString(16)} `)).join('')}"`;
}

/** The stylesheets, in order (serialize-page.ts keeps them from closing their <style> element). */
async function readStyles(files: readonly string[]): Promise<string> {
  const sheets = await Promise.all(files.map((f) => readFile(f, 'utf8')));
  return sheets.join('\n');
}


/**
 * The printed page links its fonts at the printer's asset origin while the saved page
 * inlines them (render/page-assets.ts). That is a speed-up only if it changes nothing on
 * paper: the real pages of the repo, printed both ways by one real Chromium, must give
 * byte-identical PDFs (dates fixed), several documents in a row on the same page, so
 * the later ones meet the fonts the earlier ones left in the page's cache.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { prepareHandouts } from '../../src/build/prepare-handouts.js';
import { findBrowser } from '../../src/print/find-browser.js';
import { finishPdf } from '../../src/print/finish-pdf.js';
import { launchPrinter, type Printer } from '../../src/print/launch-printer.js';
import type { HtmlPage } from '../../src/render/create-renderer.js';
import { linkedAssets } from '../../src/render/serialize-page.js';
import { CONTENT, TEMPLATES } from '../helpers/cli.js';

let printer: Printer;
let pages: HtmlPage[];

beforeAll(async () => {
  // One page at a time, so every document lands on the same warm page.
  printer = await launchPrinter({ executablePath: findBrowser(undefined).path, timeoutMs: 20_000 });
  const prepared = await prepareHandouts({ contentDir: CONTENT, templatesDir: TEMPLATES, locales: ['en', 'zh', 'ar', 'hi'], only: ['lower-back-relief'] });
  expect(prepared.failures).toEqual([]);
  pages = prepared.pages;
});
afterAll(() => printer?.close());

/** The page with each font's printed URL its data: URL: printed with its fonts inlined, as it is saved. */
const inlinedFonts = (page: HtmlPage): HtmlPage => ({
  ...page,
  parts: {
    ...page.parts,
    head: page.parts.head.map((element) =>
      element.kind === 'fonts' ? { ...element, faces: element.faces.map((face) => ({ rule: face.rule, asset: () => ({ ...face.asset(), url: face.asset().inline }) })) } : element,
    ),
  },
});

// Finished as the build finishes them: Chromium's time of printing replaced by a fixed date.
const bytesOf = async (page: HtmlPage) => Buffer.from(finishPdf((await printer.print(page)).bytes, page.document, new Date(0)));

it('prints the same PDF with fonts linked as with fonts inlined, in every script', async () => {
  expect(pages.map((p) => p.source.locale).sort()).toEqual(['ar', 'en', 'hi', 'zh']);
  // Chinese comes in many slices; each page declares what it inlines.
  expect(linkedAssets(pages.find((p) => p.source.locale === 'zh')!.parts).length).toBeGreaterThan(5);
  for (const page of pages) {
    const inlined = await bytesOf(inlinedFonts(page));
    const linked = await bytesOf(page);
    const again = await bytesOf(page);
    expect(linked.equals(inlined), page.outputName).toBe(true);
    expect(again.equals(inlined), page.outputName).toBe(true);
  }
});

/**
 * A page straight to the printer, without a handout behind it: for tests that hand
 * Chromium hostile HTML (scripts, no CSP) to prove what the print layer itself stops.
 */
import { STANDARD_LAYOUT } from '../../src/render/apply-fit.js';
import type { HtmlPage } from '../../src/render/create-renderer.js';
import { splitTemplateOutput } from '../../src/render/serialize-page.js';

export function barePage(slug: string, html: string, text = slug): HtmlPage {
  return {
    source: { absPath: `/x/en/${slug}.yaml`, file: `content/en/${slug}.yaml`, locale: 'en', slug },
    outputName: `en/${slug}`,
    layout: STANDARD_LAYOUT,
    printable: null,
    reviewed: null,
    meta: { title: slug, category: null, summary: null, languageName: 'English', dir: 'ltr', draftNote: null },
    document: { title: slug, author: null, subject: null, keywords: null, lang: 'en', creator: 'handout test' },
    variant: false,
    // Printed as written: no policy, fonts or styles added (only the fit level on <html>).
    parts: { template: splitTemplateOutput(html, 'bare-page.hbs'), head: [] },
    pageSize: 'A4',
    dir: 'ltr',
    safety: { warning: [], painWarning: '', disclaimer: '', stopRules: [] },
    text,
    fontNames: [],
    warnings: [],
  };
}

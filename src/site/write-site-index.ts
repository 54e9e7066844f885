/**
 * output/index.html: every handout in the output folder, per language and category, with
 * a picture of the page, links to the PDF and the HTML version, and links to the same
 * handout in the other languages. All links are relative, so the folder works from disk
 * or any static host. Personal copies and large-print variants are never listed.
 */
import { escapeHtml } from '../html-escape.js';
import { CatalogStore } from '../i18n/load-catalog.js';

export interface SiteEntry {
  locale: string;
  slug: string;
  /** Output path without extension, relative to the output folder: en/lower-back-relief */
  outputName: string;
  title: string;
  category: string | null;
  summary: string | null;
  languageName: string;
  dir: 'ltr' | 'rtl';
  thumbnail: boolean;
}

/**
 * The index page for these entries (the build writes it: build/write-site.ts).
 * `catalogs`: a store the build already filled (loading ten catalogs is ~100 ms), or a new one.
 */
export async function siteIndexHtml(templatesDir: string, entries: readonly SiteEntry[], catalogs = new CatalogStore(templatesDir)): Promise<string> {
  const en = (await catalogs.get('en')).strings;
  const locales = [...new Set(entries.map((e) => e.locale))].sort((a, b) => (a === 'en' ? -1 : b === 'en' ? 1 : a.localeCompare(b)));
  const bySlug = new Map<string, SiteEntry[]>();
  for (const e of entries) bySlug.set(e.slug, [...(bySlug.get(e.slug) ?? []), e]);

  const sections: string[] = [];
  for (const locale of locales) {
    const s = (await catalogs.get(locale)).strings;
    const mine = entries.filter((e) => e.locale === locale);
    const categories = [...new Set(mine.map((e) => e.category ?? s.site_other_category))].sort();
    const groups = categories.map((category) => {
      const cards = mine
        .filter((e) => (e.category ?? s.site_other_category) === category)
        // Same-titled handouts (two slugs) in file-name order: the index must not depend
        // on which document happened to finish first.
        .sort((a, b) => a.title.localeCompare(b.title, locale) || compareCodeUnits(a.outputName, b.outputName))
        .map((e) => card(e, s, bySlug.get(e.slug) ?? []));
      return `<section class="category"><h3>${escapeHtml(category)}</h3><ul class="cards">${cards.join('')}</ul></section>`;
    });
    const first = mine[0];
    sections.push(
      `<section class="locale" id="${escapeHtml(locale)}" lang="${escapeHtml(locale)}" dir="${first?.dir === 'rtl' ? 'rtl' : 'ltr'}"><h2>${escapeHtml(first?.languageName ?? locale)}</h2>${groups.join('')}</section>`,
    );
  }
  const nav = locales
    .map((l) => `<a href="#${escapeHtml(l)}" lang="${escapeHtml(l)}">${escapeHtml(entries.find((e) => e.locale === l)?.languageName ?? l)}</a>`)
    .join('');
  const html = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(en.site_title)}</title>
<style>
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:#1a1a1a;background:#f4f7f7;line-height:1.4}
header{background:#0b5f66;color:#fff;padding:16px 20px}
header h1{margin:0 0 8px;font-size:1.5rem}
nav{display:flex;flex-wrap:wrap;gap:6px 14px}
nav a{color:#fff}
main{max-width:1100px;margin:0 auto;padding:8px 16px 40px}
h2{margin:28px 0 4px;font-size:1.3rem;border-bottom:2px solid #0b5f66}
h3{margin:16px 0 8px;font-size:1.05rem;color:#0b5f66}
.cards{list-style:none;margin:0;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,240px),1fr));gap:14px}
.card{background:#fff;border:1px solid #c9d6d8;border-radius:8px;padding:10px;display:flex;flex-direction:column;gap:6px;min-width:0}
.card img{width:100%;height:auto;border:1px solid #dde5e6;display:block}
.card h4{margin:0;font-size:1rem;overflow-wrap:anywhere}
.links{display:flex;flex-wrap:wrap;gap:4px 12px;font-weight:600}
.also{font-size:.85rem;color:#4a4a4a;display:flex;flex-wrap:wrap;gap:0 8px}
/* Language links are small type, but each a 24 px target (WCAG 2.5.8) */
.also a{display:inline-flex;align-items:center;min-height:24px}
a{color:#0b5f66}
</style>
</head>
<body>
<header><h1>${escapeHtml(en.site_title)}</h1><nav aria-label="${escapeHtml(en.site_language)}">${nav}</nav></header>
<main>
${sections.join('\n')}
</main>
</body>
</html>
`;
  return html;
}

const compareCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function card(e: SiteEntry, s: { site_download_pdf: string; site_read_online: string }, versions: readonly SiteEntry[]): string {
  const href = (entry: SiteEntry, ext: string) => `${entry.outputName.split('/').map(encodeURIComponent).join('/')}.${ext}`;
  // The picture repeats the "Download PDF" link below it for the mouse: hidden from screen
  // readers and left out of the tab order, so the card is not announced and tabbed twice.
  const picture = e.thumbnail
    ? `<a href="${href(e, 'pdf')}" tabindex="-1" aria-hidden="true"><img src="${href(e, 'png')}" alt="" width="240" loading="lazy"></a>`
    : '';
  const others = versions
    .filter((v) => v.locale !== e.locale)
    .sort((a, b) => a.locale.localeCompare(b.locale))
    .map((v) => `<a href="${href(v, 'html')}" lang="${escapeHtml(v.locale)}" hreflang="${escapeHtml(v.locale)}">${escapeHtml(v.languageName)}</a>`)
    .join('');
  return `<li class="card">${picture}<h4>${escapeHtml(e.title)}</h4><p class="links"><a href="${href(e, 'pdf')}">${escapeHtml(s.site_download_pdf)}</a><a href="${href(e, 'html')}">${escapeHtml(s.site_read_online)}</a></p>${others ? `<p class="also">${others}</p>` : ''}</li>`;
}

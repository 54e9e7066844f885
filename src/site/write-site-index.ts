/**
 * output/index.html: every handout in the output folder, per language and category, with
 * a picture of the page, links to the PDF, its large-print copy and the HTML version, and
 * links to the same handout in the other languages, under the clinic's name, logo and
 * contact. All links are relative, so the folder works from disk or any static host.
 * Personal copies are never listed (nothing about a patient is ever on the site).
 *
 * The page is templates/site/index.hbs (styles site.css, script site.js beside it), so a
 * clinic can restyle it; the build adds what no template may change: the security policy
 * and the fonts. Like the sheets, the index draws every character with the embedded fonts
 * (the same fontsource slices, chosen the same way: font-faces.ts), copied beside it into
 * fonts/, so Hindi or Chinese never shows as empty boxes where the reader has no font for it.
 *
 * Without JavaScript, the language and topic filters are plain links to the page's
 * sections (and, where the browser supports :has(), show only the section linked to);
 * with it, a search box filters the list as the reader types.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { contrastBetween } from '../config/contrast.js';
import { displayPath } from '../content/safe-file.js';
import { HandoutError } from '../errors.js';
import { CatalogStore, type CatalogStrings } from '../i18n/load-catalog.js';
import { visibleCodePoints } from '../render/code-points.js';
import { familiesFor, selectFaces, type EmbeddedFontFace, type FontFamily } from '../render/font-faces.js';
import { visibleText } from '../render/visible-text.js';
import { compile, readTemplate } from '../render/compile-template.js';
import { insertInto, splitTemplateOutput } from '../render/serialize-page.js';
import { BUILT_IN_TEMPLATES_DIR, findTemplateFile, listTemplateFiles } from '../shared/template-files.js';

/** What the manifest keeps of a handout for the index (build/cache-manifest.ts). */
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
  /** A draft translation's line saying so, in its language (absent: the source, or reviewed). */
  draftNote?: string | null;
}

/** A site entry as the index shows it: with its large-print copy and the state of its last build. */
export interface SiteListing extends SiteEntry {
  /** Its large-print copy, when one was built and is intact. */
  largePrint?: { outputName: string; failed: boolean } | null;
  /** When its last build failed, and when the sheet still listed was built (ISO 8601). */
  failed?: { at: string; built: string } | null;
}

/** The clinic as the index shows it: its public details only (from clinic.yaml). */
export interface SiteClinic {
  name: string;
  /** The logo as a data: URL (read and checked like on the sheets: resolve-clinic.ts). */
  logo: string | null;
  address: string | null;
  phone: string | null;
  email: string | null;
  /** As printed, without https:// */
  website: string | null;
  accent: string | null;
  /** The language its name and address are written in. */
  language: string;
}

export interface SiteOptions {
  /** A store the build already filled (loading ten catalogs is ~100 ms), or a new one. */
  catalogs?: CatalogStore;
  clinic?: SiteClinic | null;
  /** templates/fonts.yaml's families; without them the page uses the reader's fonts. */
  families?: readonly FontFamily[] | null;
}

/** The page and the font files it links (fonts/<hash>.woff2, relative to the output folder). */
export interface SiteIndex {
  html: string;
  fonts: Array<{ file: string; bytes: Buffer }>;
}

export const SITE_FONTS_DIR = 'fonts';
/** The accent of the default look, and the page's background (site.css): text in the accent must read on it. */
const DEFAULT_ACCENT = '#0b5f66';
const PAGE_BACKGROUND = '#f4f7f7';
const MIN_TEXT_CONTRAST = 4.5;

/** The index page for these entries (the build writes it: build/write-site.ts). */
export async function siteIndexHtml(templatesDir: string, entries: readonly SiteListing[], options: SiteOptions = {}): Promise<SiteIndex> {
  const catalogs = options.catalogs ?? new CatalogStore(templatesDir);
  const clinic = options.clinic ?? null;
  // Each file from the clinic's templates folder if it has one, else the built-in one.
  const siteFile = (name: string) => findTemplateFile(templatesDir, `site/${name}`) ?? path.join(BUILT_IN_TEMPLATES_DIR, 'site', name);
  // Neither file can close the element it is placed in.
  const styles = (await readTemplate(siteFile('site.css'))).replace(/<\/style/gi, '<\\/style');
  const script = (await readTemplate(siteFile('site.js'))).replace(/<\/script/gi, '<\\/script');
  const hb = (await import('handlebars')).default.create();
  const indexFile = siteFile('index.hbs');
  const render = compile(hb, await readTemplate(indexFile), indexFile);
  for (const file of listTemplateFiles(templatesDir, 'site/partials', '.hbs')) {
    const partial = compile(hb, await readTemplate(file), file);
    hb.registerPartial(path.basename(file, '.hbs'), partial);
  }

  // The page speaks the clinic's language when there is a catalog for it, else English.
  const pageLocale = clinic && (await catalogs.get(clinic.language).then(() => true, () => false)) ? clinic.language : 'en';
  const page = (await catalogs.get(pageLocale)).strings;
  const locales = [...new Set(entries.map((e) => e.locale))].sort((a, b) => (a === pageLocale ? -1 : b === pageLocale ? 1 : a.localeCompare(b)));
  const bySlug = new Map<string, SiteListing[]>();
  for (const e of entries) bySlug.set(e.slug, [...(bySlug.get(e.slug) ?? []), e]);
  const extraText: string[] = [];

  const sections = [];
  for (const locale of locales) {
    const s = (await catalogs.get(locale)).strings;
    const mine = entries.filter((e) => e.locale === locale);
    const categories = [...new Set(mine.map((e) => e.category ?? s.site_other_category))].sort((a, b) => a.localeCompare(b, locale));
    const groups = categories.map((category, i) => ({
      id: `${locale}-topic-${i + 1}`,
      name: category,
      cards: mine
        .filter((e) => (e.category ?? s.site_other_category) === category)
        // Same-titled handouts (two slugs) in file-name order: the index must not depend
        // on which document happened to finish first.
        .sort((a, b) => a.title.localeCompare(b.title, locale) || compareCodeUnits(a.outputName, b.outputName))
        .map((e) => card(e, s, bySlug.get(e.slug) ?? [])),
    }));
    const first = mine[0];
    sections.push({
      locale,
      dir: first?.dir === 'rtl' ? 'rtl' : 'ltr',
      name: first?.languageName ?? locale,
      topicsLabel: s.site_category,
      allTopics: s.site_all_categories,
      // A topic filter only where there is more than one topic.
      topics: groups.length > 1 ? groups.map((g) => ({ id: g.id, name: g.name })) : [],
      groups,
    });
  }
  const languages = locales.map((locale) => ({ locale, name: entries.find((e) => e.locale === locale)?.languageName ?? locale }));
  const countForms = page.site_search_count;
  extraText.push(...Object.values(countForms), page.site_no_results, '0123456789');

  const accent = clinic?.accent ?? DEFAULT_ACCENT;
  const body = render({
    lang: pageLocale,
    dir: (await catalogs.get(pageLocale)).strings.dir,
    title: clinic ? `${page.site_title} · ${clinic.name}` : page.site_title,
    heading: page.site_title,
    clinic: clinic && {
      name: clinic.name,
      lang: clinic.language,
      logo: clinic.logo,
      address: clinic.address,
      phone: clinic.phone && { label: page.phone, text: clinic.phone, href: `tel:${clinic.phone.replace(/[^\d+]/g, '')}` },
      email: clinic.email && { text: clinic.email, href: `mailto:${clinic.email}` },
      website: clinic.website && { text: clinic.website, href: `https://${clinic.website}` },
    },
    labels: {
      language: page.site_language,
      allLanguages: page.site_all_languages,
      search: page.site_search,
      countForms: JSON.stringify(countForms),
      noResults: page.site_no_results,
    },
    languages,
    sections,
  });
  if (!/<head(\s[^>]*)?>/i.test(body)) {
    throw new HandoutError('TEMPLATE', 'siteNoHead', {}, { where: { file: displayPath(indexFile) } });
  }

  // Fonts for every character the page shows, in the family order of each language on it.
  const families = options.families ?? null;
  const fonts: SiteIndex['fonts'] = [];
  let fontCss = '';
  if (families) {
    const codePoints = visibleCodePoints(`${visibleText(body)} ${extraText.join(' ')}`);
    // Spaces are drawn by a font too: by the reader's own if no embedded face claims them.
    codePoints.add(0x20);
    const pageOrder = familiesFor(families, pageLocale);
    const langs = [...new Set([pageLocale, ...locales, ...(clinic ? [clinic.language] : [])])];
    const faces = new Set<EmbeddedFontFace>();
    for (const lang of langs) for (const face of selectFaces(familiesFor(families, lang), codePoints).faces) faces.add(face);
    const rules: string[] = [];
    for (const face of families.flatMap((f) => f.faces).filter((f) => faces.has(f))) {
      const asset = face.asset();
      const file = `${SITE_FONTS_DIR}/${path.posix.basename(asset.url)}`;
      fonts.push({ file, bytes: Buffer.from(asset.base64, 'base64') });
      // The reader sees text at once, in its own font, until the embedded one has loaded.
      rules.push(face.rule(file, 'swap'));
    }
    const stack = (order: readonly FontFamily[]) => [...order.map((f) => `'${f.name}'`), 'sans-serif'].join(', ');
    rules.push(`html, [lang] { font-family: ${stack(pageOrder)}; }`);
    for (const lang of langs) {
      const order = familiesFor(families, lang);
      if (order.some((f, i) => f !== pageOrder[i])) rules.push(`:lang(${cssIdent(lang)}) { font-family: ${stack(order)}; }`);
    }
    fontCss = rules.join('\n');
  }
  const accentText = readableOn(accent, PAGE_BACKGROUND);
  const head = [
    `<meta http-equiv="Content-Security-Policy" content="${policy(script)}">`,
    `<style>\n:root { --accent: ${accent}; --accent-text: ${accentText}; }\n${fontCss}\n${styles}\n</style>`,
  ].join('\n');
  // Where the template's head starts and its body ends, found as the sheet's are.
  const places = splitTemplateOutput(body, indexFile);
  const html = insertInto(body, [
    [places.headStart, `\n${head}\n`],
    [places.bodyEnd ?? body.length, `<script>${script}</script>\n`],
  ]);
  return { html, fonts };
}

/**
 * Nothing loads but the page's own files (thumbnails, fonts) and its embedded logo; the
 * only script that runs is site.js, by its hash, never anything the content could inject.
 */
function policy(script: string): string {
  const hash = createHash('sha256').update(script).digest('base64');
  return [
    "default-src 'none'",
    "img-src 'self' data:",
    "font-src 'self'",
    "style-src 'unsafe-inline'",
    `script-src 'sha256-${hash}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** The accent as text colour on this background: itself if it reads (4.5:1), else darkened until it does. */
export function readableOn(accent: string, background: string): string {
  let colour = accent;
  for (let i = 0; i < 20 && contrastBetween(colour, background) < MIN_TEXT_CONTRAST; i++) {
    colour = `#${[1, 3, 5].map((at) => Math.round(parseInt(colour.slice(at, at + 2), 16) * 0.85).toString(16).padStart(2, '0')).join('')}`;
  }
  return colour;
}

const cssIdent = (lang: string) => lang.replace(/[^A-Za-z0-9-]/g, '');

const compareCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function card(e: SiteListing, s: CatalogStrings, versions: readonly SiteListing[]) {
  const href = (outputName: string, ext: string) => `${outputName.split('/').map(encodeURIComponent).join('/')}.${ext}`;
  const built = e.failed ? new Intl.DateTimeFormat(e.locale, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(e.failed.built)) : null;
  return {
    title: e.title,
    // What the search box matches (site.js): the title, topic, summary and language.
    search: [e.title, e.category, e.summary, e.languageName].filter(Boolean).join(' '),
    pdf: { href: href(e.outputName, 'pdf'), label: s.site_download_pdf },
    online: { href: href(e.outputName, 'html'), label: s.site_read_online },
    thumbnail: e.thumbnail ? href(e.outputName, 'png') : null,
    largePrint: e.largePrint
      ? { href: href(e.largePrint.outputName, 'pdf'), label: s.site_large_print, failed: e.largePrint.failed ? s.site_large_print_failed : null }
      : null,
    failed: built ? s.site_failed.replace('{date}', built) : null,
    draft: e.draftNote ? { text: e.draftNote, lang: e.locale, dir: e.dir } : null,
    others: versions
      .filter((v) => v.locale !== e.locale)
      .sort((a, b) => a.locale.localeCompare(b.locale))
      .map((v) => ({ href: href(v.outputName, 'html'), locale: v.locale, name: v.languageName })),
  };
}


/**
 * The one place a page's HTML is put together: the layout template's output, plus what
 * the build adds to it, described as data (the policy, the fonts, the styles, the fit
 * level, and in the dev preview its toolbar and script). The same description serializes
 * to each page the tool makes of a handout:
 *
 * - saved: next to the PDF, self-contained (fonts inlined as data: URLs);
 * - printed: loaded by the printer, fonts linked from its asset origin (page-assets.ts),
 *   the policy opened to that origin for fonts only;
 * - preview: served by `handout dev`, whose policy comes as a header (with the nonce
 *   for its script), with the dev toolbar and script added.
 *
 * Nothing is patched into built HTML: the template's output is split once, when it is
 * rendered (splitTemplateOutput), at the few places the build adds to; everything else is
 * written from the description here.
 */
import { displayPath } from '../content/safe-file.js';
import { HandoutError } from '../errors.js';
import { contentSecurityPolicy } from './content-security-policy.js';
import { ASSET_ORIGIN, type PageAsset } from './page-assets.js';

/**
 * The layout template's output, with the places the build adds to, found once: offsets
 * into `text`, each at most once. Only `headStart` is required.
 */
export interface TemplateOutput {
  text: string;
  /** At the `>` that ends the <html> start tag: the fit level goes there, after the template's own attributes. */
  htmlTagEnd: number | null;
  /** Just after the <head> start tag: the build's head goes first, before anything the template wrote. */
  headStart: number;
  /** At </head>: the dev preview's styles (null: HTML lets a page leave it out; so for the next two). */
  headEnd: number | null;
  /** Just after the <body> start tag: the dev toolbar. */
  bodyStart: number | null;
  /** At </body>: the dev script. */
  bodyEnd: number | null;
}

/**
 * Finds where the build adds to a template's output. `templateFile`: the layout template
 * actually used (the built-in one or the clinic's), named when it has no <head>.
 */
export function splitTemplateOutput(text: string, templateFile: string): TemplateOutput {
  const head = /<head(\s[^>]*)?>/i.exec(text);
  if (!head) {
    throw new HandoutError('TEMPLATE', 'noHead', {}, { where: { file: displayPath(templateFile) } });
  }
  const end = (m: RegExpExecArray | null) => (m ? m.index + m[0].length : null);
  const html = end(/<html\b[^>]*>/i.exec(text));
  return {
    text,
    htmlTagEnd: html === null ? null : html - 1,
    headStart: head.index + head[0].length,
    headEnd: /<\/head>/i.exec(text)?.index ?? null,
    bodyStart: end(/<body[^>]*>/i.exec(text)),
    bodyEnd: /<\/body>/i.exec(text)?.index ?? null,
  };
}

/** One embedded font: its @font-face rule, written with whichever URL the page loads it from. */
export interface FontFaceSource {
  /** The rule with `url` as its source. */
  rule(url: string): string;
  /** The font file: its data: URL (saved) and its asset URL (printed). */
  asset(): PageAsset;
}

/** What the build puts first in <head>, in order. */
export type HeadElement =
  /** The page's Content-Security-Policy (content-security-policy.ts), as a <meta>. */
  | { kind: 'policy' }
  /** The embedded fonts, and the families in the order they are tried (no generic fallback). */
  | { kind: 'fonts'; faces: readonly FontFaceSource[]; families: readonly string[] }
  /** A stylesheet. */
  | { kind: 'style'; css: string };

/** A page as data: the template's output, and what the build adds to its head. */
export interface PageParts {
  template: TemplateOutput;
  head: readonly HeadElement[];
}

/** What `handout dev` adds to a page it serves. */
export interface DevAdditions {
  /** Styles at the end of <head> (after the template's, so they win). */
  styles: readonly string[];
  /** HTML at the start of <body> (the toolbar), rendered by a dev template. */
  bodyStart: string;
  /** The one script the page runs, at the end of <body>; the server's policy allows it by this nonce. */
  script: { nonce: string; code: string } | null;
}

export type Serialization =
  /** Written next to the PDF: fonts inlined, the strict policy. */
  | { as: 'saved'; fit: string | null }
  /** Loaded by the printer: fonts linked from its asset origin, which the policy allows for fonts. */
  | { as: 'printed'; fit: string | null }
  /** Served by `handout dev`: fonts inlined, the policy sent as a header (not in the page), its additions. */
  | { as: 'preview'; fit: string | null; dev: DevAdditions };

/**
 * The printed policy: opened to the asset origin for fonts. It is the same for a page with
 * no fonts: a page that prints many documents keeps every policy its documents declared
 * (document.write does not reset it), so one stricter policy would refuse the fonts of
 * every document after it on that page.
 */
const POLICIES = { saved: contentSecurityPolicy(), printed: contentSecurityPolicy({ fontOrigins: [ASSET_ORIGIN] }) };

export function serializePage(parts: PageParts, how: Serialization): string {
  const { template } = parts;
  const inserts: Array<[at: number, html: string]> = [];
  if (how.fit !== null && template.htmlTagEnd !== null) inserts.push([template.htmlTagEnd, ` data-fit="${attribute(how.fit)}"`]);
  const head = parts.head.map((element) => headElement(element, how.as)).filter((html) => html !== null);
  if (head.length) inserts.push([template.headStart, `\n${head.join('\n')}\n`]);
  if (how.as === 'preview') {
    const { dev } = how;
    // HTML lets a page leave out </head>, <body> and </body>: then the styles go right after the
    // build's head, the script at the very end, and the toolbar nowhere (there is no body to start).
    if (dev.styles.length) inserts.push([template.headEnd ?? template.headStart, `${dev.styles.map(styleElement).join('\n')}\n`]);
    if (dev.bodyStart && template.bodyStart !== null) inserts.push([template.bodyStart, `\n${dev.bodyStart}`]);
    if (dev.script) inserts.push([template.bodyEnd ?? template.text.length, `${scriptElement(dev.script)}\n`]);
  }
  return insertInto(template.text, inserts);
}

/**
 * The text with each piece of HTML inserted at its offset (offsets into the original text,
 * as splitTemplateOutput found them): in the order of the page; at the same place, in the
 * order given. The site index adds its head and script the same way.
 */
export function insertInto(text: string, inserts: ReadonlyArray<readonly [at: number, html: string]>): string {
  const sorted = [...inserts].sort((a, b) => a[0] - b[0]);
  const out: string[] = [];
  let from = 0;
  for (const [to, html] of sorted) {
    out.push(text.slice(from, to), html);
    from = to;
  }
  out.push(text.slice(from));
  return out.join('');
}

/**
 * The files the printed page links (and the saved page inlines), in the order it declares
 * them: the only requests the printer answers for it (print/page-slot.ts).
 */
export function linkedAssets(parts: PageParts): PageAsset[] {
  return parts.head.flatMap((element) => (element.kind === 'fonts' ? element.faces.map((face) => face.asset()) : []));
}

function headElement(element: HeadElement, as: Serialization['as']): string | null {
  switch (element.kind) {
    case 'policy':
      // The dev server sends its policy as a header, with the nonce for its script: a
      // <meta> policy (no scripts at all) would block that script.
      return as === 'preview' ? null : `<meta http-equiv="Content-Security-Policy" content="${attribute(POLICIES[as])}">`;
    case 'fonts': {
      const rules = element.faces.map((face) => face.rule(as === 'printed' ? face.asset().url : face.asset().inline));
      return styleElement(`\n${rules.join('\n')}\nhtml { font-family: ${element.families.map((name) => `'${name}'`).join(', ')}; }\n`);
    }
    case 'style':
      return styleElement(element.css);
  }
}

/** A stylesheet can never close the <style> element it is placed in. */
function styleElement(css: string): string {
  return `<style>${css.replace(/<\/style/gi, '<\\/style')}</style>`;
}

function scriptElement(script: { nonce: string; code: string }): string {
  return `<script nonce="${attribute(script.nonce)}">${script.code.replace(/<\/script/gi, '<\\/script')}</script>`;
}

/** A value in a double-quoted attribute: only what could end it or start a reference is escaped (the policy keeps its quotes 'none'). */
function attribute(value: string): string {
  return value.replace(/[&"]/g, (ch) => (ch === '&' ? '&amp;' : '&quot;'));
}

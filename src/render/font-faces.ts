/**
 * Fonts ship with the project (npm @fontsource packages, or files under the templates
 * folder) and are embedded in each page as data: URLs, so output never depends on the
 * fonts a machine happens to have and the page needs no request to get them.
 *
 * Fonts come in slices by unicode-range (Latin, Cyrillic, a hundred slices of Chinese…).
 * For each character of a page, the families are tried in order as Chromium would, and
 * only the slices that will draw something are embedded.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as Fontkit from 'fontkit';
import { z } from 'zod';
import { loadYaml } from '../content/load-yaml.js';
import { displayPath } from '../content/safe-file.js';
import { schemaErrors } from '../content/validate-handout.js';
import { HandoutError } from '../errors.js';
import { fontAsset, type PageAsset } from './page-assets.js';
import { findTemplateFile } from '../shared/template-files.js';

/** One @font-face rule with its font inlined, and the code points it claims to cover. */
export interface EmbeddedFontFace {
  /**
   * The @font-face rule with `url` as its source (the data: URL of the saved page, the asset
   * URL of the printed page, a file beside the site index), shown with `display`
   * (font-display; print uses block, so it never captures a fallback font mid-swap).
   */
  rule: (url: string, display?: 'block' | 'swap') => string;
  /** The font file as the printed page loads it (see page-assets.ts). */
  asset: () => PageAsset;
  ranges: ReadonlyArray<readonly [number, number]>;
  /** The font file, parsed on first use (reading every Chinese slice up front is slow). */
  font: () => Fontkit.Font;
  /** Its PostScript name. */
  postscriptName: () => string;
  /** Whether it has a glyph for the character. */
  hasGlyph: (codePoint: number) => boolean;
}

export interface FontFamily {
  name: string;
  firstFor: readonly string[];
  faces: EmbeddedFontFace[];
}

const fontsSchema = z.strictObject({
  families: z
    .array(
      z.strictObject({
        name: z.string().regex(/^[\w ]{1,60}$/, { error: 'expected a font family name: letters, digits and spaces' }),
        first_for: z.array(z.string()).optional(),
        stylesheets: z.array(z.string()).min(1),
      }),
    )
    .min(1),
});

const toolRequire = createRequire(import.meta.url);
/**
 * fontkit reads each font's glyph coverage and PostScript name. Version 3 decompresses
 * WOFF2 as fast as the hand-written reader it replaced (226 slices: 1.09× warm, 1.5× cold),
 * where version 2 took 5×. It is ESM, imported once by loadFontFamilies, which every
 * user of the fonts awaits, and only then: a build with nothing to render never loads it.
 */
let fontkit: Pick<typeof Fontkit, 'create'> | undefined;

/** Reads templates/fonts.yaml and every font it names. */
export async function loadFontFamilies(templatesDir: string): Promise<FontFamily[]> {
  fontkit ??= await import('fontkit');
  const configFile = fontsConfigFile(templatesDir);
  const yaml = await loadYaml(configFile, displayPath(configFile));
  const parsed = fontsSchema.safeParse(yaml.data, { reportInput: true });
  if (!parsed.success) {
    const [first] = schemaErrors(parsed.error, yaml);
    throw new HandoutError('TEMPLATE', 'fontList', { detail: first!.message }, { where: first!.where ?? { file: displayPath(configFile) } });
  }
  return Promise.all(
    parsed.data.families.map(async (family) => ({
      name: family.name,
      firstFor: family.first_for ?? [],
      faces: (await Promise.all(family.stylesheets.map((spec) => loadStylesheet(spec, family.name, path.dirname(configFile), configFile)))).flat(),
    })),
  );
}

async function loadStylesheet(spec: string, family: string, templatesDir: string, configFile: string): Promise<EmbeddedFontFace[]> {
  const where = { file: displayPath(configFile) };
  const cssPath = resolveStylesheet(spec, templatesDir, where);
  const css = await readFile(cssPath, 'utf8');
  const blocks = css.match(/@font-face\s*\{[^}]*\}/g) ?? [];
  return Promise.all(
    blocks.map(async (block) => {
      const declared = /font-family:\s*['"]?([^;'"]+)['"]?\s*;/.exec(block)?.[1]?.trim();
      if (declared !== family) {
        throw new HandoutError('TEMPLATE', 'fontFamily', { spec, declared: String(declared), family }, { where });
      }
      const url = /url\(\s*['"]?([^'")]+\.woff2)['"]?\s*\)/.exec(block)?.[1];
      if (!url) throw new HandoutError('TEMPLATE', 'noWoff2', { spec }, { where });
      const file = path.resolve(path.dirname(cssPath), url);
      let bytes: Buffer | undefined;
      let parsed: Fontkit.Font | undefined;
      const writeRule = ruleWriter(block);
      let asset: PageAsset | undefined;
      const read = () => (bytes ??= readFileSync(file));
      const font = () => (parsed ??= fontkit!.create(read()) as Fontkit.Font);
      let postscriptName: string | undefined;
      const assetOf = () => (asset ??= fontAsset(read()));
      return {
        rule: writeRule,
        asset: assetOf,
        ranges: parseUnicodeRange(/unicode-range:\s*([^;]+);/.exec(block)?.[1] ?? 'U+0-10FFFF'),
        font,
        postscriptName: () => (postscriptName ??= font().postscriptName),
        hasGlyph: (cp) => font().hasGlyphForCodePoint(cp),
      };
    }),
  );
}

/**
 * Writes an @font-face rule of a fontsource stylesheet with its source and font-display
 * set: the rule is taken apart once, around those two declarations. The last rule written
 * is kept (the saved page asks for the same data: URL rule of a face again and again).
 */
function ruleWriter(block: string): (url: string, display?: 'block' | 'swap') => string {
  const src = /src:[^;]+;/.exec(block);
  const shown = /font-display:\s*\w+;/.exec(block);
  const holes = [
    ...(src ? [{ at: src.index, end: src.index + src[0].length, fill: (url: string) => `src: url(${url}) format('woff2');` }] : []),
    ...(shown ? [{ at: shown.index, end: shown.index + shown[0].length, fill: (_: string, display: string) => `font-display: ${display};` }] : []),
  ].sort((a, b) => a.at - b.at);
  let last: { url: string; display: string; rule: string } | null = null;
  return (url, display = 'block') => {
    if (last?.url === url && last.display === display) return last.rule;
    const parts: string[] = [];
    let from = 0;
    for (const hole of holes) {
      parts.push(block.slice(from, hole.at), hole.fill(url, display));
      from = hole.end;
    }
    parts.push(block.slice(from));
    last = { url, display, rule: parts.join('') };
    return last.rule;
  };
}

/**
 * The font list: the clinic's own fonts.yaml if it has one (taken whole, with its
 * stylesheets resolved beside it), else the built-in one.
 */
export function fontsConfigFile(templatesDir: string): string {
  return findTemplateFile(templatesDir, 'fonts.yaml') ?? path.join(templatesDir, 'fonts.yaml');
}

/** "@fontsource/…" comes from npm packages; anything else is a file under the templates folder. */
export function resolveStylesheet(spec: string, templatesDir: string, where: { file: string }): string {
  if (!spec.startsWith('@')) return path.resolve(templatesDir, spec);
  for (const req of [createRequire(path.join(templatesDir, 'fonts.yaml')), toolRequire]) {
    try {
      return req.resolve(spec);
    } catch {
      // try the next place
    }
  }
  throw new HandoutError('TEMPLATE', 'fontNotFound', { spec, package: spec.split('/').slice(0, 2).join('/') }, { where });
}

/** "U+0000-00FF,U+0131" → [[0, 255], [305, 305]] */
export function parseUnicodeRange(value: string): Array<[number, number]> {
  return value.split(',').map((part) => {
    const [lo, hi] = part.trim().replace(/^U\+/i, '').split('-');
    const start = parseInt(lo!.replace(/\?/g, '0'), 16);
    const end = hi ? parseInt(hi, 16) : parseInt(lo!.replace(/\?/g, 'F'), 16);
    return [start, end];
  });
}

/** The families in the order a page in `locale` tries them. */
export function familiesFor(families: readonly FontFamily[], locale: string): FontFamily[] {
  const language = locale.split('-')[0]!;
  const first = families.filter((f) => f.firstFor.includes(locale) || f.firstFor.includes(language));
  return [...first, ...families.filter((f) => !first.includes(f))];
}

export interface FontSelection {
  faces: EmbeddedFontFace[];
  /** Characters no family can draw. */
  missing: number[];
}

/**
 * What a family does for each character, worked out once per build: the faces (slices)
 * whose unicode-range claims it, if one of them has a glyph for it, else null. A page
 * repeats most characters of the pages before it; a Chinese family has a hundred slices.
 */
const familyCoverage = new WeakMap<FontFamily, Map<number, EmbeddedFontFace[] | null>>();

function coverage(family: FontFamily, cp: number): EmbeddedFontFace[] | null {
  let known = familyCoverage.get(family);
  if (!known) familyCoverage.set(family, (known = new Map()));
  let faces = known.get(cp);
  if (faces === undefined) {
    const candidates = family.faces.filter((face) => face.ranges.some(([lo, hi]) => cp >= lo && cp <= hi));
    faces = candidates.some((face) => face.hasGlyph(cp)) ? candidates : null;
    known.set(cp, faces);
  }
  return faces;
}

/** For each character, the first family (in page order) with a glyph for it, as Chromium chooses. */
export function selectFaces(ordered: readonly FontFamily[], codePoints: ReadonlySet<number>): FontSelection {
  const chosen = new Set<EmbeddedFontFace>();
  const missing: number[] = [];
  for (const cp of codePoints) {
    let found = false;
    for (const family of ordered) {
      const faces = coverage(family, cp);
      if (faces) {
        faces.forEach((face) => chosen.add(face));
        found = true;
        break;
      }
    }
    if (!found) missing.push(cp);
  }
  // Keep the stylesheet order, so the CSS is the same whatever order characters came in.
  const faces = ordered.flatMap((family) => family.faces.filter((face) => chosen.has(face)));
  return { faces, missing };
}

/**
 * Fonts ship with the project (npm @fontsource packages, or files under the templates
 * folder) and are embedded in each page as data: URLs, so output never depends on the
 * fonts a machine happens to have and the page needs no request to get them.
 *
 * Fonts come in slices by unicode-range (Latin, Cyrillic, a hundred slices of Chinese…);
 * a page embeds only the slices whose range it uses, which keeps the HTML small.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as fontkit from 'fontkit';
import { parse } from 'yaml';
import { displayPath } from '../content/safe-file.js';
import { HandoutError } from '../errors.js';

/** One @font-face rule with its font inlined, and the code points it claims to cover. */
export interface EmbeddedFontFace {
  css: string;
  ranges: ReadonlyArray<readonly [number, number]>;
  /** The font file, parsed on first use (parsing every Chinese slice up front is slow). */
  font: () => fontkit.Font;
}

const toolRequire = createRequire(import.meta.url);

/** Reads templates/fonts.yaml: the stylesheets whose fonts every page may use. */
export async function loadFontFaces(templatesDir: string): Promise<EmbeddedFontFace[]> {
  const configFile = path.join(templatesDir, 'fonts.yaml');
  let stylesheets: unknown;
  try {
    stylesheets = (parse(await readFile(configFile, 'utf8')) as { stylesheets?: unknown } | null)?.stylesheets;
  } catch (err) {
    throw new HandoutError('TEMPLATE', `cannot read the font list: ${(err as Error).message}`, {
      where: { file: displayPath(configFile) },
    });
  }
  if (!Array.isArray(stylesheets) || !stylesheets.every((s) => typeof s === 'string')) {
    throw new HandoutError('TEMPLATE', 'expected "stylesheets:" with a list of font stylesheets', {
      where: { file: displayPath(configFile) },
      hint: 'List @fontsource stylesheets (e.g. "@fontsource/noto-sans/400.css") or CSS files under the templates folder.',
    });
  }
  const faces = await Promise.all(stylesheets.map((spec) => loadStylesheet(spec, templatesDir, configFile)));
  return faces.flat();
}

async function loadStylesheet(spec: string, templatesDir: string, configFile: string): Promise<EmbeddedFontFace[]> {
  const cssPath = resolveStylesheet(spec, templatesDir, configFile);
  const css = await readFile(cssPath, 'utf8');
  const blocks = css.match(/@font-face\s*\{[^}]*\}/g) ?? [];
  return Promise.all(
    blocks.map(async (block) => {
      const url = /url\(\s*['"]?([^'")]+\.woff2)['"]?\s*\)/.exec(block)?.[1];
      if (!url) {
        throw new HandoutError('TEMPLATE', `${spec}: an @font-face rule has no .woff2 source`, {
          where: { file: displayPath(configFile) },
        });
      }
      const bytes = await readFile(path.resolve(path.dirname(cssPath), url));
      let parsed: fontkit.Font | undefined;
      return {
        // font-display: block, so print never captures a fallback font mid-swap.
        css: block
          .replace(/src:[^;]+;/, `src: url(data:font/woff2;base64,${bytes.toString('base64')}) format('woff2');`)
          .replace(/font-display:\s*\w+;/, 'font-display: block;'),
        ranges: parseUnicodeRange(/unicode-range:\s*([^;]+);/.exec(block)?.[1] ?? 'U+0-10FFFF'),
        font: () => (parsed ??= fontkit.create(bytes) as fontkit.Font),
      };
    }),
  );
}

/** "@fontsource/…" comes from npm packages; anything else is a file under the templates folder. */
function resolveStylesheet(spec: string, templatesDir: string, configFile: string): string {
  if (!spec.startsWith('@')) return path.resolve(templatesDir, spec);
  try {
    return createRequire(path.join(templatesDir, 'fonts.yaml')).resolve(spec);
  } catch {
    try {
      return toolRequire.resolve(spec);
    } catch {
      throw new HandoutError('TEMPLATE', `font stylesheet not found: ${spec}`, {
        where: { file: displayPath(configFile) },
        hint: `Install the font package (npm install ${spec.split('/').slice(0, 2).join('/')}) or fix the name.`,
      });
    }
  }
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

const covers = (face: EmbeddedFontFace, cp: number) => face.ranges.some(([lo, hi]) => cp >= lo && cp <= hi);

/** The faces a text needs: those whose unicode-range covers one of its characters. */
export function facesFor(faces: readonly EmbeddedFontFace[], codePoints: ReadonlySet<number>): EmbeddedFontFace[] {
  return faces.filter((face) => {
    for (const cp of codePoints) if (covers(face, cp)) return true;
    return false;
  });
}

/** Characters no embedded font has a glyph for; they would print as boxes or in a system font. */
export function missingGlyphs(faces: readonly EmbeddedFontFace[], codePoints: ReadonlySet<number>): number[] {
  return [...codePoints].filter((cp) => !faces.some((face) => covers(face, cp) && face.font().hasGlyphForCodePoint(cp)));
}

/** Code points of the visible characters of a text (not spaces, controls or invisible format marks). */
export function visibleCodePoints(text: string): Set<number> {
  const set = new Set<number>();
  for (const ch of text.normalize('NFC')) {
    if (/[\p{White_Space}\p{Cc}\p{Cf}]/u.test(ch)) continue;
    set.add(ch.codePointAt(0)!);
  }
  return set;
}

/**
 * Fonts ship with the project (npm @fontsource packages) and are embedded in each page as
 * data: URLs, so output never depends on the fonts a machine happens to have and the page
 * needs no request to get them. Only the subsets whose unicode-range a page actually uses
 * are embedded, which keeps the self-contained HTML small.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

/** The fontsource stylesheets the templates' font-family names come from. */
export const DEFAULT_FONT_CSS = [
  '@fontsource/noto-sans/400.css',
  '@fontsource/noto-sans/400-italic.css',
  '@fontsource/noto-sans/600.css',
  '@fontsource/noto-sans/700.css',
];

/** One @font-face rule with its font inlined, and the code points it covers. */
export interface EmbeddedFontFace {
  css: string;
  ranges: ReadonlyArray<readonly [number, number]>;
  bytes: number;
}

const require = createRequire(import.meta.url);

export async function loadFontFaces(specs: readonly string[] = DEFAULT_FONT_CSS): Promise<EmbeddedFontFace[]> {
  const faces = await Promise.all(specs.map(loadFontCss));
  return faces.flat();
}

async function loadFontCss(spec: string): Promise<EmbeddedFontFace[]> {
  const cssPath = require.resolve(spec);
  const css = await readFile(cssPath, 'utf8');
  const blocks = css.match(/@font-face\s*\{[^}]*\}/g) ?? [];
  return Promise.all(
    blocks.map(async (block) => {
      const woff2 = /url\((\.\/files\/[^)]+\.woff2)\)/.exec(block)?.[1];
      if (!woff2) throw new Error(`${spec}: @font-face without a woff2 source`);
      const font = await readFile(path.join(path.dirname(cssPath), woff2));
      const src = `src: url(data:font/woff2;base64,${font.toString('base64')}) format('woff2');`;
      return {
        // font-display: block, so print never captures a fallback font mid-swap.
        css: block.replace(/src:[^;]+;/, src).replace(/font-display:\s*\w+;/, 'font-display: block;'),
        ranges: parseUnicodeRange(/unicode-range:\s*([^;]+);/.exec(block)?.[1] ?? 'U+0-10FFFF'),
        bytes: font.length,
      };
    }),
  );
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

/** The @font-face rules needed to draw `text`: those whose range covers one of its characters. */
export function fontFaceCss(faces: readonly EmbeddedFontFace[], text: string): string {
  const codePoints = new Set<number>();
  for (const ch of text) codePoints.add(ch.codePointAt(0)!);
  const used = faces.filter((face) =>
    face.ranges.some(([lo, hi]) => {
      for (const cp of codePoints) if (cp >= lo && cp <= hi) return true;
      return false;
    }),
  );
  return used.map((f) => f.css).join('\n');
}

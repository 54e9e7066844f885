/**
 * The native WOFF2 reader must answer exactly as fontkit does: for every shipped font slice
 * (every 9th of the 202 Chinese ones, to stay fast), the PostScript name, and for every
 * code point its unicode-range claims (and the ones either side), whether it has a glyph.
 */
import { readFileSync } from 'node:fs';
import * as fontkit from 'fontkit';
import { describe, expect, it } from 'vitest';
import { loadFontFamilies } from '../../src/render/font-faces.js';
import { readWoff2Info } from '../../src/render/woff2-info.js';
import { TEMPLATES } from '../helpers/cli.js';

/** The .woff2 files of Noto Sans 400, as the stylesheet names them. */
function notoSansFiles(): string[] {
  const css = new URL('../../node_modules/@fontsource/noto-sans/400.css', import.meta.url);
  return [...readFileSync(css, 'utf8').matchAll(/url\(\.\/([^)]+\.woff2)\)/g)].map((m) => new URL(`../../node_modules/@fontsource/noto-sans/${m[1]}`, import.meta.url).pathname);
}

describe('readWoff2Info', () => {
  it('agrees with fontkit on every shipped font: names and glyph coverage', async () => {
    const families = await loadFontFamilies(TEMPLATES);
    let checked = 0;
    for (const family of families) {
      const faces = family.name === 'Noto Sans SC' ? family.faces.filter((_, i) => i % 9 === 0) : family.faces;
      for (const face of faces) {
        const bytes = Buffer.from(face.asset().base64, 'base64');
        const info = readWoff2Info(bytes);
        expect(info, family.name).not.toBeNull();
        const font = fontkit.create(bytes) as fontkit.Font;
        expect(info!.postscriptName).toBe(font.postscriptName);
        for (const [lo, hi] of face.ranges) {
          for (let cp = Math.max(0, lo - 1); cp <= Math.min(hi + 1, 0x10ffff) && cp <= lo + 5000; cp++) {
            if (info!.hasGlyph(cp) !== font.hasGlyphForCodePoint(cp)) expect.fail(`${font.postscriptName} U+${cp.toString(16)}`);
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(10_000);
  });

  it('declines what it does not read, so fontkit is used instead', () => {
    expect(readWoff2Info(Buffer.from('not a font at all, just some bytes'))).toBeNull();
    expect(readWoff2Info(readFileSync(new URL(import.meta.url)))).toBeNull();
    const woff2 = readFileSync(notoSansFiles()[0]!);
    expect(readWoff2Info(woff2)).not.toBeNull();
    expect(readWoff2Info(woff2.subarray(0, 120))).toBeNull(); // cut short
    const collection = Buffer.from(woff2);
    collection.write('ttcf', 4, 'latin1');
    expect(readWoff2Info(collection)).toBeNull();
  });
});

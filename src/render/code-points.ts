/**
 * Characters as the checks count them: shared by the renderer and the PDF checker, and
 * kept apart so the checker's worker thread loads nothing else of the renderer.
 */

/** Code points of the visible characters of a text (not spaces, controls or invisible format marks). */
export function visibleCodePoints(text: string): Set<number> {
  const set = new Set<number>();
  for (const ch of text.normalize('NFC')) {
    const cp = ch.codePointAt(0)!;
    if (set.has(cp)) continue;
    let visible = cp > 0x20 && cp < 0x7f ? true : VISIBLE.get(cp);
    if (visible === undefined) VISIBLE.set(cp, (visible = !INVISIBLE.test(ch)));
    if (visible) set.add(cp);
  }
  return set;
}

const INVISIBLE = /[\p{White_Space}\p{Cc}\p{Cf}]/u;
/** The answer of INVISIBLE per code point outside printable ASCII, kept: pages repeat characters. */
const VISIBLE = new Map<number, boolean>();

export function describeCodePoint(cp: number): string {
  return `"${String.fromCodePoint(cp)}" (U+${cp.toString(16).toUpperCase().padStart(4, '0')})`;
}

/**
 * Puts the pieces of one printed line back into reading order.
 *
 * A PDF holds glyphs where they are drawn: an Arabic line runs right to left, so its
 * glyphs, read left to right, come out backwards, while numbers and Latin words inside it
 * run left to right. This resolves a direction level for each piece (a small subset of
 * the Unicode Bidirectional Algorithm: strong letters, numbers and the neutrals between
 * them) and reverses runs as rule L2 does; L2 is its own inverse, so applied to the
 * visual order it gives the logical order back.
 */

type BidiClass = 'L' | 'R' | 'N' | 'ON';

const RTL_LETTER = /^[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u;

function classify(text: string): BidiClass {
  if (/^\p{Nd}/u.test(text)) return 'N';
  if (/^[\p{L}\p{M}]/u.test(text)) return RTL_LETTER.test(text) ? 'R' : 'L';
  return 'ON';
}

/**
 * @param pieces the texts of one line in visual order (left to right), each already in
 *   logical order inside (a glyph, or a cluster the PDF spells out with /ActualText)
 * @param rtl the paragraph direction (the handout's language direction)
 */
export function visualToLogical(pieces: readonly string[], rtl: boolean): string[] {
  if (!rtl && !pieces.some((p) => RTL_LETTER.test(p))) return [...pieces];
  const base = rtl ? 1 : 0;
  const classes = pieces.map(classify);
  // Numbers count as right-to-left when neutrals take their direction (rule N1).
  const strongAt = (i: number): 'L' | 'R' | undefined => {
    const c = classes[i];
    return c === 'L' ? 'L' : c === 'R' || (c === 'N' && rtl) ? 'R' : undefined;
  };
  const levels = classes.map((c, i) => {
    if (c === 'R') return 1;
    if (c === 'L') return rtl ? 2 : 0;
    if (c === 'N') return rtl ? 2 : 0;
    let before: 'L' | 'R' | undefined;
    for (let j = i - 1; j >= 0 && !before; j--) before = strongAt(j);
    let after: 'L' | 'R' | undefined;
    for (let j = i + 1; j < classes.length && !after; j++) after = strongAt(j);
    const side = (x: 'L' | 'R' | undefined) => x ?? (rtl ? 'R' : 'L');
    if (side(before) === side(after)) return side(before) === 'R' ? 1 : rtl ? 2 : 0;
    return base;
  });
  const order = pieces.map((_, i) => i);
  const highest = Math.max(...levels);
  for (let level = highest; level >= 1; level--) {
    for (let i = 0; i < order.length; ) {
      if (levels[order[i]!]! < level) {
        i++;
        continue;
      }
      let j = i;
      while (j < order.length && levels[order[j]!]! >= level) j++;
      order.splice(i, j - i, ...order.slice(i, j).reverse());
      i = j;
    }
  }
  return order.map((i) => pieces[i]!);
}

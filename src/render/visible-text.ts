/**
 * The text a rendered page prints: its HTML without tags, styles, scripts and
 * screen-only navigation, with character references decoded. Used to choose fonts and to check that every
 * character reaches the PDF.
 */
const NAMED: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0',
  ndash: '\u2013', mdash: '\u2014', hellip: '\u2026', copy: '\u00a9', rsquo: '\u2019', lsquo: '\u2018',
};

export function visibleText(html: string): string {
  return html
    // The published page's navigation (data-screen-only) is never printed, and uses the
    // reader's system fonts: it is not text the PDF must carry.
    .replace(/<nav\b[^>]*\bdata-screen-only\b[^>]*>[\s\S]*?<\/nav\s*>/gi, ' ')
    .replace(/<(style|script|head)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<title\b[\s\S]*?<\/title\s*>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
      if (ref[0] === '#') {
        const cp = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
        return Number.isFinite(cp) && cp <= 0x10ffff ? String.fromCodePoint(cp) : whole;
      }
      return NAMED[ref.toLowerCase()] ?? whole;
    });
}

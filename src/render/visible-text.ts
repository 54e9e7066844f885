/**
 * The text a rendered page prints: its HTML without tags, styles, scripts and
 * screen-only navigation, with character references decoded. Used to choose fonts and to check that every
 * character reaches the PDF.
 */
import { decodeHTML } from 'entities';

export function visibleText(html: string): string {
  return decodeHTML(
    html
      // The published page's navigation (data-screen-only) is never printed, and uses the
      // reader's system fonts: it is not text the PDF must carry.
      .replace(/<nav\b[^>]*\bdata-screen-only\b[^>]*>[\s\S]*?<\/nav\s*>/gi, ' ')
      .replace(/<(style|script|head)\b[\s\S]*?<\/\1\s*>/gi, ' ')
      .replace(/<title\b[\s\S]*?<\/title\s*>/gi, ' ')
      .replace(/<!--[\s\S]*?-->/g, ' ')
      .replace(/<[^>]*>/g, ' '),
    // What is left is text between tags, which a browser decodes as text content: every
    // named reference of HTML (Caf&eacute;), numeric ones with the spec's replacements
    // (&#128; is €, &#0; is U+FFFD), and the legacy names that may omit the semicolon (&copy 2026).
  );
}

/**
 * ToUnicode CMaps: how a font's glyph codes map back to characters.
 */
import { PdfLexer, PdfOperator, PdfString, type PdfValue } from '../../pdf/pdf-syntax.js';

export interface ToUnicode {
  /** Bytes per glyph code: 2 for Chromium's CID fonts, 1 for simple fonts. */
  codeBytes: number;
  map: Map<number, string>;
}

export function parseToUnicode(cmap: string, codeBytes: number): ToUnicode {
  const map = new Map<number, string>();
  const lexer = new PdfLexer(cmap);
  const operands: PdfValue[] = [];
  for (let token = lexer.next(); token !== undefined; token = lexer.next()) {
    if (!(token instanceof PdfOperator)) {
      operands.push(token);
      continue;
    }
    if (token.op === 'endbfchar') {
      for (let i = 0; i + 1 < operands.length; i += 2) {
        const [src, dst] = [operands[i], operands[i + 1]];
        if (src instanceof PdfString && dst instanceof PdfString) map.set(code(src), utf16be(dst.bytes));
      }
    } else if (token.op === 'endbfrange') {
      for (let i = 0; i + 2 < operands.length; i += 3) {
        const [lo, hi, dst] = [operands[i], operands[i + 1], operands[i + 2]];
        if (!(lo instanceof PdfString) || !(hi instanceof PdfString)) continue;
        for (let c = code(lo), n = 0; c <= code(hi); c++, n++) {
          if (Array.isArray(dst)) {
            const item = dst[n];
            if (item instanceof PdfString) map.set(c, utf16be(item.bytes));
          } else if (dst instanceof PdfString) {
            // The last UTF-16 code unit counts up through the range.
            const base = utf16be(dst.bytes);
            map.set(c, base.slice(0, -1) + String.fromCharCode(base.charCodeAt(base.length - 1) + n));
          }
        }
      }
    }
    operands.length = 0;
  }
  return { codeBytes, map };
}

function code(s: PdfString): number {
  let n = 0;
  for (const ch of s.bytes) n = n * 256 + ch.charCodeAt(0);
  return n;
}

/** A PDF text string: UTF-16BE after a byte-order mark, otherwise PDFDocEncoding (ASCII here). */
export function pdfTextString(bytes: string): string {
  return bytes.startsWith('\u00fe\u00ff') ? utf16be(bytes) : bytes;
}

/** UTF-16BE, as in ToUnicode CMaps (with or without a byte-order mark). */
export function utf16be(bytes: string): string {
  let start = bytes.startsWith('\u00fe\u00ff') ? 2 : 0;
  let out = '';
  for (; start + 1 < bytes.length; start += 2) out += String.fromCharCode(bytes.charCodeAt(start) * 256 + bytes.charCodeAt(start + 1));
  return out;
}

/**
 * Changes a PDF by object: the objects an update redefines are written in place of the
 * old ones, new ones are added at the end, and every other object is copied byte for byte,
 * with a new cross-reference table. Chromium's drawing stays as it was, so the text the
 * verifier reads is the text Chromium drew.
 *
 * Not an incremental update (ISO 32000-1, 7.5.6), though that is the format's way to
 * append: the superseded objects would stay in the file, and a page's content stream,
 * rewritten to mark its decoration, is most of a sheet's bytes (median PDF 65 KB → 93 KB).
 * Written here rather than taken from a library: pdf-lib, the usual choice, has had no
 * release since 2021 and re-serialises every object on save; this copies slices, and
 * builds on the reader (verify/pdf-text/pdf-syntax.ts) that already parses what Chromium
 * writes.
 */
import { PdfDict, PdfDocument, PdfName, PdfOperator, PdfRef, PdfString, type PdfValue } from '../../pdf/pdf-syntax.js';

/** One object of the update: a value, or a stream (its dictionary gets /Length). */
export type UpdateObject = { num: number; value: PdfValue } | { num: number; dict: PdfDict; data: Uint8Array };

export interface Update {
  objects: UpdateObject[];
  /** Trailer entries to set (Root, Info); Size is kept right, Prev dropped (one table). */
  trailer?: Record<string, PdfValue>;
}

/** The PDF with the update applied, as one file with one cross-reference table. */
export function applyUpdate(bytes: Uint8Array, doc: PdfDocument, update: Update): Uint8Array {
  const source = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const replaced = new Map(update.objects.map((o) => [o.num, o]));
  const existing = [...doc.objectOffsets()].sort((a, b) => a[1] - b[1]);
  const chunks: Buffer[] = [];
  let offset = 0;
  const push = (chunk: Buffer | string) => {
    const b = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
    chunks.push(b);
    offset += b.length;
  };
  // The header and its binary comment, as Chromium wrote them.
  push(source.subarray(0, existing[0]?.[1] ?? 0));
  const offsets = new Map<number, number>();
  const write = (object: UpdateObject) => {
    offsets.set(object.num, offset);
    if ('value' in object) {
      push(`${object.num} 0 obj\n${serialize(object.value)}\nendobj\n`);
    } else {
      const dict = new PdfDict(new Map([...object.dict.entries, ['Length', object.data.byteLength]]));
      push(`${object.num} 0 obj\n${serialize(dict)}\nstream\n`);
      push(Buffer.from(object.data.buffer, object.data.byteOffset, object.data.byteLength));
      push('\nendstream\nendobj\n');
    }
  };
  for (const [num, start] of existing) {
    const object = replaced.get(num);
    if (object) {
      write(object);
      replaced.delete(num);
    } else {
      offsets.set(num, offset);
      push(source.subarray(start, doc.objectEnd(num)));
      push('\n');
    }
  }
  for (const object of replaced.values()) write(object);
  const xref = offset;
  const size = Math.max(...offsets.keys()) + 1;
  push(`xref\n0 ${size}\n${xrefEntries(offsets, size)}`);
  const trailer = new Map<string, PdfValue>([...doc.trailer.entries].filter(([key]) => key !== 'Prev'));
  for (const [key, value] of Object.entries(update.trailer ?? {})) trailer.set(key, value);
  trailer.set('Size', size);
  push(`trailer\n${serialize(new PdfDict(trailer))}\nstartxref\n${xref}\n%%EOF\n`);
  const out = Buffer.concat(chunks);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** Each entry is exactly 20 bytes: 10-digit offset, generation, n or f, space, newline. */
function xrefEntries(offsets: ReadonlyMap<number, number>, size: number): string {
  let out = '0000000000 65535 f \n';
  for (let num = 1; num < size; num++) {
    const at = offsets.get(num);
    out += at === undefined ? '0000000000 00000 f \n' : `${String(at).padStart(10, '0')} 00000 n \n`;
  }
  return out;
}

/** A value as PDF syntax. Strings are written in hex, which needs no escaping. */
export function serialize(value: PdfValue): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(6)));
  if (value instanceof PdfName) return `/${escapeName(value.name)}`;
  if (value instanceof PdfString) return `<${Buffer.from(value.bytes, 'latin1').toString('hex')}>`;
  if (value instanceof PdfRef) return `${value.num} 0 R`;
  if (value instanceof PdfOperator) return value.op;
  if (Array.isArray(value)) return `[${value.map(serialize).join(' ')}]`;
  return `<<${[...value.entries].map(([k, v]) => `/${escapeName(k)} ${serialize(v)}`).join(' ')}>>`;
}

/** Names are written with #xx for anything outside the regular printable characters. */
function escapeName(name: string): string {
  return name.replace(/[^!-~]|[#()<>[\]{}/%]/g, (c) => `#${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** A text string as PDF wants one for any script: UTF-16BE with a byte order mark. */
export function textString(text: string): PdfString {
  const utf16 = Buffer.from(`\ufeff${text}`, 'utf16le').swap16();
  return new PdfString(utf16.toString('latin1'));
}

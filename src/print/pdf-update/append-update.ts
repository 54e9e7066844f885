/**
 * Changes a PDF the way the format intends: an incremental update (ISO 32000-1, 7.5.6)
 * appends the new or redefined objects, a cross-reference section for them and a trailer
 * pointing back at the old one. Chromium's bytes stay as they were, so the text the
 * verifier reads is the text Chromium drew.
 *
 * Written here rather than taken from a library: pdf-lib, the usual choice, has had no
 * release since 2021 and rewrites the whole file on save (every object re-serialised, an
 * order of magnitude slower than appending a few hundred bytes); and the reader this
 * builds on (verify/pdf-text/pdf-syntax.ts) already parses what Chromium writes.
 */
import { PdfDict, PdfDocument, PdfName, PdfOperator, PdfRef, PdfString, type PdfValue } from '../../verify/pdf-text/pdf-syntax.js';

/** One object of the update: a value, or a stream (its dictionary gets /Length). */
export type UpdateObject = { num: number; value: PdfValue } | { num: number; dict: PdfDict; data: Uint8Array };

export interface Update {
  objects: UpdateObject[];
  /** Trailer entries to set (Root, Info); Size, Prev and ID are kept right by appendUpdate. */
  trailer?: Record<string, PdfValue>;
}

/** The bytes of `bytes` followed by the update. */
export function appendUpdate(bytes: Uint8Array, doc: PdfDocument, update: Update): Uint8Array {
  const startxref = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(doc.src.slice(-1024));
  if (!startxref) throw new Error('no startxref: not a complete PDF');
  const chunks: Buffer[] = [Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)];
  let offset = bytes.byteLength;
  // The update starts on a line of its own, whatever the file ended with.
  const push = (chunk: Buffer | string) => {
    const b = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
    chunks.push(b);
    offset += b.length;
  };
  if (doc.src.at(-1) !== '\n') push('\n');
  const offsets = new Map<number, number>();
  for (const object of update.objects) {
    offsets.set(object.num, offset);
    if ('value' in object) {
      push(`${object.num} 0 obj\n${serialize(object.value)}\nendobj\n`);
    } else {
      const dict = new PdfDict(new Map([...object.dict.entries, ['Length', object.data.byteLength]]));
      push(`${object.num} 0 obj\n${serialize(dict)}\nstream\n`);
      push(Buffer.from(object.data.buffer, object.data.byteOffset, object.data.byteLength));
      push('\nendstream\nendobj\n');
    }
  }
  const xref = offset;
  push(`xref\n${xrefSections([...offsets].sort((a, b) => a[0] - b[0]))}`);
  const oldSize = doc.trailer.get('Size');
  const size = Math.max(typeof oldSize === 'number' ? oldSize : 0, ...[...offsets.keys()].map((n) => n + 1));
  const trailer = new Map<string, PdfValue>([...doc.trailer.entries]);
  for (const [key, value] of Object.entries(update.trailer ?? {})) trailer.set(key, value);
  trailer.set('Size', size);
  trailer.set('Prev', Number(startxref[1]));
  push(`trailer\n${serialize(new PdfDict(trailer))}\nstartxref\n${xref}\n%%EOF\n`);
  const out = Buffer.concat(chunks);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** Consecutive object numbers share a subsection: "12 2\n<entry>\n<entry>\n". */
function xrefSections(entries: Array<[number, number]>): string {
  let out = '';
  for (let i = 0; i < entries.length; ) {
    let j = i + 1;
    while (j < entries.length && entries[j]![0] === entries[j - 1]![0] + 1) j++;
    out += `${entries[i]![0]} ${j - i}\n`;
    // Each entry is exactly 20 bytes: 10-digit offset, generation, "n", space, newline.
    for (let k = i; k < j; k++) out += `${String(entries[k]![1]).padStart(10, '0')} 00000 n \n`;
    i = j;
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

/**
 * What the renderer needs from a WOFF2 font, read without fontkit: which code points it has
 * a glyph for (its cmap) and its PostScript name (its name table).
 *
 * fontkit decompresses WOFF2 with a brotli decoder written in JavaScript, which was the
 * largest part of rendering a page in a new script (a Chinese page needs dozens of font
 * slices); Node's own brotli is native and several times faster. cmap and name are never
 * transformed in WOFF2, so they are read straight out of the decompressed stream.
 * Anything this does not understand (a collection, an unknown cmap) returns null and the
 * caller falls back to fontkit.
 */
import { brotliDecompressSync } from 'node:zlib';

export interface FontInfo {
  postscriptName: string;
  hasGlyph(codePoint: number): boolean;
}

/** The WOFF2 table tags by their index in a directory entry's flags (WOFF2 spec, 5.1). */
const KNOWN_TAGS = [
  'cmap', 'head', 'hhea', 'hmtx', 'maxp', 'name', 'OS/2', 'post', 'cvt ', 'fpgm', 'glyf', 'loca', 'prep', 'CFF ', 'VORG', 'EBDT',
  'EBLC', 'gasp', 'hdmx', 'kern', 'LTSH', 'PCLT', 'VDMX', 'vhea', 'vmtx', 'BASE', 'GDEF', 'GPOS', 'GSUB', 'EBSC', 'JSTF', 'MATH',
  'CBDT', 'CBLC', 'COLR', 'CPAL', 'SVG ', 'sbix', 'acnt', 'avar', 'bdat', 'bloc', 'bsln', 'cvar', 'fdsc', 'feat', 'fmtx', 'fvar',
  'gvar', 'hsty', 'just', 'lcar', 'mort', 'morx', 'opbd', 'prop', 'trak', 'Zapf', 'Silf', 'Glat', 'Gloc', 'Feat', 'Sill',
];

export function readWoff2Info(bytes: Buffer): FontInfo | null {
  try {
    return read(bytes);
  } catch {
    return null;
  }
}

function read(bytes: Buffer): FontInfo | null {
  if (bytes.toString('latin1', 0, 4) !== 'wOF2') return null;
  if (bytes.toString('latin1', 4, 8) === 'ttcf') return null; // a collection: not ours to read
  const numTables = bytes.readUInt16BE(12);
  const compressedSize = bytes.readUInt32BE(20);
  let pos = 48;
  const base128 = () => {
    let value = 0;
    for (let i = 0; i < 5; i++) {
      const byte = bytes[pos++]!;
      if (value & 0xfe000000) throw new Error('base 128 overflow');
      value = (value << 7) | (byte & 0x7f);
      if ((byte & 0x80) === 0) return value;
    }
    throw new Error('bad base 128 number');
  };
  const tables = new Map<string, { offset: number; length: number }>();
  let offset = 0;
  for (let i = 0; i < numTables; i++) {
    const flags = bytes[pos++]!;
    let tag = KNOWN_TAGS[flags & 0x3f];
    if ((flags & 0x3f) === 0x3f) {
      tag = bytes.toString('latin1', pos, pos + 4);
      pos += 4;
    }
    if (!tag) throw new Error('unknown table');
    const version = (flags >>> 6) & 3;
    const transformed = tag === 'glyf' || tag === 'loca' ? version === 0 : version !== 0;
    const origLength = base128();
    const length = transformed ? base128() : origLength;
    tables.set(tag, { offset, length });
    offset += length;
  }
  const data = brotliDecompressSync(bytes.subarray(pos, pos + compressedSize));
  const cmap = tables.get('cmap');
  const name = tables.get('name');
  if (!cmap || !name) return null;
  const lookup = cmapLookup(data.subarray(cmap.offset, cmap.offset + cmap.length));
  const postscriptName = readPostscriptName(data.subarray(name.offset, name.offset + name.length));
  if (!lookup || postscriptName === null) return null;
  return { postscriptName, hasGlyph: (cp) => lookup(cp) !== 0 };
}

/** A glyph id for each code point from the best Unicode subtable: format 12, else format 4. */
function cmapLookup(cmap: Buffer): ((cp: number) => number) | null {
  const count = cmap.readUInt16BE(2);
  let format4: number | null = null;
  let format12: number | null = null;
  for (let i = 0; i < count; i++) {
    const platform = cmap.readUInt16BE(4 + i * 8);
    const encoding = cmap.readUInt16BE(6 + i * 8);
    const at = cmap.readUInt32BE(8 + i * 8);
    const unicode = platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10));
    if (!unicode) continue;
    const format = cmap.readUInt16BE(at);
    if (format === 12) format12 ??= at;
    else if (format === 4) format4 ??= at;
  }
  if (format12 !== null) {
    const at = format12;
    const groups = cmap.readUInt32BE(at + 12);
    return (cp) => {
      let lo = 0;
      let hi = groups - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const group = at + 16 + mid * 12;
        const start = cmap.readUInt32BE(group);
        const end = cmap.readUInt32BE(group + 4);
        if (cp < start) hi = mid - 1;
        else if (cp > end) lo = mid + 1;
        else return cmap.readUInt32BE(group + 8) + (cp - start);
      }
      return 0;
    };
  }
  if (format4 !== null) {
    const at = format4;
    const segments = cmap.readUInt16BE(at + 6) / 2;
    const ends = at + 14;
    const starts = ends + segments * 2 + 2;
    const deltas = starts + segments * 2;
    const rangeOffsets = deltas + segments * 2;
    return (cp) => {
      if (cp > 0xffff) return 0;
      for (let i = 0; i < segments; i++) {
        if (cmap.readUInt16BE(ends + i * 2) < cp) continue;
        const start = cmap.readUInt16BE(starts + i * 2);
        if (start > cp) return 0;
        const delta = cmap.readUInt16BE(deltas + i * 2);
        const rangeOffset = cmap.readUInt16BE(rangeOffsets + i * 2);
        if (rangeOffset === 0) return (cp + delta) & 0xffff;
        const glyph = cmap.readUInt16BE(rangeOffsets + i * 2 + rangeOffset + (cp - start) * 2);
        return glyph === 0 ? 0 : (glyph + delta) & 0xffff;
      }
      return 0;
    };
  }
  return null;
}

/** Name id 6, from a Windows (UTF-16BE) record, else a Macintosh (ASCII) one. */
function readPostscriptName(name: Buffer): string | null {
  const count = name.readUInt16BE(2);
  const strings = name.readUInt16BE(4);
  let mac: string | null = null;
  for (let i = 0; i < count; i++) {
    const record = 6 + i * 12;
    const platform = name.readUInt16BE(record);
    const id = name.readUInt16BE(record + 6);
    if (id !== 6) continue;
    const length = name.readUInt16BE(record + 8);
    const start = strings + name.readUInt16BE(record + 10);
    const raw = name.subarray(start, start + length);
    if (platform === 3) return Buffer.from(raw).swap16().toString('utf16le');
    if (platform === 1) mac ??= raw.toString('latin1');
  }
  return mac;
}

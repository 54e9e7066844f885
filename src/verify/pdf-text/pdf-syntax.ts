/**
 * Just enough of the PDF syntax to read back what Chromium writes: objects through the
 * cross-reference table, Flate streams, and content-stream tokens. Not a general PDF
 * parser: anything unexpected throws, and the verifier then refuses the PDF.
 */
import { inflateSync } from 'node:zlib';

export type PdfValue =
  | number
  | boolean
  | null
  | PdfName
  | PdfString
  | PdfRef
  | PdfValue[]
  | PdfDict
  | PdfOperator;

export class PdfName {
  constructor(readonly name: string) {}
}
/** Bytes of a string object, kept as a latin1 string (one char per byte). */
export class PdfString {
  constructor(readonly bytes: string) {}
}
export class PdfRef {
  constructor(readonly num: number) {}
}
export class PdfOperator {
  constructor(readonly op: string) {}
}
export class PdfDict {
  constructor(readonly entries: Map<string, PdfValue>) {}
  get(key: string): PdfValue | undefined {
    return this.entries.get(key);
  }
}
export interface PdfStream {
  dict: PdfDict;
  /** Decoded bytes as latin1. */
  data: string;
}

const WHITESPACE = /[\0\t\n\f\r ]/;
const DELIMITER = /[()<>[\]{}/%]/;

/** Tokenises PDF syntax from a latin1 string. */
export class PdfLexer {
  pos: number;
  constructor(
    readonly src: string,
    start = 0,
  ) {
    this.pos = start;
  }

  /** The next complete value (arrays and dicts included), or undefined at the end. */
  next(): PdfValue | undefined {
    this.skipSpace();
    if (this.pos >= this.src.length) return undefined;
    const ch = this.src[this.pos]!;
    if (ch === '[') {
      this.pos++;
      const items: PdfValue[] = [];
      for (;;) {
        this.skipSpace();
        if (this.src[this.pos] === ']') {
          this.pos++;
          return this.foldRefs(items);
        }
        const item = this.next();
        if (item === undefined) throw new Error('unterminated array');
        items.push(item);
      }
    }
    if (ch === '<' && this.src[this.pos + 1] === '<') {
      this.pos += 2;
      const items: PdfValue[] = [];
      for (;;) {
        this.skipSpace();
        if (this.src.startsWith('>>', this.pos)) {
          this.pos += 2;
          const folded = this.foldRefs(items);
          const entries = new Map<string, PdfValue>();
          for (let i = 0; i + 1 < folded.length; i += 2) {
            const key = folded[i];
            if (key instanceof PdfName) entries.set(key.name, folded[i + 1]!);
          }
          return new PdfDict(entries);
        }
        const item = this.next();
        if (item === undefined) throw new Error('unterminated dictionary');
        items.push(item);
      }
    }
    if (ch === '<') return this.hexString();
    if (ch === '(') return this.literalString();
    if (ch === '/') {
      this.pos++;
      const name = this.word();
      return new PdfName(name.replace(/#([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))));
    }
    const word = this.word() || this.src[this.pos++]!;
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(word)) return Number(word);
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
    return new PdfOperator(word);
  }

  /** Inside arrays and dicts, "12 0 R" is one reference. */
  private foldRefs(items: PdfValue[]): PdfValue[] {
    const out: PdfValue[] = [];
    for (let i = 0; i < items.length; i++) {
      const a = items[i];
      const r = items[i + 2];
      if (typeof a === 'number' && typeof items[i + 1] === 'number' && r instanceof PdfOperator && r.op === 'R') {
        out.push(new PdfRef(a));
        i += 2;
      } else {
        out.push(a!);
      }
    }
    return out;
  }

  skipSpace(): void {
    while (this.pos < this.src.length) {
      const ch = this.src[this.pos]!;
      if (WHITESPACE.test(ch)) this.pos++;
      else if (ch === '%') while (this.pos < this.src.length && !/[\r\n]/.test(this.src[this.pos]!)) this.pos++;
      else break;
    }
  }

  private word(): string {
    const start = this.pos;
    while (this.pos < this.src.length && !WHITESPACE.test(this.src[this.pos]!) && !DELIMITER.test(this.src[this.pos]!)) this.pos++;
    return this.src.slice(start, this.pos);
  }

  private hexString(): PdfString {
    const end = this.src.indexOf('>', this.pos);
    if (end < 0) throw new Error('unterminated hex string');
    let hex = this.src.slice(this.pos + 1, end).replace(/\s+/g, '');
    this.pos = end + 1;
    if (hex.length % 2) hex += '0';
    let bytes = '';
    for (let i = 0; i < hex.length; i += 2) bytes += String.fromCharCode(parseInt(hex.slice(i, i + 2), 16));
    return new PdfString(bytes);
  }

  private literalString(): PdfString {
    let depth = 0;
    let out = '';
    this.pos++;
    while (this.pos < this.src.length) {
      const ch = this.src[this.pos++]!;
      if (ch === '\\') {
        const next = this.src[this.pos++]!;
        const escapes: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' };
        if (next in escapes) out += escapes[next];
        else if (/[0-7]/.test(next)) {
          let oct = next;
          while (oct.length < 3 && /[0-7]/.test(this.src[this.pos]!)) oct += this.src[this.pos++];
          out += String.fromCharCode(parseInt(oct, 8) & 0xff);
        } else if (next === '\r' || next === '\n') {
          if (next === '\r' && this.src[this.pos] === '\n') this.pos++;
        } else out += next;
      } else if (ch === '(') {
        depth++;
        out += ch;
      } else if (ch === ')') {
        if (depth === 0) return new PdfString(out);
        depth--;
        out += ch;
      } else out += ch;
    }
    throw new Error('unterminated string');
  }
}

/** A PDF file's objects, found through its cross-reference table. */
export class PdfDocument {
  readonly src: string;
  private readonly offsets = new Map<number, number>();
  private readonly cache = new Map<number, PdfValue | PdfStream>();
  readonly trailer: PdfDict;

  constructor(bytes: Uint8Array) {
    this.src = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
    const startxref = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(this.src.slice(-1024));
    if (!startxref) throw new Error('no startxref: not a complete PDF');
    this.trailer = this.readXref(Number(startxref[1]));
  }

  private readXref(offset: number): PdfDict {
    const lexer = new PdfLexer(this.src, offset);
    const keyword = lexer.next();
    if (!(keyword instanceof PdfOperator) || keyword.op !== 'xref') {
      throw new Error('cross-reference streams are not supported (expected a classic xref table)');
    }
    for (;;) {
      const first = lexer.next();
      if (first instanceof PdfOperator && first.op === 'trailer') break;
      const count = lexer.next();
      if (typeof first !== 'number' || typeof count !== 'number') throw new Error('malformed xref table');
      for (let i = 0; i < count; i++) {
        const off = lexer.next();
        lexer.next(); // generation
        const type = lexer.next();
        if (typeof off === 'number' && type instanceof PdfOperator && type.op === 'n' && !this.offsets.has(first + i)) {
          this.offsets.set(first + i, off);
        }
      }
    }
    const trailer = lexer.next();
    if (!(trailer instanceof PdfDict)) throw new Error('malformed trailer');
    const prev = trailer.get('Prev');
    if (typeof prev === 'number') this.readXref(prev);
    return trailer;
  }

  /** The object a value refers to (or the value itself when it is not a reference). */
  resolve(value: PdfValue | undefined): PdfValue | PdfStream | undefined {
    if (!(value instanceof PdfRef)) return value;
    const cached = this.cache.get(value.num);
    if (cached !== undefined) return cached;
    const offset = this.offsets.get(value.num);
    if (offset === undefined) return undefined;
    const lexer = new PdfLexer(this.src, offset);
    lexer.next(); // number
    lexer.next(); // generation
    const obj = lexer.next(); // "obj"
    if (!(obj instanceof PdfOperator) || obj.op !== 'obj') throw new Error(`object ${value.num} not found at its offset`);
    const body = lexer.next();
    let result: PdfValue | PdfStream = body ?? null;
    lexer.skipSpace();
    if (body instanceof PdfDict && this.src.startsWith('stream', lexer.pos)) {
      let start = lexer.pos + 'stream'.length;
      if (this.src[start] === '\r') start++;
      if (this.src[start] === '\n') start++;
      const length = this.resolve(body.get('Length'));
      if (typeof length !== 'number') throw new Error(`stream ${value.num} has no length`);
      result = { dict: body, data: decodeStream(body, this.src.slice(start, start + length)) };
    }
    this.cache.set(value.num, result);
    return result;
  }

  dict(value: PdfValue | undefined): PdfDict | undefined {
    const resolved = this.resolve(value);
    return resolved instanceof PdfDict ? resolved : isStream(resolved) ? resolved.dict : undefined;
  }

  stream(value: PdfValue | undefined): PdfStream | undefined {
    const resolved = this.resolve(value);
    return isStream(resolved) ? resolved : undefined;
  }
}

export function isStream(value: unknown): value is PdfStream {
  return typeof value === 'object' && value !== null && 'data' in value && 'dict' in value;
}

function decodeStream(dict: PdfDict, raw: string): string {
  const filter = dict.get('Filter');
  const filters = Array.isArray(filter) ? filter : filter === undefined ? [] : [filter];
  let data = raw;
  for (const f of filters) {
    if (!(f instanceof PdfName)) continue;
    if (f.name === 'FlateDecode') data = inflateSync(Buffer.from(data, 'latin1')).toString('latin1');
    else return ''; // images and other data the text reader does not need
  }
  return data;
}

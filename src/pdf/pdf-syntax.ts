/**
 * Just enough of the PDF syntax for what Chromium writes, read back by the verifier and
 * rewritten by print/finish-pdf.ts: objects through the cross-reference table, Flate
 * streams, and content-stream tokens. Not a general PDF parser: anything unexpected
 * throws, and the verifier then refuses the PDF.
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

/** Character classes by char code (the source is latin1: one char per byte). */
const SPACE = 1;
const DELIM = 2;
const CLASS = new Uint8Array(256);
for (const ch of '\0\t\n\f\r ') CLASS[ch.charCodeAt(0)] = SPACE;
for (const ch of '()<>[]{}/%') CLASS[ch.charCodeAt(0)] = DELIM;
const classOf = (code: number) => (code < 256 ? CLASS[code]! : 0);

/** Operators are few and repeat thousands of times in a content stream: one object each. */
const OPERATORS = new Map<string, PdfOperator>();
function operator(word: string): PdfOperator {
  let op = OPERATORS.get(word);
  if (!op) {
    op = new PdfOperator(word);
    if (OPERATORS.size < 1000) OPERATORS.set(word, op);
  }
  return op;
}

const POWERS_OF_TEN = Array.from({ length: 16 }, (_, i) => 10 ** i);

/** What PdfLexer.skipToken() found besides an operator's code. */
export const END = -1;
export const OPERAND = 0;
export const UNKNOWN_OPERATOR = 1 << 24;

/** An operator of up to three characters as one number ("Tj" → 0x6a54): no string is built per operator. */
export function opCode(src: string, start = 0, end = src.length): number {
  let code = 0;
  for (let i = end - 1; i >= start; i--) code = (code << 8) | src.charCodeAt(i);
  return code;
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' };

/**
 * Tokenises PDF syntax from a latin1 string. Content streams hold tens of thousands of
 * tokens (an illustration is drawn as paths), so this scans char codes, not regexes.
 */
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
    const src = this.src;
    if (this.pos >= src.length) return undefined;
    const c = src.charCodeAt(this.pos);
    if (c === 0x5b /* [ */) {
      this.pos++;
      const items: PdfValue[] = [];
      for (;;) {
        this.skipSpace();
        if (src.charCodeAt(this.pos) === 0x5d /* ] */) {
          this.pos++;
          return this.foldRefs(items);
        }
        const item = this.next();
        if (item === undefined) throw new Error('unterminated array');
        items.push(item);
      }
    }
    if (c === 0x3c /* < */ && src.charCodeAt(this.pos + 1) === 0x3c) {
      this.pos += 2;
      const items: PdfValue[] = [];
      for (;;) {
        this.skipSpace();
        if (src.charCodeAt(this.pos) === 0x3e && src.charCodeAt(this.pos + 1) === 0x3e /* >> */) {
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
    if (c === 0x3c) return this.hexString();
    if (c === 0x28 /* ( */) return this.literalString();
    if (c === 0x2f /* / */) {
      this.pos++;
      const name = this.word();
      return new PdfName(name.includes('#') ? name.replace(/#([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))) : name);
    }
    const number = this.number();
    if (number !== undefined) return number;
    const word = this.word() || src[this.pos++]!;
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
    return operator(word);
  }

  /** A number ([+-]digits[.digits] or [+-].digits) ending at a space or delimiter; else undefined, nothing read. */
  number(): number | undefined {
    const src = this.src;
    let i = this.pos;
    const c0 = src.charCodeAt(i);
    let negative = false;
    if (c0 === 0x2b || c0 === 0x2d /* + - */) {
      negative = c0 === 0x2d;
      i++;
    }
    // All the digits as one integer, and how many were after the point.
    let value = 0;
    let digits = 0;
    let decimals = 0;
    let c = src.charCodeAt(i);
    while (c >= 0x30 && c <= 0x39) {
      value = value * 10 + (c - 0x30);
      digits++;
      c = src.charCodeAt(++i);
    }
    if (c === 0x2e /* . */) {
      c = src.charCodeAt(++i);
      while (c >= 0x30 && c <= 0x39) {
        value = value * 10 + (c - 0x30);
        digits++;
        decimals++;
        c = src.charCodeAt(++i);
      }
    }
    if (digits === 0) return undefined;
    // "12abc" is a word, not a number; NaN (past the end) ends the number.
    if (i < src.length && classOf(c) === 0) return undefined;
    if (decimals > 0) {
      // Exact integers divided by an exact power of ten round once, as Number("1.25") does;
      // beyond 15 digits the integer may not be exact, so the string is parsed instead.
      value = digits <= 15 ? value / POWERS_OF_TEN[decimals]! : Math.abs(Number(src.slice(this.pos, i)));
    }
    this.pos = i;
    return negative ? -value : value;
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
    const src = this.src;
    let i = this.pos;
    while (i < src.length) {
      const c = src.charCodeAt(i);
      if (classOf(c) === SPACE) i++;
      else if (c === 0x25 /* % */) {
        while (i < src.length && src.charCodeAt(i) !== 0x0a && src.charCodeAt(i) !== 0x0d) i++;
      } else break;
    }
    this.pos = i;
  }

  /**
   * For content streams, where a page draws its illustrations with tens of thousands of
   * path numbers that no text depends on: steps over one token without building it.
   * Returns OPERAND after an operand (its start was this.pos before the call; read it with
   * next() when its operator needs it), an operator's opCode(), or END.
   */
  skipToken(): number {
    this.skipSpace();
    const src = this.src;
    const start = this.pos;
    if (start >= src.length) return END;
    const c = src.charCodeAt(start);
    if (c === 0x28 /* ( */ || c === 0x3c /* < */ || c === 0x5b /* [ */) {
      this.skipComposite(c);
      return OPERAND;
    }
    let i = c === 0x2f /* / */ ? start + 1 : start;
    while (i < src.length && classOf(src.charCodeAt(i)) === 0) i++;
    this.pos = i;
    // A stray delimiter (")", "]", "}"): an operator of no interest.
    if (i === start) {
      this.pos++;
      return UNKNOWN_OPERATOR;
    }
    if (c === 0x2f || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e) return OPERAND; // a name or number
    if (i - start <= 3) return opCode(src, start, i);
    const word = src.slice(start, i);
    return word === 'true' || word === 'false' || word === 'null' ? OPERAND : UNKNOWN_OPERATOR;
  }

  /** Steps over a string, an array or a dictionary (starting with `c`), nested ones included. */
  private skipComposite(c: number): void {
    const src = this.src;
    if (c === 0x3c && src.charCodeAt(this.pos + 1) !== 0x3c) {
      const end = src.indexOf('>', this.pos);
      if (end < 0) throw new Error('unterminated hex string');
      this.pos = end + 1;
      return;
    }
    if (c === 0x28) {
      this.literalString();
      return;
    }
    const dict = c === 0x3c;
    this.pos += dict ? 2 : 1;
    for (;;) {
      this.skipSpace();
      const d = src.charCodeAt(this.pos);
      if (dict ? d === 0x3e && src.charCodeAt(this.pos + 1) === 0x3e : d === 0x5d) {
        this.pos += dict ? 2 : 1;
        return;
      }
      if (this.skipToken() === END) throw new Error(dict ? 'unterminated dictionary' : 'unterminated array');
    }
  }

  private word(): string {
    const src = this.src;
    const start = this.pos;
    let i = start;
    while (i < src.length && classOf(src.charCodeAt(i)) === 0) i++;
    this.pos = i;
    return src.slice(start, i);
  }

  private hexString(): PdfString {
    const src = this.src;
    const end = src.indexOf('>', this.pos);
    if (end < 0) throw new Error('unterminated hex string');
    // Most are a glyph or two (a Tj of a content stream), so the string is built directly.
    let bytes = '';
    let high = -1;
    for (let i = this.pos + 1; i < end; i++) {
      const nibble = hexValue(src.charCodeAt(i));
      if (nibble < 0) continue; // whitespace
      if (high < 0) high = nibble;
      else {
        bytes += String.fromCharCode(high * 16 + nibble);
        high = -1;
      }
    }
    if (high >= 0) bytes += String.fromCharCode(high * 16);
    this.pos = end + 1;
    return new PdfString(bytes);
  }

  private literalString(): PdfString {
    const src = this.src;
    let depth = 0;
    let out = '';
    this.pos++;
    while (this.pos < src.length) {
      // Copy plain runs at once; stop at the three characters that mean something.
      let run = this.pos;
      while (run < src.length) {
        const c = src.charCodeAt(run);
        if (c === 0x5c || c === 0x28 || c === 0x29) break;
        run++;
      }
      out += src.slice(this.pos, run);
      this.pos = run;
      if (this.pos >= src.length) break;
      const ch = src[this.pos++]!;
      if (ch === '\\') {
        const next = src[this.pos++]!;
        if (next in ESCAPES) out += ESCAPES[next];
        else if (next >= '0' && next <= '7') {
          let oct = next;
          while (oct.length < 3 && src[this.pos]! >= '0' && src[this.pos]! <= '7') oct += src[this.pos++];
          out += String.fromCharCode(parseInt(oct, 8) & 0xff);
        } else if (next === '\r' || next === '\n') {
          if (next === '\r' && src[this.pos] === '\n') this.pos++;
        } else out += next;
      } else if (ch === '(') {
        depth++;
        out += ch;
      } else {
        // ')'
        if (depth === 0) return new PdfString(out);
        depth--;
        out += ch;
      }
    }
    throw new Error('unterminated string');
  }
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
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

  /** Every object number in use, with the byte offset of its definition. */
  objectOffsets(): ReadonlyMap<number, number> {
    return this.offsets;
  }

  /**
   * Where object `num`'s definition ends: just after its "endobj" (a stream's data is
   * skipped by its /Length, so bytes inside it are never taken for the keyword).
   */
  objectEnd(num: number): number {
    const offset = this.offsets.get(num);
    if (offset === undefined) throw new Error(`object ${num} is not in the cross-reference table`);
    const lexer = new PdfLexer(this.src, offset);
    for (let i = 0; i < 3; i++) lexer.next(); // number, generation, "obj"
    const value = lexer.next();
    lexer.skipSpace();
    // Only the length is read: a stream's data (fonts, pictures) is never decoded here.
    if (value instanceof PdfDict && this.src.startsWith('stream', lexer.pos)) {
      const length = this.resolve(value.get('Length'));
      if (typeof length !== 'number') throw new Error(`stream ${num} has no length`);
      let start = lexer.pos + 'stream'.length;
      if (this.src[start] === '\r') start++;
      if (this.src[start] === '\n') start++;
      lexer.pos = start + length;
      lexer.skipSpace();
      if (!this.src.startsWith('endstream', lexer.pos)) throw new Error(`stream ${num} does not end where its /Length says`);
      lexer.pos += 'endstream'.length;
      lexer.skipSpace();
    }
    if (!this.src.startsWith('endobj', lexer.pos)) throw new Error(`object ${num} has no endobj`);
    return lexer.pos + 'endobj'.length;
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

/**
 * Marks what Chromium paints outside every marked-content sequence as an artifact, so that
 * each mark on the page is either tagged or an artifact (PDF/UA-1, ISO 14289-1, 7.1;
 * veraPDF's rule 7.1-3). Chromium's tagged PDFs wrap text and images in `/P <</MCID n>> BDC`
 * … `EMC`, but leave decoration outside: the page background, borders, rules, box
 * backgrounds, SVG marked aria-hidden. Every such run of painting is wrapped in
 * `/Artifact BMC` … `EMC`; every byte of the stream stays as it was around what is inserted.
 *
 * The rules, from ISO 32000-1:
 * - 14.6.1: marked-content operators may appear only between graphics objects (8.2,
 *   Figure 9: a path object runs from its first m or re to its painting operator; a text
 *   object from BT to ET; an inline image from BI to EI), never inside one nor between an
 *   operator and its operands. A wrapper starts where a graphics object's first operand
 *   starts and ends after an object's last operator.
 * - 14.6.1: BMC/BDC…EMC and BT…ET nest properly, separately. An unmarked text object is
 *   wrapped whole. A text object holding marked content of its own (or q/Q, which 8.2 does
 *   not allow there) cannot be: its unmarked showing operators are wrapped inside it.
 * - 14.8.2.2 and PDF/UA 7.1: an artifact holds no tagged content, and tagged content no
 *   artifact (veraPDF 7.1-1, 7.1-2), so a wrapper never contains a BDC/BMC/EMC.
 * - What is wrapped is painting: path objects ended by S s f F f* B B* b b* (not n, which
 *   only ends a path or sets a clip), text objects that show text, inline images, sh and
 *   Do. Graphics-state operators (q Q cm w d gs, colours, text state) and clipping paths
 *   paint nothing: 8.2 says the state operators at page description level belong to no
 *   graphics object, and checkers judge only what paints. So state before the first
 *   painting of a run and after its last stays outside; state between two paintings of
 *   one run is inside.
 * - q/Q: the spec forbids q and Q only inside a marked clipping sequence (14.6.3), which an
 *   artifact wrapping painting never is, and Chromium's own BDC…EMC cross q/Q. A wrapper is
 *   still placed so that it nests with q/Q (its BMC and EMC at the same save level, never
 *   below it in between): then it is a self-contained unit that a consumer grouping
 *   content by q/Q, or a later edit, cannot cut in half. When a run ends at the Q closing
 *   its level, the wrapper grows to take in the matching q (when that q is itself unmarked
 *   content) instead of stopping short, so `q cm rg re f Q` is wrapped as a whole, and
 *   consecutive such groups become one wrapper.
 *
 * Linear in the stream's length: one pass of PdfLexer.skipToken(), no value is built
 * except inside inline-image dictionaries.
 */
import { END, OPERAND, PdfLexer, PdfName, PdfOperator, opCode, type PdfValue } from '../../pdf/pdf-syntax.js';

const ARTIFACT = '/Artifact BMC';
// Local copies: a transpiled import can be a property getter, read twice a token.
const TOKEN_END = END;
const TOKEN_OPERAND = OPERAND;

const Op = {
  BDC: opCode('BDC'),
  BMC: opCode('BMC'),
  EMC: opCode('EMC'),
  BT: opCode('BT'),
  ET: opCode('ET'),
  BI: opCode('BI'),
  q: opCode('q'),
  Q: opCode('Q'),
  m: opCode('m'),
  re: opCode('re'),
  n: opCode('n'),
} as const;

/** Operators that end a path object by painting it (8.5.3; n ends one without painting). */
const PATH_PAINTING = new Set(['S', 's', 'f', 'F', 'f*', 'B', 'B*', 'b', 'b*'].map((op) => opCode(op)));
/** Operators that paint by themselves: text showing (9.4.3), shading (sh, 8.7.4), XObjects (Do, 8.8). */
const SELF_PAINTING = new Set(['Tj', 'TJ', "'", '"', 'sh', 'Do'].map((op) => opCode(op)));

/** A wrapper being grown at one q/Q save level. */
interface Run {
  /** Where its BMC goes. */
  start: number;
  /** The q/Q save level at `start`, and at `end`. */
  level: number;
  /** Where its EMC goes: after the last painting at `level`, or after a Q back to it. */
  end: number;
}

/**
 * The content stream with every run of painting outside all marked content wrapped in
 * `/Artifact BMC` … `EMC`. `content` is one page's decoded content (latin1: a char a byte);
 * a page whose Contents is an array is passed as the streams joined by a newline (for
 * marked content they count as one stream, 14.6.1). Throws on marked content that does not
 * balance (an EMC with no BMC/BDC, or a sequence still open at the end), as it cannot know
 * what is marked then. Idempotent: its own output has nothing left to wrap.
 */
export function markArtifacts(content: string): string {
  const lexer = new PdfLexer(content);
  /** [position, text] to insert, in order of position. */
  const inserts: Array<[number, string]> = [];
  // Each on a line of its own; a line break is added only where the stream had no space.
  const emit = (start: number, end: number) => {
    inserts.push([start, start === 0 || isSpace(content.charCodeAt(start - 1)) ? `${ARTIFACT}\n` : `\n${ARTIFACT}\n`]);
    inserts.push([end, end >= content.length || isSpace(content.charCodeAt(end)) ? '\nEMC' : '\nEMC\n']);
  };

  let marked = 0; // marked-content depth
  let saved = 0; // q/Q save level
  /** Where the q that opened each save level started, or -1 (inside marked content or a text object). */
  const qAt: number[] = [];
  /** No BMC may move before this: the end of the last marked content, emitted wrapper or barrier. */
  let floor = 0;
  /** Open wrappers, outermost first: each at a deeper save level than the one before. */
  const runs: Run[] = [];

  const closeRuns = () => {
    for (const run of runs) emit(run.start, run.end);
    runs.length = 0;
  };
  /** A graphics object that paints, from `start` to `end`, outside text objects. */
  const paint = (start: number, end: number) => {
    if (marked > 0) return;
    const top = runs.at(-1);
    if (top && top.level === saved) top.end = end;
    else runs.push({ start, level: saved, end });
  };
  /** Before a Q takes the save level from `saved` to `saved - 1`, at `end` (after the Q). */
  const restore = (end: number) => {
    const top = runs.at(-1);
    if (!top || top.level !== saved) return;
    const q = saved >= 0 ? (qAt[saved] ?? -1) : -1;
    if (q < floor) {
      // The q of this level is in marked content (or before a text object holding some):
      // the wrapper ends inside the level.
      runs.pop();
      emit(top.start, top.end);
      floor = Math.max(floor, top.end);
      return;
    }
    // Grow the wrapper out to the q…Q of its level; merge with the one below if it is there.
    const below = runs.at(-2);
    if (below && below.level === saved - 1) {
      below.end = end;
      runs.pop();
    } else {
      top.start = q;
      top.level = saved - 1;
      top.end = end;
    }
  };

  // The text object being read, if any.
  let inText = false;
  let textStart = 0;
  /** Whether it can be wrapped whole: begun outside marked content, no marked content or q/Q inside. */
  let textWhole = false;
  let textPaints = false;
  /** Its runs of unmarked painting, wrapped one by one if it cannot be wrapped whole. */
  let textRuns: Array<[number, number]> = [];
  let textRun: [number, number] | null = null;
  const endTextRun = () => {
    if (textRun) textRuns.push(textRun);
    textRun = null;
  };
  const paintInText = (start: number, end: number) => {
    textPaints = true;
    if (marked > 0) return;
    if (textRun) textRun[1] = end;
    else textRun = [start, end];
  };

  /** The first operand of the operator being read, or -1. */
  let operands = -1;
  /** Where the current path object started, or -1. */
  let path = -1;

  for (;;) {
    lexer.skipSpace();
    const at = lexer.pos;
    const code = lexer.skipToken();
    if (code === TOKEN_END) break;
    if (code === TOKEN_OPERAND) {
      if (operands < 0) operands = at;
      continue;
    }
    const start = operands >= 0 ? operands : at;
    operands = -1;
    let end = lexer.pos;

    if (code === Op.BDC || code === Op.BMC) {
      if (inText) {
        textWhole = false;
        endTextRun();
      } else if (marked === 0) closeRuns();
      marked++;
    } else if (code === Op.EMC) {
      if (marked === 0) throw new Error(`EMC without a BMC or BDC at byte ${at} of the content stream`);
      marked--;
      if (inText) {
        textWhole = false;
        endTextRun();
      }
      if (marked === 0) floor = end;
    } else if (code === Op.q) {
      saved++;
      if (saved >= 0) qAt[saved] = marked === 0 && !inText ? start : -1;
      if (inText) {
        textWhole = false;
        endTextRun();
      }
    } else if (code === Op.Q) {
      if (inText) {
        textWhole = false;
        endTextRun();
      } else restore(end);
      saved--;
    } else if (code === Op.BT) {
      inText = true;
      textStart = start;
      textWhole = marked === 0;
      textPaints = false;
      textRuns = [];
      textRun = null;
    } else if (code === Op.ET) {
      inText = false;
      endTextRun();
      if (textWhole && marked === 0) {
        if (textPaints) paint(textStart, end);
      } else {
        // Marked content inside the text object (or q/Q, or its BT inside marked content):
        // what is unmarked in it is wrapped where it is, and no wrapper outside may take
        // the text object in.
        closeRuns();
        for (const [s, e] of textRuns) emit(s, e);
        floor = end;
      }
    } else if (code === Op.m || code === Op.re) {
      if (path < 0) path = start;
    } else if (code === Op.n) {
      path = -1;
    } else if (PATH_PAINTING.has(code) || SELF_PAINTING.has(code) || code === Op.BI) {
      let objectStart = start;
      if (PATH_PAINTING.has(code) && path >= 0) objectStart = path;
      path = -1;
      if (code === Op.BI) {
        end = skipInlineImage(lexer, content);
        lexer.pos = end;
      }
      if (inText) paintInText(objectStart, end);
      else paint(objectStart, end);
    }
  }
  if (marked > 0) throw new Error(`${marked} marked-content sequence(s) not ended by EMC at the end of the content stream`);
  if (inText) throw new Error('a text object (BT) not ended by ET at the end of the content stream');
  closeRuns();

  if (inserts.length === 0) return content;
  // Wrappers are emitted in order (each starts after the one before ends); checked, as a
  // misplaced insert would corrupt the stream silently.
  for (let i = 1; i < inserts.length; i++) {
    if (inserts[i]![0] < inserts[i - 1]![0]) throw new Error('markArtifacts: wrappers out of order (a bug)');
  }
  const parts: string[] = [];
  let pos = 0;
  for (const [at, text] of inserts) {
    parts.push(content.slice(pos, at), text);
    pos = at;
  }
  parts.push(content.slice(pos));
  return parts.join('');
}

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0x00;
const isDelimiter = (c: number) => '()<>[]{}/%'.includes(String.fromCharCode(c));

/**
 * Steps over an inline image (8.9.7) whose BI has just been read; returns the position
 * after its EI. The image data is binary, so its end is found, in order of trust: from the
 * dictionary's /L (PDF 2.0's length of the data), from the size of unfiltered samples, or
 * by the first EI that stands as a word and is followed by text-like bytes (as pdf.js does).
 */
function skipInlineImage(lexer: PdfLexer, src: string): number {
  const dict = new Map<string, PdfValue>();
  for (;;) {
    const key = lexer.next();
    if (key === undefined) throw new Error('inline image without ID');
    if (key instanceof PdfOperator && key.op === 'ID') break;
    const value = lexer.next();
    if (key instanceof PdfName && value !== undefined) dict.set(key.name, value);
  }
  const data = lexer.pos + 1; // one white-space character after ID
  const get = (short: string, long: string) => dict.get(short) ?? dict.get(long);

  const fromLength = get('L', 'Length');
  const known = typeof fromLength === 'number' ? fromLength : unfilteredLength(get);
  if (known !== undefined) {
    let i = data + known;
    while (i < src.length && isSpace(src.charCodeAt(i))) i++;
    if (src.startsWith('EI', i) && endsWord(src, i + 2)) return i + 2;
  }
  for (let i = src.indexOf('EI', data); i >= 0; i = src.indexOf('EI', i + 1)) {
    if (i > data && !isSpace(src.charCodeAt(i - 1))) continue;
    if (!endsWord(src, i + 2)) continue;
    let textLike = true;
    for (let j = i + 2; j < Math.min(src.length, i + 12); j++) {
      const c = src.charCodeAt(j);
      if ((c < 0x20 || c > 0x7e) && c !== 0x0a && c !== 0x0d && c !== 0x09 && c !== 0x0c) {
        textLike = false;
        break;
      }
    }
    if (textLike) return i + 2;
  }
  throw new Error('inline image without EI');
}

function endsWord(src: string, i: number): boolean {
  if (i >= src.length) return true;
  const c = src.charCodeAt(i);
  return isSpace(c) || isDelimiter(c);
}

/** Bytes of an inline image's samples when they are not filtered and their layout is known. */
function unfilteredLength(get: (short: string, long: string) => PdfValue | undefined): number | undefined {
  const filter = get('F', 'Filter');
  if (filter !== undefined && !(Array.isArray(filter) && filter.length === 0)) return undefined;
  const width = get('W', 'Width');
  const height = get('H', 'Height');
  if (typeof width !== 'number' || typeof height !== 'number') return undefined;
  let components: number | undefined;
  let bits = get('BPC', 'BitsPerComponent');
  if (get('IM', 'ImageMask') === true) {
    components = 1;
    bits = 1;
  } else {
    const cs = get('CS', 'ColorSpace');
    const name = cs instanceof PdfName ? cs.name : Array.isArray(cs) && cs[0] instanceof PdfName ? cs[0].name : undefined;
    components = name === undefined ? undefined : COMPONENTS[name];
  }
  if (components === undefined || typeof bits !== 'number') return undefined;
  return height * Math.ceil((width * components * bits) / 8);
}

const COMPONENTS: Record<string, number> = {
  G: 1,
  DeviceGray: 1,
  CalGray: 1,
  RGB: 3,
  DeviceRGB: 3,
  CalRGB: 3,
  Lab: 3,
  CMYK: 4,
  DeviceCMYK: 4,
  I: 1,
  Indexed: 1,
};

/**
 * Reads the text of a Chromium-printed PDF in reading order, the way a person reads the
 * page. pdf.js (which pdf-parse wraps) drops text that Chromium spells out with /ActualText —
 * Arabic letters and Devanagari clusters among it — so a safety text in those languages
 * could never be found. This reader honours /ActualText, keeps the painting order of
 * blocks (so two columns stay two columns) and puts each line in logical order.
 */
import { END, OPERAND, PdfDict, PdfDocument, PdfLexer, PdfName, PdfString, opCode, type PdfValue } from '../../pdf/pdf-syntax.js';
import { parseToUnicode, pdfTextString, type ToUnicode } from './to-unicode.js';
import { visualToLogical } from './visual-to-logical.js';

/** The operators the reader interprets; every other one just ends its operands. */
const OP = {
  q: opCode('q'),
  Q: opCode('Q'),
  cm: opCode('cm'),
  BT: opCode('BT'),
  Tf: opCode('Tf'),
  TL: opCode('TL'),
  Tm: opCode('Tm'),
  Td: opCode('Td'),
  TD: opCode('TD'),
  TStar: opCode('T*'),
  quote: opCode("'"),
  doubleQuote: opCode('"'),
  Tj: opCode('Tj'),
  TJ: opCode('TJ'),
  BMC: opCode('BMC'),
  BDC: opCode('BDC'),
  EMC: opCode('EMC'),
  Do: opCode('Do'),
};

/** The operators the switch in runContent handles. */
const HANDLED_OPS = new Set(Object.values(OP));

type Matrix = [number, number, number, number, number, number];
const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

/** a × b, in PDF's row-vector convention. */
function multiply(a: Matrix, b: Matrix): Matrix {
  return [
    a[0] * b[0] + a[1] * b[2],
    a[0] * b[1] + a[1] * b[3],
    a[2] * b[0] + a[3] * b[2],
    a[2] * b[1] + a[3] * b[3],
    a[4] * b[0] + a[5] * b[2] + b[4],
    a[4] * b[1] + a[5] * b[3] + b[5],
  ];
}

/** [1 0 0 1 tx ty] × m: a move along the text (Td, T*, TJ), with one allocation, not two. */
function translate(m: Matrix, tx: number, ty: number): Matrix {
  return [m[0], m[1], m[2], m[3], tx * m[0] + ty * m[2] + m[4], tx * m[1] + ty * m[3] + m[5]];
}

/** One glyph, or one /ActualText cluster, where it is drawn on the page. */
interface Piece {
  text: string;
  x: number;
  y: number;
  /** Text size in page units, to tell a new line from a raised mark. */
  size: number;
}

export interface ExtractedPage {
  text: string;
  /** How far down the page the text reaches, from 0 (top) to 1 (bottom). */
  filled: number;
  /** Glyphs by text size in points (rounded to 0.5): what a reader sees as small or large print. */
  sizes: Map<number, number>;
}

export function extractPdfText(bytes: Uint8Array, rtl: boolean): ExtractedPage[] {
  const doc = new PdfDocument(bytes);
  const root = doc.dict(doc.trailer.get('Root'));
  const pages: PdfDict[] = [];
  const tree = doc.dict(root?.get('Pages'));
  collectPages(doc, tree, undefined, pages);
  // The page count the verifier relies on: the pages found must be the pages declared.
  const declared = tree?.get('Count');
  if (declared !== pages.length) throw new Error(`the page tree holds ${pages.length} pages but declares ${String(declared)}`);
  return pages.map((page) => {
    const pieces = readPage(doc, page);
    const box = doc.resolve(page.get('MediaBox'));
    const [bottom, top] = Array.isArray(box) && box.length === 4 ? [Number(box[1]), Number(box[3])] : [0, 842];
    let lowest = top;
    const sizes = new Map<number, number>();
    for (const p of pieces) {
      lowest = Math.min(lowest, p.y - p.size * 0.3);
      const size = Math.round(p.size * 2) / 2;
      sizes.set(size, (sizes.get(size) ?? 0) + 1);
    }
    return { text: linesOf(pieces, rtl).join('\n'), filled: pieces.length ? (top - lowest) / (top - bottom) : 0, sizes };
  });
}

function collectPages(doc: PdfDocument, node: PdfDict | undefined, resources: PdfValue | undefined, out: PdfDict[], depth = 0): void {
  if (!node) return;
  if (depth > 32) throw new Error('the page tree is too deep (a cycle?)');
  const inherited = node.get('Resources') ?? resources;
  const type = node.get('Type');
  if (type instanceof PdfName && type.name === 'Page') {
    out.push(new PdfDict(new Map([...node.entries, ['Resources', inherited ?? null]])));
    return;
  }
  const kids = doc.resolve(node.get('Kids'));
  if (Array.isArray(kids)) for (const kid of kids) collectPages(doc, doc.dict(kid), inherited, out, depth + 1);
}

function readPage(doc: PdfDocument, page: PdfDict): Piece[] {
  const contents = doc.resolve(page.get('Contents'));
  const parts = Array.isArray(contents) ? contents : [page.get('Contents')];
  const source = parts.map((p) => doc.stream(p)?.data ?? '').join('\n');
  const pieces: Piece[] = [];
  runContent(doc, source, doc.dict(page.get('Resources')), IDENTITY, pieces, new Map());
  return pieces;
}

interface Span {
  actualText: string | null;
  /** Where the first glyph inside the span was drawn. */
  at: Piece | null;
}

/** Interprets the text operators of a content stream (and the forms it draws). */
function runContent(
  doc: PdfDocument,
  source: string,
  resources: PdfDict | undefined,
  ctmStart: Matrix,
  out: Piece[],
  fonts: Map<PdfDict, ToUnicode>,
  depth = 0,
): void {
  if (depth > 8) return;
  const lexer = new PdfLexer(source);
  // Operands of the next operator, by where they start: most are path numbers no text
  // depends on, so an operand is only read (by `reader`) when its operator needs it.
  const starts: number[] = [];
  let count = 0;
  const reader = new PdfLexer(source);
  const arg = (i: number): PdfValue | undefined => {
    if (i >= count) return undefined;
    reader.pos = starts[i]!;
    return reader.next();
  };
  const num = (i: number): number => {
    if (i >= count) return 0;
    reader.pos = starts[i]!;
    return reader.number() ?? 0;
  };
  const stack: Matrix[] = [];
  let ctm = ctmStart;
  let tm: Matrix = IDENTITY;
  let tlm: Matrix = IDENTITY;
  let font: ToUnicode | undefined;
  let fontSize = 1;
  let leading = 0;
  const spans: Span[] = [];

  // Called for every glyph string (Chromium shows a few glyphs per Tj, thousands per
  // page), so it allocates nothing but the pieces it keeps.
  const show = (str: PdfString) => {
    if (!font) return;
    // Where the text matrix puts the string on the page (tm × ctm, translation and scale only).
    const x = tm[4] * ctm[0] + tm[5] * ctm[2] + ctm[4];
    const y = tm[4] * ctm[1] + tm[5] * ctm[3] + ctm[5];
    const scale = tm[2] * ctm[1] + tm[3] * ctm[3] || tm[0] * ctm[0] + tm[1] * ctm[2];
    const size = Math.abs(fontSize * scale);
    const span = innermostActualText(spans);
    const { map, codeBytes } = font;
    const bytes = str.bytes;
    for (let at = 0, i = 0; at + codeBytes <= bytes.length; at += codeBytes, i++) {
      const code = codeBytes === 2 ? bytes.charCodeAt(at) * 256 + bytes.charCodeAt(at + 1) : bytes.charCodeAt(at);
      // Glyphs after the first in one string: order matters, exact advance does not. A glyph
      // with no Unicode mapping, outside /ActualText, is read as U+0000, as pdf.js reads it:
      // every reader loses that character, and the verifier must see it.
      const piece = { text: map.get(code) ?? '\u0000', x: x + i * 1e-3, y, size };
      if (span) span.at ??= piece;
      else if (piece.text) out.push(piece);
    }
  };

  for (;;) {
    lexer.skipSpace();
    const start = lexer.pos;
    const op = lexer.skipToken();
    if (op === END) break;
    if (op === OPERAND) {
      starts[count++] = start;
      continue;
    }
    // Most operators draw paths (m, l, c, h): one lookup instead of the whole switch.
    if (!HANDLED_OPS.has(op)) {
      count = 0;
      continue;
    }
    switch (op) {
      case OP.q:
        stack.push(ctm);
        break;
      case OP.Q:
        ctm = stack.pop() ?? ctmStart;
        break;
      case OP.cm:
        ctm = multiply([num(0), num(1), num(2), num(3), num(4), num(5)], ctm);
        break;
      case OP.BT:
        tm = tlm = IDENTITY;
        break;
      case OP.Tf: {
        const name = arg(0);
        const fontDict = name instanceof PdfName ? doc.dict(doc.dict(resources?.get('Font'))?.get(name.name)) : undefined;
        font = fontDict ? toUnicodeOf(doc, fontDict, fonts) : undefined;
        fontSize = num(1);
        break;
      }
      case OP.TL:
        leading = num(0);
        break;
      case OP.Tm:
        tm = tlm = [num(0), num(1), num(2), num(3), num(4), num(5)];
        break;
      case OP.Td:
      case OP.TD:
        if (op === OP.TD) leading = -num(1);
        tm = tlm = translate(tlm, num(0), num(1));
        break;
      case OP.TStar:
        tm = tlm = translate(tlm, 0, -leading);
        break;
      case OP.quote:
      case OP.doubleQuote: {
        tm = tlm = translate(tlm, 0, -leading);
        const last = arg(count - 1);
        if (last instanceof PdfString) show(last);
        break;
      }
      case OP.Tj: {
        const text = arg(0);
        if (text instanceof PdfString) show(text);
        break;
      }
      case OP.TJ: {
        const items = arg(0);
        if (Array.isArray(items)) {
          for (const item of items) {
            if (item instanceof PdfString) show(item);
            else if (typeof item === 'number') tm = translate(tm, (-item / 1000) * fontSize, 0);
          }
        }
        break;
      }
      case OP.BMC:
        spans.push({ actualText: null, at: null });
        break;
      case OP.BDC: {
        const props = arg(1);
        const dict = props instanceof PdfDict ? props : props instanceof PdfName ? doc.dict(doc.dict(resources?.get('Properties'))?.get(props.name)) : undefined;
        const actual = dict?.get('ActualText');
        spans.push({ actualText: actual instanceof PdfString ? pdfTextString(actual.bytes) : null, at: null });
        break;
      }
      case OP.EMC: {
        const span = spans.pop();
        if (span?.actualText && span.at) out.push({ ...span.at, text: span.actualText });
        break;
      }
      case OP.Do: {
        const name = arg(0);
        const xobject = name instanceof PdfName ? doc.stream(doc.dict(resources?.get('XObject'))?.get(name.name)) : undefined;
        const subtype = xobject?.dict.get('Subtype');
        if (xobject && subtype instanceof PdfName && subtype.name === 'Form') {
          const matrix = xobject.dict.get('Matrix');
          const formMatrix = Array.isArray(matrix) && matrix.length === 6 ? (matrix as Matrix) : IDENTITY;
          runContent(doc, xobject.data, doc.dict(xobject.dict.get('Resources')) ?? resources, multiply(formMatrix, ctm), out, fonts, depth + 1);
        }
        break;
      }
    }
    count = 0;
  }
}

function toUnicodeOf(doc: PdfDocument, fontDict: PdfDict, cache: Map<PdfDict, ToUnicode>): ToUnicode {
  const cached = cache.get(fontDict);
  if (cached) return cached;
  const subtype = fontDict.get('Subtype');
  const codeBytes = subtype instanceof PdfName && subtype.name === 'Type0' ? 2 : 1;
  const cmap = doc.stream(fontDict.get('ToUnicode'));
  const parsed = cmap ? parseToUnicode(cmap.data, codeBytes) : { codeBytes, map: new Map<number, string>() };
  cache.set(fontDict, parsed);
  return parsed;
}

/** The innermost marked-content span that carries /ActualText, if any. */
function innermostActualText(spans: readonly Span[]): Span | undefined {
  for (let i = spans.length - 1; i >= 0; i--) if (spans[i]!.actualText !== null) return spans[i];
  return undefined;
}

/**
 * Groups pieces into lines: consecutive pieces (in painting order) on the same baseline.
 * Each line is sorted left to right and then put into logical order.
 */
function linesOf(pieces: readonly Piece[], rtl: boolean): string[] {
  const lines: Piece[][] = [];
  for (const piece of pieces) {
    const line = lines.at(-1);
    const last = line?.at(-1);
    if (line && last && Math.abs(piece.y - last.y) < Math.max(piece.size, last.size) * 0.5) line.push(piece);
    else lines.push([piece]);
  }
  return lines.map((line) => {
    const visual = [...line].sort((a, b) => a.x - b.x).map((p) => p.text);
    return visualToLogical(visual, rtl).join('');
  });
}

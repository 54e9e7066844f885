/**
 * Independent readers for the PDFs the tool writes: poppler's pdftotext/pdfinfo/pdffonts
 * and qpdf, so tests do not only trust the same library the verifier uses.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { extractPdfText } from '../../src/verify/pdf-text/extract-text.js';

export function pdfText(file: string): string {
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}

export function pdfPages(file: string): number {
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  return Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
}

/** Rows of `pdffonts`: name, and whether the font is embedded. */
export function pdfFonts(file: string): Array<{ name: string; embedded: boolean }> {
  const lines = execFileSync('pdffonts', [file], { encoding: 'utf8' }).trim().split('\n').slice(2);
  return lines.map((line) => {
    const cols = line.trim().split(/\s+/);
    // name type [encoding…] emb sub uni object ID: emb is the 5th column from the end.
    return { name: cols[0]!, embedded: cols[cols.length - 5] === 'yes' };
  });
}

/** qpdf --check exits 0 for a structurally sound PDF. */
export function qpdfCheck(file: string): boolean {
  try {
    execFileSync('qpdf', ['--check', file], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * The form in which tests compare source text with pdftotext output: no whitespace (line
 * breaks fall anywhere, between Chinese characters too), no bidi marks, and no hyphens
 * (pdftotext drops the hyphen of a word wrapped after it: "pre-\nexisting" → "preexisting").
 */
export function squash(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[-\u2010\p{Cf}]/gu, '')
    .replace(/\s+/g, '');
}

/** The text's distance from each paper edge, in mm, from poppler's word boxes. */
export function textMargins(pdf: string): { left: number; right: number; top: number; bottom: number } {
  const html = execFileSync('pdftotext', ['-bbox', pdf, '-'], { encoding: 'utf8' });
  const [, w, h] = /<page width="([\d.]+)" height="([\d.]+)"/.exec(html)!.map(Number) as [number, number, number];
  const boxes = [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"/g)].map((m) => m.slice(1).map(Number));
  const mm = (pt: number) => (pt * 25.4) / 72;
  return {
    left: mm(Math.min(...boxes.map((b) => b[0]!))),
    top: mm(Math.min(...boxes.map((b) => b[1]!))),
    right: mm(w - Math.max(...boxes.map((b) => b[2]!))),
    bottom: mm(h - Math.max(...boxes.map((b) => b[3]!))),
  };
}


/** The text size most glyphs on the page have: the body text. */
export function bodySize(pdf: string): number {
  const sizes = new Map<number, number>();
  for (const page of extractPdfText(readFileSync(pdf), false)) for (const [size, n] of page.sizes) sizes.set(size, (sizes.get(size) ?? 0) + n);
  return [...sizes].sort((a, b) => b[1] - a[1])[0]![0];
}


/** pdfinfo's fields: Title, Author, Creator, … (UTF-8). */
export function pdfInfo(file: string): Record<string, string> {
  const info = execFileSync('pdfinfo', ['-enc', 'UTF-8', file], { encoding: 'utf8' });
  return Object.fromEntries([...info.matchAll(/^([\w ]+):\s+(.*)$/gm)].map((m) => [m[1]!, m[2]!]));
}

/** The XMP metadata packet, as pdfinfo -meta prints it ('' when there is none). */
export function pdfXmp(file: string): string {
  return execFileSync('pdfinfo', ['-meta', file], { encoding: 'utf8' });
}

export interface StructElement {
  type: string;
  alt: string | null;
  lang: string | null;
  kids: StructElement[];
}

/**
 * The tagged structure as qpdf reads it (qpdf --json): the tree under StructTreeRoot,
 * each element's type (/S), alternative text and language.
 */
export function pdfStructure(file: string): StructElement[] {
  const json = JSON.parse(execFileSync('qpdf', ['--json', file], { encoding: 'utf8', maxBuffer: 64 << 20 })) as {
    qpdf: [unknown, Record<string, { value?: Record<string, unknown> }>];
  };
  const objects = json.qpdf[1];
  const value = (ref: unknown) => (typeof ref === 'string' ? objects[`obj:${ref}`]?.value : undefined);
  const text = (v: unknown) => (typeof v === 'string' ? v.replace(/^u:/, '') : null);
  const list = (k: unknown): unknown[] => (k === undefined ? [] : Array.isArray(k) ? k : [k]);
  const element = (ref: unknown): StructElement | null => {
    const v = value(ref);
    if (!v || typeof v['/S'] !== 'string') return null;
    return {
      type: (v['/S'] as string).slice(1),
      alt: text(v['/Alt']),
      lang: text(v['/Lang']),
      kids: list(v['/K']).map(element).filter((e): e is StructElement => e !== null),
    };
  };
  const root = Object.values(objects).find((o) => o.value?.['/Type'] === '/StructTreeRoot')?.value;
  return list(root?.['/K']).map(element).filter((e): e is StructElement => e !== null);
}

/** Every element of a structure tree, depth first. */
export function allElements(tree: readonly StructElement[]): StructElement[] {
  return tree.flatMap((e) => [e, ...allElements(e.kids)]);
}

const PAINTING = new Set(['S', 's', 'f', 'F', 'f*', 'B', 'B*', 'b', 'b*', 'sh', 'Do', 'Tj', 'TJ', "'", '"']);

/**
 * Painting operators outside any marked content (neither tagged nor an artifact), read from
 * qpdf's uncompressed rewrite of the file. Chromium writes one operator per line, and
 * so does the tool's artifact marking, so a line's last word is its operator.
 */
export function unmarkedPainting(file: string): string[] {
  const qdf = execFileSync('qpdf', ['--qdf', '--object-streams=disable', file, '-'], { maxBuffer: 256 << 20 }).toString('latin1');
  const found: string[] = [];
  for (const [, content] of qdf.matchAll(/%% Contents for page \d+\n(?:%%.*\n)*\d+ 0 obj\n<<[^]*?>>\nstream\n([^]*?)endstream/g)) {
    let depth = 0;
    for (const line of content!.split('\n')) {
      // "/NonStruct <</MCID 0 >>BDC": the operator may follow its operand with no space.
      const op = line.trim().split(/\s+|>>/).at(-1) ?? '';
      if (op === 'BDC' || op === 'BMC') depth++;
      else if (op === 'EMC') depth--;
      else if (depth === 0 && PAINTING.has(op)) found.push(line.trim().slice(0, 60));
    }
  }
  return found;
}

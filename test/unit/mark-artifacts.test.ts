import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import puppeteer from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBrowser } from '../../src/print/find-browser.js';
import { markArtifacts } from '../../src/print/pdf-update/mark-artifacts.js';
import { END, OPERAND, PdfDocument, PdfLexer, PdfRef, type PdfDict } from '../../src/verify/pdf-text/pdf-syntax.js';

const A = '/Artifact BMC\n';
const E = '\nEMC';

describe('markArtifacts on hand-written streams', () => {
  it('wraps an unmarked rectangle fill, leaving the colour set before it outside', () => {
    expect(markArtifacts('1 0 0 rg\n0 0 10 10 re\nf\n')).toBe(`1 0 0 rg\n${A}0 0 10 10 re\nf${E}\n`);
  });

  it('wraps a whole q … Q group that paints, so the wrapper nests with the save level', () => {
    expect(markArtifacts('q 1 0 0 rg 0 0 10 10 re f Q')).toBe(`${A}q 1 0 0 rg 0 0 10 10 re f Q${E}`);
    // Two groups in a row are one wrapper; state-only groups before and after stay outside.
    expect(markArtifacts('q 2 w Q\nq 0 0 1 1 re f Q\nq 1 0 0 1 5 5 cm 0 0 1 1 re S Q\nq 1 g Q')).toBe(
      `q 2 w Q\n${A}q 0 0 1 1 re f Q\nq 1 0 0 1 5 5 cm 0 0 1 1 re S Q${E}\nq 1 g Q`,
    );
  });

  it('leaves already-marked content as it is, byte for byte', () => {
    const marked = '/P <</MCID 0 >>BDC\nBT\n/F1 12 Tf\n1 0 0 -1 20 55 Tm\n<0037> Tj\nET\nEMC\n/Figure <</MCID 1>> BDC 0 0 5 5 re f EMC\n';
    expect(markArtifacts(marked)).toBe(marked);
    expect(markArtifacts('')).toBe('');
  });

  it('tracks nested marked content: only what is outside all of it is wrapped', () => {
    expect(markArtifacts('/Sect <</MCID 0>> BDC /Span <</MCID 1>> BDC 0 0 1 1 re f EMC 0 0 2 2 re f EMC 0 0 3 3 re f')).toBe(
      `/Sect <</MCID 0>> BDC /Span <</MCID 1>> BDC 0 0 1 1 re f EMC 0 0 2 2 re f EMC ${A}0 0 3 3 re f${E}`,
    );
  });

  it('wraps an unmarked text object whole, never inside it', () => {
    const text = 'BT /F1 12 Tf 1 0 0 1 10 10 Tm (a) Tj 0 -14 Td [(b) 120 (c)] TJ (d) \' 1 2 (e) " ET';
    expect(markArtifacts(text)).toBe(`${A}${text}${E}`);
    // A text object that shows nothing paints nothing.
    expect(markArtifacts('BT /F1 12 Tf ET')).toBe('BT /F1 12 Tf ET');
  });

  it('wraps the unmarked showing inside a text object that holds marked content, within BT … ET', () => {
    expect(markArtifacts('0 0 1 1 re f BT /P <</MCID 0>> BDC (a) Tj EMC 5 0 Td (b) Tj ET 0 0 2 2 re f')).toBe(
      `${A}0 0 1 1 re f${E} BT /P <</MCID 0>> BDC (a) Tj EMC 5 0 Td ${A}(b) Tj${E} ET ${A}0 0 2 2 re f${E}`,
    );
  });

  it('does not take strings, dictionaries or comments that spell operators for operators', () => {
    const marked = '/Span <</ActualText (EMC\\)) /MCID 2>> BDC BT (x\\) EMC \\\\) Tj <454D43> Tj ET EMC\n';
    expect(markArtifacts(`${marked}0 0 1 1 re f`)).toBe(`${marked}${A}0 0 1 1 re f${E}`);
    // Balanced parentheses need no escape; the string still ends where it ends.
    expect(markArtifacts('BT (BDC (nested) \\( ) Tj ET')).toBe(`${A}BT (BDC (nested) \\( ) Tj ET${E}`);
    // A comment ends at the line's end; the wrapper starts at the next token.
    expect(markArtifacts('% BDC ( a comment\n0 0 1 1 re f % EMC\n')).toBe(`% BDC ( a comment\n${A}0 0 1 1 re f${E} % EMC\n`);
  });

  it('steps over an inline image by its size, its /L, or the EI that ends it, whatever its data spells', () => {
    // 4 unfiltered grey samples that spell "EI (": the size decides, not the first EI.
    const sized = 'q 10 0 0 10 0 0 cm BI /W 4 /H 1 /CS /G /BPC 8 ID EI ( EI Q';
    expect(markArtifacts(sized)).toBe(`${A}${sized}${E}`);
    const byLength = 'BI /W 9 /H 9 /CS /RGB /BPC 8 /F /Fl /L 6 ID \x00EMC) EI 0 0 1 1 re W n';
    expect(markArtifacts(byLength)).toBe(`${A}BI /W 9 /H 9 /CS /RGB /BPC 8 /F /Fl /L 6 ID \x00EMC) EI${E} 0 0 1 1 re W n`);
    // Filtered, no /L: an EI followed by binary bytes is data; the one followed by text ends it.
    const image = 'BI /W 9 /H 9 /CS /RGB /BPC 8 /F /Fl ID x\x9c EI\x00\xff\x01 Q( EI';
    expect(markArtifacts(`q /P <</MCID 0>> BDC EMC ${image}\nQ\n`)).toBe(`q /P <</MCID 0>> BDC EMC ${A}${image}${E}\nQ\n`);
  });

  it('leaves clipping paths and state-only runs unwrapped', () => {
    const state = 'q 0 0 10 10 re W n 1 0 0 1 5 5 cm /G3 gs 2 w [1 2] 0 d 0 0 1 RG /F1 12 Tf Q';
    expect(markArtifacts(state)).toBe(state);
  });

  it('ends a wrapper inside a save level whose q is in marked content, and never lets one straddle a BDC', () => {
    expect(markArtifacts('/P <</MCID 0>> BDC q EMC 0 0 1 1 re f Q')).toBe(`/P <</MCID 0>> BDC q EMC ${A}0 0 1 1 re f${E} Q`);
    expect(markArtifacts('0 0 1 1 re f q 0 0 2 2 re f /P <</MCID 0>> BDC (x) Tj EMC Q')).toBe(
      `${A}0 0 1 1 re f${E} q ${A}0 0 2 2 re f${E} /P <</MCID 0>> BDC (x) Tj EMC Q`,
    );
  });

  it('refuses marked content that does not balance', () => {
    expect(() => markArtifacts('0 0 1 1 re f EMC')).toThrow(/EMC without/);
    expect(() => markArtifacts('/P BMC 0 0 1 1 re f')).toThrow(/not ended/);
  });

  it('is idempotent', () => {
    for (const s of ['q 1 0 0 rg 0 0 10 10 re f Q', 'BT (a) Tj ET 0 0 1 1 re S', '/P <</MCID 0>> BDC q EMC 0 0 1 1 re f Q', 'BI /W 1 /H 1 /CS /G /BPC 8 ID x EI']) {
      const once = markArtifacts(s);
      expect(once).not.toBe(s);
      expect(markArtifacts(once)).toBe(once);
    }
  });
});

// ————— An independent reading of the result —————

const PAINTING = new Set(['S', 's', 'f', 'F', 'f*', 'B', 'B*', 'b', 'b*', 'sh', 'Do', 'Tj', 'TJ', "'", '"', 'EI']);

interface Scan {
  /** Every token but the /Artifact BMC … EMC that wrap, as written. */
  tokens: string[];
  /** Painting operators outside all marked content. */
  unmarked: string[];
  /** Broken rules, each said once. */
  faults: string[];
}

/** Reads a content stream without inline images (those are tested by hand above). */
function scan(src: string): Scan {
  const lexer = new PdfLexer(src);
  const tokens: string[] = [];
  const unmarked: string[] = [];
  const faults = new Set<string>();
  const stack: Array<{ artifact: boolean; q: number; inText: boolean }> = [];
  let q = 0;
  let inText = false;
  let inPath = false;
  let pendingTag: string | null = null;
  for (;;) {
    lexer.skipSpace();
    const at = lexer.pos;
    const code = lexer.skipToken();
    if (code === END) break;
    const token = src.slice(at, lexer.pos);
    if (code === OPERAND) {
      if (pendingTag !== null) tokens.push(pendingTag);
      pendingTag = token.startsWith('/') ? token : null;
      if (pendingTag === null) tokens.push(token);
      continue;
    }
    const tag = pendingTag;
    pendingTag = null;
    if (token === 'BMC' || token === 'BDC') {
      const artifact = tag === '/Artifact' && token === 'BMC';
      if (inPath) faults.add('marked content begins inside a path object');
      if (artifact && stack.length > 0) faults.add('an artifact inside marked content');
      if (!artifact && stack.some((s) => s.artifact)) faults.add('marked content inside an artifact');
      stack.push({ artifact, q, inText });
      if (!artifact) tokens.push(tag!, token);
      continue;
    }
    if (tag !== null) tokens.push(tag);
    if (token === 'EMC') {
      const open = stack.pop();
      if (!open) throw new Error('EMC without BMC');
      if (inPath) faults.add('marked content ends inside a path object');
      if (open.inText !== inText) faults.add('marked content straddles BT/ET');
      if (open.artifact && open.q !== q) faults.add('an artifact straddles q/Q');
      if (!open.artifact) tokens.push(token);
      continue;
    }
    tokens.push(token);
    if (token === 'q') q++;
    else if (token === 'Q') {
      q--;
      const artifactLevel = stack.find((s) => s.artifact)?.q;
      if (artifactLevel !== undefined && q < artifactLevel) faults.add('an artifact straddles q/Q');
    } else if (token === 'BT') inText = true;
    else if (token === 'ET') inText = false;
    else if (token === 'm' || token === 're') inPath = true;
    else if (token === 'n' || PAINTING.has(token)) {
      inPath = false;
      if (PAINTING.has(token) && stack.length === 0) unmarked.push(token);
    }
  }
  if (stack.length > 0) throw new Error('BMC without EMC');
  return { tokens, unmarked, faults: [...faults] };
}

function expectMarked(before: string, after: string) {
  const b = scan(before);
  const a = scan(after);
  expect(a.unmarked).toEqual([]);
  expect(a.faults).toEqual([]);
  // Joined first: toEqual on a quarter of a million tokens takes seconds; it is for the diff.
  if (a.tokens.join('\n') !== b.tokens.join('\n')) expect(a.tokens).toEqual(b.tokens);
  expect(markArtifacts(after)).toBe(after);
}

describe('markArtifacts on generated streams', () => {
  // Streams the way a producer writes them: q/Q balanced, marked content nested, text
  // objects whole, marked content inside text objects only around showing.
  const num = fc.integer({ min: -999, max: 999 }).map(String);
  const pathPaint = fc.tuple(num, num, fc.constantFrom('f', 'S', 'f*', 'B', 'b*', 's', 'F')).map(([x, y, p]) => `${x} ${y} m ${y} ${x} l 1 2 3 4 5 6 c h ${p}`);
  const rect = fc.tuple(num, num, fc.constantFrom('f', 'S', 'n', 'W n', 'W* n')).map(([x, y, p]) => `${x} ${y} 10 10 re ${p}`);
  const state = fc.constantFrom('1 0 0 rg', '.5 G', '/G3 gs', '2 w', '1 0 0 -1 0 9 cm', '[3 1] 0 d', '/F1 9 Tf', '% (a comment) BDC\n');
  const other = fc.constantFrom('/Im1 Do', '/Sh1 sh', '/MC0 MP', '/MC1 <</A (x\\))>> DP');
  const show = fc.constantFrom('(a\\) EMC \\\\) Tj', '<0037 0048> Tj', '[(a) -20 (b)] TJ', "(c) '", '1 2 (d) "');
  const textItem = fc.oneof(
    { weight: 4, arbitrary: show },
    { weight: 2, arbitrary: fc.constantFrom('5 0 Td', '1 0 0 1 9 9 Tm', 'T*', '3 Tr', '/F2 8 Tf', '0 g') },
    { weight: 1, arbitrary: fc.tuple(fc.nat(99), show).map(([id, s]) => `/Span <</MCID ${id}>> BDC ${s} EMC`) },
  );
  const text = fc.array(textItem, { maxLength: 5 }).map((items) => `BT ${items.join(' ')} ET`);
  const { stream } = fc.letrec<{ stream: string; item: string }>((tie) => ({
    item: fc.oneof(
      { weight: 4, arbitrary: pathPaint },
      { weight: 3, arbitrary: rect },
      { weight: 4, arbitrary: state },
      { weight: 2, arbitrary: other },
      { weight: 3, arbitrary: text },
      { weight: 2, arbitrary: tie('stream').map((s) => `q ${s} Q`) },
      { weight: 2, arbitrary: fc.tuple(fc.constantFrom('/P <</MCID 3>> BDC', '/Figure <</MCID 4 /Alt (x)>> BDC', '/Span BMC'), tie('stream')).map(([b, s]) => `${b} ${s} EMC`) },
    ),
    stream: fc.array(tie('item'), { maxLength: 6 }).map((items) => items.join('\n')),
  }));

  it('leaves no painting unmarked, changes no token, nests every wrapper, and is idempotent', () => {
    fc.assert(
      fc.property(stream, (s) => {
        expectMarked(s, markArtifacts(s));
      }),
      { numRuns: 500 },
    );
  });

  it('is linear and fast on an illustration drawn as tens of thousands of operators', () => {
    const path: string[] = [];
    for (let i = 0; i < 5000; i++) {
      path.push(`q 1 0 0 1 ${i} 0 cm .1 .2 .3 rg ${i}.5 20 m 34.903927 21.960365 34.711777 22.926353 ${i}.25 24 c 1 2 l h f Q`);
      path.push(`/P <</MCID ${i}>> BDC BT /F6 16 Tf 1 0 0 -1 60 ${i} Tm <0032> Tj 12.49 0 Td <0051> Tj ET EMC`);
      path.push(`0 0 ${i} 2 re S`);
    }
    const big = `q\n${path.join('\n')}\nQ\n`;
    markArtifacts(big); // warm up
    const runs = 5;
    const t0 = performance.now();
    for (let i = 0; i < runs; i++) markArtifacts(big);
    const ms = (performance.now() - t0) / runs;
    const ops = scan(big).tokens.length;
    console.log(`markArtifacts: ${(big.length / 1e6).toFixed(1)} MB, ${ops} tokens, ${ms.toFixed(1)} ms`);
    expect(ms).toBeLessThan(500); // typically ~30 ms: generous for a slow CI machine
    expectMarked(big, markArtifacts(big));
  });
});

// ————— A page as Chromium prints it —————

const HTML = `<!doctype html><html lang="en"><head><style>
  @page { size: A6; margin: 8mm }
  html { background: #fef6e4 }
  body { font: 12px sans-serif; margin: 0 }
  .box { border: 3px solid #c33; background: #eef; padding: 6px; border-radius: 6px }
  hr { border: 0; border-top: 2px solid #369 }
  table { border-collapse: collapse } td { border: 1px solid #333; padding: 2px }
</style></head><body>
  <h1>Knee (left) \\ right</h1>
  <div class="box"><p>Bend the knee <b>slowly</b>.</p>
    <svg aria-hidden="true" width="40" height="40" viewBox="0 0 40 40"><circle cx="20" cy="20" r="15" fill="#f90" stroke="#000"/><path d="M5 5 L35 35" stroke="#00f" stroke-width="3"/></svg>
  </div>
  <hr><ul><li>One</li><li>Two</li></ul><table><tr><td>a</td><td>b</td></tr></table>
</body></html>`;

function pageContents(doc: PdfDocument): Array<{ num: number; data: string }> {
  const out: Array<{ num: number; data: string }> = [];
  const walk = (node: PdfDict) => {
    const kids = node.get('Kids');
    if (Array.isArray(kids)) for (const kid of kids) walk(doc.dict(kid)!);
    else {
      const contents = node.get('Contents');
      if (!(contents instanceof PdfRef)) throw new Error('expected one content stream a page, as Chromium writes');
      out.push({ num: contents.num, data: doc.stream(contents)!.data });
    }
  };
  walk(doc.dict(doc.dict(doc.trailer.get('Root'))!.get('Pages'))!);
  return out;
}

describe('markArtifacts on a page printed by Chromium', () => {
  let dir: string;
  let pdf: Uint8Array;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'mark-artifacts-'));
    const browser = await puppeteer.launch({ executablePath: findBrowser(undefined).path, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
    try {
      const page = await browser.newPage();
      await page.setContent(HTML);
      pdf = await page.pdf({ tagged: true, printBackground: true, preferCSSPageSize: true });
    } finally {
      await browser.close();
    }
    writeFileSync(path.join(dir, 'printed.pdf'), pdf);
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('marks the background, borders and aria-hidden SVG, leaving no painting unmarked and every token as it was', () => {
    const pages = pageContents(new PdfDocument(pdf));
    expect(pages.length).toBe(1);
    for (const { data } of pages) {
      // Chromium does leave painting unmarked: else this test would prove nothing.
      expect(scan(data).unmarked.length).toBeGreaterThan(0);
      const t0 = performance.now();
      const marked = markArtifacts(data);
      console.log(`markArtifacts: Chromium page of ${data.length} bytes in ${(performance.now() - t0).toFixed(2)} ms`);
      expectMarked(data, marked);
      // The page background; the box's background and border, one wrapper; the SVG.
      expect(marked.split(A).length - 1).toBeGreaterThanOrEqual(3);
    }
  });

  it('renders the same, pixel for pixel', () => {
    const file = (name: string) => path.join(dir, name);
    // QDF keeps streams uncompressed and as written (no content normalising), one object a
    // stretch of text; fix-qdf then mends the lengths and the cross-reference table.
    execFileSync('qpdf', ['--qdf', '--object-streams=disable', '--normalize-content=n', file('printed.pdf'), file('qdf.pdf')]);
    let qdf = readFileSync(file('qdf.pdf')).toString('latin1');
    for (const { num } of pageContents(new PdfDocument(pdf))) {
      // qpdf renumbers objects; it notes each page's contents with a comment.
      const match = new RegExp(`%% Contents for page \\d+\\n%% Original object ID: ${num} 0\\n(\\d+) 0 obj\\n<<[^]*?>>\\nstream\\n`).exec(qdf);
      expect(match, `content stream ${num} in the QDF`).not.toBeNull();
      const start = match!.index + match![0].length;
      const end = qdf.indexOf('endstream', start);
      const data = qdf.slice(start, end);
      qdf = qdf.slice(0, start) + markArtifacts(data) + qdf.slice(end);
    }
    writeFileSync(file('marked-qdf.pdf'), Buffer.from(qdf, 'latin1'));
    writeFileSync(file('marked.pdf'), execFileSync('fix-qdf', [file('marked-qdf.pdf')], { maxBuffer: 64 << 20 }));
    execFileSync('qpdf', ['--check', file('marked.pdf')], { stdio: 'ignore' });
    const render = (name: string) => {
      execFileSync('pdftoppm', ['-png', '-r', '50', '-singlefile', file(`${name}.pdf`), file(name)]);
      return PNG.sync.read(readFileSync(file(`${name}.png`)));
    };
    const before = render('printed');
    const after = render('marked');
    expect([after.width, after.height]).toEqual([before.width, before.height]);
    expect(pixelmatch(before.data, after.data, undefined, before.width, before.height, { threshold: 0 })).toBe(0);
    // And the artifacts are really in the file that was rendered.
    const rendered = pageContents(new PdfDocument(readFileSync(file('marked.pdf'))));
    expect(rendered.every(({ data }) => data.includes(A) && scan(data).unmarked.length === 0)).toBe(true);
  });
});

/**
 * markArtifacts (src/print/pdf-update/mark-artifacts.ts) on hand-written and generated
 * content streams; on a page Chromium printed: test/e2e/mark-artifacts-chromium.test.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { markArtifacts } from '../../src/print/pdf-update/mark-artifacts.js';
import { expectMarked, scan } from '../helpers/content-stream-scan.js';

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

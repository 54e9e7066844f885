import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { END, OPERAND, PdfDict, PdfLexer, PdfName, PdfOperator, PdfRef, PdfString, opCode, type PdfValue } from '../../src/pdf/pdf-syntax.js';

const tokens = (src: string): PdfValue[] => {
  const lexer = new PdfLexer(src);
  const out: PdfValue[] = [];
  for (let t = lexer.next(); t !== undefined; t = lexer.next()) out.push(t);
  return out;
};

describe('PdfLexer', () => {
  it('reads numbers in every PDF spelling, and words that only start like numbers as operators', () => {
    expect(tokens('12 -3 +4 .5 -.25 5. 0.125 1.5.3 12abc + -')).toEqual([
      12, -3, 4, 0.5, -0.25, 5, 0.125, new PdfOperator('1.5.3'), new PdfOperator('12abc'), new PdfOperator('+'), new PdfOperator('-'),
    ]);
  });

  it('ends a number at a delimiter', () => {
    expect(tokens('[1 2.5]/F1 12(x)')).toEqual([[1, 2.5], new PdfName('F1'), 12, new PdfString('x')]);
  });

  it('reads names with #xx escapes, literal strings with escapes and nesting, hex strings with spaces and an odd digit', () => {
    expect(tokens('/A#20B (a\\(b\\)c (nested) \\101\\n\\\nx) <48 65 6c6c6F> <7>')).toEqual([
      new PdfName('A B'),
      new PdfString('a(b)c (nested) A\nx'),
      new PdfString('Hello'),
      new PdfString('\x70'),
    ]);
  });

  it('reads dictionaries with references, booleans and null, and skips comments', () => {
    const [dict] = tokens('<< /Type /Page /Parent 3 0 R % a comment\n /Kids [4 0 R 5 0 R] /On true /Off false /None null >>');
    expect(dict).toBeInstanceOf(PdfDict);
    const d = dict as PdfDict;
    expect(d.get('Type')).toEqual(new PdfName('Page'));
    expect(d.get('Parent')).toEqual(new PdfRef(3));
    expect(d.get('Kids')).toEqual([new PdfRef(4), new PdfRef(5)]);
    expect([d.get('On'), d.get('Off'), d.get('None')]).toEqual([true, false, null]);
  });

  it('reads a content stream: operands, then their operator', () => {
    expect(tokens('BT /F1 9.5 Tf 1 0 0 -1 72 700 Tm [(He) -20 (llo)] TJ ET')).toEqual([
      new PdfOperator('BT'), new PdfName('F1'), 9.5, new PdfOperator('Tf'), 1, 0, 0, -1, 72, 700, new PdfOperator('Tm'),
      [new PdfString('He'), -20, new PdfString('llo')], new PdfOperator('TJ'), new PdfOperator('ET'),
    ]);
  });

  it('refuses what is not terminated', () => {
    expect(() => tokens('(open')).toThrow(/unterminated string/);
    expect(() => tokens('<< /A 1')).toThrow(/unterminated dictionary/);
    expect(() => tokens('[1 2')).toThrow(/unterminated array/);
    expect(() => tokens('<41')).toThrow(/unterminated hex string/);
  });

  it('reads a decimal to the same double as Number() does', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999_999 }), fc.integer({ min: 0, max: 9_999_999 }), fc.integer({ min: 0, max: 7 }), fc.boolean(), (whole, part, zeros, negative) => {
        const text = `${negative ? '-' : ''}${whole}.${'0'.repeat(zeros)}${part}`;
        expect(new PdfLexer(text).next()).toBe(Number(text));
      }),
      { seed: 5, numRuns: 2000 },
    );
    expect(new PdfLexer('0.1234567890123456789').next()).toBe(0.1234567890123456789);
  });
});

describe('PdfLexer.skipToken', () => {
  /** Steps through `src` as the content reader does: [where each token starts, what skipToken said]. */
  const steps = (src: string): Array<[number, number]> => {
    const lexer = new PdfLexer(src);
    const out: Array<[number, number]> = [];
    for (;;) {
      lexer.skipSpace();
      const start = lexer.pos;
      const kind = lexer.skipToken();
      if (kind === END) return out;
      out.push([start, kind]);
    }
  };

  it('steps over operands and names operators, token for token with next()', () => {
    const src = 'q 1 0 0 -1 0 842 cm /F1 9.5 Tf [(a\)b) -20 <00 41>] TJ /P <</MCID 0 /ActualText (x)>> BDC % note\n -.5 +3 l true null T* \' EMC Q';
    const reader = new PdfLexer(src);
    for (const [start, kind] of steps(src)) {
      reader.pos = start;
      const token = reader.next();
      if (kind === OPERAND) expect(token).not.toBeInstanceOf(PdfOperator);
      else expect(kind).toBe(opCode((token as PdfOperator).op));
    }
    expect(steps(src).filter(([, kind]) => kind !== OPERAND).map(([, kind]) => kind)).toEqual(
      ['q', 'cm', 'Tf', 'TJ', 'BDC', 'l', 'T*', "'", 'EMC', 'Q'].map((op) => opCode(op)),
    );
  });

  it('refuses what is not terminated, as next() does', () => {
    expect(() => steps('[1 2')).toThrow(/unterminated array/);
    expect(() => steps('<< /A (x')).toThrow(/unterminated string/);
    expect(() => steps('<41')).toThrow(/unterminated hex string/);
  });
});

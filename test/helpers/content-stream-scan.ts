/**
 * An independent reading of a content stream after markArtifacts: every token in order
 * (the artifact wrappers left out), painting left outside all marked content, and broken
 * nesting rules. Shared by the unit tests and the test on a page Chromium printed.
 */
import { expect } from 'vitest';
import { markArtifacts } from '../../src/print/pdf-update/mark-artifacts.js';
import { END, OPERAND, PdfLexer } from '../../src/pdf/pdf-syntax.js';

const PAINTING = new Set(['S', 's', 'f', 'F', 'f*', 'B', 'B*', 'b', 'b*', 'sh', 'Do', 'Tj', 'TJ', "'", '"', 'EI']);

export interface Scan {
  /** Every token but the /Artifact BMC … EMC that wrap, as written. */
  tokens: string[];
  /** Painting operators outside all marked content. */
  unmarked: string[];
  /** Broken rules, each said once. */
  faults: string[];
}

/** Reads a content stream without inline images (those are tested by hand above). */
export function scan(src: string): Scan {
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

export function expectMarked(before: string, after: string) {
  const b = scan(before);
  const a = scan(after);
  expect(a.unmarked).toEqual([]);
  expect(a.faults).toEqual([]);
  // Joined first: toEqual on a quarter of a million tokens takes seconds; it is for the diff.
  if (a.tokens.join('\n') !== b.tokens.join('\n')) expect(a.tokens).toEqual(b.tokens);
  expect(markArtifacts(after)).toBe(after);
}


/**
 * The PDF's text layer as patients' tools get it: what a search finds, a copy pastes and a
 * screen reader says. Every character of the page can be in the PDF and a word still be
 * broken for them: by a soft hyphen (U+00AD) left inside it, by a glyph with no Unicode
 * mapping (readers give U+0000), or by a space or a join where the page has none. The
 * safety texts, at least, must come back word for word.
 *
 * Measured on the shipped sheets (10 locales) with the reader the verifier uses, which
 * honours /ActualText: no soft hyphen, no unmapped glyph, every word of every safety
 * text whole. pdf.js, which ignores /ActualText, still loses Devanagari vowel signs
 * (a limit of pdf.js, not of the PDF); the tests measure it separately.
 */
import { HandoutError, type SourcePosition } from '../errors.js';
import type { SafetyTexts } from '../resolve/resolve-handout.js';

/** Characters that join a word to its neighbours: a match next to one is not the whole word. */
const JOINS = /[\p{L}\p{M}\p{N}\u00ad\u0000\u200c\u200d]/u;
/** Scripts written without spaces: a line may wrap inside a word, and words touch. */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const BREAK_BETWEEN_UNSPACED = new RegExp(`(?<=${UNSPACED.source})\\s+(?=${UNSPACED.source})`, 'gu');

/**
 * Soft hyphens and unmapped glyphs in the read-back text: either breaks a word for every
 * reader, wherever it is. Null when there are none.
 */
export function hiddenCharacters(readBack: string, locale: string, where: SourcePosition): HandoutError | null {
  const shy = count(readBack, '\u00ad');
  if (shy) {
    return new HandoutError('TEXT_LOST', 'softHyphens', { count: shy, hyphens: shy === 1 ? 'soft hyphen' : 'soft hyphens', example: around(readBack, '\u00ad'), locale }, { where });
  }
  const nul = count(readBack, '\u0000');
  if (nul) {
    return new HandoutError('TEXT_LOST', 'unmapped', { count: nul, glyphs: nul === 1 ? 'glyph' : 'glyphs', have: nul === 1 ? 'has' : 'have', example: around(readBack, '\u0000'), locale }, { where });
  }
  return null;
}

/**
 * The words of the safety texts that do not come back whole from the read-back text: split,
 * joined to a neighbour, or spelled with other characters. Null when every word does. A
 * word longer than its line, wrapped inside itself, counts as whole.
 */
export function brokenSafetyWords(readBack: string, safety: SafetyTexts, locale: string, where: SourcePosition): HandoutError | null {
  const text = readBack.normalize('NFC').replace(BREAK_BETWEEN_UNSPACED, '');
  const broken = new Set<string>();
  for (const needle of [...safety.warning, safety.painWarning, safety.disclaimer, ...safety.stopRules.map((r) => r.text)]) {
    for (const word of wordsOf(needle, locale)) {
      if (!broken.has(word) && !hasWord(text, word) && !hasWrappedWord(text, word)) broken.add(word);
    }
  }
  if (!broken.size) return null;
  const shown = [...broken].slice(0, 8).map((w) => `"${w}"`).join(', ');
  const words = broken.size === 1 ? 'word' : 'words';
  return new HandoutError('TEXT_LOST', 'brokenWords', { count: broken.size, words, do: broken.size === 1 ? 'does' : 'do', list: `${shown}${broken.size > 8 ? ', …' : ''}`, locale }, { where });
}

const segmenters = new Map<string, Intl.Segmenter>();

function wordsOf(text: string, locale: string): string[] {
  let segmenter = segmenters.get(locale);
  if (!segmenter) segmenters.set(locale, (segmenter = new Intl.Segmenter(locale, { granularity: 'word' })));
  const words: string[] = [];
  for (const s of segmenter.segment(text.normalize('NFC'))) if (s.isWordLike) words.push(s.segment);
  return words;
}

/** Whether `word` occurs in `text` as a whole word (in unspaced scripts: anywhere). */
function hasWord(text: string, word: string): boolean {
  const whole = !UNSPACED.test(word);
  for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
    if (!whole) return true;
    const before = i > 0 ? String.fromCodePoint(text.codePointAt(i - 1)!) : '';
    const after = text.slice(i + word.length, i + word.length + 1);
    if (joins(before) || joins(after)) continue;
    return true;
  }
  return false;
}

/**
 * A word longer than its line wraps inside itself (overflow-wrap), with nothing added: read
 * across its line breaks, it is whole.
 */
function hasWrappedWord(text: string, word: string): boolean {
  if (!text.includes('\n')) return false;
  const pattern = new RegExp([...word].map((ch) => ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\n?'), 'gu');
  for (const match of text.matchAll(pattern)) {
    if (!match[0].includes('\n')) continue;
    const i = match.index;
    const before = i > 0 ? String.fromCodePoint(text.codePointAt(i - 1)!) : '';
    const after = text.slice(i + match[0].length, i + match[0].length + 1);
    if (!joins(before) && !joins(after)) return true;
  }
  return false;
}

function joins(ch: string): boolean {
  return ch !== '' && JOINS.test(ch) && !UNSPACED.test(ch);
}

function count(text: string, ch: string): number {
  let n = 0;
  for (let i = text.indexOf(ch); i >= 0; i = text.indexOf(ch, i + 1)) n++;
  return n;
}

/** A few characters either side of the first `ch`, with it shown as a visible mark. */
function around(text: string, ch: string): string {
  const at = text.indexOf(ch);
  const mark = ch === '\u00ad' ? '\u2010' : '\u25af';
  return [...text.slice(Math.max(0, at - 12), at + 12)].join('').replace(/\s+/g, ' ').replaceAll(ch, mark).trim();
}

/**
 * At what size is each text printed? Reads PDFs with pdfminer.six (type-sizes.py beside this
 * file, run by a Python that has Debian's python3-pdfminer), independently of the tool's own
 * PDF reader, and finds given strings (a handout's steps, warning, tips…) on the page with
 * the size of every character printed for them.
 *
 * How strings are found. type-sizes.py returns each page's lines in reading order, as glyph
 * units with their sizes, Arabic lines already in logical order and Arabic/Devanagari
 * clusters spelled out from /ActualText (see its header). Here every unit is put in the
 * comparison form (NFKD; whitespace, hyphens, soft hyphens and other format characters such
 * as bidi marks removed — hyphenation adds hyphens and cuts words into runs, and line breaks
 * fall anywhere, between Chinese characters too) and the units of all lines of all pages are
 * joined into one stream, each character keeping its glyph's size. A string, in the same
 * form, is then looked up in that stream:
 *   - exact: it occurs as a whole (wrapped lines follow each other in the stream, and list
 *     numbers, "Caution:" leads or "—" separators around it do not matter). Its size is the
 *     smallest over every occurrence (a short exercise name may also appear inside a step;
 *     counting every place errs towards a smaller size, never a larger one).
 *   - pieces: otherwise it is cut greedily into the longest pieces that occur in the stream
 *     (the next occurrence after the previous piece preferred), which survives lines that
 *     come out in another order (two columns, bidi). Only pieces of MIN_PIECE characters or
 *     more count, for the size and as found: a two-letter piece could be anywhere on the page.
 *   - missing: less than MIN_COVERAGE of its characters were found in such pieces. The
 *     string is not (readably) on the page: callers must treat that as a failure, not as
 *     "no small text".
 * Limits: a string printed twice is measured at its smaller size; a string that is not on
 * the page but whose words all are (in pieces of MIN_PIECE characters or more) counts as
 * found; characters in pieces shorter than MIN_PIECE (up to 1 − MIN_COVERAGE of a string)
 * are not measured; text drawn as paths or pictures (an SVG's outlines) is invisible here,
 * and so is text smaller than pdfminer's 0.01 pt rounding would show.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'type-sizes.py');

/** Pieces shorter than this are not trusted to be the string's own characters. */
export const MIN_PIECE = 4;
/** A string counts as found when at least this share of it is found in trusted pieces. */
export const MIN_COVERAGE = 0.9;

export interface PdfLine {
  page: number;
  /** The line's text in logical order, without whitespace. */
  text: string;
  min: number;
  max: number;
  rtl: boolean;
}

export interface PdfTypeSizes {
  pages: Array<{ width: number; height: number }>;
  lines: PdfLine[];
  /** Comparison-form characters of the whole document in reading order, and their sizes. */
  stream: string;
  sizes: number[];
}

export interface StringSize {
  text: string;
  /** Smallest size of any of its characters that were found; null when missing. */
  size: number | null;
  found: 'exact' | 'pieces' | 'missing';
  /** Share of its comparison-form characters found (1 for exact). */
  coverage: number;
}

/** The comparison form: see the header. */
export function comparable(text: string): string {
  return text.normalize('NFKD').replace(/[-\u2010\u2011\p{Cf}\s]/gu, '');
}

let python: string | undefined;
/** A Python that can import pdfminer: $HANDOUT_PYTHON, Debian's /usr/bin/python3, python3. */
export function pdfminerPython(): string {
  if (python) return python;
  const tried: string[] = [];
  for (const candidate of [process.env.HANDOUT_PYTHON, '/usr/bin/python3', 'python3']) {
    if (!candidate) continue;
    try {
      execFileSync(candidate, ['-c', 'import pdfminer.high_level'], { stdio: 'ignore' });
      return (python = candidate);
    } catch {
      tried.push(candidate);
    }
  }
  throw new Error(`no Python with pdfminer (tried ${tried.join(', ')}): install Debian's python3-pdfminer (scripts/setup.sh does) or set HANDOUT_PYTHON`);
}

interface RawPage {
  width: number;
  height: number;
  lines: Array<{ rtl: boolean; units: Array<[string, number]> }>;
}

/** Reads many PDFs in one Python process (its start-up and imports cost ~0.3 s). */
export function readTypeSizes(pdfs: string[]): Map<string, PdfTypeSizes> {
  const result = new Map<string, PdfTypeSizes>();
  if (pdfs.length === 0) return result;
  const json = execFileSync(pdfminerPython(), [SCRIPT, ...pdfs], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const raw = JSON.parse(json) as Record<string, RawPage[]>;
  for (const pdf of pdfs) result.set(pdf, fromRaw(raw[pdf]!));
  return result;
}

export function readTypeSize(pdf: string): PdfTypeSizes {
  return readTypeSizes([pdf]).get(pdf)!;
}

function fromRaw(pages: RawPage[]): PdfTypeSizes {
  const lines: PdfLine[] = [];
  let stream = '';
  const sizes: number[] = [];
  pages.forEach((page, index) => {
    for (const line of page.lines) {
      let text = '';
      let min = Infinity;
      let max = -Infinity;
      for (const [unit, size] of line.units) {
        // Every glyph counts for the line's sizes, also the silent ones of an ActualText span.
        min = Math.min(min, size);
        max = Math.max(max, size);
        const chars = comparable(unit);
        text += chars;
        stream += chars;
        for (let i = 0; i < chars.length; i++) sizes.push(size);
      }
      lines.push({ page: index + 1, text, min, max, rtl: line.rtl });
    }
  });
  return { pages: pages.map(({ width, height }) => ({ width, height })), lines, stream, sizes };
}

function minSize(doc: PdfTypeSizes, from: number, length: number): number {
  let min = Infinity;
  for (let i = from; i < from + length; i++) min = Math.min(min, doc.sizes[i]!);
  return min;
}

/** Where and at what size `text` is printed: see the header. */
export function sizeOfString(doc: PdfTypeSizes, text: string): StringSize {
  const target = comparable(text);
  if (target === '') return { text, size: null, found: 'missing', coverage: 0 };
  let size = Infinity;
  for (let at = doc.stream.indexOf(target); at >= 0; at = doc.stream.indexOf(target, at + 1)) {
    size = Math.min(size, minSize(doc, at, target.length));
  }
  if (size !== Infinity) return { text, size, found: 'exact', coverage: 1 };

  let covered = 0;
  let next = 0;
  for (let i = 0; i < target.length; ) {
    // The longest piece starting at i that occurs somewhere (occurring is monotone in length).
    let lo = 0;
    let hi = target.length - i;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (doc.stream.includes(target.slice(i, i + mid))) lo = mid;
      else hi = mid - 1;
    }
    if (lo >= MIN_PIECE) {
      const piece = target.slice(i, i + lo);
      const after = doc.stream.indexOf(piece, next);
      const at = after >= 0 ? after : doc.stream.indexOf(piece);
      size = Math.min(size, minSize(doc, at, lo));
      covered += lo;
      next = at + lo;
      i += lo;
    } else {
      i += 1;
    }
  }
  const coverage = covered / target.length;
  return coverage >= MIN_COVERAGE
    ? { text, size, found: 'pieces', coverage }
    : { text, size: null, found: 'missing', coverage };
}

export interface SmallestOfStrings {
  /** The smallest size of any character of the strings found; null when none was found. */
  size: number | null;
  /** The string printed at that size. */
  smallest: StringSize | null;
  all: StringSize[];
  missing: StringSize[];
}

/**
 * The smallest size at which any character of `strings` is printed in the PDF, with every
 * string's own size and the strings that could not be found (see the header).
 */
export function smallestSizeOfStrings(pdf: string | PdfTypeSizes, strings: string[]): SmallestOfStrings {
  const doc = typeof pdf === 'string' ? readTypeSize(pdf) : pdf;
  const all = strings.map((s) => sizeOfString(doc, s));
  let smallest: StringSize | null = null;
  for (const s of all) if (s.size !== null && (smallest === null || s.size < smallest.size!)) smallest = s;
  return { size: smallest?.size ?? null, smallest, all, missing: all.filter((s) => s.found === 'missing') };
}

/** The smallest size of any glyph on any page, and the lines printed at it. */
export function smallestOnPage(pdf: string | PdfTypeSizes): { size: number; lines: PdfLine[] } {
  const doc = typeof pdf === 'string' ? readTypeSize(pdf) : pdf;
  const size = Math.min(...doc.lines.map((l) => l.min));
  return { size, lines: doc.lines.filter((l) => l.min === size) };
}

export interface HandoutText {
  /** Where the text comes from, e.g. "exercises[2].steps[0]" or "pain_warning (locale default)". */
  field: string;
  text: string;
  /** Safety texts: the warning, cautions, "Stop if you feel pain.", pain warning, disclaimer. */
  safety: boolean;
}

/**
 * The body and safety texts of a handout as the page prints them: its steps, exercise names,
 * warning, cautions, considerations, alternatives and summary, and from the locale's catalog
 * (`templatesDir`/locales/<locale>.yaml, English where it lacks a string) "Stop if you feel
 * pain.", the pain warning's heading, and the default pain warning and disclaimer unless the
 * handout has its own. Headings printed larger than body text are included too: they must
 * not be smaller either.
 */
export async function handoutTexts(handoutFile: string, templatesDir: string): Promise<HandoutText[]> {
  const { readFile } = await import('node:fs/promises');
  const { parse } = await import('yaml');
  const locale = path.basename(path.dirname(handoutFile));
  const catalog = async (name: string): Promise<Record<string, unknown>> => {
    try {
      return parse(await readFile(path.join(templatesDir, 'locales', `${name}.yaml`), 'utf8')) as Record<string, unknown>;
    } catch {
      return {};
    }
  };
  const [own, english] = await Promise.all([catalog(locale), catalog('en')]);
  const ui = (key: string): string => String(own[key] ?? english[key]);
  interface Titled { title: string; text: string }
  type Exercise = { name: string; steps: string[]; caution?: string; stop_rule?: string };
  const h = parse(await readFile(handoutFile, 'utf8')) as {
    summary?: string;
    warning: Titled;
    exercises: Array<Exercise | ({ exercise: string } & Partial<Exercise>)>;
    considerations?: Titled[];
    alternatives?: Titled[];
    region?: string;
    stop_rule?: string;
    pain_warning?: string;
    disclaimer?: string;
  };
  const out: HandoutText[] = [];
  const add = (field: string, text: string | undefined, safety: boolean) => {
    if (text === undefined || text.trim() === '' || out.some((o) => o.field === field && o.text === text)) return;
    out.push({ field, text, safety });
  };
  add('warning.title', h.warning.title, true);
  add('warning.text', h.warning.text, true);
  add('summary', h.summary, false);
  // A reference to the exercise library (content/exercises/<locale>/<id>.yaml), read here
  // on its own, with the handout's overrides over it.
  const exercises: Exercise[] = await Promise.all(
    h.exercises.map(async (entry) => {
      if (!('exercise' in entry)) return entry as Exercise;
      const file = path.join(path.dirname(path.dirname(handoutFile)), 'exercises', locale, `${entry.exercise}.yaml`);
      const { exercise: _id, ...overrides } = entry;
      return { ...(parse(await readFile(file, 'utf8')) as Exercise), ...overrides };
    }),
  );
  exercises.forEach((e, i) => {
    add(`exercises[${i}].name`, e.name, false);
    e.steps.forEach((s, j) => add(`exercises[${i}].steps[${j}]`, s, false));
    add(`exercises[${i}].caution`, e.caution, true);
    const rule = e.stop_rule ?? h.stop_rule;
    add(rule ? `exercises[${i}].stop_rule` : 'stop_if_pain (catalog)', rule ?? ui('stop_if_pain'), true);
  });
  for (const kind of ['considerations', 'alternatives'] as const) {
    (h[kind] ?? []).forEach((c, i) => {
      // As printed, "title — text": a short title alone ("Pain") is also found inside other
      // text ("Back Pain Relief", the 10 pt category label) and would be measured there.
      add(`${kind}[${i}]`, `${c.title} — ${c.text}`, false);
    });
  }
  add('pain_warning_title (catalog)', ui('pain_warning_title'), true);
  const redFlags = (own.red_flags ?? english.red_flags) as Record<string, string> | undefined;
  const defaultPainWarning = [ui('default_pain_warning'), h.region && redFlags?.[h.region]].filter(Boolean).join(/[。！？]$/u.test(ui('default_pain_warning')) ? '' : ' ');
  add(h.pain_warning ? 'pain_warning' : 'pain_warning (locale default)', h.pain_warning ?? defaultPainWarning, true);
  add(h.disclaimer ? 'disclaimer' : 'disclaimer (locale default)', h.disclaimer ?? ui('default_disclaimer'), true);
  return out;
}

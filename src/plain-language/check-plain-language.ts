/**
 * The authoring check of `handout check`: a handout's reading grade and its plain-language
 * findings, each a positioned warning with a hint. Printed by check only: build prints
 * sheets, and a clinician writing a sheet is the one who can act on these.
 */
import type { PlacedExercise } from '../content/exercise-library.js';
import type { ValidHandoutData } from '../content/handout-schema.js';
import { HandoutError } from '../errors.js';
import {
  invisibleCharacters,
  longSentences,
  pastedNumbering,
  shoutedCapitals,
  stepWithoutAction,
} from './detect-text-problems.js';
import { GRADED_KINDS, handoutTexts, LIST_KINDS, sectionOf, type HandoutText } from './handout-texts.js';
import { charPosition, fieldPosition, snippetPosition, type YamlSource } from './locate-text.js';
import { countSentence, measureReadingGrade, type CountedSentence, type Measured, type ReadingGrade } from './measure-reading-grade.js';
import { sentencesOf } from './segment-text.js';

/** The clinic's target when clinic.yaml sets none: "below the 8th grade level" (see docs, HEALTH-LITERACY.md). */
export const DEFAULT_READING_GRADE = 8;

/**
 * A part of the sheet is graded on its own only from this many words: on fewer, one long
 * word moves a formula by grades (SMOG jumps from 3.1 to 8.8 for one word of three
 * syllables in a sentence). Shorter parts still count in the whole sheet's grade.
 */
export const MIN_SECTION_WORDS = 30;

export interface SectionGrade {
  /** "warning", "exercises[0]", "considerations" */
  section: string;
  words: number;
  reading: ReadingGrade;
}

export interface PlainLanguageReport {
  locale: string;
  target: number;
  /** The whole sheet's grade. */
  reading: ReadingGrade;
  /** Each part's own grade (parts of at least MIN_SECTION_WORDS words). */
  sections: SectionGrade[];
  /** Warnings, in file order. */
  findings: HandoutError[];
}

export interface PlainLanguageInput {
  /** How the sheet is named in messages, e.g. "en/lower-back-relief". */
  name?: string;
  data: ValidHandoutData;
  source: YamlSource;
  locale: string;
  /**
   * The exercises as printed, library references placed (ExerciseLibrary.place): their
   * texts are graded and checked like inline ones, and findings point into the library
   * file. Without them, only exercises written inline are read.
   */
  exercises?: readonly PlacedExercise[];
}

/** Where a text of the sheet is written: the handout, or the library file of an exercise it uses. */
type Locate = (path: ReadonlyArray<string | number>) => [YamlSource, Array<string | number>];

function locator(input: PlainLanguageInput): Locate {
  return (path) => {
    const placed = path[0] === 'exercises' && typeof path[1] === 'number' && typeof path[2] === 'string' ? input.exercises?.[path[1]] : undefined;
    if (!placed?.libraryFile) return [input.source, [...path]];
    const at = placed.at(path[2] as string);
    return [{ yaml: at.yaml, text: at.yaml.text ?? null }, [...at.path, ...path.slice(3)]];
  };
}

interface Sentence extends CountedSentence {
  text: string;
  field: string;
  path: Array<string | number>;
  section: string;
}

export function checkPlainLanguage(input: PlainLanguageInput, target = DEFAULT_READING_GRADE): PlainLanguageReport {
  const { data, locale } = input;
  const texts = handoutTexts(data, input.exercises?.map((e) => e.data));
  const locate = locator(input);
  const sentences: Sentence[] = texts
    .filter((t) => GRADED_KINDS.has(t.kind))
    .flatMap((t) => sentencesOf(t.text, locale).map((s) => ({ ...countSentence(s, locale), field: t.field, path: t.path, section: sectionOf(t.path) })));
  const reading = measureReadingGrade(sentences, locale);
  const sections = sectionGrades(sentences, locale);
  const findings = [
    ...texts.flatMap((t) => textFindings(t, locale, locate)),
    ...readingLevelFinding(input, reading, sections, sentences, target, locate),
  ];
  findings.sort((a, b) => (a.where?.line ?? 0) - (b.where?.line ?? 0) || (a.where?.col ?? 0) - (b.where?.col ?? 0));
  return { locale, target, reading, sections, findings };
}

function sectionGrades(sentences: readonly Sentence[], locale: string): SectionGrade[] {
  const names = [...new Set(sentences.map((s) => s.section))];
  return names.flatMap((section) => {
    const own = sentences.filter((s) => s.section === section);
    const words = own.reduce((n, s) => n + s.words.length, 0);
    return words >= MIN_SECTION_WORDS ? [{ section, words, reading: measureReadingGrade(own, locale) }] : [];
  });
}

/** The findings a rule can see in one text. */
function textFindings(t: HandoutText, locale: string, locate: Locate): HandoutError[] {
  const out: HandoutError[] = [];
  const [source, path] = locate(t.path);
  const field = t.field;

  for (const c of invisibleCharacters(t.text)) {
    const place = c.after ? ` after "${c.after}"` : ' at the start';
    out.push(new HandoutError('INVISIBLE_CHARACTER', 'invisible', { field, name: c.name, place }, { where: charPosition(source, path, c.char) }));
  }
  if (LIST_KINDS.has(t.kind)) {
    const marker = pastedNumbering(t.text);
    const item = t.kind === 'step' ? 'step' : 'list item';
    if (marker) out.push(new HandoutError('PASTED_NUMBERING', 'pasted', { field, item, marker }, { where: fieldPosition(source, path) }));
  }
  if (t.kind === 'step') {
    const first = stepWithoutAction(t.text, locale);
    if (first) out.push(new HandoutError('STEP_NOT_ACTION', 'notAction', { field, start: quoteStart(t.text, 8), first }, { where: fieldPosition(source, path) }));
  }
  if (t.kind !== 'label' && t.kind !== 'item-title') {
    for (const long of longSentences(t.text, locale)) {
      const where = snippetPosition(source, path, firstWords(long.sentence, 3));
      out.push(new HandoutError('LONG_SENTENCE', 'long', { field, words: long.words, start: quoteStart(long.sentence, 8) }, { where }));
    }
  }
  for (const caps of shoutedCapitals(t.text, locale)) {
    out.push(new HandoutError('ALL_CAPS', 'capitals', { field, words: caps }, { where: snippetPosition(source, path, caps) }));
  }
  return out;
}

/**
 * One warning per sheet whose grade is above the target, in the whole or in any part
 * long enough to be graded: the sheet, the grade, the target, the parts above it, and the
 * sentences and words that raise the grade most. Grades are compared as shown, to one
 * decimal.
 */
function readingLevelFinding(
  input: PlainLanguageInput,
  reading: ReadingGrade,
  sections: readonly SectionGrade[],
  sentences: readonly Sentence[],
  target: number,
  locate: Locate,
): HandoutError[] {
  if (!reading.measured) return [];
  const over = sections
    .filter((s): s is SectionGrade & { reading: Measured } => s.reading.measured && s.reading.grade > target)
    .sort((a, b) => b.reading.grade - a.reading.grade);
  const wholeOver = reading.grade > target;
  if (!wholeOver && over.length === 0) return [];
  const sheet = input.name ?? 'the sheet';
  const parts = over.map((s) => `${s.section} (${gradeBrief(s.reading)})`);
  const groups = wholeOver ? [sentences] : over.map((o) => sentences.filter((s) => s.section === o.section));
  const hardest = raisingMost(groups, input.locale, 2);
  const words = longestWords(groups.flat(), 4);
  // The optional clauses are worded here: each is there only when it has something to name.
  const clauses = {
    sheet,
    grade: gradePhrase(reading),
    target,
    sentences: hardest.length ? `. The sentences that raise it most: ${hardest.map((s) => `"${quoteStart(s.text, 10)}" (${s.field}, ${plural(s.words.length, 'word')})`).join('; ')}` : '',
    longWords: words.length ? `. Long words: ${words.join(', ')}` : '',
  };
  const at = hardest[0] ? snippetPosition(...locate(hardest[0].path), firstWords(hardest[0].text, 3)) : fieldPosition(input.source, []);
  return [
    wholeOver
      ? new HandoutError('READING_LEVEL', 'wholeOver', { ...clauses, mostIn: parts.length ? `, most in ${andList(parts)}` : '' }, { where: at })
      : new HandoutError('READING_LEVEL', 'partsOver', { ...clauses, parts: andList(parts) }, { where: at }),
  ];
}

/** "grade 11.2 (SMOG)", or "grades 9–11 (Flesch (Martins et al.) ease 41)" for a band. */
export function gradePhrase(r: Measured): string {
  const main = r.scores.find((s) => s.formula === r.formula)!;
  if (main.kind === 'ease') return `${r.gradeText.includes('–') ? 'grades' : 'grade'} ${r.gradeText} (${r.formula} ease ${main.value})`;
  return `grade ${r.gradeText} (${r.formula})`;
}

/** "grade 11.2, SMOG", or "grades 9–11, Flesch (Martins et al.) ease 41". */
function gradeBrief(r: Measured): string {
  const main = r.scores.find((s) => s.formula === r.formula)!;
  const grade = `${r.gradeText.includes('–') ? 'grades' : 'grade'} ${r.gradeText}`;
  return main.kind === 'ease' ? `${grade}, ${r.formula} ease ${main.value}` : `${grade}, ${r.formula}`;
}

function andList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)!}`;
}

/**
 * The sentences that raise the grade most: those whose removal would lower their part's
 * score most (its grade, or its ease for an ease formula), so what is named is what the
 * formula actually weighs (long sentences, words of many syllables), largest drop first.
 */
function raisingMost(groups: ReadonlyArray<readonly Sentence[]>, locale: string, n: number): Sentence[] {
  const ranked: Array<{ s: Sentence; drop: number }> = [];
  for (const group of groups) {
    const all = measureReadingGrade(group, locale);
    if (!all.measured || group.length < 2) continue;
    for (const s of group) {
      const without = measureReadingGrade(
        group.filter((o) => o !== s),
        locale,
      );
      if (without.measured) ranked.push({ s, drop: difficulty(all) - difficulty(without) });
    }
  }
  return ranked
    .sort((a, b) => b.drop - a.drop || b.s.words.length - a.s.words.length)
    .filter((r) => r.drop > 0)
    .slice(0, n)
    .map((r) => r.s);
}

/** One number that rises with difficulty: the grade, or minus the ease. */
function difficulty(r: Measured): number {
  const main = r.scores.find((s) => s.formula === r.formula)!;
  return main.kind === 'ease' ? -main.value : r.grade;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The words of the most syllables (3 or more), each once, longest first. */
function longestWords(sentences: readonly Sentence[], n: number): string[] {
  const seen = new Map<string, { word: string; syllables: number }>();
  for (const s of sentences) {
    s.words.forEach((w, i) => {
      const syllables = s.syllables[i] ?? 1;
      const key = w.toLowerCase();
      if (syllables >= 3 && !seen.has(key)) seen.set(key, { word: w, syllables });
    });
  }
  return [...seen.values()]
    .sort((a, b) => b.syllables - a.syllables || b.word.length - a.word.length)
    .slice(0, n)
    .map((w) => w.word);
}

/** The first `n` words of a sentence, with "…" when it goes on. */
function quoteStart(sentence: string, n: number): string {
  const words = sentence.trim().split(/\s+/);
  return words.length <= n ? sentence.trim() : `${words.slice(0, n).join(' ')}…`;
}

function firstWords(sentence: string, n: number): string {
  return sentence.trim().split(/\s+/).slice(0, n).join(' ');
}

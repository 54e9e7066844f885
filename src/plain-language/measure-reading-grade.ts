/**
 * The reading grade of a set of sentences in one language: the formulas published for
 * that language (readability-formulas.ts), and for ease scores the school grade from the
 * formula's own band table. Languages without a formula built in are "not measured": a
 * number from another language's formula would be made up.
 */
import { canCountSyllables, countSyllables } from './count-syllables.js';
import {
  amstad,
  easeBand,
  FERNANDEZ_HUERTA_BANDS,
  fernandezHuerta,
  FLESCH_BANDS,
  fleschKincaidGrade,
  fleschMartins,
  kandelMoles,
  MARTINS_BANDS,
  smogGrade,
  wienerSachtextformel,
  type EaseBand,
  type TextCounts,
} from './readability-formulas.js';
import { languageOf, wordsOf } from './segment-text.js';

/** One sentence as counted: its words and each word's syllables. */
export interface CountedSentence {
  text: string;
  words: string[];
  syllables: number[];
}

export interface Score {
  /** "Flesch–Kincaid", "SMOG", "Fernández-Huerta", … */
  formula: string;
  value: number;
  /** A school grade, or a Flesch-type ease score (0 hard … 100 easy). */
  kind: 'grade' | 'ease';
  /** For an ease score: the band of the formula's table it falls in. */
  band?: { label: string; grades: readonly [number, number] };
}

export interface Measured {
  measured: true;
  language: string;
  /**
   * The grade compared with the clinic's target. English: the higher of Flesch–Kincaid and
   * SMOG. An ease score: the lowest grade of its band, since a band is a range and the text
   * is above the target only when the whole band is.
   */
  grade: number;
  /** How the grade is shown: "6.1", or a band's "7–8". */
  gradeText: string;
  /** The formula the grade comes from. */
  formula: string;
  scores: Score[];
  counts: TextCounts;
}

export interface NotMeasured {
  measured: false;
  language: string;
  reason: string;
}

export type ReadingGrade = Measured | NotMeasured;

/** The language's formulas, applied to counts. */
type Formulas = (counts: TextCounts) => { grade: number; gradeText: string; formula: string; scores: Score[] };

const round1 = (n: number) => Math.round(n * 10) / 10;

function fromEase(formula: string, score: number, bands: readonly EaseBand[]): ReturnType<Formulas> {
  const band = easeBand(score, bands);
  const [lo, hi] = band.grades;
  return {
    grade: lo,
    gradeText: lo === hi ? String(lo) : `${lo}–${hi}`,
    formula,
    scores: [{ formula, value: round1(score), kind: 'ease', band: { label: band.label, grades: band.grades } }],
  };
}

const FORMULAS: Record<string, Formulas> = {
  en: (c) => {
    const fk = fleschKincaidGrade(c);
    const smog = smogGrade(c);
    return {
      grade: round1(Math.max(fk, smog)),
      gradeText: round1(Math.max(fk, smog)).toFixed(1),
      formula: fk >= smog ? 'Flesch–Kincaid' : 'SMOG',
      scores: [
        { formula: 'Flesch–Kincaid', value: round1(fk), kind: 'grade' },
        { formula: 'SMOG', value: round1(smog), kind: 'grade' },
      ],
    };
  },
  es: (c) => fromEase('Fernández-Huerta', fernandezHuerta(c), FERNANDEZ_HUERTA_BANDS),
  fr: (c) => fromEase('Kandel–Moles', kandelMoles(c), FLESCH_BANDS),
  pt: (c) => fromEase('Flesch (Martins et al.)', fleschMartins(c), MARTINS_BANDS),
  de: (c) => {
    const wstf = wienerSachtextformel(c);
    const ease = amstad(c);
    return {
      grade: round1(wstf),
      gradeText: round1(wstf).toFixed(1),
      formula: 'Wiener Sachtextformel',
      scores: [
        { formula: 'Wiener Sachtextformel', value: round1(wstf), kind: 'grade' },
        { formula: 'Amstad', value: round1(ease), kind: 'ease' },
      ],
    };
  },
};

/**
 * Why a language has no grade. Russian has Flesch adaptations (Oborneva 2006), but they
 * are quoted with two different sets of coefficients (1.3/60.1 and 1.52/65.14), so none is
 * built in; the others have no Flesch-type formula in common use that this tool could
 * count syllables for.
 */
function notMeasuredReason(language: string): string {
  if (language === 'ru') return 'the published Russian adaptations of Flesch disagree on their coefficients';
  return 'no published reading-grade formula is built in for this language';
}

export function isMeasurable(locale: string): boolean {
  const language = languageOf(locale);
  return language in FORMULAS && canCountSyllables(locale);
}

/** Counts one sentence's words and syllables. */
export function countSentence(text: string, locale: string): CountedSentence {
  const words = wordsOf(text, locale);
  return { text, words, syllables: isMeasurable(locale) ? words.map((w) => countSyllables(w, locale)) : [] };
}

export function countsOf(sentences: readonly CountedSentence[]): TextCounts {
  const counts: TextCounts = { sentences: 0, words: 0, syllables: 0, polysyllables: 0, monosyllables: 0, longWords: 0 };
  for (const s of sentences) {
    if (s.words.length === 0) continue;
    counts.sentences++;
    s.words.forEach((word, i) => {
      const syllables = s.syllables[i] ?? 1;
      counts.words++;
      counts.syllables += syllables;
      if (syllables >= 3) counts.polysyllables++;
      if (syllables === 1) counts.monosyllables++;
      if ([...word].length > 6) counts.longWords++;
    });
  }
  return counts;
}

/** The reading grade of these sentences (of one language). */
export function measureReadingGrade(sentences: readonly CountedSentence[], locale: string): ReadingGrade {
  const language = languageOf(locale);
  const formulas = FORMULAS[language];
  if (!formulas || !canCountSyllables(locale)) return { measured: false, language, reason: notMeasuredReason(language) };
  const counts = countsOf(sentences);
  if (counts.words === 0) return { measured: false, language, reason: 'there is no text to measure' };
  return { measured: true, language, ...formulas(counts), counts };
}

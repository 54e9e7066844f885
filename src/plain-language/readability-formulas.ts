/**
 * The published readability formulas, as pure functions of counts, each with where its
 * coefficients come from. Counting (sentences, words, syllables) is done elsewhere, so
 * that each formula can be checked against its published worked examples.
 *
 * A formula is an indicator, never proof: short sentences of hard words can still score
 * well. They are calibrated on running prose, and a sheet of short steps is not quite that.
 */

/** What every formula is computed from. */
export interface TextCounts {
  sentences: number;
  words: number;
  syllables: number;
  /** Words of 3 or more syllables ("polysyllables" in SMOG, "MS" in the Wiener Sachtextformel). */
  polysyllables: number;
  /** Words of 1 syllable ("ES"). */
  monosyllables: number;
  /** Words of more than 6 letters ("IW"). */
  longWords: number;
}

const asl = (c: TextCounts) => c.words / c.sentences;
const asw = (c: TextCounts) => c.syllables / c.words;
const percent = (n: number, c: TextCounts) => (100 * n) / c.words;

/**
 * Flesch–Kincaid grade level: 0.39 × words/sentence + 11.8 × syllables/word − 15.59.
 * Kincaid, Fishburne, Rogers & Chissom (1975), "Derivation of new readability formulas …
 * for Navy enlisted personnel", Research Branch Report 8-75, Naval Technical Training
 * Command. A US school grade.
 */
export function fleschKincaidGrade(c: TextCounts): number {
  return 0.39 * asl(c) + 11.8 * asw(c) - 15.59;
}

/**
 * SMOG grade: 1.0430 × √(polysyllables × 30 / sentences) + 3.1291.
 * McLaughlin (1969), "SMOG grading — a new readability formula", Journal of Reading 12(8):
 * 639–646; the regression form with the 30-sentence normalisation as in textstat. It
 * predicts the grade for full understanding (Flesch–Kincaid's criterion is lower), which is
 * why health-literacy guidance favours it for patient material. A US school grade.
 */
export function smogGrade(c: TextCounts): number {
  return 1.043 * Math.sqrt((c.polysyllables * 30) / c.sentences) + 3.1291;
}

/**
 * Flesch Reading Ease (English): 206.835 − 1.015 × words/sentence − 84.6 × syllables/word.
 * Flesch (1948), "A new readability yardstick", Journal of Applied Psychology 32(3): 221–233.
 */
export function fleschReadingEase(c: TextCounts): number {
  return 206.835 - 1.015 * asl(c) - 84.6 * asw(c);
}

/**
 * Spanish, Fernández-Huerta (1959) lecturabilidad: 206.84 − 0.60 × P − 1.02 × F, with P
 * the syllables per 100 words and F the words per sentence, i.e.
 * 206.84 − 60 × syllables/word − 1.02 × words/sentence. Fernández Huerta, "Medidas
 * sencillas de lecturabilidad", Consigna 214: 29–32; F as words per sentence following
 * the correction in Law (2011), "Error in the Fernández Huerta readability formula" (as
 * legible.es and textstat use it; the often-quoted "sentences per 100 words" makes more
 * sentences read as harder).
 */
export function fernandezHuerta(c: TextCounts): number {
  return 206.84 - 60 * asw(c) - 1.02 * asl(c);
}

/**
 * French, Kandel & Moles (1958): 207 − 1.015 × words/sentence − 73.6 × syllables/word.
 * Kandel & Moles, "Application de l'indice de Flesch à la langue française", Cahiers
 * d'études de radio-télévision 19: 253–274 (the coefficients textstat uses for fr).
 */
export function kandelMoles(c: TextCounts): number {
  return 207 - 1.015 * asl(c) - 73.6 * asw(c);
}

/**
 * Brazilian Portuguese, Flesch adapted by Martins, Ghiraldelo, Nunes & Oliveira Jr. (1996),
 * "Readability formulas applied to textbooks in Brazilian Portuguese", Notas do ICMC-USP
 * 28: Flesch's formula with the constant raised by 42, 248.835 − 1.015 × words/sentence −
 * 84.6 × syllables/word, since Portuguese words have more syllables than English ones.
 */
export function fleschMartins(c: TextCounts): number {
  return 248.835 - 1.015 * asl(c) - 84.6 * asw(c);
}

/**
 * German, Amstad (1978): 180 − words/sentence − 58.5 × syllables/word. Amstad, "Wie
 * verständlich sind unsere Zeitungen?", dissertation, Universität Zürich. Shown beside the
 * Wiener Sachtextformel, which gives the grade.
 */
export function amstad(c: TextCounts): number {
  return 180 - asl(c) - 58.5 * asw(c);
}

/**
 * German, first Wiener Sachtextformel (for non-fiction): 0.1935 × MS + 0.1672 × SL +
 * 0.1297 × IW − 0.0327 × ES − 0.875, with MS the % of words of 3+ syllables, SL words per
 * sentence, IW the % of words over 6 letters, ES the % of one-syllable words. Bamberger &
 * Vanecek (1984), "Lesen – Verstehen – Lernen – Schreiben", Diesterweg; coefficients as in
 * de.wikipedia "Lesbarkeitsindex" and textstat. It gives a school grade directly (4 very
 * easy … 15 very hard), no band table needed.
 */
export function wienerSachtextformel(c: TextCounts): number {
  return (
    0.1935 * percent(c.polysyllables, c) + 0.1672 * asl(c) + 0.1297 * percent(c.longWords, c) - 0.0327 * percent(c.monosyllables, c) - 0.875
  );
}

/**
 * One band of an ease table: scores from `min` (inclusive) up, the school grades its
 * author gave them, as a range, and the author's words for it.
 */
export interface EaseBand {
  min: number;
  grades: readonly [number, number];
  label: string;
}

/**
 * Flesch (1948)'s table, as in "The Art of Readable Writing" (1949): 90–100 very easy,
 * 5th grade; 80–90 easy, 6th; 70–80 fairly easy, 7th; 60–70 standard, 8th–9th; 50–60
 * fairly difficult, 10th–12th; 30–50 difficult, college (13th–16th); 0–30 very difficult,
 * college graduate (17+ here). Kandel & Moles kept Flesch's scale for French.
 */
export const FLESCH_BANDS: readonly EaseBand[] = [
  { min: 90, grades: [5, 5], label: 'very easy' },
  { min: 80, grades: [6, 6], label: 'easy' },
  { min: 70, grades: [7, 7], label: 'fairly easy' },
  { min: 60, grades: [8, 9], label: 'standard' },
  { min: 50, grades: [10, 12], label: 'fairly difficult' },
  { min: 30, grades: [13, 16], label: 'difficult' },
  { min: -Infinity, grades: [17, 17], label: 'very difficult' },
];

/**
 * Fernández-Huerta's own table (as given with the corrected formula on legible.es):
 * 90–100 muy fácil, 4º grado; 80–90 fácil, 5º; 70–80 algo fácil, 6º; 60–70 normal, 7º u
 * 8º; 50–60 algo difícil, preuniversitario (taken as 10–12); 30–50 difícil, cursos
 * selectivos (first university years, 13–14); 0–30 muy difícil, universitario (15+).
 */
export const FERNANDEZ_HUERTA_BANDS: readonly EaseBand[] = [
  { min: 90, grades: [4, 4], label: 'muy fácil' },
  { min: 80, grades: [5, 5], label: 'fácil' },
  { min: 70, grades: [6, 6], label: 'algo fácil' },
  { min: 60, grades: [7, 8], label: 'normal' },
  { min: 50, grades: [10, 12], label: 'algo difícil' },
  { min: 30, grades: [13, 14], label: 'difícil' },
  { min: -Infinity, grades: [15, 15], label: 'muy difícil' },
];

/**
 * Martins et al. (1996)'s table: 75–100 muito fácil, 1st–4th grade (séries); 50–75 fácil,
 * 5th–8th; 25–50 difícil, secondary school (ensino médio, 9–11); 0–25 muito difícil,
 * higher education (12+).
 */
export const MARTINS_BANDS: readonly EaseBand[] = [
  { min: 75, grades: [1, 4], label: 'muito fácil' },
  { min: 50, grades: [5, 8], label: 'fácil' },
  { min: 25, grades: [9, 11], label: 'difícil' },
  { min: -Infinity, grades: [12, 12], label: 'muito difícil' },
];

/** The band an ease score falls in (scores above 100 are in the easiest band). */
export function easeBand(score: number, bands: readonly EaseBand[]): EaseBand {
  return bands.find((b) => score >= b.min) ?? bands.at(-1)!;
}

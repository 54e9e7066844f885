/**
 * The reading-grade formulas against published figures and hand-computed values, the
 * syllable counters, the band tables that turn an ease score into a school grade, and
 * "not measured" for languages without a formula.
 */
import { describe, expect, it } from 'vitest';
import { countSyllables } from '../../src/plain-language/count-syllables.js';
import { countSentence, measureReadingGrade, type Measured } from '../../src/plain-language/measure-reading-grade.js';
import {
  amstad,
  easeBand,
  FERNANDEZ_HUERTA_BANDS,
  fernandezHuerta,
  FLESCH_BANDS,
  fleschKincaidGrade,
  fleschMartins,
  fleschReadingEase,
  kandelMoles,
  MARTINS_BANDS,
  smogGrade,
  wienerSachtextformel,
  type TextCounts,
} from '../../src/plain-language/readability-formulas.js';
import { sentencesOf, wordsOf } from '../../src/plain-language/segment-text.js';

const counts = (c: Partial<TextCounts>): TextCounts => ({
  sentences: 1,
  words: 1,
  syllables: 1,
  polysyllables: 0,
  monosyllables: 0,
  longWords: 0,
  ...c,
});

const measure = (text: string, locale: string) =>
  measureReadingGrade(
    sentencesOf(text, locale).map((s) => countSentence(s, locale)),
    locale,
  );

describe('the formulas, from counts', () => {
  it('Flesch–Kincaid: Green Eggs and Ham, 5.7 words a sentence and 1.02 syllables a word, is grade −1.3 (Wikipedia, "Flesch–Kincaid readability tests")', () => {
    expect(fleschKincaidGrade(counts({ sentences: 1000, words: 5700, syllables: 5820 })).toFixed(1)).toBe('-1.3');
  });

  it('match textstat\'s documented outputs for "Cool dogs wear da sunglasses." (its counts: 5 words, 7 syllables, 1 sentence, 1 word of 3+ syllables)', () => {
    // textstat's tests/backend/metrics/*.py, SHORT_TEXT: FK 2.88, SMOG 8.842, FRE 83.32,
    // Fernández-Huerta 117.74, Wiener Sachtextformel (1) 3.809.
    const c = counts({ sentences: 1, words: 5, syllables: 7, polysyllables: 1, monosyllables: 4, longWords: 1 });
    expect(fleschKincaidGrade(c)).toBeCloseTo(2.88, 3);
    expect(smogGrade(c)).toBeCloseTo(8.842, 3);
    expect(fleschReadingEase(c)).toBeCloseTo(83.32, 3);
    expect(fernandezHuerta(c)).toBeCloseTo(117.74, 3);
    expect(wienerSachtextformel(c)).toBeCloseTo(3.809, 3);
  });

  it('Kandel–Moles, Amstad and Martins et al. by hand: 100 words, 10 sentences, 150 syllables', () => {
    const c = counts({ sentences: 10, words: 100, syllables: 150 });
    expect(kandelMoles(c)).toBeCloseTo(207 - 1.015 * 10 - 73.6 * 1.5, 9); // 86.45
    expect(kandelMoles(c)).toBeCloseTo(86.45, 9);
    expect(amstad(c)).toBeCloseTo(180 - 10 - 58.5 * 1.5, 9); // 82.25
    expect(fleschMartins(c)).toBeCloseTo(248.835 - 1.015 * 10 - 84.6 * 1.5, 9); // 111.785
  });

  it('Martins et al.: "O gato bebe leite." (4 words, 7 syllables) scores 96.725', () => {
    expect(fleschMartins(counts({ sentences: 1, words: 4, syllables: 7 }))).toBeCloseTo(96.725, 3);
  });
});

describe('ease scores as school grades, by each formula\'s own band table', () => {
  it('Flesch (and Kandel–Moles): 95 → 5th grade, 65 → 8th–9th, 55 → 10th–12th, 20 → college graduate', () => {
    expect(easeBand(95, FLESCH_BANDS).grades).toEqual([5, 5]);
    expect(easeBand(116, FLESCH_BANDS).grades).toEqual([5, 5]);
    expect(easeBand(65, FLESCH_BANDS).grades).toEqual([8, 9]);
    expect(easeBand(60, FLESCH_BANDS).grades).toEqual([8, 9]);
    expect(easeBand(55, FLESCH_BANDS).grades).toEqual([10, 12]);
    expect(easeBand(20, FLESCH_BANDS).grades).toEqual([17, 17]);
    expect(easeBand(-40, FLESCH_BANDS).label).toBe('very difficult');
  });

  it('Fernández-Huerta: 77.6 is "algo fácil", 6º grado; 65 "normal", 7º u 8º', () => {
    expect(easeBand(77.6, FERNANDEZ_HUERTA_BANDS)).toMatchObject({ label: 'algo fácil', grades: [6, 6] });
    expect(easeBand(65, FERNANDEZ_HUERTA_BANDS)).toMatchObject({ label: 'normal', grades: [7, 8] });
  });

  it('Martins et al.: 41 is "difícil", secondary school; 80 "muito fácil", grades 1–4', () => {
    expect(easeBand(41, MARTINS_BANDS)).toMatchObject({ label: 'difícil', grades: [9, 11] });
    expect(easeBand(80, MARTINS_BANDS)).toMatchObject({ label: 'muito fácil', grades: [1, 4] });
  });

  it('compares the lowest grade of the band with the target, and shows the band', () => {
    const es = measure('Estire los brazos. Doble una rodilla. Respire hondo.', 'es') as Measured;
    expect(es.measured).toBe(true);
    expect(es.formula).toBe('Fernández-Huerta');
    const band = es.scores[0]!.band!;
    expect(es.grade).toBe(band.grades[0]);
    expect(es.scores[0]!.kind).toBe('ease');
  });
});

describe('counting', () => {
  it('English syllables come from the syllable package; a numeral is one syllable, never none', () => {
    expect(['physical', 'chiropractor', 'ligament', 'stretch', '30'].map((w) => countSyllables(w, 'en'))).toEqual([3, 4, 3, 1, 1]);
  });

  it('other languages: Liang hyphenation points + 1 (the known undercount: no lone letter is split off, "aber" is 1)', () => {
    expect(countSyllables('Gesundheitsamt', 'de')).toBe(4);
    expect(countSyllables('Physiotherapeuten', 'de')).toBe(6);
    expect(countSyllables('fisioterapeuta', 'es')).toBe(6);
    expect(countSyllables('partenaire', 'fr')).toBe(3);
    expect(countSyllables('fisioterapeuta', 'pt-BR')).toBe(7);
    expect(countSyllables('aber', 'de')).toBe(1);
  });

  it('sentences and words by Intl.Segmenter, not cut at "Dr." or "z. B."', () => {
    expect(sentencesOf('Ask Dr. Smith first. Then rest', 'en')).toEqual(['Ask Dr. Smith first.', 'Then rest']);
    expect(sentencesOf('Fragen Sie z. B. Ihren Arzt. Ruhen Sie sich aus.', 'de')).toHaveLength(2);
    expect(wordsOf("Don't crack your partner's back: 15–30 seconds, hip-width.", 'en')).toEqual([
      "Don't", 'crack', 'your', "partner's", 'back', '15', '30', 'seconds', 'hip', 'width',
    ]);
  });
});

describe('the grade of a text', () => {
  it('"The cat sat on the mat." is Flesch–Kincaid −1.45 (shown −1.4) and SMOG 3.1 (6 words, 6 syllables, no long word)', () => {
    const en = measure('The cat sat on the mat.', 'en') as Measured;
    expect(en.counts).toMatchObject({ sentences: 1, words: 6, syllables: 6, polysyllables: 0 });
    expect(en.scores).toEqual([
      { formula: 'Flesch–Kincaid', value: -1.4, kind: 'grade' },
      { formula: 'SMOG', value: 3.1, kind: 'grade' },
    ]);
    // The higher of the two is what is compared with the target.
    expect(en.grade).toBe(3.1);
  });

  it('the shipped lower-back-relief warning reads at SMOG 11.2 and Flesch–Kincaid 7.6 (40 words, 61 syllables, 6 of 3+)', () => {
    const warning =
      'Leave this to a trained professional, such as a chiropractor, osteopath or physical therapist. If you try it yourself, you could hurt your partner. You could strain a muscle, damage a ligament or pinch a nerve, or cause something worse.';
    const en = measure(warning, 'en') as Measured;
    expect(en.counts).toMatchObject({ sentences: 3, words: 40, syllables: 61, polysyllables: 6 });
    expect(en.scores).toEqual([
      { formula: 'Flesch–Kincaid', value: 7.6, kind: 'grade' },
      { formula: 'SMOG', value: 11.2, kind: 'grade' },
    ]);
    expect(en.formula).toBe('SMOG');
  });

  it('German gives the Wiener Sachtextformel grade directly, with Amstad\'s ease beside it', () => {
    const de = measure('Legen Sie sich auf den Rücken. Beugen Sie ein Knie.', 'de') as Measured;
    expect(de.formula).toBe('Wiener Sachtextformel');
    expect(de.scores.map((s) => [s.formula, s.kind])).toEqual([
      ['Wiener Sachtextformel', 'grade'],
      ['Amstad', 'ease'],
    ]);
  });

  it.each(['zh', 'ar', 'hi', 'vi', 'ru', 'ja'])('%s: not measured, with a reason, and no number', (locale) => {
    const r = measure('Some text. Другой текст. 一些文字。', locale);
    expect(r.measured).toBe(false);
    expect(r).not.toHaveProperty('grade');
    expect((r as { reason: string }).reason).toMatch(/formula|coefficients/);
  });
});

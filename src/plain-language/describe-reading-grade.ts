/**
 * A sheet's reading grade in words, for the line `handout check` prints under each sheet
 * and for the JSON report: every score with its formula, and for an ease score the grade
 * its band stands for, so that nobody mistakes an ease of 70 for a grade.
 */
import type { PlainLanguageReport } from './check-plain-language.js';
import type { ReadingGrade, Score } from './measure-reading-grade.js';

/**
 * "reading grade 6.1 (Flesch–Kincaid), SMOG 7.9 — target 8"
 * "reading ease 77.6 (Fernández-Huerta, algo fácil) ≈ grade 6 — target 8"
 * "reading grade 5.6 (Wiener Sachtextformel), ease 68.2 (Amstad) — target 8"
 * "reading grade not measured for zh (…)"
 */
export function describeReadingGrade(reading: ReadingGrade, target: number, locale: string): string {
  if (!reading.measured) return `reading grade not measured for ${locale} (${reading.reason})`;
  const [main, ...others] = reading.scores as [Score, ...Score[]];
  const first =
    main.kind === 'grade'
      ? `reading grade ${main.value.toFixed(1)} (${main.formula})`
      : `reading ease ${main.value.toFixed(1)} (${main.formula}, ${main.band!.label}) ≈ ${reading.gradeText.includes('–') ? 'grades' : 'grade'} ${reading.gradeText}`;
  const rest = others.map((s) => (s.kind === 'grade' ? `${s.formula} ${s.value.toFixed(1)}` : `ease ${s.value.toFixed(1)} (${s.formula})`));
  return `${[first, ...rest].join(', ')} — target ${target}`;
}

/** The report's JSON: grades, formulas, counts, each part's grade and the findings. */
export function plainLanguageJson(report: PlainLanguageReport) {
  return {
    locale: report.locale,
    target: report.target,
    summary: describeReadingGrade(report.reading, report.target, report.locale),
    ...readingJson(report.reading),
    sections: report.sections.map((s) => ({ section: s.section, words: s.words, ...readingJson(s.reading) })),
    findings: report.findings.map((e) => ({
      code: e.code,
      message: e.message,
      file: e.where?.file ?? null,
      line: e.where?.line ?? null,
      col: e.where?.col ?? null,
      hint: e.hint,
    })),
  };
}

function readingJson(r: ReadingGrade) {
  if (!r.measured) return { measured: false as const, reason: r.reason };
  return {
    measured: true as const,
    grade: r.grade,
    gradeText: r.gradeText,
    formula: r.formula,
    scores: r.scores.map((s) => ({ formula: s.formula, kind: s.kind, value: s.value, ...(s.band ? { band: s.band.label, grades: s.band.grades } : {}) })),
    counts: r.counts,
  };
}

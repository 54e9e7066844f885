/**
 * The texts the tool itself prints, whenever a handout leaves them out (the pain warning
 * with each region's warning signs, the disclaimer, the stop line, the e-mail), are signed
 * by no clinician: they must read at grade 8 or below wherever a formula measures the
 * language, and the default pain warning must be true of any body part.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REGIONS } from '../../src/content/handout-schema.js';
import { countSentence, isMeasurable, measureReadingGrade } from '../../src/plain-language/measure-reading-grade.js';
import { fleschKincaidGrade } from '../../src/plain-language/readability-formulas.js';
import { countsOf } from '../../src/plain-language/measure-reading-grade.js';
import { sentencesOf } from '../../src/plain-language/segment-text.js';
import { TEMPLATES } from '../helpers/cli.js';

const LOCALES = readdirSync(path.join(TEMPLATES, 'locales'))
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.replace(/\.yaml$/, ''));

const catalogOf = (locale: string) =>
  parse(readFileSync(path.join(TEMPLATES, 'locales', `${locale}.yaml`), 'utf8')) as Record<string, string> & { red_flags: Record<string, string> };


/** The default texts as printed: the pain warning alone and with each region's signs. */
function defaultTexts(locale: string): Array<[string, string]> {
  const c = catalogOf(locale) as Record<string, string> & { red_flags: Record<string, string> };
  return [
    ['default_pain_warning', String(c.default_pain_warning)],
    ...REGIONS.map((r): [string, string] => [`default_pain_warning + red_flags.${r}`, `${c.default_pain_warning} ${c.red_flags[r]}`]),
    ['default_disclaimer', String(c.default_disclaimer)],
    ['stop_if_pain', String(c.stop_if_pain)],
    // A personal program's warning, when the program has none of its own (handout program).
    ['program_warning', String(c.program_warning)],
    ['e-mail', [c.email_intro, c.email_stop_reminder].join(' ')],
  ];
}

const sentences = (text: string, locale: string) => sentencesOf(text, locale).map((s) => countSentence(s, locale));

describe('the built-in default texts', () => {
  it.each(defaultTexts('en'))('en %s reads at grade 8 or below by Flesch–Kincaid and SMOG', (_name, text) => {
    const counted = sentences(text, 'en');
    expect(fleschKincaidGrade(countsOf(counted))).toBeLessThanOrEqual(8);
    const grade = measureReadingGrade(counted, 'en');
    expect(grade.measured && grade.grade).toBeLessThanOrEqual(8);
  });

  const measured = LOCALES.filter((l) => l !== 'en' && isMeasurable(l));
  it('is measured in more languages than English', () => {
    expect(measured.length).toBeGreaterThanOrEqual(3);
  });

  describe.each(measured)('%s', (locale) => {
    it.each(defaultTexts(locale))('%s reads at grade 8 or below by its language’s formula', (_name, text) => {
      const grade = measureReadingGrade(sentences(text, locale), locale);
      expect(grade.measured).toBe(true);
      if (grade.measured) expect(grade.grade, `${grade.formula} ${grade.gradeText}`).toBeLessThanOrEqual(8);
    });
  });

  it('names no body part in the default pain warning, in English', () => {
    const warning = String(catalogOf('en').default_pain_warning).toLowerCase();
    for (const part of ['back', 'leg', 'arm', 'neck', 'knee', 'hip', 'shoulder', 'ankle', 'groin', 'buttock', 'bladder', 'bowel', 'spine']) {
      expect(warning).not.toMatch(new RegExp(`\\b${part}s?\\b`));
    }
  });

  it.each(LOCALES)('%s has warning signs for every region, each a separate text from the neutral warning', (locale) => {
    const c = catalogOf(locale);
    expect(Object.keys(c.red_flags).sort()).toEqual([...REGIONS].sort());
    for (const region of REGIONS) {
      expect(c.red_flags[region]?.trim()).toBeTruthy();
      expect(c.default_pain_warning).not.toContain(c.red_flags[region]!);
    }
  });
});

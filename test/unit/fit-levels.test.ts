/**
 * Fit levels: layouts, never type under 12 pt, and which exercises keep the full width
 * when a crowded page sets them two to a row.
 */
import { describe, expect, it } from 'vitest';
import { bodyPt, FIT_LEVELS, LARGE_PRINT_LAYOUT, STANDARD_LAYOUT } from '../../src/render/apply-fit.js';
import { wideExercises } from '../../src/resolve/resolve-handout.js';

describe('fit levels', () => {
  it('never set body text under 12 pt, or under 16 pt in large print', () => {
    for (const level of STANDARD_LAYOUT.fitLevels) expect(bodyPt(level)).toBeGreaterThanOrEqual(12);
    for (const level of LARGE_PRINT_LAYOUT.fitLevels) expect(bodyPt(level)).toBeGreaterThanOrEqual(16);
  });

  it('try the largest type first and never go back up', () => {
    const sizes = FIT_LEVELS.map(bodyPt);
    expect(sizes[0]).toBe(14);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    expect(FIT_LEVELS.at(-1)).toBe('b12 grid tight runon');
  });

});

describe('wide exercises', () => {
  const short = { steps: ['Lie on your back.', 'Bend your knees.', 'Hold.'] };
  const long = { steps: Array.from({ length: 7 }, (_, i) => `Step ${i + 1}.`) };
  const wordy = { steps: ['x'.repeat(150), 'y'.repeat(150), 'z'.repeat(150)] };

  it('go two to a row when short', () => {
    expect(wideExercises([short, short, short, short])).toEqual([false, false, false, false]);
    expect(wideExercises([short, short, short])).toEqual([false, false, false]);
  });

  it('keep the full width when long, by steps or by words', () => {
    expect(wideExercises([long, short, short])).toEqual([true, false, false]);
    expect(wideExercises([short, short, wordy])).toEqual([false, false, true]);
  });

  it('give a short exercise alone between long ones (or alone on the sheet) the full width, so no column stays empty', () => {
    expect(wideExercises([short])).toEqual([true]);
    expect(wideExercises([long, short, long])).toEqual([true, true, true]);
    expect(wideExercises([short, long, short, short])).toEqual([true, true, false, false]);
  });
});

/**
 * The clinic's accent colour on the site index: white text on it reads (clinic.yaml refuses
 * a colour under 4.5:1 with white), and as text on the page's tinted background it is
 * darkened just enough to read there too.
 */
import { expect, it } from 'vitest';
import { contrastBetween, contrastWithWhite } from '../../src/config/contrast.js';
import { readableOn } from '../../src/site/write-site-index.js';

const PAGE = '#f4f7f7';

it('agrees with the contrast against white that clinic.yaml is checked with', () => {
  for (const hex of ['#0b5f66', '#7a2e8f', '#767676', '#000000']) expect(contrastBetween(hex, '#ffffff')).toBeCloseTo(contrastWithWhite(hex), 6);
});

it('keeps an accent that reads on the page, and darkens one that does not until it does', () => {
  expect(readableOn('#0b5f66', PAGE)).toBe('#0b5f66');
  // Just dark enough for white paper (4.54:1), not for the tinted page.
  expect(contrastBetween('#767676', PAGE)).toBeLessThan(4.5);
  const darker = readableOn('#767676', PAGE);
  expect(contrastBetween(darker, PAGE)).toBeGreaterThanOrEqual(4.5);
  expect(darker).toMatch(/^#[0-9a-f]{6}$/);
});

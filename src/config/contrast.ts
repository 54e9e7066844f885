/**
 * Contrast of a colour against white paper (WCAG 2 relative luminance). A handout is
 * often printed in black and white: text in a colour under 4.5:1 turns pale grey.
 */
export function contrastWithWhite(hex: string): number {
  return 1.05 / (luminance(hex) + 0.05);
}

/** WCAG AA for body text. */
export const MIN_CONTRAST = 4.5;

/** Contrast between two colours (#RRGGBB), the lighter over the darker: 1 to 21. */
export function contrastBetween(a: string, b: string): number {
  const [la, lb] = [luminance(a), luminance(b)];
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** WCAG 2 relative luminance of #RRGGBB. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5]
    .map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

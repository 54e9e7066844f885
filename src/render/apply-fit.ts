/**
 * Fitting a handout onto its page: the stylesheet scales type and spacing by --fit. The
 * printer tries these levels in order and keeps the first that prints on one page.
 * The floor is where body text reaches 9pt (10.5pt × 0.8572); the styles keep small
 * print at 9pt or more too. Safety text is never dropped or clipped to make room.
 */
export const FIT_LEVELS = [1, 0.95, 0.9, 0.8572] as const;

/** The page's HTML with type and spacing scaled by `fit` (unchanged at 1). */
export function applyFit(html: string, fit: number): string {
  if (fit === 1) return html;
  return html.replace(/<\/head>/i, `<style>:root { --fit: ${fit}; }</style>\n</head>`);
}

/**
 * Fitting a handout onto its page: the stylesheet scales type and spacing by --fit. The
 * printer tries these levels in order and keeps the first that prints on one page.
 * The floor is where body text reaches 9pt (10.5pt × 0.8572); the styles keep small
 * print at 9pt or more too. Safety text is never dropped or clipped to make room.
 */
export const FIT_LEVELS = [1, 0.95, 0.9, 0.8572] as const;

/** How a page is laid out: the fit levels to try, and how many pages it may take. */
export interface Layout {
  fitLevels: readonly number[];
  maxPages: number;
  /** Shown in errors: "one A4 page", "two A4 pages in large print". */
  name: 'standard' | 'large print';
}

export const STANDARD_LAYOUT: Layout = { fitLevels: FIT_LEVELS, maxPages: 1, name: 'standard' };
/**
 * Large print: body text at 14 pt (10.5pt × 1.3334) and never smaller; the handout may
 * take two pages, and its file name says large print.
 */
export const LARGE_PRINT_LAYOUT: Layout = { fitLevels: [1.3334], maxPages: 2, name: 'large print' };

/** The CSS that scales a page by `fit`. */
export function fitRule(fit: number): string {
  return `:root { --fit: ${fit}; }`;
}

/** The page's HTML with type and spacing scaled by `fit` (unchanged at 1): a last <style> in <head>. */
export function applyFit(html: string, fit: number): string {
  if (fit === 1) return html;
  return html.replace(/<\/head>/i, `<style>${fitRule(fit)}</style>\n</head>`);
}

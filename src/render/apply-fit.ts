/**
 * Fitting a handout onto its page by layout, never by type under 12 pt. A fit level is
 * a set of words the stylesheet reads from <html data-fit="…"> (written by serialize-page.ts) (templates/styles/
 * handout.css says what each word does): the printer lays the page out at each level in
 * order and keeps the first that is not too tall. So the largest type that fits wins,
 * and at the smallest type, 12 pt, the exercises go two to a row, then the spacing
 * tightens, and last each stop rule may start on its dose's line and wrap from there ("runon":
 * its halves can then share a line with the other column, which some text extractors read
 * out of order, so it is the last resort). Past the last level the handout is refused,
 * saying by how much. Safety text is never dropped, clipped or shrunk to make room.
 */
export const FIT_LEVELS = ['b14', 'b14 grid', 'b13', 'b13 grid', 'b12', 'b12 grid', 'b12 tight', 'b12 grid tight', 'b12 grid tight runon'] as const;

/** How a page is laid out: the fit levels to try, and how many pages it may take. */
export interface Layout {
  fitLevels: readonly string[];
  maxPages: number;
  /** Shown in errors: "one A4 page", "two A4 pages in large print". */
  name: 'standard' | 'large print';
}

/** The body text size of a level, in pt, for messages ("even at 12 pt"). */
export function bodyPt(level: string): number {
  return Number(/\bb(\d+)\b/.exec(level)?.[1] ?? NaN);
}

export const STANDARD_LAYOUT: Layout = { fitLevels: FIT_LEVELS, maxPages: 1, name: 'standard' };
/**
 * Large print: body text at 18, 17 or 16 pt, never smaller, on up to two pages (front
 * and back of one sheet), one exercise to a row; its file name says large print.
 */
export const LARGE_PRINT_LAYOUT: Layout = { fitLevels: ['b18', 'b17', 'b16', 'b16 tight', 'b16 grid tight', 'b16 grid tight runon'], maxPages: 2, name: 'large print' };

/**
 * The printable area of a page: the paper size minus the @page margins the stylesheet
 * sets. The printer lays the page out at this width to measure whether it fits before
 * printing, which saves printing it again at each fit level.
 */
import type { PageSize } from '../resolve/resolve-handout.js';

/** In CSS pixels (96 per inch), as Chromium lays out a page. */
export interface PrintableArea {
  width: number;
  height: number;
}

const PAPER_MM: Record<PageSize, [number, number]> = { A4: [210, 297], Letter: [215.9, 279.4] };
const UNIT_MM: Record<string, number> = { mm: 1, cm: 10, in: 25.4, pt: 25.4 / 72, px: 25.4 / 96 };

/** null when the stylesheet's margins cannot be read; the printer then prints to find out. */
export function printableArea(pageSize: PageSize, css: string): PrintableArea | null {
  // The last @page rule's margin wins, as in CSS (large print adds one for its header).
  const margin = [...css.matchAll(/@page\s*\{[^}]*?\bmargin:\s*([^;}]+)/g)].at(-1)?.[1]?.trim();
  if (!margin) return null;
  const values = margin.split(/\s+/).map((v) => {
    const m = /^([\d.]+)(mm|cm|in|pt|px)$/.exec(v) ?? (v === '0' ? ['0', '0', 'mm'] : null);
    return m ? Number(m[1]) * UNIT_MM[m[2]!]! : NaN;
  });
  if (values.some(Number.isNaN) || values.length < 1 || values.length > 4) return null;
  const [top, right = top, bottom = top, left = right] = values as [number, number?, number?, number?];
  const [w, h] = PAPER_MM[pageSize];
  const px = (mm: number) => (mm * 96) / 25.4;
  return { width: px(w - right! - left!), height: px(h - top - bottom!) };
}

/**
 * Measuring a laid-out page before printing it: which fit level (render/apply-fit.ts)
 * is the first whose page is not too tall, how many lines of body text are left or
 * missing, which parts are longest, and whether every picture drew and every write-in
 * value fits its line. One round trip into the page; each level costs a relayout
 * (milliseconds), not a print.
 */
import type { Page } from 'puppeteer-core';
import { HandoutError } from '../errors.js';
import { bodyPt } from '../render/apply-fit.js';
import type { HtmlPage } from '../render/create-renderer.js';
import { withTimeout } from './with-timeout.js';

export interface FitMeasure {
  /** The index of the level chosen: the first that fits, else the last. */
  chosen: number;
  fits: boolean;
  /** Lines of body text to spare at the chosen level (negative: lines over). */
  linesLeft: number;
  /** The longest parts at the chosen level, in lines of body text, longest first. */
  parts: Array<{ part: string; lines: number }>;
  /** Pictures that did not draw, named by the part they are in. */
  brokenImages: string[];
  /** Filled write-in fields whose value is wider than its line. */
  overflowingWriteIns: Array<{ label: string; value: string; fits: number }>;
}

/**
 * Waits for the page's fonts and images (embedded, so decoding, not downloading: no fixed
 * wait), then measures it at each level in `levels` against `limit` CSS px of height and
 * leaves the chosen level set on <html data-fit>, as serializePage() writes it into the HTML.
 * With no limit (an unknown printable area) only the first level is set and measured.
 */
export async function measureFit(page: Page, levels: readonly string[], limit: number | null, timeoutMs: number): Promise<FitMeasure> {
  const work = page.evaluate(
    async (levels, limit) => {
      await document.fonts.ready;
      const images = Array.from(document.images);
      const broken: string[] = [];
      await Promise.all(
        images.map((img) =>
          img.decode().then(
            () => (img.naturalWidth === 0 ? Promise.reject(new Error('empty')) : undefined),
          ).catch(() => {
            const part = img.closest<HTMLElement>('[data-part]')?.dataset.part;
            broken.push(part ? `the picture in ${part}` : img.alt ? `the picture "${img.alt}"` : `a picture (${img.className || img.parentElement?.className || 'img'})`);
          }),
        ),
      );
      const root = document.documentElement;
      const body = document.body;
      const lineHeight = () => {
        const style = getComputedStyle(root);
        const px = parseFloat(style.lineHeight);
        return Number.isFinite(px) ? px : parseFloat(style.fontSize) * 1.3;
      };
      // The height the sheet's own parts take: the sheet itself stretches to the page's
      // height (its footer sits at the bottom), so the page's height says nothing. A page
      // whose template has no .sheet is measured whole.
      const sheet = document.querySelector<HTMLElement>('.sheet');
      const contentHeight = () => {
        if (!sheet) return body.scrollHeight;
        const children = Array.from(sheet.children) as HTMLElement[];
        const gaps = Math.max(0, children.length - 1) * (parseFloat(getComputedStyle(sheet).rowGap) || 0);
        const style = getComputedStyle(sheet);
        const padding = parseFloat(style.paddingTop) + parseFloat(style.paddingBottom);
        return children.reduce((sum, el) => sum + el.getBoundingClientRect().height, 0) + gaps + padding;
      };
      let chosen = levels.length - 1;
      let fits = limit === null;
      let height = 0;
      for (const [i, level] of levels.entries()) {
        root.dataset.fit = level;
        if (limit === null) {
          chosen = i;
          break;
        }
        height = contentHeight();
        // A millimetre to spare (4 px): the printed layout rounds differently from this one.
        // And the page as a whole no taller than the paper (a stylesheet whose sheet is
        // taller than its page pushes its footer over).
        if (height <= limit - 4 && body.scrollHeight <= limit + 1) {
          chosen = i;
          fits = true;
          break;
        }
      }
      root.dataset.fit = levels[chosen]!;
      const line = lineHeight();
      const linesLeft = limit === null ? 0 : (limit - 4 - height) / line;
      const parts = Array.from(document.querySelectorAll<HTMLElement>('[data-part]'))
        .map((el) => ({ part: el.dataset.part!, lines: el.getBoundingClientRect().height / line }))
        .sort((a, b) => b.lines - a.lines)
        .slice(0, 3);
      const overflowingWriteIns = Array.from(document.querySelectorAll<HTMLElement>('.write-in .filled dd'))
        .filter((dd) => dd.scrollWidth > dd.clientWidth + 1)
        .map((dd) => {
          const value = dd.textContent?.trim() ?? '';
          return {
            label: dd.previousElementSibling?.textContent?.trim() ?? '',
            value,
            fits: Math.floor((value.length * dd.clientWidth) / dd.scrollWidth),
          };
        });
      return { chosen, fits, linesLeft, parts, brokenImages: broken, overflowingWriteIns };
    },
    [...levels],
    limit,
  );
  return withTimeout(work, timeoutMs, 'waiting for fonts and images');
}

/** What the build says when a page is not printable as it is: a picture that did not draw, a write-in value too long. */
export function refuseIfBroken(measure: FitMeasure, doc: HtmlPage): void {
  const where = { file: doc.source.file };
  if (measure.brokenImages.length) {
    throw new HandoutError('IMAGE_NOT_LOADED', 'notLoaded', { images: measure.brokenImages.join(', ') }, { where });
  }
  const [field] = measure.overflowingWriteIns;
  if (field) {
    throw new HandoutError('WRITE_IN_TOO_LONG', 'tooLong', { label: field.label, fits: field.fits, length: field.value.length }, { where });
  }
}

/**
 * The refusal of a handout too long for its pages: by how many lines, at the smallest
 * layout, and which parts are longest, so the author knows what to cut.
 */
export function notOnePage(doc: HtmlPage, measure: FitMeasure | null): HandoutError {
  const { layout, pageSize } = doc;
  const pages = layout.maxPages === 1 ? `one ${pageSize} page` : `${layout.maxPages} ${pageSize} pages`;
  const last = layout.fitLevels[layout.fitLevels.length - 1]!;
  const how = `${layout.name === 'large print' ? 'in large print, ' : ''}even at ${bodyPt(last)} pt in the most compact layout`;
  if (!measure || measure.fits) {
    return new HandoutError('NOT_ONE_PAGE', 'measured', { pages, how }, { where: { file: doc.source.file } });
  }
  const over = Math.max(1, Math.ceil(-measure.linesLeft));
  const longest = measure.parts.map((p) => `${p.part} (${Math.round(p.lines)} lines)`).join(', ');
  return new HandoutError('NOT_ONE_PAGE', 'linesOver', { pages, over, lines: over === 1 ? 'line' : 'lines', how, longest }, { where: { file: doc.source.file } });
}

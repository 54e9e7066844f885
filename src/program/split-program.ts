/**
 * Where a personal program too long for one page is cut into consecutive sheets, decided by
 * measuring, not by counting: each candidate sheet is prepared like any handout and laid out by
 * the build's own printer at its printable width, which measures it at every fit level the
 * layout allows exactly as it does before printing (print/measure-fit.ts; the measurement
 * NOT_ONE_PAGE reports from). Nothing is printed or written here; the sheets chosen are then
 * built, printed, counted, verified and written by the build itself (program/print-program.ts).
 *
 * Greedy, in the program's order: sheet 1 holds as many exercises as fit on one page, sheet 2
 * as many of the rest, and so on; an exercise is never cut in half, the notes go on the last
 * sheet, and every sheet carries the warning, the stop rules of its exercises, the pain
 * warning and the disclaimer (it is a whole handout). Type never shrinks below the layout's
 * fit levels: an exercise that does not fit a page alone is refused, saying which.
 */
import { mapPool } from '../build/map-pool.js';
import { prepareHandouts, type PrepareOptions } from '../build/prepare-handouts.js';
import { positionOf, type LoadedYaml } from '../content/load-yaml.js';
import type { ExerciseRange } from '../content/program-document.js';
import type { HandoutSource, SheetNumber } from '../content/validate-handout.js';
import { HandoutError, toHandoutError } from '../errors.js';
import type { Printer } from '../print/launch-printer.js';
import { notOnePage } from '../print/measure-fit.js';
import type { HtmlPage } from '../render/create-renderer.js';

export interface SplitOptions extends Omit<PrepareOptions, 'documents' | 'isFresh'> {
  /** How many exercises the program has. */
  exercises: number;
  /** Whether it has notes (they go on the last sheet). */
  notes: boolean;
  /**
   * The whole program as one unnumbered sheet, when it is not yet known not to fit: measured
   * first, and if it fits the plan is that one sheet. Without it, the whole is known too long.
   */
  whole?: { source: HandoutSource; yaml: LoadedYaml } | undefined;
  /** The handout document of one sheet: these exercises, numbered as this sheet (program/print-program.ts). */
  sheet: (range: ExerciseRange, sheet: SheetNumber) => { source: HandoutSource; yaml: LoadedYaml };
  /** The browser to measure in: the one the sheets are then printed with (not closed here). */
  printer: Promise<Printer>;
}

/** `sheets`: one range (the whole program: it fits one page, print it as it is) or several. */
export type SplitPlan = { ok: true; sheets: ExerciseRange[] } | { ok: false; errors: HandoutError[] };

/**
 * The sheets a program too long for one page prints on. Each round measures, side by side,
 * the runs of exercises that could make the next sheet, longest first, and keeps the longest
 * that fits; a measurement is a page load and a relayout per fit level in one browser, not a
 * print, nor a build each.
 */
export async function planSheets(options: SplitOptions): Promise<SplitPlan> {
  const n = options.exercises;
  // Every candidate sheet is labelled as if the program took one sheet per exercise: "Sheet 1
  // of 7" takes the room "Sheet 1 of 2" will (one digit each), so what fits here fits there;
  // the sheets chosen are verified again when they are built with their real numbers.
  const candidates = new Map<string, { range: ExerciseRange; document: { source: HandoutSource; yaml: LoadedYaml } }>();
  const key = (r: ExerciseRange) => `${r.first}-${r.end}`;
  for (let first = 0; first < n; first++) {
    for (let end = first + 1; end <= n; end++) {
      const range = { first, end };
      // All of it on the first sheet: only as the whole, unnumbered, if that is not known too long.
      if (first === 0 && end === n) {
        if (options.whole) candidates.set(key(range), { range, document: options.whole });
        continue;
      }
      candidates.set(key(range), { range, document: options.sheet(range, { index: first + 1, count: n, first }) });
    }
  }
  const { printer: starting, exercises: _, notes, sheet: __, whole: ___, ...prepare } = options;
  const prepared = await prepareHandouts({ ...prepare, documents: [...candidates.values()].map((c) => c.document) });
  if (prepared.failures.length) return { ok: false, errors: prepared.failures.flatMap((f) => f.errors) };
  const pages = new Map<string, HtmlPage>();
  for (const page of prepared.pages) {
    const candidate = [...candidates.values()].find((c) => c.document.source === page.source);
    if (candidate) pages.set(key(candidate.range), page);
  }

  try {
    const printer = await starting;
    const sheets: ExerciseRange[] = [];
    for (let first = 0; first < n; ) {
      const ends = Array.from({ length: n - first }, (_, i) => n - i);
      let best = 0;
      let alone: HandoutError | null = null;
      await mapPool(ends, CONCURRENCY, async (end) => {
        // Longest first: once a run fits, the shorter ones are not printed.
        const page = pages.get(key({ first, end }));
        if (end <= best || !page) return;
        const measure = await printer.measure(page);
        if (measure.fits) best = Math.max(best, end);
        else if (end === first + 1) alone = notOnePage(page, measure);
      });
      if (best === 0) {
        const own = candidates.get(key({ first, end: first + 1 })) ?? [...candidates.values()][0]!;
        return { ok: false, errors: [tooLongAlone(first, notes ? n : -1, alone, own.document.yaml, pages.get(key(own.range))!)] };
      }
      sheets.push({ first, end: best });
      first = best;
    }
    return { ok: true, sheets };
  } catch (err) {
    return { ok: false, errors: [toHandoutError(err, 'BROWSER', { file: prepared.pages[0]?.source.file ?? '(program)' })] };
  }
}

/** Pages printed side by side while measuring: Chromium takes more than one core a page. */
const CONCURRENCY = 2;

/**
 * An exercise that does not fit a page even alone: no number of sheets prints it. Named as
 * the program names it, at its line, with by how much and what is longest, from the
 * printer's measurement.
 */
function tooLongAlone(index: number, notesAfter: number, measured: HandoutError | null, yaml: LoadedYaml, page: HtmlPage): HandoutError {
  const how = (measured?.message ?? `does not fit on one ${page.pageSize} page`).replace(/; not written$/, '');
  const never = 'Type is never set smaller than the layout allows, and no safety text is left out to make room.';
  // The last exercise carries the notes (a sheet holds at least one exercise): perhaps they are what is too long.
  if (index === notesAfter - 1) {
    return new HandoutError('NOT_ONE_PAGE', `notes: the last sheet, with the notes and only exercises[${index}], ${how}; no number of sheets prints them, so nothing was written`, {
      where: positionOf(yaml, ['notes']),
      hint: `Shorten the notes (or exercise ${index + 1}), or give the advice in another handout. ${never}`,
    });
  }
  return new HandoutError('NOT_ONE_PAGE', `exercises[${index}]: even on a sheet of its own, it ${how}; no number of sheets prints it, so nothing was written`, {
    where: positionOf(yaml, ['exercises', index]),
    hint: `Shorten exercise ${index + 1} (fewer or shorter steps, a shorter caution), or leave it out of this program. ${never}`,
  });
}

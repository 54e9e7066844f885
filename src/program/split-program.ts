/**
 * Where a personal program too long for one page is cut into consecutive sheets, decided by
 * measuring, not by counting: each candidate sheet is prepared like any handout and laid out by
 * the build's own printer at its printable width, which measures it at every fit level the
 * layout allows exactly as it does before printing (print/measure-fit.ts; the measurement
 * NOT_ONE_PAGE reports from), and the run chosen for a sheet is printed once and its pages
 * counted. Nothing is written here; the sheets chosen are then built, printed, counted,
 * verified and written by the build itself with their real numbers (program/print-program.ts).
 *
 * Greedy, in the program's order: sheet 1 holds as many exercises as fit on one page, sheet 2
 * as many of the rest, and so on; an exercise is never cut in half, and every sheet carries the
 * warning, the stop rules of its exercises, the pain warning and the disclaimer (it is a whole
 * handout). The notes go on the last sheet, or, if that would take a sheet more than the
 * exercises need, on the last sheet that has room for them. Type never shrinks below the
 * layout's fit levels: an exercise that does not fit a page alone is refused, saying which.
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

type SheetDocument = { source: HandoutSource; yaml: LoadedYaml };

export interface SplitOptions extends Omit<PrepareOptions, 'documents' | 'isFresh'> {
  /** How many exercises the program has. */
  exercises: number;
  /** Whether it has notes (printed under the exercises of one sheet). */
  notes: boolean;
  /**
   * The whole program as one unnumbered sheet, when it is not yet known not to fit: measured
   * first, and if it fits the plan is that one sheet. Without it, the whole is known too long.
   */
  whole?: SheetDocument | undefined;
  /** The handout document of one sheet: these exercises (and the notes, if it has them), numbered as this sheet. */
  sheet: (range: ExerciseRange, sheet: SheetNumber) => SheetDocument;
  /** The browser to measure in: the one the sheets are then printed with (not closed here). */
  printer: Promise<Printer>;
}

/** `sheets`: one range (the whole program: it fits one page, print it as it is) or several. */
export type SplitPlan = { ok: true; sheets: ExerciseRange[] } | { ok: false; errors: HandoutError[] };

/** A plan that cannot be made: the errors say why (a content error, or what is too long). */
class NoPlan extends Error {
  constructor(readonly errors: HandoutError[]) {
    super(errors[0]?.message);
  }
}

/**
 * The sheets a program too long for one page prints on. Each round measures, side by side,
 * the runs of exercises that could make the next sheet, longest first, and keeps the longest
 * that fits and prints onto its pages; a measurement is a page load and a relayout per fit
 * level in one browser, not a print, nor a build each.
 */
export async function planSheets(options: SplitOptions): Promise<SplitPlan> {
  const n = options.exercises;
  const { printer: starting, exercises: _, notes, sheet: __, whole, ...prepare } = options;
  const key = (r: ExerciseRange) => `${r.first}-${r.end}${r.notes ? '+notes' : ''}`;
  /** The whole program on one sheet, as the one unnumbered sheet it would print as. */
  const isWhole = (r: ExerciseRange) => r.first === 0 && r.end === n && r.notes === notes;
  const pages = new Map<string, HtmlPage>();
  /** The YAML each candidate's positions come from (the program's file). */
  const yamls = new Map<string, LoadedYaml>();

  /** Prepares, in one go, the candidate sheets not prepared yet (the whole only if it is not known too long). */
  const ready = async (ranges: readonly ExerciseRange[]) => {
    const todo = new Map<SheetDocument, ExerciseRange>();
    for (const range of ranges) {
      if (pages.has(key(range)) || [...todo.values()].some((r) => key(r) === key(range))) continue;
      if (isWhole(range)) {
        if (whole) todo.set(whole, range);
        continue;
      }
      // Labelled as if the program took a sheet per exercise: "Sheet 1 of 7" takes the room
      // "Sheet 1 of 2" will (one digit each); the sheets chosen are verified again when built
      // with their real numbers.
      todo.set(options.sheet(range, { index: range.first + 1, count: n, first: range.first }), range);
    }
    if (todo.size === 0) return;
    const prepared = await prepareHandouts({ ...prepare, documents: [...todo.keys()] });
    if (prepared.failures.length) throw new NoPlan(prepared.failures.flatMap((f) => f.errors));
    const bySource = new Map([...todo].map(([document, range]) => [document.source, range]));
    for (const [document, range] of todo) yamls.set(key(range), document.yaml);
    for (const page of prepared.pages) pages.set(key(bySource.get(page.source)!), page);
  };

  const printer = await starting;
  /** Whether each candidate measured as fitting; measured once each. */
  const measured = new Map<string, boolean>();
  /** Why a candidate does not fit (kept for one exercise alone, which no plan can print). */
  const tooLong = new Map<string, HandoutError>();
  const measure = async (range: ExerciseRange): Promise<boolean> => {
    const page = pages.get(key(range));
    if (!page) return false;
    let fits = measured.get(key(range));
    if (fits === undefined) {
      const measure = await printer.measure(page);
      fits = measure.fits;
      measured.set(key(range), fits);
      if (!fits) tooLong.set(key(range), notOnePage(page, measure));
    }
    return fits;
  };
  /**
   * Printed and its pages counted as the build will: the measurement of a two-page
   * large-print sheet cannot know where its page break falls.
   */
  const printed = new Set<string>();
  const printsOnItsPages = async (range: ExerciseRange): Promise<boolean> => {
    if (!(await measure(range))) return false;
    if (printed.has(key(range))) return true;
    const error = await printer.print(pages.get(key(range))!).then(
      () => null,
      (err: unknown) => toHandoutError(err, 'BROWSER'),
    );
    if (error && error.code !== 'NOT_ONE_PAGE') throw new NoPlan([error]);
    if (error) {
      measured.set(key(range), false);
      tooLong.set(key(range), error);
    } else printed.add(key(range));
    return !error;
  };

  /** Greedy, in order; `notesLast`: the notes on the last sheet (else on none, for now). */
  const greedy = async (notesLast: boolean): Promise<ExerciseRange[]> => {
    const rangeOf = (first: number, end: number): ExerciseRange => ({ first, end, notes: notesLast && notes && end === n });
    const sheets: ExerciseRange[] = [];
    for (let first = 0; first < n; ) {
      let chosen = 0;
      for (let upper = n; upper > first && chosen === 0; ) {
        const ends = Array.from({ length: upper - first }, (_, i) => upper - i);
        let fits = 0;
        // Longest first, side by side: once a run fits, the shorter ones are not measured.
        await mapPool(ends, CONCURRENCY, async (end) => {
          if (end > fits && (await measure(rangeOf(first, end)))) fits = Math.max(fits, end);
        });
        if (fits === 0) break;
        if (await printsOnItsPages(rangeOf(first, fits))) chosen = fits;
        else upper = fits - 1;
      }
      if (chosen === 0) {
        const alone = rangeOf(first, first + 1);
        throw new NoPlan([tooLongAlone(alone, tooLong.get(key(alone)) ?? null, (pages.get(key(alone)) ?? [...pages.values()][0])!, yamls.get(key(alone)))]);
      }
      sheets.push(rangeOf(first, chosen));
      first = chosen;
    }
    return sheets;
  };

  const attempt = async <T>(work: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; errors: HandoutError[] }> => {
    try {
      return { ok: true, value: await work() };
    } catch (err) {
      if (err instanceof NoPlan) return { ok: false, errors: err.errors };
      return { ok: false, errors: [toHandoutError(err, 'BROWSER', { file: [...pages.values()][0]?.source.file ?? '(program)' })] };
    }
  };

  // Every run of exercises, with the notes where they end the program (and, if there are
  // notes, without them too): prepared at once, before the first measurement.
  const runs: ExerciseRange[] = [];
  for (let first = 0; first < n; first++) {
    for (let end = first + 1; end <= n; end++) {
      runs.push({ first, end, notes: notes && end === n });
      if (notes && end === n) runs.push({ first, end, notes: false });
    }
  }
  const prepared = await attempt(() => ready(runs));
  if (!prepared.ok) return prepared;
  const last = await attempt(() => greedy(true));
  if (!notes || (last.ok && last.value.length === 1)) return last.ok ? { ok: true, sheets: last.value } : last;
  // The notes on the last sheet took a sheet more (or fit on no last sheet): the exercises'
  // own sheets, with the notes on the last of them that has room.
  const bare = await attempt(async () => {
    const sheets = await greedy(false);
    if (last.ok && sheets.length >= last.value.length) return null;
    const withNotes = sheets.map((r) => ({ ...r, notes: true }));
    await ready(withNotes);
    for (let i = sheets.length - 1; i >= 0; i--) {
      if (await printsOnItsPages(withNotes[i]!)) return sheets.map((r, j) => (j === i ? withNotes[i]! : r));
    }
    return null;
  });
  if (bare.ok && bare.value) return { ok: true, sheets: bare.value };
  return last.ok ? { ok: true, sheets: last.value } : last;
}

/** Pages measured side by side: Chromium takes more than one core a page. */
const CONCURRENCY = 2;

/**
 * An exercise that does not fit a page even alone (with the notes, if they end the program
 * there): no number of sheets prints it. Named as the program names it, at its line, with by
 * how much and what is longest, from the printer's measurement.
 */
function tooLongAlone(range: ExerciseRange, measured: HandoutError | null, page: HtmlPage, yaml: LoadedYaml | undefined): HandoutError {
  const index = range.first;
  const how = (measured?.message ?? `does not fit on one ${page.pageSize} page`).replace(/; not written$/, '');
  // At the line the program writes it: every sheet's document keeps the program's YAML.
  const at = (path: Array<string | number>) => (yaml ? positionOf(yaml, path) : { file: page.source.file });
  if (range.notes) {
    return new HandoutError('NOT_ONE_PAGE', 'notesNoRoom', { index, how, number: index + 1 }, { where: at(['notes']) });
  }
  return new HandoutError('NOT_ONE_PAGE', 'exerciseNoRoom', { index, how, number: index + 1 }, { where: at(['exercises', index]) });
}

/**
 * Every text of a handout that a patient reads, with its YAML path and what kind of text
 * it is, so that each check takes the texts it applies to.
 *
 * Which texts the reading grade counts: the prose the handout writes — summary, the
 * warning's text, every step, caution and stop rule, the considerations' and alternatives'
 * texts, and the handout's own pain warning and disclaimer when it has them (when it has
 * none, the locale's default is printed, which the handout did not write). Not counted:
 * titles, subtitle, category, exercise names and the titles of considerations and
 * alternatives. They are headings, not sentences; each would count as a sentence of two or
 * three words and make the page look easier than its prose is (readability tests are
 * meant to be run on running text, without headings). Nor the dose lines ("2 or 3 times on
 * each side"), which are labels too, nor the drawings' alternative text, which is not on
 * the page. Every one of these texts is still checked for invisible characters and
 * capitals, and a list item's title for pasted numbering.
 */
import { isExerciseReference, type ExerciseData, type ValidHandoutData } from '../content/handout-schema.js';
import { formatPath } from '../content/validate-handout.js';

export type TextKind =
  /** A heading or label: checked for characters and capitals, never graded. */
  | 'label'
  /** Running text: graded; long sentences flagged. */
  | 'prose'
  /** One numbered step: its own sentence; graded; must start with an action (English). */
  | 'step'
  /** The title of a consideration or alternative: a list item, so pasted bullets are flagged. */
  | 'item-title'
  /** Text of a consideration or alternative: graded, a list item. */
  | 'item-text'
  /** Alternative text of a drawing: read by screen readers, not printed; not graded. */
  | 'alt';

export interface HandoutText {
  path: Array<string | number>;
  /** "exercises[0].steps[2]" */
  field: string;
  kind: TextKind;
  text: string;
}

/** Kinds that the reading grade counts. */
export const GRADED_KINDS: ReadonlySet<TextKind> = new Set(['prose', 'step', 'item-text']);
/** Kinds that are a step or a list item, where pasted numbering and bullets are looked for. */
export const LIST_KINDS: ReadonlySet<TextKind> = new Set(['step', 'item-title', 'item-text']);

/**
 * `exercises`: the exercises as printed, library references placed (in the handout's
 * order); without them, references are skipped and only inline exercises are read.
 */
export function handoutTexts(data: ValidHandoutData, exercises?: readonly ExerciseData[]): HandoutText[] {
  const out: HandoutText[] = [];
  const add = (path: Array<string | number>, kind: TextKind, text: string | undefined) => {
    if (text !== undefined) out.push({ path, field: formatPath(path), kind, text });
  };
  // Open to fields added to the schema later: these are read by name, so a field this
  // list does not know is not checked, rather than wrongly classified.
  const d = data as ValidHandoutData & Record<string, unknown>;
  add(['title'], 'label', d.title);
  add(['subtitle'], 'label', d.subtitle);
  add(['category'], 'label', d.category);
  add(['summary'], 'prose', d.summary);
  add(['warning', 'title'], 'label', d.warning.title);
  add(['warning', 'text'], 'prose', d.warning.text);
  (exercises ?? d.exercises).forEach((ex, i) => {
    if (isExerciseReference(ex)) return;
    const e = ex as typeof ex & Record<string, unknown>;
    add(['exercises', i, 'name'], 'label', e.name);
    add(['exercises', i, 'illustration_alt'], 'alt', stringOrUndefined(e.illustration_alt));
    e.steps.forEach((step, j) => add(['exercises', i, 'steps', j], 'step', step));
    add(['exercises', i, 'repeat'], 'label', e.repeat);
    add(['exercises', i, 'frequency'], 'label', e.frequency);
    add(['exercises', i, 'caution'], 'prose', e.caution);
    add(['exercises', i, 'stop_rule'], 'prose', stringOrUndefined(e.stop_rule));
  });
  for (const list of ['considerations', 'alternatives'] as const) {
    d[list]?.forEach((item, i) => {
      add([list, i, 'title'], 'item-title', item.title);
      add([list, i, 'text'], 'item-text', item.text);
    });
  }
  add(['stop_rule'], 'prose', stringOrUndefined(d.stop_rule));
  add(['pain_warning'], 'prose', d.pain_warning);
  add(['disclaimer'], 'prose', d.disclaimer);
  return out;
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * The part of the sheet a field belongs to, as a clinician would look for it:
 * "warning.text" → "warning", "exercises[1].steps[3]" → "exercises[1]",
 * "considerations[2].text" → "considerations".
 */
export function sectionOf(path: ReadonlyArray<string | number>): string {
  const [head, index] = path;
  if (head === 'exercises') return `exercises[${String(index)}]`;
  return String(head);
}

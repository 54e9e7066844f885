/**
 * The public content contract: what a clinic may write in content/<locale>/<slug>.yaml,
 * and in the exercise library, content/exercises/<locale>/<id>.yaml (whose exercises share
 * the inline exercise's fields). These schemas are the single source for validation, for the
 * `ValidHandout` type and for the JSON Schemas that editors use (`handout schema [exercise]`,
 * schema/handout.schema.json, schema/exercise.schema.json).
 */
import { z } from 'zod';
import { SLUG_PATTERN } from './discover-handouts.js';

/** Describes a value the way a clinician would recognise it in an error message. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 37)}...` : value;
    return `the text ${JSON.stringify(shown)}`;
  }
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return `${value} (a yes/no value; quote it if you meant text)`;
  if (typeof value === 'object') return 'a mapping (key: value pairs); if you meant text containing ": ", put it in quotes';
  return typeof value;
}

const expected = (what: string) => (issue: { input?: unknown }) =>
  `expected ${what}, got ${describeValue(issue.input)}`;

/** A piece of text shown to the patient: a non-empty string. */
const text = (description: string) =>
  z
    .string({ error: expected('text') })
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(2000, { error: 'is longer than 2000 characters; a one-page handout cannot hold it' })
    .meta({ description });

const titledText = (description: string) =>
  z
    .strictObject(
      {
        title: text('Short heading, a few words.'),
        text: text('One or two sentences.'),
      },
      { error: expected('a mapping with title and text') },
    )
    .meta({ description });

const seconds = z
  .number({ error: expected('a number of seconds') })
  .int({ error: 'expected whole seconds' })
  .min(1, { error: 'expected at least 1 second' })
  .max(600, { error: 'expected at most 600 seconds' });

/** Hold time: a number of seconds, or a [min, max] range. */
const holdSeconds = z
  .union([seconds, z.tuple([seconds, seconds])], {
    error: expected('a number of seconds or a range [min, max]'),
  })
  .refine((v) => typeof v === 'number' || v[0] < v[1], {
    error: 'expected a range [min, max] with min smaller than max',
  })
  .meta({ description: 'How long to hold: 30, or a range like [15, 30]. Printed as "Hold 15–30 seconds".' });

const count = (description: string, max: number) =>
  z
    .number({ error: expected('a whole number') })
    .int({ error: 'expected a whole number' })
    .min(1, { error: 'expected at least 1' })
    .max(max, { error: `expected at most ${max}` })
    .meta({ description });

/**
 * A host that patients' phones can look up: a domain name like example.com, not
 * localhost, a single word or an IP address. zod's z.regexes.domain, but also allowing
 * the xn-- form of an international top-level domain (.рф), which is what the URL
 * parser gives for one.
 */
const DOMAIN_NAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/i;

/**
 * An https address as browsers read it (zod's z.url(), the WHATWG URL parser: no "%" in
 * a host name, ports up to 65535), on a domain name, written with "https://" and without
 * spaces, quotes or < >. Messages say what was expected, with `example`, and what is wrong.
 */
export const httpsUrl = (what: string, example: string) => {
  const error = (issue: { code?: string; input?: unknown }) =>
    issue.code === 'invalid_type' ? expected(what)(issue) : `expected ${what}${urlProblem(String(issue.input), example)}`;
  return z
    .url({ protocol: /^https$/, hostname: DOMAIN_NAME, error })
    .regex(/^https:\/\/[^\s"'<>]+$/i, { error });
};

function urlProblem(input: string, example: string): string {
  const value = input.trim();
  if (!/^https:\/\//i.test(value)) return ` starting with https://, e.g. ${example}`;
  if (/[\s"'<>]/.test(value)) return ` without spaces, quotes or < > (write a space as %20), e.g. ${example}`;
  const hostAndPort = /^https:\/\/(?:[^/?#]*@)?([^/?#]*)/i.exec(value)![1]!;
  const port = /:(\d+)$/.exec(hostAndPort)?.[1];
  if (port && Number(port) > 65535) return ` (e.g. ${example}): ports go up to 65535, not ${port}`;
  const host = hostAndPort.replace(/:\d*$/, '');
  if (!host) return ` (e.g. ${example}): a domain name must follow https://`;
  let parsed: URL | null = null;
  try {
    parsed = new URL(value);
  } catch {
    // Described below by its host name, the part that is wrong in practice.
  }
  if (!parsed || !DOMAIN_NAME.test(parsed.hostname)) return ` (e.g. ${example}): "${host}" is not a domain name like example.com`;
  return `, e.g. ${example}, got ${describeValue(input)}`;
}

/** Links printed as QR codes are for patients' phones: web addresses only. */
const webUrl = (description: string) =>
  httpsUrl('a web address', 'https://www.example.com/exercise-video')
    .max(500, { error: 'expected a web address of at most 500 characters' })
    .meta({ description });

/**
 * A day of the calendar written YYYY-MM-DD (zod's z.iso.date(), which knows month
 * lengths and leap years): 2026-02-31 would be printed as "March 3, 2026".
 */
export const calendarDate = () =>
  z.iso.date({
    error: (issue) =>
      issue.code === 'invalid_type' ? expected('a date like 2026-11-01')(issue) : `expected a date like 2026-11-01 (year-month-day)${dateProblem(String(issue.input))}`,
  });

/** Why a date written in the right form is not a day: ", but February 2026 has 28 days". */
export function dateProblem(value: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const [year, month, day] = match ? match.slice(1).map(Number) : [];
  if (!match || month! < 1 || month! > 12 || day! < 1) return '';
  const first = new Date(0);
  first.setUTCFullYear(year!, month! - 1, 1);
  const last = new Date(first);
  last.setUTCMonth(month!, 0);
  if (day! <= last.getUTCDate()) return '';
  const name = first.toLocaleString('en', { month: 'long', year: 'numeric', timeZone: 'UTC' });
  return `, but ${name} has ${last.getUTCDate()} days`;
}

/**
 * Body regions whose red-flag symptoms the catalog knows (templates/locales/*.yaml,
 * red_flags): a handout that names its region gets them after the default pain warning.
 */
export const REGIONS = ['back', 'neck', 'shoulder', 'hip', 'knee', 'ankle'] as const;
export type Region = (typeof REGIONS)[number];

/**
 * Replaces the per-exercise "Stop if you feel pain." where clinicians allow some pain, as
 * for osteoarthritis or tendon pain. It is printed under each exercise and checked in the PDF.
 */
const stopRule = (where: string) =>
  z
    .string({ error: expected('text') })
    .trim()
    .min(1, { error: 'must not be empty: a stop rule must say when to stop' })
    .max(STOP_RULE_MAX, {
      error: `is longer than ${STOP_RULE_MAX} characters: it is printed under every exercise, so keep it to one short line and put the rest in pain_warning`,
    })
    .meta({
      description: `When to stop ${where}, printed under each exercise instead of the locale's "Stop if you feel pain.", at most ${STOP_RULE_MAX} characters, e.g. "Mild aching is fine. Stop if the pain is sharp."`,
    });
/** About one line beside an exercise's picture at 12 pt: the rule is printed under every exercise. */
const STOP_RULE_MAX = 80;

/** Illustration ids are bare file names so they can never point outside illustrations/. */
export const ILLUSTRATION_ID = /^[a-z0-9][a-z0-9_-]{0,79}$/;

/**
 * The fields of one exercise, written inline in a handout or once in the library
 * (content/exercises/<locale>/<id>.yaml: exercise-library.ts). One source for both.
 */
const exerciseFields = {
  name: text('Name of the exercise, e.g. "Supine spinal twist".'),
  illustration: z
    .string({ error: expected('an illustration id') })
    .regex(ILLUSTRATION_ID, {
      error:
        'expected the id of a file in the illustrations folder (its name without .svg/.png/.jpg: lowercase letters, digits, - and _), not a path or URL',
    })
    .optional()
    .meta({ description: 'Id of a file in <content>/illustrations/ (name without extension).' }),
  illustration_alt: text(
    'What the drawing shows, for people who cannot see it (screen readers, the PDF\'s alternative text), e.g. "A person lies on their back and lets both bent knees fall to one side.". Defaults to "Drawing of a person doing the exercise: <name>".',
  ).optional(),
  steps: z
    .array(text('One step.'), { error: expected('a list of steps (one "- step" per line)') })
    .min(1, { error: 'expected at least one step' })
    .max(20, { error: 'expected at most 20 steps' })
    .meta({ description: 'Numbered steps, in order.' }),
  hold_seconds: holdSeconds.optional(),
  repeat: text('How often, e.g. "Several times on each side".').optional(),
  sets: count('Number of sets, e.g. 3.', 20).optional(),
  reps: count('Repetitions per set, e.g. 10.', 100).optional(),
  frequency: text('How often to do it, e.g. "Twice a day".').optional(),
  caution: text('A caution specific to this exercise.').optional(),
  stop_rule: stopRule('this exercise').optional(),
};

/** What a handout may change of a library exercise it uses: the dose, the caution, the stop rule. */
export const EXERCISE_OVERRIDES = ['hold_seconds', 'repeat', 'sets', 'reps', 'frequency', 'caution', 'stop_rule'] as const;

const exercise = z
  .strictObject(exerciseFields, {
    error: expected('a mapping describing one exercise (name, steps, …), or "exercise: <id>" for one from the library'),
  })
  .meta({ description: 'One exercise with its steps.' });

/** Library ids are file names (content/exercises/<locale>/<id>.yaml), named like handouts. */
export const EXERCISE_ID = SLUG_PATTERN;

/** `- exercise: knee-to-chest`, with this handout's own dose: an exercise from the library. */
const exerciseReference = z
  .strictObject(
    {
      exercise: z
        .string({ error: expected('the id of an exercise in the library') })
        .regex(EXERCISE_ID, {
          error: 'expected the id of an exercise in the library: its file name in content/exercises/<locale>/ without .yaml (lowercase letters, digits and dashes)',
        })
        .meta({ description: 'Id of an exercise in the library: content/exercises/<locale>/<id>.yaml, in the handout\'s locale (or its base language\'s).' }),
      ...Object.fromEntries(EXERCISE_OVERRIDES.map((key) => [key, exerciseFields[key]])) as Pick<typeof exerciseFields, (typeof EXERCISE_OVERRIDES)[number]>,
    },
    { error: expected('a mapping with exercise: <id>') },
  )
  .meta({ description: "An exercise from the library, by id, with this handout's dose, caution or stop rule in place of the library's." });

/**
 * A handout's exercise: from the library (by id) or written out. The reference is tried
 * first; when neither fits, the errors shown are those of the form the author was writing
 * (exerciseEntryBranch), not zod's "Invalid input".
 */
const exerciseEntry = z.union([exerciseReference, exercise]);

/** Which form of exerciseEntry an input was meant as: 0 a reference (it has `exercise:`), 1 an inline exercise. */
export function exerciseEntryBranch(input: unknown): 0 | 1 {
  return input !== null && typeof input === 'object' && !Array.isArray(input) && 'exercise' in input ? 0 : 1;
}

export const handoutSchema = z
  .strictObject(
    {
      title: text('The handout title.'),
      subtitle: text('A line under the title.').optional(),
      category: text('Grouping shown above the title, e.g. "Back Pain Relief".').optional(),
      summary: text('A short introduction in plain language.').optional(),
      warning: titledText('The prominent safety warning at the top of the page.'),
      exercises: z
        .array(exerciseEntry, { error: expected('a list of exercises') })
        .min(1, { error: 'expected at least one exercise' })
        .max(8, { error: 'expected at most 8 exercises on a one-page handout' }),
      considerations: z
        .array(titledText('A consideration.'), { error: expected('a list of { title, text }') })
        .optional()
        .meta({ description: 'Important considerations, each { title, text }.' }),
      alternatives: z
        .array(titledText('An alternative.'), { error: expected('a list of { title, text }') })
        .optional()
        .meta({ description: 'Safer alternatives, each { title, text }.' }),
      region: z
        .enum(REGIONS, {
          error: (issue) =>
            `expected one of ${REGIONS.join(', ')}, got ${describeValue(issue.input)} (for another body part, leave region out and write its warning signs in pain_warning)`,
        })
        .optional()
        .meta({
          description:
            'The body part the handout is for. Adds that region\'s warning signs (from the locale\'s catalog) to the default pain warning.',
        }),
      stop_rule: stopRule('during these exercises').optional(),
      pain_warning: text(
        "When to stop and get help. Defaults to the locale's pain warning, which is true of any body part, followed by the region's warning signs when region is set.",
      ).optional(),
      disclaimer: text("Medical disclaimer. Defaults to the locale's disclaimer.").optional(),
      video: webUrl('A video of the exercises, printed as a QR code.').optional(),
      reviewed: z
        .strictObject(
          {
            by: text('Who reviewed the handout, e.g. "Dr A. Smith, PT".'),
            date: calendarDate().meta({ description: 'Review date, YYYY-MM-DD.' }),
          },
          { error: expected('a mapping with by and date') },
        )
        .optional()
        .meta({ description: 'Clinical review, printed small in the footer.' }),
      version: z
        .union([z.number().int().min(1), z.string().trim().regex(/^[\w.-]{1,20}$/)], {
          error: expected('a version like 3 or 2.1'),
        })
        .optional()
        .meta({ description: 'Version of the handout, printed in the footer, e.g. 3.' }),
    },
    { error: expected('a mapping of handout fields (title, warning, exercises, …)') },
  )
  .meta({
    title: 'handout',
    description: 'A one-page patient handout, written by a clinic and printed by `handout build`.',
  });

/** A handout that passed validation: every required field present and of the right type. */
export type ValidHandoutData = z.infer<typeof handoutSchema>;
/** One exercise as printed: written inline, or a library exercise with the handout's overrides. */
export type ExerciseData = z.infer<typeof exercise>;
export type ExerciseReference = z.infer<typeof exerciseReference>;

export function isExerciseReference(entry: ExerciseData | ExerciseReference): entry is ExerciseReference {
  return 'exercise' in entry;
}

/**
 * An exercise of the library, content/exercises/<locale>/<id>.yaml: the fields of an inline
 * exercise (the same schema), with the body region and tags a clinician finds it by.
 */
export const exerciseFileSchema = z
  .strictObject(
    {
      ...exerciseFields,
      region: z
        .enum(REGIONS, { error: (issue) => `expected one of ${REGIONS.join(', ')}, got ${describeValue(issue.input)}` })
        .optional()
        .meta({ description: 'The body part the exercise is for.' }),
      tags: z
        .array(
          z
            .string({ error: expected('a short word') })
            .trim()
            .regex(/^[\p{L}\p{N}][\p{L}\p{N}-]{0,29}$/u, { error: 'expected a short word (letters, digits and dashes, at most 30)' }),
          { error: expected('a list of short words') },
        )
        .max(20, { error: 'expected at most 20 tags' })
        .optional()
        .meta({ description: 'Short words to find the exercise by, e.g. [stretch, supine, mobility].' }),
    },
    { error: expected('a mapping describing one exercise (name, steps, …)') },
  )
  .meta({
    title: 'exercise',
    description: 'One exercise of the library (content/exercises/<locale>/<id>.yaml), used by handouts as "- exercise: <id>".',
  });

export type ExerciseFileData = z.infer<typeof exerciseFileSchema>;

export function exerciseJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(exerciseFileSchema, { target: 'draft-7', io: 'input' }) as Record<string, unknown>;
}

/** The JSON Schema editors use for autocomplete (yaml-language-server). */
export function handoutJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(handoutSchema, { target: 'draft-7', io: 'input' }) as Record<string, unknown>;
}

/**
 * A saved program, content/programs/<locale>/<name>.yaml: a protocol such as "low back pain,
 * week 1", made of library exercises with their doses (the reference form a handout uses),
 * printed for one patient by `handout program` (content/program-document.ts).
 */
export const programSchema = z
  .strictObject(
    {
      title: text('The program title, printed as the sheet\'s title, e.g. "Low back pain: week 1".'),
      summary: text('A short introduction in plain language.').optional(),
      warning: titledText(
        'The prominent safety warning at the top of the page. Defaults to the locale\'s program warning (templates/locales/<locale>.yaml, program_warning).',
      ).optional(),
      exercises: z
        .array(exerciseReference, { error: expected('a list of library exercises ("- exercise: <id>" with its dose)') })
        .min(1, { error: 'expected at least one exercise' })
        .max(8, { error: 'expected at most 8 exercises on a one-page sheet' })
        .meta({ description: 'Exercises from the library, each "- exercise: <id>" with this program\'s reps, sets, hold_seconds, frequency, repeat, caution or stop_rule.' }),
      notes: text('Notes from the clinician, printed under the exercises.').optional(),
      region: handoutSchema.shape.region,
    },
    { error: expected('a mapping of program fields (title, exercises, …)') },
  )
  .meta({
    title: 'program',
    description: 'A saved program of library exercises (content/programs/<locale>/<name>.yaml), printed for one patient by `handout program <name> --patient …`.',
  });

export type ProgramData = z.infer<typeof programSchema>;

export function programJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(programSchema, { target: 'draft-7', io: 'input' }) as Record<string, unknown>;
}

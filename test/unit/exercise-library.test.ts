/**
 * The exercise library (content/exercises/<locale>/<id>.yaml): a reference is placed as the
 * same data as the exercise written inline (so the sheet cannot tell them apart), with the
 * handout's dose over the library's; regional locales fall back to their base language;
 * an unknown id, a malformed reference and a broken library file are errors at their own
 * file, line and column; the cache key holds exactly the library files a handout uses.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExerciseLibrary, libraryInputs } from '../../src/content/exercise-library.js';
import { loadYaml } from '../../src/content/load-yaml.js';
import { closest, validateHandout, type ValidHandout } from '../../src/content/validate-handout.js';
import { CatalogStore } from '../../src/i18n/load-catalog.js';
import { checkPlainLanguage } from '../../src/plain-language/check-plain-language.js';
import { IllustrationStore } from '../../src/resolve/load-image.js';
import { resolveHandout } from '../../src/resolve/resolve-handout.js';
import { CONTENT, TEMPLATES } from '../helpers/cli.js';

let dir: string;
let content: string;

const KNEE_TO_CHEST = `# yaml-language-server: $schema=../../../schema/exercise.schema.json
name: Single Knee to Chest
illustration: knee-to-chest
steps:
  - Lie on your back, knees bent.
  - Bring one knee up toward your chest.
hold_seconds: [20, 30]
reps: 3
caution: Go gently.
region: back
tags: [stretch, lying]
`;

const INLINE = `  - name: Single Knee to Chest
    illustration: knee-to-chest
    steps:
      - Lie on your back, knees bent.
      - Bring one knee up toward your chest.
    hold_seconds: [20, 30]
    reps: 3
    caution: Go gently.
`;

const handout = (exercises: string) => `title: Back
warning: { title: Careful, text: Go slowly. }
exercises:
${exercises}`;

async function write(rel: string, text: string): Promise<void> {
  await mkdir(path.dirname(path.join(content, rel)), { recursive: true });
  await writeFile(path.join(content, rel), text);
}

/** Loads and validates content/<locale>/<slug>.yaml, which must pass its own schema. */
async function valid(locale: string, slug: string): Promise<ValidHandout> {
  const absPath = path.join(content, locale, `${slug}.yaml`);
  const source = { absPath, file: `content/${locale}/${slug}.yaml`, locale, slug };
  const result = validateHandout(source, await loadYaml(absPath, source.file));
  if (!result.ok) throw new Error(result.errors.map(String).join('\n'));
  return result.value;
}

/** The errors of placing a handout's exercises, with the temporary folder left out of their paths. */
async function placeErrors(locale: string, slug: string): Promise<string[]> {
  const placed = await new ExerciseLibrary(content).place(await valid(locale, slug));
  return placed.ok ? [] : placed.errors.map((e) => String(e).replaceAll(`${dir}/`, ''));
}

const catalogs = new CatalogStore(TEMPLATES);
async function viewOf(handoutValue: ValidHandout, library?: ExerciseLibrary) {
  const exercises = library ? await library.place(handoutValue) : null;
  if (exercises && !exercises.ok) throw new Error(exercises.errors.map(String).join('\n'));
  const resolved = await resolveHandout(handoutValue, {
    catalog: await catalogs.get(handoutValue.source.locale),
    illustrations: new IllustrationStore(path.join(CONTENT, 'illustrations')),
    pageSize: 'A4',
    clinic: null,
    personal: null,
    largePrint: false,
    ...(exercises ? { exercises: exercises.value } : {}),
  });
  // The site links name the handout's own file; everything printed must be the same.
  return { view: { ...resolved.view, site: null }, safety: resolved.safety };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'handout-library-'));
  content = path.join(dir, 'content');
  await write('exercises/en/knee-to-chest.yaml', KNEE_TO_CHEST);
  await write('exercises/en/pelvic-tilt.yaml', KNEE_TO_CHEST.replace('Single Knee to Chest', 'Pelvic Tilt').replace('knee-to-chest', 'pelvic-tilt'));
  await write('en/inline.yaml', handout(INLINE));
  await write('en/by-id.yaml', handout('  - exercise: knee-to-chest\n'));
  await write('en-GB/by-id.yaml', handout('  - exercise: knee-to-chest\n'));
  await write('en/typo.yaml', handout(`${INLINE}  - exercise: knee-to-chets\n  - exercise: nothing-like-it\n`));
  await write('en/dosed.yaml', handout('  - exercise: knee-to-chest\n    hold_seconds: 10\n    sets: 2\n    caution: Keep your head down.\n    stop_rule: Stop if your hip hurts.\n'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('a reference to the library', () => {
  it('prints exactly what the same exercise written inline prints: the same page, the same safety texts', async () => {
    const library = new ExerciseLibrary(content);
    const byId = await viewOf(await valid('en', 'by-id'), library);
    const inline = await viewOf(await valid('en', 'inline'));
    expect(byId).toEqual(inline);
    expect(byId.view.exercises[0]!.dose).toEqual(['Hold 20–30 seconds', '3 repetitions']);
  });

  it("takes the handout's dose, caution and stop rule over the library's, and keeps the rest", async () => {
    const placed = await new ExerciseLibrary(content).place(await valid('en', 'dosed'));
    expect(placed.ok && placed.value[0]!.data).toEqual({
      name: 'Single Knee to Chest',
      illustration: 'knee-to-chest',
      steps: ['Lie on your back, knees bent.', 'Bring one knee up toward your chest.'],
      hold_seconds: 10,
      sets: 2,
      reps: 3,
      caution: 'Keep your head down.',
      stop_rule: 'Stop if your hip hurts.',
    });
    // Each field is found where it is written: the override in the handout, the rest in the library.
    if (!placed.ok) throw new Error('not placed');
    expect(placed.value[0]!.at('caution')).toMatchObject({ path: ['exercises', 0, 'caution'], yaml: { file: 'content/en/dosed.yaml' } });
    expect(placed.value[0]!.at('steps').path).toEqual(['steps']);
    expect(placed.value[0]!.at('steps').yaml.file).toMatch(/content\/exercises\/en\/knee-to-chest\.yaml$/);
  });

  it("falls back from a regional locale to its base language's library, and prefers the regional file once there is one", async () => {
    const library = new ExerciseLibrary(content);
    const gb = await library.place(await valid('en-GB', 'by-id'));
    expect(gb.ok && gb.value[0]!.libraryFile).toMatch(/exercises\/en\/knee-to-chest\.yaml$/);
    await write('exercises/en-GB/knee-to-chest.yaml', KNEE_TO_CHEST.replace('Lie on your back', 'Lie on your back (GB)'));
    try {
      const regional = await new ExerciseLibrary(content).place(await valid('en-GB', 'by-id'));
      expect(regional.ok && regional.value[0]!.data.steps[0]).toBe('Lie on your back (GB), knees bent.');
    } finally {
      await rm(path.join(content, 'exercises/en-GB'), { recursive: true });
    }
  });

  it('is an error at the id for an unknown exercise, with "did you mean" when one is close, and a hint that lists the library', async () => {
    expect(await placeErrors('en', 'typo')).toEqual([
      'content/en/typo.yaml:12:15: unknown exercise "knee-to-chets" (no content/exercises/en/knee-to-chets.yaml); did you mean "knee-to-chest"? [UNKNOWN_EXERCISE]',
      'content/en/typo.yaml:13:15: unknown exercise "nothing-like-it" (no content/exercises/en/nothing-like-it.yaml) [UNKNOWN_EXERCISE]',
    ]);
    const placed = await new ExerciseLibrary(content).place(await valid('en', 'typo'));
    const hint = placed.ok ? '' : placed.errors[0]!.hint.replaceAll(`${dir}/`, '');
    expect(hint).toBe(
      'Add the exercise to the library as content/exercises/en/knee-to-chets.yaml (name, steps and the rest, as in a handout: `handout schema exercise`), or write it out in the handout. The library has, for en: knee-to-chest, pelvic-tilt.',
    );
  });

  it('names both files a regional handout looks in', async () => {
    await write('en-GB/typo.yaml', handout('  - exercise: pelvic-tlit\n'));
    expect(await placeErrors('en-GB', 'typo')).toEqual([
      'content/en-GB/typo.yaml:4:15: unknown exercise "pelvic-tlit" (no content/exercises/en-GB/pelvic-tlit.yaml or content/exercises/en/pelvic-tlit.yaml); did you mean "pelvic-tilt"? [UNKNOWN_EXERCISE]',
    ]);
  });

  it('reports a broken library file at its own line, for every handout that uses it, and for no other', async () => {
    await write('exercises/en/broken.yaml', 'name: Broken\nsteps: Lie down.\nregion: elbow\ncolour: red\n');
    await write('en/uses-broken-1.yaml', handout('  - exercise: broken\n'));
    await write('en/uses-broken-2.yaml', handout(`${INLINE}  - exercise: broken\n  - exercise: broken\n`));
    const expected = (handoutFile: string, index: number) =>
      [
        'content/exercises/en/broken.yaml:2:8: steps: expected a list of steps (one "- step" per line), got the text "Lie down."',
        'content/exercises/en/broken.yaml:3:9: region: expected one of back, neck, shoulder, hip, knee, ankle, got the text "elbow"',
        'content/exercises/en/broken.yaml:4:1: colour: unknown field "colour"',
      ].map((e) => `${e} (in the library exercise that ${handoutFile} uses as exercises[${index}]) [SCHEMA]`);
    expect(await placeErrors('en', 'uses-broken-1')).toEqual(expected('content/en/uses-broken-1.yaml', 0));
    // Used twice, said once.
    expect(await placeErrors('en', 'uses-broken-2')).toEqual(expected('content/en/uses-broken-2.yaml', 1));
    expect(await placeErrors('en', 'by-id')).toEqual([]);
    const placed = await new ExerciseLibrary(content).place(await valid('en', 'uses-broken-1'));
    expect(placed.ok ? '' : placed.errors[0]!.hint).toBe('See `handout schema exercise` for the fields of a library exercise.');
  });
});

describe('the form of a reference', () => {
  const errorsOf = async (exercises: string) => {
    await write('en/form.yaml', handout(exercises));
    const absPath = path.join(content, 'en/form.yaml');
    const result = validateHandout({ absPath, file: 'content/en/form.yaml', locale: 'en', slug: 'form' }, await loadYaml(absPath, 'content/en/form.yaml'));
    return result.ok ? [] : result.errors.map(String);
  };

  it('takes only a dose, a caution and a stop rule beside the id, said at the field (not zod\'s "Invalid input")', async () => {
    expect(await errorsOf('  - exercise: knee-to-chest\n    steps: [Lie down.]\n    reps: many\n')).toEqual([
      'content/en/form.yaml:5:5: exercises[0].steps: unknown field "steps" [SCHEMA]',
      'content/en/form.yaml:6:11: exercises[0].reps: expected a whole number, got the text "many" [SCHEMA]',
    ]);
  });

  it('wants an id like a file name, and still reports an inline exercise as one', async () => {
    expect(await errorsOf('  - exercise: Knee To Chest\n  - name: Hug\n    steps: Lie down.\n')).toEqual([
      'content/en/form.yaml:4:15: exercises[0].exercise: expected the id of an exercise in the library: its file name in content/exercises/<locale>/ without .yaml (lowercase letters, digits and dashes) [SCHEMA]',
      'content/en/form.yaml:6:12: exercises[1].steps: expected a list of steps (one "- step" per line), got the text "Lie down." [SCHEMA]',
    ]);
    expect(await errorsOf('  - knee-to-chest\n')).toEqual([
      'content/en/form.yaml:4:5: exercises[0]: expected a mapping describing one exercise (name, steps, …), or "exercise: <id>" for one from the library, got the text "knee-to-chest" [SCHEMA]',
    ]);
  });
});

describe('did you mean', () => {
  it('suggests the closest id when it is a likely typo, and nothing when none is close', () => {
    const ids = ['cat-cow', 'knee-to-chest', 'double-knee-to-chest', 'pelvic-tilt'];
    expect(closest('knee-to-chets', ids)).toBe('knee-to-chest');
    expect(closest('pelvic-tlit', ids)).toBe('pelvic-tilt');
    expect(closest('double-knee-chest', ids)).toBe('double-knee-to-chest');
    expect(closest('glute-bridge', ids)).toBeUndefined();
    expect(closest('cat', [])).toBeUndefined();
  });
});

describe("a handout's cache inputs from the library", () => {
  it('are the files it references, found per locale, and no others', async () => {
    const text = handout(`${INLINE}  - exercise: knee-to-chest\n  - exercise: knee-to-chest\n`);
    const en = await libraryInputs(content, 'en', text);
    expect(en.map((i) => [i.file, i.bytes?.toString()])).toEqual([['exercises/en/knee-to-chest.yaml', KNEE_TO_CHEST]]);
    // en-GB first looks for its own file: its absence is part of the key, so adding one rebuilds.
    const gb = await libraryInputs(content, 'en-GB', text);
    expect(gb.map((i) => [i.file, i.bytes === null])).toEqual([
      ['exercises/en-GB/knee-to-chest.yaml', true],
      ['exercises/en/knee-to-chest.yaml', false],
    ]);
    expect(await libraryInputs(content, 'en', handout(INLINE))).toEqual([]);
  });
});

describe('plain language of a library exercise', () => {
  it('is checked with the sheet, and each finding points into the library file', async () => {
    await write('exercises/en/shouting.yaml', 'name: Shouting\nsteps:\n  - Lie down.\n  - DO NOT BOUNCE on the bed.\n');
    await write('en/shouts.yaml', handout('  - exercise: shouting\n    caution: DO NOT rush.\n'));
    const value = await valid('en', 'shouts');
    const placed = await new ExerciseLibrary(content).place(value);
    if (!placed.ok) throw new Error('not placed');
    const report = checkPlainLanguage({ name: 'en/shouts', data: value.data, source: { yaml: value.yaml, text: value.yaml.text ?? null }, locale: 'en', exercises: placed.value });
    expect(report.findings.map((f) => String(f).replaceAll(`${dir}/`, ''))).toEqual([
      'content/exercises/en/shouting.yaml:4:5: exercises[0].steps[1]: words in capitals: "DO NOT BOUNCE" [ALL_CAPS]',
      'content/en/shouts.yaml:5:14: exercises[0].caution: words in capitals: "DO NOT" [ALL_CAPS]',
    ]);
  });
});

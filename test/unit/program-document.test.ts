/**
 * A personal program turned into the handout document it prints as, without a browser:
 * the saved program's fields, the catalog's defaults where it has none, exercise ids from the
 * command line with their doses, errors at their line or argument, and the prescription saved
 * beside the sheet read back as it was written.
 */
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverHandouts } from '../../src/content/discover-handouts.js';
import { ExerciseLibrary } from '../../src/content/exercise-library.js';
import { handoutSchema } from '../../src/content/handout-schema.js';
import { parseYaml } from '../../src/content/load-yaml.js';
import { CatalogStore } from '../../src/i18n/load-catalog.js';
import {
  COMMAND_LINE,
  loadSavedProgram,
  parseExerciseArgument,
  programFromExercises,
  programHandout,
  programNames,
  programSlug,
  sheetHandout,
  validateProgram,
} from '../../src/content/program-document.js';
import { outputName, shownName } from '../../src/build/output-name.js';
import { prescriptionText, readPrescription } from '../../src/program/print-program.js';
import { checkSavedPrograms } from '../../src/build/check-programs.js';
import { CONTENT, TEMPLATES } from '../helpers/cli.js';

let dir: string;
let strings: Awaited<ReturnType<CatalogStore['get']>>['strings'];
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'handout-program-unit-'));
  await mkdir(path.join(dir, 'programs', 'en'), { recursive: true });
  await writeFile(path.join(dir, 'programs', 'en', 'low-back-week-1.yaml'), 'title: "Low back: week 1"\nexercises:\n  - exercise: knee-to-chest\n    reps: 5\nnotes: Walk every day.\n');
  await writeFile(path.join(dir, 'programs', 'en', 'neck-week-1.yaml'), 'title: Neck\nexercises:\n  - exercise: chin-tuck\n    reps: "five"\n');
  strings = (await new CatalogStore(TEMPLATES).get('en')).strings;
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('a saved program as a handout', () => {
  it('keeps its title, summary and exercises with their doses; the catalog gives the warning; notes become a titled consideration', async () => {
    const loaded = await loadSavedProgram(dir, 'en', 'low-back-week-1');
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    const handout = programHandout(loaded.value.data, strings);
    expect(handout).toEqual({
      title: 'Low back: week 1',
      warning: { title: strings.program_warning_title, text: strings.program_warning },
      exercises: [{ exercise: 'knee-to-chest', reps: 5 }],
      considerations: [{ title: strings.program_notes, text: 'Walk every day.' }],
    });
    // The same data a content/<locale>/<slug>.yaml with references would hold.
    expect(handoutSchema.safeParse(handout).success).toBe(true);
    expect(programSlug(loaded.value)).toBe('low-back-week-1');
  });

  it('prints its own warning, when it has one, instead of the default', () => {
    const yaml = parseYaml('title: T\nwarning:\n  title: Careful\n  text: Go slowly.\nexercises:\n  - exercise: cat-cow\n', 'p.yaml');
    const v = validateProgram(yaml);
    expect(v.ok && programHandout(v.value.data, strings).warning).toEqual({ title: 'Careful', text: 'Go slowly.' });
  });

  it('reports a wrong dose at its line, and an exercise written out (not from the library) as not a reference', async () => {
    const loaded = await loadSavedProgram(dir, 'en', 'neck-week-1');
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.errors.map(String)).toEqual([expect.stringMatching(/neck-week-1\.yaml:4:11: exercises\[0\]\.reps: expected a whole number/)]);
    const inline = validateProgram(parseYaml('title: T\nexercises:\n  - name: Walk\n    steps: [Walk]\n', 'p.yaml'));
    expect(inline.ok).toBe(false);
    if (!inline.ok) expect(inline.errors[0]!.where).toMatchObject({ file: 'p.yaml', line: 3 });
  });

  it('lists the programs of the locale for an unknown name, with what it may have meant', async () => {
    expect(await programNames(dir, 'en')).toEqual(['low-back-week-1', 'neck-week-1']);
    const loaded = await loadSavedProgram(dir, 'en', 'low-back-week-2');
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    const [error] = loaded.errors;
    expect(error!.code).toBe('UNKNOWN_PROGRAM');
    expect(error!.message).toContain('did you mean "low-back-week-1"?');
    expect(error!.hint).toContain('low-back-week-1, neck-week-1');
    const none = await loadSavedProgram(dir, 'es', 'x');
    expect(!none.ok && none.errors[0]!.hint).toContain('no saved programs for es');
  });
});

describe('the programs folder', () => {
  it('is not taken for a locale, nor its programs for handouts', async () => {
    const discovery = await discoverHandouts(dir);
    expect(discovery.errors).toEqual([]);
    expect(discovery.sources).toEqual([]);
  });
});

describe('handout check of the saved programs', () => {
  it('passes a good program and fails a wrong dose or an unknown id at its line, in the selected locales', async () => {
    const content = path.join(dir, 'checked');
    await cp(path.join(CONTENT, 'exercises'), path.join(content, 'exercises'), { recursive: true });
    await mkdir(path.join(content, 'programs', 'en'), { recursive: true });
    await mkdir(path.join(content, 'programs', 'es'), { recursive: true });
    await writeFile(path.join(content, 'programs', 'en', 'good.yaml'), 'title: Good\nexercises:\n  - exercise: knee-to-chest\n    reps: 5\n');
    await writeFile(path.join(content, 'programs', 'en', 'renamed.yaml'), 'title: Old\nexercises:\n  - exercise: knee-to-chets\n');
    await writeFile(path.join(content, 'programs', 'es', 'mal.yaml'), 'title: Mal\nexercises:\n  - exercise: supine-spinal-twist\n    reps: 0\n');
    const { results, documents } = await checkSavedPrograms({ contentDir: content, templatesDir: TEMPLATES });
    // Only the program that passed goes on to be printed, as the handout it prints as.
    expect(documents.map((d) => [d.source.slug, (d.yaml.data as { title: string }).title])).toEqual([['good', 'Good']]);
    const verdicts = results.map((r) => [r.slug, r.ok, r.errors.map((e) => `${e.code} ${e.where?.line}:${e.where?.col}`)]);
    expect(verdicts).toEqual([
      ['good', true, []],
      ['renamed', false, ['UNKNOWN_EXERCISE 3:15']],
      ['mal', false, ['SCHEMA 4:11']],
    ]);
    expect(results[1]!.errors[0]!.message).toContain('did you mean "knee-to-chest"?');
    expect((await checkSavedPrograms({ contentDir: content, templatesDir: TEMPLATES, locales: ['es'] })).results.map((r) => r.slug)).toEqual(['mal']);
    // The shipped saved programs pass.
    const shipped = (await checkSavedPrograms({ contentDir: CONTENT, templatesDir: TEMPLATES })).results;
    expect(shipped.length).toBeGreaterThan(0);
    expect(shipped.filter((r) => !r.ok)).toEqual([]);
    expect(new Set(shipped.map((r) => r.slug))).toEqual(new Set(['low-back-week-1']));
  });
});

describe('saved programs of a regional locale', () => {
  it('are its own, else its base language\'s, as the library and catalogs fall back', async () => {
    await mkdir(path.join(dir, 'programs', 'en-GB'), { recursive: true });
    await writeFile(path.join(dir, 'programs', 'en-GB', 'hip-week-1.yaml'), 'title: Hip\nexercises:\n  - exercise: glute-bridge\n');
    expect(await programNames(dir, 'en-GB')).toEqual(['hip-week-1', 'low-back-week-1', 'neck-week-1']);
    expect(await programNames(dir, 'en')).toEqual(['low-back-week-1', 'neck-week-1']);
    const inherited = await loadSavedProgram(dir, 'en-GB', 'low-back-week-1');
    expect(inherited.ok && path.relative(dir, inherited.value.absPath!)).toBe(path.join('programs', 'en', 'low-back-week-1.yaml'));
    const own = await loadSavedProgram(dir, 'en-GB', 'hip-week-1');
    expect(own.ok && path.relative(dir, own.value.absPath!)).toBe(path.join('programs', 'en-GB', 'hip-week-1.yaml'));
    expect((await loadSavedProgram(dir, 'en', 'hip-week-1')).ok).toBe(false);
    await rm(path.join(dir, 'programs', 'en-GB'), { recursive: true });
  });
});

describe('exercise ids from the command line', () => {
  it('reads each id with its dose', () => {
    expect(parseExerciseArgument('knee-to-chest')).toEqual({ exercise: 'knee-to-chest' });
    expect(parseExerciseArgument('knee-to-chest:reps=5,sets=2')).toEqual({ exercise: 'knee-to-chest', reps: 5, sets: 2 });
    expect(parseExerciseArgument('supine-spinal-twist:hold_seconds=15-30,frequency=Twice a day')).toEqual({
      exercise: 'supine-spinal-twist',
      hold_seconds: [15, 30],
      frequency: 'Twice a day',
    });
    expect(() => parseExerciseArgument('Knee To Chest')).toThrow(/not an exercise id/);
    expect(() => parseExerciseArgument('knee-to-chest:name=Hug')).toThrow(/expected key=value pairs/);
  });

  it("are a program titled from the catalog, whose errors name the argument, not a line of YAML", () => {
    const ok = programFromExercises([{ exercise: 'cat-cow' }, { exercise: 'knee-to-chest', reps: 4 }], strings);
    expect(ok.ok && programHandout(ok.value.data, strings)).toMatchObject({ title: strings.program_title, exercises: [{ exercise: 'cat-cow' }, { exercise: 'knee-to-chest', reps: 4 }] });
    expect(ok.ok && programSlug(ok.value)).toMatch(/^exercises-[0-9a-f]{6}$/);
    const bad = programFromExercises([{ exercise: 'cat-cow' }, parseExerciseArgument('knee-to-chest:reps=0')], strings);
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.errors.map(String)).toEqual([`${COMMAND_LINE}: argument 2 (knee-to-chest): reps: expected at least 1 [SCHEMA]`]);
  });

  it('become library exercises placed like a handout\'s references, an unknown id with did-you-mean', async () => {
    const program = programFromExercises([{ exercise: 'knee-to-chets' }], strings);
    expect(program.ok).toBe(true);
    if (!program.ok) return;
    const source = { absPath: path.join(CONTENT, 'programs', 'en', 'x.yaml'), file: COMMAND_LINE, locale: 'en', slug: 'x' };
    const placed = await new ExerciseLibrary(CONTENT).place({ source, data: programHandout(program.value.data, strings), yaml: program.value.yaml });
    expect(placed.ok).toBe(false);
    if (!placed.ok) expect(placed.errors[0]!.message).toContain('did you mean "knee-to-chest"?');
  });
});

describe('the prescription saved beside the sheet', () => {
  it('reads back what was written, ids with their doses or a program by name', async () => {
    const written = [
      { exercises: [{ exercise: 'knee-to-chest', reps: 5 }], locale: 'es', page_size: 'Letter' as const, large_print: true, patient: "Zoë O'Brien", date: '2026-12-05' },
      { program: 'low-back-week-1', locale: 'en', patient: 'Jürgen Weiß', clinician: 'Sam Lee, PT' },
    ];
    for (const [i, p] of written.entries()) {
      const file = path.join(dir, `p${i}.yaml`);
      await writeFile(file, prescriptionText(p));
      const read = await readPrescription(file);
      expect(read.ok && read.value.prescription).toEqual(p);
    }
  });

  it('refuses one with neither or both of program and exercises, or a date not on the calendar, at its line', async () => {
    const file = path.join(dir, 'bad.yaml');
    await writeFile(file, 'locale: en\npatient: A\ndate: 2026-02-31\n');
    const read = await readPrescription(file);
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.errors.map((e) => e.message).join('\n')).toMatch(/February 2026 has 28 days/);
    await writeFile(file, 'program: a\nexercises: [{ exercise: b }]\nlocale: en\npatient: A\n');
    const both = await readPrescription(file);
    expect(!both.ok && both.errors[0]!.message).toMatch(/either program .* or exercises/);
    await writeFile(file, 'program: a\nlocal: en\npatient: A\n');
    const typo = await readPrescription(file);
    expect(!typo.ok && typo.errors.find((e) => e.message.includes('unknown field'))?.hint).toMatch(/^Did you mean "locale"\?/);
  });
});

describe('a program split over sheets (--split)', () => {
  const handout = programHandout(
    {
      title: 'Week 2',
      summary: 'Four exercises.',
      exercises: ['knee-to-chest', 'pelvic-tilt', 'glute-bridge', 'cat-cow'].map((exercise) => ({ exercise })),
      notes: 'Walk every day.',
    },
    { program_title: 'Your exercises', program_warning_title: 'W', program_warning: 'Do no more.', program_notes: 'Notes' },
  );

  it('gives each sheet its own exercises in order, the summary on the first, the notes where the range says, the title and warning on all', () => {
    const first = sheetHandout(handout, { first: 0, end: 2, notes: false });
    const second = sheetHandout(handout, { first: 2, end: 4, notes: true });
    expect(first.exercises).toEqual([{ exercise: 'knee-to-chest' }, { exercise: 'pelvic-tilt' }]);
    expect(second.exercises).toEqual([{ exercise: 'glute-bridge' }, { exercise: 'cat-cow' }]);
    expect([first.summary, second.summary]).toEqual(['Four exercises.', undefined]);
    expect([first.considerations, second.considerations]).toEqual([undefined, handout.considerations]);
    for (const sheet of [first, second]) {
      expect(sheet.title).toBe('Week 2');
      expect(sheet.warning).toEqual(handout.warning);
      expect(handoutSchema.safeParse(sheet).success).toBe(true);
    }
    // The notes may go on an earlier sheet with room.
    expect(sheetHandout(handout, { first: 0, end: 2, notes: true }).considerations).toEqual(handout.considerations);
  });

  it('names each sheet after the program, the patient and the date, numbered, with the name hidden in what is shown', () => {
    const source = { absPath: '/c/programs/en/week-2.yaml', file: 'week-2.yaml', locale: 'en', slug: 'week-2', sheet: { index: 1, count: 2, first: 0 } };
    const personal = { patient: 'Zoë O\'Brien', date: '2026-12-05' };
    expect(outputName(source, personal, false)).toMatch(/^en\/week-2--zoe-obrien-[0-9a-f]{6}--2026-12-05--sheet-1-of-2$/);
    expect(outputName({ ...source, sheet: { index: 2, count: 2, first: 2 } }, personal, true)).toMatch(/--sheet-2-of-2\.large-print$/);
    expect(shownName(source, personal, false)).toMatch(/^en\/week-2--…-[0-9a-f]{6}--2026-12-05--sheet-1-of-2$/);
  });
});

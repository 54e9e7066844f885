/**
 * The cache keys a sheet on the effective value of every option that changes it, and on
 * nothing else: an option that changes output but is missing from the key would serve a
 * stale PDF; one in the key that changes nothing rebuilds every sheet for nothing
 * (`--page-size A4` on an A4 clinic once did).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACT_PRODUCERS } from '../../src/build/artifacts.js';
import type { BuildOptions } from '../../src/build/build-handouts.js';
import { handoutKey } from '../../src/build/input-fingerprint.js';
import { effectivePageSize, OPTION_EFFECTS, sheetOptions } from '../../src/build/sheet-options.js';
import type { HandoutSource } from '../../src/content/validate-handout.js';
import type { Printer } from '../../src/print/launch-printer.js';

let dir: string;
let source: HandoutSource;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'handout-sheet-options-'));
  source = { absPath: path.join(dir, 'knee-hug.yaml'), file: 'content/en/knee-hug.yaml', locale: 'en', slug: 'knee-hug' };
  await writeFile(source.absPath, 'title: Knee hug\n');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

type Clinic = Parameters<typeof effectivePageSize>[1];
const base: BuildOptions = { contentDir: '/clinic/content', templatesDir: '/clinic/templates', outDir: '/clinic/output' };

/** The key of the test's sheet (en/knee-hug) built with these options, for this clinic.yaml. */
async function key(options: BuildOptions, clinic?: Clinic): Promise<string> {
  return (await handoutKey('fingerprint', source, ['en', 'es'], sheetOptions(options, effectivePageSize(options.pageSize, clinic, source.locale)), dir)).key;
}

/**
 * Values other than the default for every build option. The type requires one entry per
 * option: a new option cannot be added to BuildOptions (and OPTION_EFFECTS) without
 * saying here how to vary it.
 */
const variants: { [K in keyof BuildOptions]-?: Array<BuildOptions[K]> } = {
  contentDir: ['/elsewhere/content'],
  templatesDir: ['/elsewhere/templates'],
  outDir: ['/elsewhere/output'],
  privateDir: ['/elsewhere/private'],
  locales: [['en'], ['es', 'fr']],
  only: [['knee-hug']],
  shard: [{ index: 2, count: 3 }],
  documents: [[]],
  pageSize: ['Letter'],
  largePrint: [true],
  personal: [{ patient: 'Jane Doe' }, { clinician: 'Dr Lee' }, { date: '2026-12-01' }, {}],
  sourceDateEpoch: ['1767225600'],
  artifacts: [[...ARTIFACT_PRODUCERS, { kind: 'text', extension: '.txt', produce: () => '' }], ARTIFACT_PRODUCERS.slice(0, 1)],
  strict: [true],
  reviewedOnly: [true],
  chrome: ['/usr/bin/chromium'],
  browserWSEndpoint: ['ws://127.0.0.1:9222/devtools/browser/x'],
  printer: [{ javaScript: true }],
  launched: [Promise.resolve({} as Printer)],
  concurrency: [1, 4],
  timeoutMs: [5000],
  force: [true],
  signal: [new AbortController().signal],
  onResult: [() => {}],
  onPlan: [() => {}],
};

describe('the cache key of a sheet', () => {
  const options = Object.keys(OPTION_EFFECTS) as Array<keyof BuildOptions>;

  it('classifies every build option, and the test varies each one', () => {
    expect(options.sort()).toEqual((Object.keys(variants) as Array<keyof BuildOptions>).sort());
  });

  it.each(options.filter((o) => OPTION_EFFECTS[o] === 'sheet'))('changes with %s, an option that changes the printed sheet', async (option) => {
    const plain = await key(base);
    for (const value of variants[option]) {
      expect(await key({ ...base, [option]: value }), `${option}: ${JSON.stringify(value)}`).not.toBe(plain);
    }
  });

  it.each(options.filter((o) => OPTION_EFFECTS[o] !== 'sheet'))('does not change with %s, an option that does not change the sheet', async (option) => {
    const plain = await key(base);
    for (const value of variants[option]) expect(await key({ ...base, [option]: value })).toBe(plain);
  });

  it('tells every personal copy apart, and the blank sheet from a copy with nothing filled in', async () => {
    const keys = await Promise.all(variants.personal.map((personal) => key({ ...base, personal })));
    keys.push(await key(base));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('is the same for the same effective values, however they were given', async () => {
    // The default files, named explicitly.
    expect(await key({ ...base, artifacts: [...ARTIFACT_PRODUCERS] })).toBe(await key(base));
    // The default paper given explicitly, with or without a clinic.yaml that names it.
    expect(await key({ ...base, pageSize: 'A4' })).toBe(await key(base));
    expect(await key({ ...base, pageSize: 'A4' }, { page_size: 'A4' })).toBe(await key(base, { page_size: 'A4' }));
    // The clinic's paper for this locale, or the same paper by flag.
    const letter = await key({ ...base, pageSize: 'Letter' });
    expect(await key(base, { page_size_by_locale: { en: 'Letter' } })).toBe(letter);
    expect(await key(base, { page_size: 'Letter', page_size_by_locale: { es: 'A4' } })).toBe(letter);
    expect(await key(base, { page_size_by_locale: { es: 'Letter' } })).not.toBe(letter);
    // The flag wins over the clinic's paper.
    expect(await key({ ...base, pageSize: 'A4' }, { page_size: 'Letter' })).toBe(await key(base));
    // The same date however SOURCE_DATE_EPOCH spells it; one that is not a number is ignored, as documentDate() ignores it.
    expect(await key({ ...base, sourceDateEpoch: '01767225600' })).toBe(await key({ ...base, sourceDateEpoch: '1767225600' }));
    expect(await key({ ...base, sourceDateEpoch: 'yesterday' })).toBe(await key(base));
    expect(await key({ ...base, sourceDateEpoch: '' })).toBe(await key(base));
    // Fields left undefined, large print false, in any order.
    expect(await key({ ...base, largePrint: false })).toBe(await key(base));
    expect(await key({ ...base, personal: { patient: 'Jo', clinician: undefined, date: '2026-12-01' } })).toBe(
      await key({ ...base, personal: { date: '2026-12-01', patient: 'Jo' } }),
    );
  });
});

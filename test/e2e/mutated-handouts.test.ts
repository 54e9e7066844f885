/**
 * Property: whatever a handout file holds, the tool either verifies a PDF or reports a
 * positioned error with a code — never an unhandled exception, an "internal error", or a
 * failure that hides one (a TypeError wrapped as a content error).
 *
 * Mutated handouts start from real, valid ones (the shipped lower-back-relief in English,
 * Arabic and Chinese, and another English one) and are damaged by fast-check: keys
 * dropped, values replaced by wrong types, huge strings or odd Unicode, keys added, YAML
 * syntax broken, lines duplicated (duplicate keys), indentation shifted, bytes that are
 * not UTF-8. Most cases go through the in-process prepare stage (everything `handout
 * check` does); a few runs go through a real `handout build` with Chromium. The seed is
 * fixed, so a failure reproduces; fast-check prints the smallest handout that fails.
 */
import { readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareHandouts } from '../../src/build/prepare-handouts.js';
import { displayPath } from '../../src/content/safe-file.js';
import { HandoutError, type ErrorCode } from '../../src/errors.js';
import { CONTENT, copyInto, removeDir, runCli, tempDir, TEMPLATES } from '../helpers/cli.js';

const SEED = 20261130;

/** Real handouts to start from: [locale, file]. */
const BASES = [
  ['en', 'lower-back-relief.yaml'],
  ['en', 'knee-to-chest.yaml'],
  ['ar', 'lower-back-relief.yaml'],
  ['zh', 'lower-back-relief.yaml'],
] as const;

/** What a handout's content can be blamed for. Anything else (BROWSER, TEMPLATE, …) would be the tool's fault. */
const CONTENT_CODES = new Set<ErrorCode>([
  'YAML_SYNTAX',
  'YAML_DUPLICATE_KEY',
  'YAML_UNSUPPORTED',
  'FILE_ENCODING',
  'FILE_TOO_LARGE',
  'SCHEMA',
  'UNKNOWN_EXERCISE',
  'ASSET_MISSING',
  'ASSET_UNSAFE',
  'GLYPH_MISSING',
  'NOT_ONE_PAGE',
  'TEXT_LOST',
]);
/** Errors about a place in the YAML must say where: line and column. */
const POSITIONED_CODES = new Set<ErrorCode>(['YAML_SYNTAX', 'YAML_DUPLICATE_KEY', 'SCHEMA', 'ASSET_MISSING', 'ASSET_UNSAFE', 'FILE_ENCODING']);
/** What leaks from a bug rather than from a message written for people. */
const BUG_WORDS = /undefined|\[object Object\]|NaN|Cannot read prop|is not a function|is not iterable|Maximum call stack|internal error/;

// ---------------------------------------------------------------- arbitraries

const oddStrings = fc.constantFrom(
  '',
  ' ',
  '\u202eevil\u202c', // right-to-left override
  'a\u0301\u0302\u0303\u0304', // stacked combining marks
  '\u200b\u200c\u200d\ufeff', // zero-width characters
  '🩺💊🦴', // emoji (no embedded font draws them)
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  'ﷺ ﷽',
  'İıßẞ',
  '\u00ad\u00ad',
  '\u0007\u001b[31m',
  'line\nbreak\r\nand\u2028separator',
  '<script>alert(1)</script>',
  '{{title}} {{{title}}}',
  '__proto__',
  'constructor',
  '~',
  'null',
  'yes',
  '0x1F',
  '1e400',
  '-.inf',
  'https://example.org/' + 'x'.repeat(600),
  'x'.repeat(2001),
  'word '.repeat(400),
  'Donaudampfschifffahrtsgesellschaftskapitänswitwe'.repeat(6),
);

const leaf: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: oddStrings },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ maxLength: 3000 }) },
  { weight: 2, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -1, 600, 601, 1e308)) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)) },
);
const value: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: leaf },
  { weight: 1, arbitrary: fc.array(leaf, { maxLength: 25 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 12 }), leaf, { maxKeys: 4 }) },
  { weight: 1, arbitrary: fc.array(fc.dictionary(fc.constantFrom('title', 'text', 'name', 'steps', 'by', 'date'), leaf, { maxKeys: 3 }), { maxLength: 10 }) },
);

/**
 * Text that keeps the handout valid but is odd to print: right-to-left overrides, stacked
 * accents, zero-width characters, emoji, markup, long words, text that overflows the page.
 * These reach Chromium and the verifier.
 */
const printableText = fc.oneof(
  { weight: 4, arbitrary: oddStrings.filter((t) => t.trim() !== '' && t.length <= 2000) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 200 }).filter((t) => t.trim() !== '') },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 50 }).filter((t) => t.trim() !== '') },
  { weight: 2, arbitrary: fc.integer({ min: 5, max: 200 }).map((n) => 'Breathe out slowly and relax. '.repeat(n).trim()) },
);
/** Replaces a piece of text (a string leaf) with printable text. */
const retextOp: fc.Arbitrary<DataOp> = fc.record({ kind: fc.constant('retext' as const), at: fc.nat(), value: printableText });

/** Changes to the data, applied before it is written as YAML. `at` picks a node (modulo their count). */
type DataOp =
  | { kind: 'retext'; at: number; value: string }
  | { kind: 'delete'; at: number }
  | { kind: 'replace'; at: number; value: unknown }
  | { kind: 'add'; at: number; key: string; value: unknown };
const dataOp: fc.Arbitrary<DataOp> = fc.oneof(
  retextOp,
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value }),
  fc.record({
    kind: fc.constant('add' as const),
    at: fc.nat(),
    key: fc.oneof(fc.constantFrom('titel', 'illustration', 'hold_seconds', '__proto__', 'constructor', 'steps', 'video', 'reviewed'), fc.string({ maxLength: 10 })),
    value,
  }),
);

/** Changes to the text (and bytes) of the file: YAML syntax damage. */
type TextOp =
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'remove'; at: number; length: number }
  | { kind: 'duplicate-line'; at: number }
  | { kind: 'indent'; at: number; by: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'bytes'; at: number; bytes: number[] };
const textOp: fc.Arbitrary<TextOp> = fc.oneof(
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(
      fc.constantFrom(':', ': ', '- ', '[', ']', '{', '}', '"', "'", '\t', '&a ', '*a', '!!str ', '!include ', '%YAML 1.1\n', '---\n', '...\n', '? ', '|', '>', '#', '<<: *a\n', '\\', '\n', '\r', '\u0000', '\ufeff', '\u2028'),
      fc.string({ unit: 'binary', maxLength: 8 }),
    ),
  }),
  fc.record({ kind: fc.constant('remove' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('duplicate-line' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('indent' as const), at: fc.nat(), by: fc.integer({ min: -4, max: 4 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('bytes' as const), at: fc.nat(), bytes: fc.array(fc.integer({ min: 0x80, max: 0xff }), { minLength: 1, maxLength: 3 }) }),
);

interface Mutation {
  base: number;
  data: DataOp[];
  text: TextOp[];
}
const mutation = (textWeight: number): fc.Arbitrary<Mutation> =>
  fc.record({
    base: fc.nat({ max: BASES.length - 1 }),
    data: fc.array(dataOp, { maxLength: 3 }),
    text: fc.oneof({ weight: 10 - textWeight, arbitrary: fc.constant<TextOp[]>([]) }, { weight: textWeight, arbitrary: fc.array(textOp, { minLength: 1, maxLength: 3 }) }),
  });

/** Handouts that stay valid, with odd text in them: most of these are printed. */
const printable: fc.Arbitrary<Mutation> = fc.record({
  base: fc.nat({ max: BASES.length - 1 }),
  data: fc.array(retextOp, { minLength: 1, maxLength: 3 }),
  text: fc.constant<TextOp[]>([]),
});

// ---------------------------------------------------------------- applying a mutation

/** Every node of a parsed handout, as [parent, key] pairs (the root has no parent). */
function nodes(root: unknown): Array<[Record<string, unknown> | unknown[], string | number]> {
  const out: Array<[Record<string, unknown> | unknown[], string | number]> = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach((child, i) => (out.push([node, i]), walk(child)));
    else if (node && typeof node === 'object') for (const [k, child] of Object.entries(node)) (out.push([node as Record<string, unknown>, k]), walk(child));
  };
  walk(root);
  return out;
}

function applyData(data: Record<string, unknown>, op: DataOp): void {
  // retext changes prose only: ids, dates and links keep their form.
  const isProse = (parent: object, key: string | number) =>
    typeof (parent as Record<string | number, unknown>)[key] === 'string' && !['illustration', 'date', 'video'].includes(String(key));
  const all = nodes(data).filter(([parent, key]) => op.kind !== 'retext' || isProse(parent, key));
  if (all.length === 0) return;
  const [parent, key] = all[op.at % all.length]!;
  if (op.kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key as string];
  } else if (op.kind === 'replace' || op.kind === 'retext') {
    (parent as Record<string | number, unknown>)[key] = op.value;
  } else {
    const target = (parent as Record<string | number, unknown>)[key];
    const host = target && typeof target === 'object' && !Array.isArray(target) ? (target as Record<string, unknown>) : data;
    // defineProperty: a key named __proto__ becomes a real key, as it would in a YAML file.
    Object.defineProperty(host, op.key, { value: op.value, enumerable: true, writable: true, configurable: true });
  }
}

function applyText(bytes: Buffer, op: TextOp): Buffer {
  const at = bytes.length === 0 ? 0 : op.at % (bytes.length + 1);
  const lines = () => bytes.toString('utf8').split('\n');
  switch (op.kind) {
    case 'insert':
      return Buffer.concat([bytes.subarray(0, at), Buffer.from(op.text), bytes.subarray(at)]);
    case 'remove':
      return Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + op.length)]);
    case 'truncate':
      return bytes.subarray(0, at);
    case 'bytes':
      return Buffer.concat([bytes.subarray(0, at), Buffer.from(op.bytes), bytes.subarray(at)]);
    case 'duplicate-line': {
      const all = lines();
      const i = op.at % all.length;
      all.splice(i, 0, all[i]!);
      return Buffer.from(all.join('\n'));
    }
    case 'indent': {
      const all = lines();
      const i = op.at % all.length;
      all[i] = op.by >= 0 ? ' '.repeat(op.by) + all[i] : all[i]!.replace(new RegExp(`^ {0,${-op.by}}`), '');
      return Buffer.from(all.join('\n'));
    }
  }
}

let bases: Array<{ locale: string; text: string; data: Record<string, unknown> }>;

/** The bytes of the mutated handout file, and the locale folder it goes in. */
function materialise(m: Mutation): { locale: string; bytes: Buffer } {
  const base = bases[m.base]!;
  let bytes: Buffer;
  if (m.data.length === 0) {
    bytes = Buffer.from(base.text);
  } else {
    const data = structuredClone(base.data);
    for (const op of m.data) applyData(data, op);
    bytes = Buffer.from(stringify(data, { lineWidth: 0 }));
  }
  for (const op of m.text) bytes = applyText(bytes, op);
  return { locale: base.locale, bytes };
}

// ---------------------------------------------------------------- the workspace

let dir: string;
const contentDir = () => path.join(dir, 'content');

/** Replaces the handouts of the workspace with these, as content/<locale>/case-N.yaml. */
async function writeCases(mutations: Mutation[]): Promise<string[]> {
  for (const { locale } of bases) {
    await rm(path.join(contentDir(), locale), { recursive: true, force: true });
    await mkdir(path.join(contentDir(), locale), { recursive: true });
  }
  const files: string[] = [];
  for (const [i, m] of mutations.entries()) {
    const { locale, bytes } = materialise(m);
    const name = `case-${String(i).padStart(3, '0')}`;
    await writeFile(path.join(contentDir(), locale, `${name}.yaml`), bytes);
    files.push(path.join(locale, name));
  }
  return files;
}

/** The checks every reported error must pass. */
function expectGoodError(error: unknown, file: string): void {
  expect(error, file).toBeInstanceOf(HandoutError);
  const e = error as HandoutError;
  expect(CONTENT_CODES.has(e.code), `${file}: ${String(e)}`).toBe(true);
  expect(e.where?.file, String(e)).toBe(file);
  if (POSITIONED_CODES.has(e.code)) {
    expect(e.where?.line, String(e)).toBeGreaterThan(0);
    expect(e.where?.col, String(e)).toBeGreaterThan(0);
  }
  expect(e.message.trim(), String(e)).not.toBe('');
  // Every message names its field or subject first: never ": unknown field …".
  expect(e.message, String(e)).not.toMatch(/^\s*:/);
  expect(String(e), String(e)).not.toMatch(BUG_WORDS);
  // A programming error wrapped as a content error would pass every check above.
  expect(e.cause instanceof TypeError || e.cause instanceof ReferenceError || e.cause instanceof RangeError, `${String(e)} hides ${String(e.cause)}`).toBe(false);
  expect(e.hint, String(e)).not.toBe('');
}

/** Each `- exercise: <id>` replaced by the library's exercise, the handout's fields over it. */
async function withLibrary(data: Record<string, unknown>, locale: string): Promise<Record<string, unknown>> {
  const exercises = await Promise.all(
    (data.exercises as Array<Record<string, unknown>>).map(async (entry) => {
      if (typeof entry.exercise !== 'string') return entry;
      const { exercise: id, ...overrides } = entry;
      const text = await readFile(path.join(CONTENT, 'exercises', locale, `${id as string}.yaml`), 'utf8');
      const { region: _region, tags: _tags, ...library } = parse(text) as Record<string, unknown>;
      return { ...library, ...overrides };
    }),
  );
  return { ...data, exercises };
}

beforeAll(async () => {
  dir = await tempDir();
  await copyInto(CONTENT, contentDir());
  bases = await Promise.all(
    BASES.map(async ([locale, file]) => {
      // The library's exercises written out, so that mutations reach their steps and doses too.
      const data = await withLibrary(parse(await readFile(path.join(CONTENT, locale, file), 'utf8')) as Record<string, unknown>, locale);
      return { locale, text: stringify(data), data };
    }),
  );
  // Only the cases: the shipped handouts leave the copied content folder (the library stays).
  for (const entry of await readdir(contentDir(), { withFileTypes: true })) {
    if (entry.isDirectory() && entry.name !== 'illustrations' && entry.name !== 'exercises') await rm(path.join(contentDir(), entry.name), { recursive: true });
  }
});
afterAll(() => removeDir(dir));

describe('mutated handouts', () => {
  it('the unmutated bases are valid (so a failure below is the mutation\'s doing)', async () => {
    const files = await writeCases(BASES.map((_, base) => ({ base, data: [], text: [] })));
    const prepared = await prepareHandouts({ contentDir: contentDir(), templatesDir: TEMPLATES });
    expect(prepared.failures.flatMap((f) => f.errors.map(String))).toEqual([]);
    expect(prepared.pages).toHaveLength(files.length);
  });

  it('prepare (what `handout check` does) reports every mutated handout as good or as a positioned, coded error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(mutation(5), { minLength: 20, maxLength: 20 }), async (mutations) => {
        const cases = await writeCases(mutations);
        const prepared = await prepareHandouts({ contentDir: contentDir(), templatesDir: TEMPLATES });
        for (const name of cases) {
          const file = displayPath(path.join(contentDir(), `${name}.yaml`));
          const pages = prepared.pages.filter((p) => p.source.file === file);
          const failures = prepared.failures.filter((f) => f.file === file);
          expect(pages.length + failures.length, `${file} is reported exactly once`).toBe(1);
          for (const failure of failures) {
            expect(failure.errors.length, file).toBeGreaterThan(0);
            for (const error of failure.errors) expectGoodError(error, file);
          }
        }
      }),
      // Shrinking re-runs prepare many times: bounded, so a failure still reports in time.
      { seed: SEED, numRuns: 15, endOnFailure: false, interruptAfterTimeLimit: 90_000, markInterruptAsFailure: true },
    );
  });

  it('a real build verifies a PDF or reports a coded error for each, never exit 2, never a half-written file', async () => {
    await fc.assert(
      fc.asyncProperty(fc.tuple(printable, printable, printable, mutation(3)), async (mutations) => {
        const cases = await writeCases(mutations);
        const out = path.join(dir, 'out');
        await rm(out, { recursive: true, force: true });
        const run = await runCli(['build', '--content', 'content', '--out', 'out', '--report', 'report.json', '--timeout', '20'], { cwd: dir });
        expect(run.stderr).not.toMatch(/internal error/);
        expect([0, 1], run.stderr).toContain(run.code);
        const report = JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8')) as {
          documents: Array<{ source: string; ok: boolean; errors: Array<{ code: ErrorCode; file: string | null; message: string }> }>;
        };
        for (const name of cases) {
          const file = `content/${name}.yaml`;
          const doc = report.documents.find((d) => d.source === file);
          expect(doc, `${file} is in the report`).toBeDefined();
          if (doc!.ok) {
            const pdf = (await readFile(path.join(out, `${name}.pdf`))).subarray(0, 5).toString('latin1');
            expect(pdf).toBe('%PDF-');
            expect(run.stdout).toContain(`✓ ${name} built`);
          } else {
            for (const e of doc!.errors) {
              expect(CONTENT_CODES.has(e.code), `${file}: ${e.message} [${e.code}]`).toBe(true);
              expect(e.file).toBe(file);
              expect(e.message).not.toMatch(BUG_WORDS);
              expect(run.stderr).toContain(`✗ ${file}`);
            }
            expect(await readFile(path.join(out, `${name}.pdf`)).catch(() => null), `no PDF for the failed ${file}`).toBeNull();
          }
        }
        expect(run.code).toBe(report.documents.every((d) => d.ok) ? 0 : 1);
        const temp = (await readdir(out, { recursive: true }).catch(() => [] as string[])).filter((f) => String(f).endsWith('.tmp'));
        expect(temp).toEqual([]);
      }),
      { seed: SEED, numRuns: 5, endOnFailure: true },
    );
  });
});

/**
 * Every message comes from the catalogue in src/errors.ts: no source file writes its own
 * (scanned below), every template's placeholders are filled when it is formatted, and the
 * compiler refuses a message key a code does not have or a parameter left out.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTEXT_MESSAGES, ERRORS, HandoutError, messageTemplate, type ErrorCode } from '../../src/errors.js';

const SRC = path.resolve(import.meta.dirname, '../../src');
const CATALOGUE = path.join(SRC, 'errors.ts');

/**
 * The places in one source file that make an error's message other than from the
 * catalogue: a HandoutError whose second argument is not a message key (a plain
 * 'camelCase' literal), free text handed to toHandoutError as if it were a foreign error,
 * a message assigned afterwards, or a subclass with a constructor of its own.
 */
export function messagesOutsideCatalogue(source: string): string[] {
  const found: string[] = [];
  // Each construction must be followed by a code and a key; one that is not is reported,
  // whatever else it is (fails closed: an argument too odd to read counts as free text).
  for (const m of source.matchAll(/new HandoutError\(/g)) {
    const args = source.slice(m.index + m[0].length, m.index + m[0].length + 200);
    if (!/^\s*[^,;]*?,\s*'[A-Za-z][A-Za-z0-9]*'\s*[,)]/.test(args)) found.push(`${m[0]}${args.split(/[,;]\s*/).slice(0, 2).join(', ')}`.replace(/\s+/g, ' '));
  }
  const rules = [
    /toHandoutError\(\s*(?:['"`]|new Error\()[^,)]*/g,
    /\.message\s*=(?!=)[^;\n]*/g,
    /extends HandoutError\b/g,
  ];
  for (const rule of rules) for (const m of source.matchAll(rule)) found.push(m[0].replace(/\s+/g, ' '));
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(dir, f));
}

/** Each message of a code, by key, with the template and hint it formats. */
function allMessages(): Array<{ code: ErrorCode; key: string; template: string; hint?: string }> {
  return (Object.keys(ERRORS) as ErrorCode[]).flatMap((code) =>
    [...Object.keys(ERRORS[code].messages), ...Object.keys(CONTEXT_MESSAGES)].map((key) => ({ code, key, ...messageTemplate(code, key), template: messageTemplate(code, key).message })),
  );
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);

describe('the error catalogue', () => {
  it('finds a message written outside it (planted examples)', () => {
    const planted = [
      "throw new HandoutError('ASSET_UNSAFE', `${file} is not an .svg file`, { where });",
      "throw new HandoutError('USAGE', 'no patient given');",
      "return new HandoutError(\n  'SCHEMA',\n  message,\n  { where },\n);",
      "const e = toHandoutError(`cannot read ${file}`, 'FILE_UNREADABLE');",
      'error.message = `${error.message} (again)`;',
      'class MyError extends HandoutError {}',
    ];
    for (const line of planted) expect(messagesOutsideCatalogue(line), line).toHaveLength(1);
    const fine = [
      "throw new HandoutError('ASSET_UNSAFE', 'invalid', { file, ext }, { where });",
      "throw new HandoutError(isTimeout(err) ? 'PRINT_TIMEOUT' : 'BROWSER', 'printing', { detail: message });",
      "new HandoutError(\n  'GLYPH_MISSING',\n  'noFont',\n  { characters },\n);",
      "throw new HandoutError('USAGE', 'noPatient');",
      "toHandoutError(err, 'BROWSER', { file })",
      'if (a.message === b.message) return;',
    ];
    for (const line of fine) expect(messagesOutsideCatalogue(line), line).toEqual([]);
  });

  it('is where every message of src/ comes from', () => {
    const outside = sourceFiles(SRC)
      .filter((f) => f !== CATALOGUE)
      .flatMap((f) => messagesOutsideCatalogue(readFileSync(f, 'utf8')).map((m) => `${path.relative(SRC, f)}: ${m}`));
    expect(outside).toEqual([]);
  });

  it('fills every placeholder of every message and hint', () => {
    for (const { code, key, template, hint } of allMessages()) {
      // Only {word} is a placeholder: a brace of any other shape would print as it is.
      expect(template.match(/\{[^}]*\}/g) ?? [], `${code}.${key}`).toEqual(placeholders(template).map((p) => `{${p}}`));
      const params = Object.fromEntries([...placeholders(template), ...placeholders(hint ?? '')].map((p) => [p, `<${p}>`]));
      const error = new (HandoutError as unknown as new (c: string, k: string, p: object) => HandoutError)(code, key, params);
      expect(error.message, `${code}.${key}`).not.toMatch(/\{\w+\}/);
      // (A code's own hint is not a template: TEMPLATE's speaks of {{name}}.)
      if (hint !== undefined) expect(error.hint, `${code}.${key}`).not.toMatch(/\{\w+\}/);
      for (const p of placeholders(template)) expect(error.message).toContain(`<${p}>`);
      expect(error.hint).toBe(hint === undefined ? ERRORS[code].hint : hint.replace(/\{(\w+)\}/g, '<$1>'));
    }
  });

  it('has no message that no source file uses', () => {
    const sources = sourceFiles(SRC)
      .filter((f) => f !== CATALOGUE)
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    const unused = allMessages()
      .filter(({ key }) => !Object.hasOwn(CONTEXT_MESSAGES, key) && key !== 'detail' && key !== 'bug') // those two: toHandoutError
      .filter(({ key }) => !sources.includes(`'${key}'`))
      .map(({ code, key }) => `${code}.${key}`);
    expect(unused).toEqual([]);
  });

  it('formats a message, keeps a position and a hint, and moves an error with with()', () => {
    const error = new HandoutError('ASSET_UNSAFE', 'invalid', { file: 'a.svg', ext: 'svg' }, { where: { file: 'x.yaml', line: 3, col: 5 } });
    expect(String(error)).toBe('x.yaml:3:5: a.svg is not a valid .svg file [ASSET_UNSAFE]');
    expect(error.hint).toBe(ERRORS.ASSET_UNSAFE.hint);
    const moved = error.with({ where: { file: 'y.yaml', line: 1 } });
    expect(String(moved)).toBe('y.yaml:1: a.svg is not a valid .svg file [ASSET_UNSAFE]');
    expect(HandoutError.from(moved.toData())).toMatchObject({ code: 'ASSET_UNSAFE', message: moved.message, where: moved.where, hint: moved.hint });
    const own = new HandoutError('USAGE', 'portInUse', { port: 80, host: '127.0.0.1' });
    expect(own.hint).toBe('Pick another port with --port, or --port 0 for any free one.');
    // A value with braces is printed as it is, not filled in again.
    expect(new HandoutError('SCHEMA', 'field', { field: 'title', detail: '{field}' }).message).toBe('title: {field}');
  });

  it('lets the compiler refuse a key a code does not have, free text, or a parameter left out', () => {
    // tsc checks this file (tsconfig.json includes test/): each line below must fail to compile.
    // @ts-expect-error: ASSET_UNSAFE has no message "notAKey"
    expect(() => new HandoutError('ASSET_UNSAFE', 'notAKey', {})).toThrow(TypeError);
    // @ts-expect-error: a message is a key of the catalogue, not free text
    expect(() => new HandoutError('USAGE', 'something went wrong')).toThrow(TypeError);
    // @ts-expect-error: {ext} is left out
    expect(new HandoutError('ASSET_UNSAFE', 'invalid', { file: 'a.png' }).message).toBe('a.png is not a valid .{ext} file');
    // @ts-expect-error: a parameter the message does not have
    expect(new HandoutError('USAGE', 'smtpUrl', { url: 'x' }).message).toMatch(/^HANDOUT_SMTP_URL/);
  });
});

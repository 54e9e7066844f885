/**
 * Handlebars advisories the tool must never be exposed to (checklist items 17 and 18):
 * a partial reached through a polluted Object.prototype (CVE-2026-33916) and handout data
 * shaped like a Handlebars AST fed to the compiler (CVE-2026-33937). Both were fixed in
 * handlebars 4.7.9; the tool adds its own walls: partials come only from template files,
 * and the schema lets no mapping reach a field the templates print.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import Handlebars from 'handlebars';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { prepareHandouts } from '../../src/build/prepare-handouts.js';
import { copyInto, FIXTURES, removeDir, ROOT, tempDir, TEMPLATES } from '../helpers/cli.js';

const require = createRequire(import.meta.url);

/** [4, 7, 9] from "4.7.9", "^4.7.10", "~4.7.9-beta". */
const versionOf = (text: string) => (/(\d+)\.(\d+)\.(\d+)/.exec(text) ?? []).slice(1, 4).map(Number);
const atLeast = (version: number[], floor: number[]) => {
  for (let i = 0; i < floor.length; i++) if ((version[i] ?? 0) !== floor[i]) return (version[i] ?? 0) > floor[i]!;
  return true;
};

/** A Program whose NumberLiteral smuggles code into the compiled template (the advisory's shape). */
const AST_PAYLOAD = {
  type: 'Program',
  body: [
    {
      type: 'MustacheStatement',
      path: { type: 'PathExpression', data: false, depth: 0, parts: ['lookup'], original: 'lookup' },
      params: [{ type: 'NumberLiteral', value: '{},{})) + (globalThis.HANDOUT_PWNED = 1) + (({}', original: 1 }],
      escaped: true,
      strip: { open: false, close: false },
    },
  ],
  strip: {},
};

describe('handlebars advisories', () => {
  it('the installed handlebars, and the lowest one package.json allows, are at least 4.7.9', () => {
    const installed = (require('handlebars/package.json') as { version: string }).version;
    const declared = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies.handlebars!;
    expect(atLeast(versionOf(installed), [4, 7, 9]), `installed handlebars ${installed}`).toBe(true);
    expect(atLeast(versionOf(declared), [4, 7, 9]), `package.json asks for handlebars ${declared}`).toBe(true);
    // The comparison itself, so a wrong helper cannot make the two checks above pass.
    expect(atLeast([4, 7, 8], [4, 7, 9])).toBe(false);
    expect(atLeast([4, 10, 0], [4, 7, 9])).toBe(true);
  });

  it('the handlebars in use refuses an AST object as a template ("Invalid AST"), and runs none of it', () => {
    const hb = Handlebars.create();
    expect(() => hb.compile(AST_PAYLOAD as unknown as string, { strict: true })({})).toThrow(/Invalid AST/);
    expect((globalThis as Record<string, unknown>).HANDOUT_PWNED).toBeUndefined();
  });

  it('only template files are ever compiled: handlebars is compiled in one module, on what readTemplate() read', () => {
    const files = readdirSync(path.join(ROOT, 'src'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    const read = (f: string) => readFileSync(path.join(ROOT, 'src', f), 'utf8');
    const users = files.filter((f) => /(from |import\()['"]handlebars['"]/.test(read(f))).sort();
    expect(users).toEqual([path.join('dev', 'preview-pages.ts'), path.join('email', 'compose-email.ts'), path.join('render', 'compile-template.ts'), path.join('render', 'create-renderer.ts'), path.join('site', 'write-site-index.ts')]);
    // hb.compile() gets only the wrapper's `source`, in compile-template.ts, and the wrapper only what readTemplate() read from a file.
    for (const f of users) {
      const direct = [...read(f).matchAll(/\b(?:hb|Handlebars)\.(?:compile|precompile|template)\(([^,)]*)/g)].map((m) => m[1]);
      expect(direct, f).toEqual(f.endsWith('compile-template.ts') ? ['source'] : []);
    }
    const wrapped = users.flatMap((f) => [...read(f).matchAll(/\bcompile\(hb, ([^,]*),/g)].map((m) => m[1]));
    expect(wrapped.length).toBeGreaterThan(1);
    for (const arg of wrapped) expect(arg).toMatch(/^await readTemplate\(/);
    expect([...read('render/create-renderer.ts').matchAll(/registerPartial\(.*, (\w+)\);/g)].map((m) => m[1])).toEqual(['partial']);
    expect(users.filter((f) => /registerHelper/.test(read(f)))).toEqual([]);
    for (const f of users.filter((u) => /registerPartial/.test(read(u)))) {
      expect([...read(f).matchAll(/registerPartial\(.*, (\w+)\);/g)].map((m) => m[1]), f).toEqual(['partial']);
    }
  });

  it('no template picks a partial by a name computed from data ({{> (…)}})', () => {
    const templates = readdirSync(TEMPLATES, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.hbs'));
    expect(templates.length).toBeGreaterThan(0);
    for (const file of templates) expect(readFileSync(path.join(TEMPLATES, file), 'utf8'), file).not.toMatch(/\{\{~?#?>\s*\(/);
  });
});

describe('hostile data and a polluted prototype meet the real renderer', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir();
    await copyInto(path.join(FIXTURES, 'other-clinic'), path.join(dir, 'content'));
    await copyInto(TEMPLATES, path.join(dir, 'templates'));
    return () => removeDir(dir);
  });
  afterEach(() => {
    delete (Object.prototype as Record<string, unknown>).widget;
    delete (globalThis as Record<string, unknown>).HANDOUT_PWNED;
  });

  const prepare = () => prepareHandouts({ contentDir: path.join(dir, 'content'), templatesDir: path.join(dir, 'templates'), only: ['pelvic-tilt'] });
  const addToLayout = async (markup: string) => {
    const layout = path.join(dir, 'templates/handout.hbs');
    await writeFile(layout, (await readFile(layout, 'utf8')).replace('<body>', `<body>${markup}`));
  };

  // Non-enumerable, so that only a lookup by name sees it (an enumerable one is refused
  // even earlier: the schemas see an unknown field "widget" in every file; tested below).
  it.each(['{{> widget}}', '{{> @partial-block}}'])('a partial reached through a polluted Object.prototype (%s) is "not found", never rendered', async (call) => {
    await addToLayout(call);
    Object.defineProperty(Object.prototype, 'widget', { value: '<img src=x onerror=alert(1)>', configurable: true, writable: true });
    const prepared = await prepare();
    expect(prepared.pages).toEqual([]);
    const errors = prepared.failures.flatMap((f) => f.errors.map(String));
    expect(errors).toEqual([expect.stringMatching(/templates\/handout\.hbs(:\d+:\d+)?: The partial (widget|@partial-block) could not be found \[TEMPLATE\]$/)]);
  });

  it('an enumerable polluted Object.prototype renders nothing either', async () => {
    await addToLayout('{{> widget}}');
    (Object.prototype as Record<string, unknown>).widget = '<img src=x onerror=alert(1)>';
    const outcome = await prepare().catch((err: unknown) => err);
    delete (Object.prototype as Record<string, unknown>).widget;
    // Refused while reading the font list (unknown field "widget"), or per handout: no page either way.
    expect(String(outcome)).not.toMatch(/onerror/);
    if (!(outcome instanceof Error)) expect((outcome as { pages: unknown[] }).pages).toEqual([]);
  });

  it('data shaped like a Handlebars AST is refused by the schema at its position, before any template sees it', async () => {
    const file = path.join(dir, 'content/en/pelvic-tilt.yaml');
    const original = await readFile(file, 'utf8');
    const ast = JSON.stringify(AST_PAYLOAD);
    await writeFile(file, `${original.replace(/^title: .*$/m, `title: ${ast}`)}payload: ${ast}\n`);
    const prepared = await prepare();
    expect(prepared.pages).toEqual([]);
    const errors = prepared.failures.flatMap((f) => f.errors.map(String));
    expect(errors).toContainEqual(expect.stringMatching(/pelvic-tilt\.yaml:1:8: title: expected text, got a mapping .*\[SCHEMA\]$/));
    expect(errors).toContainEqual(expect.stringMatching(/pelvic-tilt\.yaml:\d+:1: payload: unknown field "payload" \[SCHEMA\]$/));
    expect((globalThis as Record<string, unknown>).HANDOUT_PWNED).toBeUndefined();
  });

  it('a template that picks a partial from data finds none: partials come only from template files', async () => {
    await addToLayout('{{> (lookup . "title")}}');
    const prepared = await prepare();
    expect(prepared.pages).toEqual([]);
    expect(prepared.failures.flatMap((f) => f.errors.map(String))).toEqual([
      expect.stringMatching(/templates\/handout\.hbs(:\d+:\d+)?: The partial Pelvic tilt could not be found \[TEMPLATE\]$/),
    ]);
    expect((globalThis as Record<string, unknown>).HANDOUT_PWNED).toBeUndefined();
  });
});

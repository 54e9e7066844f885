/**
 * Content errors name the file, line and column, the field path and what was expected,
 * and every error of a file is reported, not just the first.
 */
import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../src/content/load-yaml.js';
import { validateHandout } from '../../src/content/validate-handout.js';
import type { HandoutError } from '../../src/errors.js';

const FILE = 'content/en/x.yaml';
const source = { absPath: '/x/content/en/x.yaml', file: FILE, locale: 'en', slug: 'x' };

const VALID = `title: Knee to chest
warning:
  title: Careful
  text: Stop if it hurts.
exercises:
  - name: Knee hug
    steps:
      - Lie on your back.
      - Hug one knee.
`;

function errorsOf(yamlText: string): string[] {
  let yaml;
  try {
    yaml = parseYaml(yamlText, FILE);
  } catch (err) {
    return [String(err as HandoutError)];
  }
  const result = validateHandout(source, yaml);
  return result.ok ? [] : result.errors.map(String);
}

describe('validating a handout', () => {
  it('accepts a minimal valid handout', () => {
    expect(errorsOf(VALID)).toEqual([]);
  });

  it('names file, line, column, path and expectation for a wrong type', () => {
    const text = VALID.replace('    steps:\n      - Lie on your back.\n      - Hug one knee.\n', '    steps: Lie down and hug your knee.\n');
    expect(errorsOf(text)).toEqual([
      'content/en/x.yaml:7:12: exercises[0].steps: expected a list of steps (one "- step" per line), got the text "Lie down and hug your knee." [SCHEMA]',
    ]);
  });

  it('reports every error of the file at once, in file order', () => {
    const text = `title: 12
warning:
  title: Careful
exercises:
  - name: Knee hug
    steps: []
    hold_seconds: thirty
colour: red
`;
    expect(errorsOf(text)).toEqual([
      'content/en/x.yaml:1:8: title: expected text, got the number 12 [SCHEMA]',
      'content/en/x.yaml:3:3: warning.text: is required but missing [SCHEMA]',
      'content/en/x.yaml:6:12: exercises[0].steps: expected at least one step [SCHEMA]',
      'content/en/x.yaml:7:19: exercises[0].hold_seconds: expected a number of seconds or a range [min, max], got the text "thirty" [SCHEMA]',
      'content/en/x.yaml:8:1: colour: unknown field "colour" [SCHEMA]',
    ]);
  });

  it('suggests the field a misspelt key probably meant', () => {
    const yaml = parseYaml(VALID.replace('title: Knee to chest', 'titel: Knee to chest'), FILE);
    const result = validateHandout(source, yaml);
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    expect(errors.map(String)).toContain('content/en/x.yaml:1:1: titel: unknown field "titel" [SCHEMA]');
    expect(errors.find((e) => e.message.includes('titel'))?.hint).toContain('Did you mean "title"?');
  });

  it('refuses an illustration id that is a URL or a path, at its position', () => {
    for (const id of ['http://127.0.0.1:8080/x.svg', '../../etc/passwd', '/etc/passwd', 'a/b', '~/x', '..%2fx']) {
      const text = VALID.replace('    steps:', `    illustration: "${id}"\n    steps:`);
      const [error, ...rest] = errorsOf(text);
      expect(rest).toEqual([]);
      expect(error).toMatch(/^content\/en\/x\.yaml:7:19: exercises\[0\]\.illustration: expected the id of a file in the illustrations folder/);
    }
  });

  it('validates hold_seconds ranges', () => {
    expect(errorsOf(VALID.replace('    steps:', '    hold_seconds: [30, 15]\n    steps:'))).toEqual([
      'content/en/x.yaml:7:19: exercises[0].hold_seconds: expected a range [min, max] with min smaller than max [SCHEMA]',
    ]);
    expect(errorsOf(VALID.replace('    steps:', '    hold_seconds: [15, 30]\n    steps:'))).toEqual([]);
  });
});

describe('regions and stop rules', () => {
  it('accepts a region the catalogs know and a short stop rule on the handout or an exercise', () => {
    const text = `region: knee\nstop_rule: Mild aching is fine. Stop if the pain is sharp.\n${VALID}    stop_rule: Stop if your hip hurts.\n`;
    expect(errorsOf(text)).toEqual([]);
  });

  it('names the regions when the region is unknown', () => {
    expect(errorsOf(`region: elbow\n${VALID}`)).toEqual([
      'content/en/x.yaml:1:9: region: expected one of back, neck, shoulder, hip, knee, ankle, got the text "elbow" (for another body part, leave region out and write its warning signs in pain_warning) [SCHEMA]',
    ]);
  });

  it('refuses an empty stop rule, and one too long to print under every exercise, saying where the rest belongs', () => {
    expect(errorsOf(`stop_rule: ""\n${VALID}`)).toEqual(['content/en/x.yaml:1:12: stop_rule: must not be empty: a stop rule must say when to stop [SCHEMA]']);
    const [long] = errorsOf(`stop_rule: ${'Mild aching during and after the exercise is fine. '.repeat(2)}Stop if sharp.\n${VALID}`);
    expect(long).toMatch(/^content\/en\/x\.yaml:1:12: stop_rule: is longer than 80 characters: it is printed under every exercise, so keep it to one short line and put the rest in pain_warning \[SCHEMA\]$/);
  });
});

describe('reading YAML', () => {
  it('reports syntax errors with their position', () => {
    expect(errorsOf('title: "unclosed\nwarning: x\n')).toEqual(['content/en/x.yaml:3:1: Missing closing "quote [YAML_SYNTAX]']);
    expect(errorsOf('title: x\n\twarning: y\n')[0]).toMatch(/^content\/en\/x\.yaml:2:1: .*\[YAML_SYNTAX\]$/);
    expect(errorsOf('title: a: b\n')[0]).toMatch(/^content\/en\/x\.yaml:1:\d+: .*\[YAML_SYNTAX\]$/);
  });

  it('refuses duplicate keys at the second key', () => {
    expect(errorsOf('title: a\ntitle: b\n')).toEqual([expect.stringMatching(/^content\/en\/x\.yaml:2:1: Map keys must be unique.*\[YAML_DUPLICATE_KEY\]$/)]);
  });

  it('refuses tags instead of resolving them', () => {
    for (const tag of ['!include /etc/passwd', '!!js/function "x"', '!env SMTP_PASS']) {
      expect(errorsOf(`title: ${tag}\n`)[0]).toMatch(/^content\/en\/x\.yaml:1:8: .*tags are not supported in handouts \[YAML_UNSUPPORTED\]$/);
    }
  });

  it('refuses a second document', () => {
    expect(errorsOf(`${VALID}---\ntitle: two\n`)).toEqual([
      'content/en/x.yaml:10:1: the file holds more than one YAML document (a second "---") [YAML_UNSUPPORTED]',
    ]);
  });

  it('refuses an empty file', () => {
    expect(errorsOf('')).toEqual(['content/en/x.yaml:1:1: the file is empty; expected a handout (title, warning, exercises, …) [SCHEMA]']);
    expect(errorsOf('# only a comment\n')).toHaveLength(1);
  });

  it('stops alias bombs quickly', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 0; i < 8; i++) bomb.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]`);
    const t0 = performance.now();
    expect(errorsOf(bomb.join('\n'))[0]).toMatch(/too many aliases.*\[YAML_UNSUPPORTED\]$/);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('reports nesting too deep without crashing', () => {
    expect(errorsOf(`title: ${'['.repeat(5000)}1${']'.repeat(5000)}`)[0]).toMatch(/\[YAML_(SYNTAX|UNSUPPORTED)\]$/);
  });

  it('keeps YAML 1.1 lookalikes as what they are in YAML 1.2 and asks for quotes when types differ', () => {
    const yaml = parseYaml('a: NO\nb: 1.10\nc: 01234\n', FILE);
    expect(yaml.data).toEqual({ a: 'NO', b: 1.1, c: 1234 });
    expect(errorsOf(VALID.replace('title: Knee to chest', 'title: 1.10'))).toEqual([
      'content/en/x.yaml:1:8: title: expected text, got the number 1.1 [SCHEMA]',
    ]);
  });

  it('never lets __proto__ or constructor keys pollute prototypes', () => {
    const text = `${VALID}__proto__:\n  polluted: yes\nconstructor:\n  prototype:\n    polluted: yes\n`;
    const errors = errorsOf(text);
    expect(errors).toEqual([
      'content/en/x.yaml:10:1: __proto__: unknown field "__proto__" [SCHEMA]',
      'content/en/x.yaml:12:1: constructor: unknown field "constructor" [SCHEMA]',
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('accepts a BOM and CRLF line endings', () => {
    expect(errorsOf(`\uFEFF${VALID}`.replace(/^\uFEFF/, ''))).toEqual([]);
    expect(errorsOf(VALID.replace(/\n/g, '\r\n'))).toEqual([]);
  });
});

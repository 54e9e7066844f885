/**
 * The JSON Schema editors use (schema/handout.schema.json, referenced from every content
 * file) is generated from the same zod schema that validates; it must never go stale.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { clinicJsonSchema } from '../../src/config/clinic-schema.js';
import { exerciseJsonSchema, handoutJsonSchema, programJsonSchema } from '../../src/content/handout-schema.js';
import { CONTENT, ROOT } from '../helpers/cli.js';

describe('schema/*.schema.json', () => {
  it('match the validating schemas (regenerate with: npm run schemas)', () => {
    expect(JSON.parse(readFileSync(path.join(ROOT, 'schema/handout.schema.json'), 'utf8'))).toEqual(handoutJsonSchema());
    expect(JSON.parse(readFileSync(path.join(ROOT, 'schema/exercise.schema.json'), 'utf8'))).toEqual(exerciseJsonSchema());
    expect(JSON.parse(readFileSync(path.join(ROOT, 'schema/clinic.schema.json'), 'utf8'))).toEqual(clinicJsonSchema());
    expect(JSON.parse(readFileSync(path.join(ROOT, 'schema/program.schema.json'), 'utf8'))).toEqual(programJsonSchema());
  });

  it('is referenced by every shipped handout for editor autocomplete', () => {
    for (const locale of readdirSync(CONTENT).filter((d) => d !== 'illustrations' && d !== 'exercises' && !d.includes('.'))) {
      for (const file of readdirSync(path.join(CONTENT, locale)).filter((f) => f.endsWith('.yaml'))) {
        const first = readFileSync(path.join(CONTENT, locale, file), 'utf8').split('\n')[0];
        expect(first, `${locale}/${file}`).toBe('# yaml-language-server: $schema=../../schema/handout.schema.json');
      }
    }
  });

  it('is referenced by every exercise of the shipped library', () => {
    const library = path.join(CONTENT, 'exercises');
    const files = readdirSync(library).flatMap((locale) => readdirSync(path.join(library, locale)).map((f) => path.join(locale, f)));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      expect(file).toMatch(/\.yaml$/);
      expect(readFileSync(path.join(library, file), 'utf8').split('\n')[0], file).toBe('# yaml-language-server: $schema=../../../schema/exercise.schema.json');
    }
  });
});

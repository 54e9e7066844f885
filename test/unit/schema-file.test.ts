/**
 * The JSON Schema editors use (schema/handout.schema.json, referenced from every content
 * file) is generated from the same zod schema that validates; it must never go stale.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { handoutJsonSchema } from '../../src/content/handout-schema.js';
import { CONTENT, ROOT } from '../helpers/cli.js';

describe('schema/handout.schema.json', () => {
  it('matches the validating schema (regenerate with: node dist/cli.js schema > schema/handout.schema.json)', () => {
    const committed = JSON.parse(readFileSync(path.join(ROOT, 'schema/handout.schema.json'), 'utf8'));
    expect(committed).toEqual(handoutJsonSchema());
  });

  it('is referenced by every shipped handout for editor autocomplete', () => {
    for (const locale of readdirSync(CONTENT).filter((d) => d !== 'illustrations' && !d.includes('.'))) {
      for (const file of readdirSync(path.join(CONTENT, locale)).filter((f) => f.endsWith('.yaml'))) {
        const first = readFileSync(path.join(CONTENT, locale, file), 'utf8').split('\n')[0];
        expect(first, `${locale}/${file}`).toBe('# yaml-language-server: $schema=../../schema/handout.schema.json');
      }
    }
  });
});

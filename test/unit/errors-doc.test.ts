/** docs/errors.md lists every code of the catalogue with its title and hint, as generated. */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { errorsMarkdown } from '../../scripts/errors-doc.js';
import { ERRORS } from '../../src/errors.js';

it('docs/errors.md is current (npm run docs:errors)', () => {
  const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
  expect(doc).toBe(errorsMarkdown());
  for (const [code, { hint }] of Object.entries(ERRORS)) {
    expect(doc).toContain(`\`${code}\``);
    expect(doc).toContain(hint);
  }
});

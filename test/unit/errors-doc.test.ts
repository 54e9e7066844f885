/** docs/errors.md lists every code of the catalogue with its title, hint and messages, as generated. */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { errorsMarkdown } from '../../scripts/errors-doc.js';
import { ERRORS } from '../../src/errors.js';

it('docs/errors.md is current (npm run docs:errors)', () => {
  const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
  expect(doc).toBe(errorsMarkdown());
  for (const [code, { hint, messages }] of Object.entries(ERRORS)) {
    expect(doc).toContain(`\`${code}\``);
    expect(doc).toContain(hint);
    for (const m of Object.values(messages)) {
      for (const text of typeof m === 'string' ? [m] : [m.message, m.hint]) expect(doc).toContain(text);
    }
  }
});

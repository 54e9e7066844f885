/**
 * docs/errors.md from the error catalogue (src/errors.ts): every code with its title and
 * hint. `npm run docs:errors` writes it; test/unit/errors-doc.test.ts fails when it is stale.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ERRORS } from '../src/errors.js';

export function errorsMarkdown(): string {
  const rows = Object.entries(ERRORS).map(([code, { title, hint }]) => `## \`${code}\`: ${title}\n\n${hint}\n`);
  return [
    '# Error codes',
    '',
    '<!-- Generated from src/errors.ts by `npm run docs:errors`; edit the catalogue, not this file. -->',
    '',
    'Every message `handout` prints ends with one of these codes in brackets, after the file,',
    'line and column it is about, and is followed by a hint. A code never changes meaning, so',
    'CI logs and scripts may rely on it. Warnings (⚠) are errors only with `--strict`.',
    '',
    '```',
    '✗ content/en/knee-hug.yaml:7:12: exercises[0].steps: expected a list of steps (one "- step" per line), got the text "Lie down and hug your knee." [SCHEMA]',
    '  hint: See `handout schema` for the fields a handout may have.',
    '```',
    '',
    ...rows,
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(new URL('../docs/errors.md', import.meta.url), errorsMarkdown());
}

/**
 * docs/errors.md from the error catalogue (src/errors.ts): every code with its title, hint
 * and message templates. `npm run docs:errors` writes it; test/unit/errors-doc.test.ts fails
 * when it is stale.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CONTEXT_MESSAGES, ERRORS } from '../src/errors.js';

export function errorsMarkdown(): string {
  const rows = Object.entries(ERRORS).map(([code, entry]) => {
    const { title, hint, messages } = entry;
    const elsewhere = 'hintFor' in entry ? `\nThe hint instead, in a file other than a handout:\n\n${Object.entries(entry.hintFor).map(([kind, h]) => `- ${kind}: ${h}`).join('\n')}\n` : '';
    return `## \`${code}\`: ${title}\n\n${hint}\n\nMessages:\n\n${messageList(messages)}\n${elsewhere}`;
  });
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
    'Each message is a template: a `{name}` in it is filled in with the file, value or detail',
    'it names. A message with a hint of its own prints that hint instead of its code\'s.',
    '',
    ...rows,
    '## Messages of any code',
    '',
    'These add where or when to another error\'s message (`{message}`), which keeps its code.',
    '',
    messageList(CONTEXT_MESSAGES),
    '',
  ].join('\n');
}

function messageList(messages: Record<string, string | { message: string; hint: string }>): string {
  return Object.entries(messages)
    .map(([key, m]) => (typeof m === 'string' ? `- ${key}: ${inlineCode(m)}` : `- ${key}: ${inlineCode(m.message)}\n  hint: ${m.hint}`))
    .join('\n');
}

/** Inline code that may itself hold backticks: fenced by a longer run of them. */
function inlineCode(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return longest ? `${fence} ${text} ${fence}` : `${fence}${text}${fence}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(new URL('../docs/errors.md', import.meta.url), errorsMarkdown());
}

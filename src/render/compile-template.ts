/**
 * Handlebars as every template of the tool runs it: strict (a missing field is an error,
 * not a blank), only the built-in helpers, escaping on, parsed eagerly so a typo stops the
 * build before any browser starts, and every error naming the template file actually used
 * (a clinic's own or the built-in one) with its line and column.
 */
import { readFile } from 'node:fs/promises';
import type Handlebars from 'handlebars';
import { lineColAt } from '../content/load-yaml.js';
import { displayPath } from '../content/safe-file.js';
import { HandoutError } from '../errors.js';

const COMPILE_OPTIONS = { strict: true, knownHelpersOnly: true, noEscape: false } as const;

export type TemplateFn = (context: unknown, options?: Handlebars.RuntimeOptions) => string;

/**
 * Parses eagerly (Handlebars compiles lazily) and wraps the template so runtime errors,
 * such as a misspelt field in strict mode, name the template file and position.
 */
export function compile(hb: typeof Handlebars, source: string, absPath: string): TemplateFn {
  const file = displayPath(absPath);
  try {
    hb.parse(source);
  } catch (err) {
    throw templateError(err, file);
  }
  const template = hb.compile(source, COMPILE_OPTIONS);
  return (context, options) => {
    try {
      return template(context, options);
    } catch (err) {
      throw templateError(err, file, source);
    }
  };
}

function templateError(err: unknown, file: string, source?: string): HandoutError {
  if (err instanceof HandoutError) return err;
  const e = err as Error & { lineNumber?: number; column?: number };
  const parseLine = /Parse error on line (\d+)/.exec(e.message)?.[1];
  // Handlebars gives no position for a missing partial: find where this template calls it.
  const partial = /The partial (\S+) could not be found/.exec(e.message)?.[1];
  if (partial && source && e.lineNumber === undefined) {
    const at = new RegExp(`\\{\\{~?>\\s*${partial.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`).exec(source)?.index;
    if (at !== undefined) {
      const { line, col } = lineColAt(source, at);
      e.lineNumber = line;
      e.column = col - 1; // Handlebars' columns start at 0
    }
  }
  const line = e.lineNumber ?? (parseLine ? Number(parseLine) : undefined);
  const message = e.message
    .replace(/ - \d+:\d+$/, '')
    .replace(/ in \[object Object\]$/, '')
    .replace(/\n+/g, ' ');
  return new HandoutError('TEMPLATE', 'handlebars', { detail: message }, {
    where: { file, ...(line !== undefined ? { line } : {}), ...(e.column !== undefined ? { col: e.column + 1 } : {}) },
    cause: err,
  });
}

export async function readTemplate(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    throw new HandoutError('TEMPLATE', 'notFound', { file: displayPath(file) }, { where: { file: displayPath(file) } });
  }
}

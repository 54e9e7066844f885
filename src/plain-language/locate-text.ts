/**
 * The line and column of a piece of a field's text in the YAML file, so that a warning
 * points at the sentence or the character itself, not only at the field. Found by
 * searching the field's own stretch of the file; where the text is written differently
 * there (an escape like "\u200B" in double quotes), the warning points at the field.
 */
import { isNode, type LineCounter } from 'yaml';
import type { LoadedYaml } from '../content/load-yaml.js';
import { positionOf } from '../content/load-yaml.js';
import type { SourcePosition } from '../errors.js';

export interface YamlSource {
  yaml: LoadedYaml;
  /** The file's text as parsed (without a leading byte order mark), or null when not at hand. */
  text: string | null;
}

/** Where the field's value is written: [start, end) offsets in the file's text. */
function rangeOf(src: YamlSource, path: ReadonlyArray<string | number>): [number, number] | null {
  const node = src.yaml.doc.getIn(path, true);
  if (!isNode(node) || !node.range) return null;
  return [node.range[0], node.range[1]];
}

function at(lines: LineCounter, file: string, offset: number): SourcePosition {
  const { line, col } = lines.linePos(offset);
  return { file, line, col };
}

/** The position of the field's value. */
export function fieldPosition(src: YamlSource, path: ReadonlyArray<string | number>): SourcePosition {
  return positionOf(src.yaml, path);
}

/**
 * The position of `snippet` (the start of a sentence, say) inside the field's value, its
 * words matched across the line breaks of a folded block; the field's position if not found.
 */
export function snippetPosition(src: YamlSource, path: ReadonlyArray<string | number>, snippet: string): SourcePosition {
  const range = rangeOf(src, path);
  if (!src.text || !range) return fieldPosition(src, path);
  const words = snippet.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return fieldPosition(src, path);
  const pattern = new RegExp(words.map(escapeRegExp).join('\\s+'), 'u');
  const match = pattern.exec(src.text.slice(range[0], range[1]));
  return match ? at(src.yaml.lines, src.yaml.file, range[0] + match.index) : fieldPosition(src, path);
}

/** The position of the first `char` written literally in the field's value; the field's position if not found. */
export function charPosition(src: YamlSource, path: ReadonlyArray<string | number>, char: string): SourcePosition {
  const range = rangeOf(src, path);
  if (!src.text || !range) return fieldPosition(src, path);
  const index = src.text.slice(range[0], range[1]).indexOf(char);
  return index >= 0 ? at(src.yaml.lines, src.yaml.file, range[0] + index) : fieldPosition(src, path);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Reads a YAML file into plain data while keeping the parsed document, so that later
 * stages can point at the exact line and column of any value they reject.
 */
import { readFile } from 'node:fs/promises';
import { isMap, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';
import { HandoutError, type SourcePosition } from '../errors.js';
import { checkRegularFile } from './safe-file.js';

/** Handouts fit on one page; anything past this is a mistake or an attack. */
export const MAX_YAML_BYTES = 256 * 1024;
/** Enough for reuse by hand, far too few for a "billion laughs" bomb. */
const MAX_ALIAS_COUNT = 100;

/** A YAML file parsed to plain data, with what is needed to map data paths to positions. */
export interface LoadedYaml {
  /** Path as shown to users (relative to the working directory when inside it). */
  file: string;
  data: unknown;
  doc: Document;
  lines: LineCounter;
  /** The text as parsed (without a leading byte order mark), for pointing inside a value. */
  text?: string;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Reads and parses one YAML file. Throws a HandoutError with a position on any problem. */
export async function loadYaml(absPath: string, file: string, root?: string): Promise<LoadedYaml> {
  await checkRegularFile(absPath, file, { maxBytes: MAX_YAML_BYTES, ...(root ? { root } : {}) });
  let bytes: Buffer;
  try {
    bytes = await readFile(absPath);
  } catch (err) {
    throw new HandoutError('FILE_UNREADABLE', 'cannotRead', { detail: (err as Error).message }, { where: { file } });
  }
  return parseYaml(decodeUtf8(bytes, file), file);
}

function decodeUtf8(bytes: Buffer, file: string): string {
  let source: string;
  try {
    source = decoder.decode(bytes);
  } catch {
    const bad = firstInvalidUtf8(bytes);
    throw new HandoutError('FILE_ENCODING', 'notUtf8', { byte: bytes[bad.offset]?.toString(16) ?? '??', offset: bad.offset }, { where: { file, line: bad.line, col: bad.col } });
  }
  const nul = source.indexOf('\0');
  if (nul >= 0) {
    throw new HandoutError('FILE_ENCODING', 'nul', {}, {
      where: { file, ...lineColAt(source, nul) },
    });
  }
  return source.startsWith('\uFEFF') ? source.slice(1) : source;
}

/** Parses YAML text. Warnings count as errors: they mean the file does not say what it seems to. */
export function parseYaml(source: string, file: string): LoadedYaml {
  const lines = new LineCounter();
  let docs: ReturnType<typeof parseAllDocuments>;
  try {
    docs = parseAllDocuments(source, {
      lineCounter: lines,
      prettyErrors: false,
      uniqueKeys: true,
      strict: true,
      schema: 'core',
      merge: false,
      stringKeys: true,
    });
  } catch (err) {
    throw nestingError(err, file);
  }
  const list = Array.isArray(docs) ? docs : [];
  const doc = list[0];
  if (!doc || doc.contents === null) {
    throw new HandoutError('SCHEMA', 'emptyFile', {}, {
      where: { file, line: 1, col: 1 },
    });
  }
  if (list.length > 1) {
    const second = list[1]!;
    throw new HandoutError('YAML_UNSUPPORTED', 'secondDocument', {}, { where: { file, ...positionAt(lines, second.range?.[0] ?? 0) } });
  }
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) {
    const code = problem.code === 'DUPLICATE_KEY' ? 'YAML_DUPLICATE_KEY' : problem.code === 'TAG_RESOLVE_FAILED' ? 'YAML_UNSUPPORTED' : 'YAML_SYNTAX';
    throw new HandoutError(code, 'parser', { detail: yamlMessage(problem.message, problem.code) }, {
      where: { file, ...positionAt(lines, problem.pos[0]) },
    });
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    if (err instanceof ReferenceError || /alias/i.test(String(err))) {
      throw new HandoutError('YAML_UNSUPPORTED', 'tooManyAliases', { max: MAX_ALIAS_COUNT, detail: (err as Error).message }, {
        where: { file },
      });
    }
    throw nestingError(err, file);
  }
  return { file, data, doc, lines, text: source };
}

function nestingError(err: unknown, file: string): HandoutError {
  if (err instanceof RangeError) {
    return new HandoutError('YAML_UNSUPPORTED', 'tooDeep', {}, { where: { file } });
  }
  return new HandoutError('YAML_SYNTAX', 'cannotParse', { detail: (err as Error).message }, { where: { file }, cause: err });
}

/** yaml's messages are good; strip the position it appends since we print our own. */
function yamlMessage(message: string, code: string): string {
  const plain = message.replace(/ at line \d+, column \d+[\s\S]*$/, '').trim();
  if (code === 'TAG_RESOLVE_FAILED') return `${plain}; tags are not supported in handouts`;
  return plain;
}

function positionAt(lines: LineCounter, offset: number): { line: number; col: number } {
  const { line, col } = lines.linePos(offset);
  return { line, col };
}

/** The 1-based line and column of a character index in a text. */
export function lineColAt(source: string, index: number): { line: number; col: number } {
  const before = source.slice(0, index).split('\n');
  return { line: before.length, col: (before.at(-1)?.length ?? 0) + 1 };
}

/**
 * Where the first byte that is not UTF-8 is: its offset, and its line and column (counted
 * in the characters before it). Linear: a lenient decode marks bad bytes with U+FFFD, and
 * the first U+FFFD that the file does not itself spell as EF BF BD is the place. (Decoding
 * ever longer prefixes instead took 40 s for one bad byte at the end of a 256 KB file.)
 */
function firstInvalidUtf8(bytes: Buffer): { offset: number; line: number; col: number } {
  // ignoreBOM keeps a leading BOM in the text, so offsets count it as the bytes do.
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  let offset = 0;
  let from = 0;
  for (let i = text.indexOf('\uFFFD'); i >= 0; i = text.indexOf('\uFFFD', i + 1)) {
    offset += Buffer.byteLength(text.slice(from, i));
    from = i;
    if (!(bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd)) {
      return { offset, ...lineColAt(text, i) };
    }
  }
  return { offset: bytes.length, ...lineColAt(text, text.length) };
}

/**
 * The position of the value at `path` in the document. When the path does not exist
 * (a missing field), points at the nearest parent that does.
 */
export function positionOf(loaded: LoadedYaml, path: readonly PropertyKey[], keyOf?: string): SourcePosition {
  let node: unknown = loaded.doc.contents;
  for (const segment of path) {
    const next = childOf(node, segment);
    if (next === undefined) break;
    node = next;
  }
  if (keyOf !== undefined && isMap(node)) {
    const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === keyOf);
    const keyNode = pair?.key as Node | undefined;
    if (keyNode?.range) return { file: loaded.file, ...positionAt(loaded.lines, keyNode.range[0]) };
  }
  const range = (node as Node | null)?.range;
  return range ? { file: loaded.file, ...positionAt(loaded.lines, range[0]) } : { file: loaded.file, line: 1, col: 1 };
}

function childOf(node: unknown, segment: PropertyKey): unknown {
  if (isMap(node)) {
    const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === segment);
    return pair?.value ?? undefined;
  }
  if (isSeq(node) && typeof segment === 'number') return node.items[segment];
  return undefined;
}

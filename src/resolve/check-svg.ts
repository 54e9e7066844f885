/**
 * Reads an SVG the way its author drew it and finds what will not print from inside an
 * <img>: text (it cannot use the page's embedded fonts, so it falls back to a system font
 * the PDF check refuses), anything it links to outside itself (a linked photo, a stylesheet,
 * a web address: an image loads nothing), and XML a browser cannot parse (it draws nothing).
 *
 * Every problem has the line and column in the SVG (saxes tracks them), so the author can
 * find the object in the drawing. This is a check for authors, not the security boundary:
 * the page's policy and request interception still stop whatever this might miss.
 */
import { SaxesParser, type SaxesAttributeNS, type SaxesTagNS } from 'saxes';
import { HandoutError, type SourcePosition } from '../errors.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
const XLINK_NS = 'http://www.w3.org/1999/xlink';

/** SVG elements whose character data is drawn; the flow* ones are Inkscape 0.92's flowed text. */
const TEXT_ELEMENTS = new Set(['text', 'tspan', 'textPath', 'tref', 'flowRoot', 'flowPara', 'flowSpan', 'flowDiv']);
/** Elements whose character data is never drawn, whatever holds them. */
const UNDRAWN = new Set(['title', 'desc', 'metadata', 'style', 'script']);
/** HTML attributes that load something, for HTML inside a <foreignObject>. */
const HTML_SOURCE_ATTRIBUTES = new Set(['src', 'srcset', 'poster', 'data', 'background']);
/** A data: SVG inside an SVG inside an SVG… is checked this many levels deep. */
const MAX_NESTING = 3;

export type SvgProblem =
  | { kind: 'text'; line: number; col: number; element: string; found: string; inside?: string }
  | { kind: 'link'; line: number; col: number; url: string; via: string; inside?: string }
  | { kind: 'syntax'; line: number; col: number; message: string; drawable?: false; inside?: string };

interface OpenElement {
  local: string;
  svg: boolean;
  name: string;
  start: number;
  hidden: boolean;
}

interface TextRun {
  element: string;
  start: number;
  depth: number;
  chars: string;
}

const STOP = Symbol('stop');

/**
 * The problems of one SVG document, in document order; a syntax error stops the reading
 * (the browser draws nothing of a document it cannot parse) and is the only problem then.
 */
export function checkSvg(source: string, nesting = 0): SvgProblem[] {
  const text = source.replace(/^\uFEFF/, '');
  const problems: SvgProblem[] = [];
  const lines = lineStarts(text);
  const at = (index: number) => positionOf(text, lines, index);
  const parser = new SaxesParser({ xmlns: true });
  const stack: OpenElement[] = [];
  let run: TextRun | null = null;
  let style: { start: number; contentStart: number; css: string } | null = null;
  let syntax: SvgProblem | null = null;
  /** saxes reports the element a wrong close tag met only after closing it. */
  let lastClosed: OpenElement | undefined;
  let rootSeen = false;

  const link = (url: string, via: string, index: number) => {
    const problem = classifyUrl(url, nesting);
    if (problem === 'inside') return;
    const { line, col } = at(index);
    if (problem === 'outside') {
      problems.push({ kind: 'link', line, col, url: url.trim(), via });
    } else {
      // The first problem of an SVG embedded as data:, reported at the element that embeds it.
      const inner = problem[0]!;
      problems.push({ ...inner, line, col, inside: `${inner.inside ? `${inner.inside} ` : ''}in an SVG embedded by ${via}` });
    }
  };

  parser.on('error', (err) => {
    const message = err.message.replace(/^\d+:\d+: /, '').replace(/\.$/, '');
    // saxes reads a bare "&" as the start of a reference that runs to the end of the file.
    const ampersand = /^(unclosed tag|unexpected end)/.test(message) ? bareAmpersand(text) : -1;
    if (ampersand >= 0) {
      syntax = { kind: 'syntax', ...at(ampersand), message: 'a bare "&" (write &amp; for an ampersand)' };
      throw STOP;
    }
    syntax = { kind: 'syntax', ...syntaxPosition(message, text, parser, stack, at), message: describeSyntax(message, text, parser.position, lastClosed, at) };
    throw STOP;
  });

  parser.on('doctype', (doctype) => {
    for (const entity of internalEntities(doctype)) {
      const index = text.indexOf(entity.raw);
      if (entity.external !== undefined) link(entity.external, `<!ENTITY ${entity.name} SYSTEM>`, index < 0 ? 0 : index);
      else if (entity.value.includes('<')) {
        syntax = { kind: 'syntax', ...at(index < 0 ? 0 : index), message: `the entity &${entity.name}; holds markup, which this check cannot follow` };
        throw STOP;
      } else parser.ENTITIES[entity.name] = entity.value;
    }
  });

  parser.on('processinginstruction', ({ target, body }) => {
    if (target !== 'xml-stylesheet') return;
    const href = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(body);
    const index = text.lastIndexOf('<?', parser.position);
    link(decodeXml(href?.[1] ?? href?.[2] ?? ''), '<?xml-stylesheet?>', index);
  });

  parser.on('opentag', (tag) => {
    const node = tag as SaxesTagNS;
    const start = text.lastIndexOf(`<${node.name}`, parser.position - 1);
    const svg = node.uri === SVG_NS;
    const parent = stack[stack.length - 1];
    const attributes = Object.values(node.attributes) as SaxesAttributeNS[];
    const hidden = (parent?.hidden ?? false) || attributes.some((a) => a.uri === '' && a.local === 'style' && /(^|;)\s*display\s*:\s*none\s*(;|$)/i.test(a.value));
    if (!rootSeen) {
      rootSeen = true;
      if (!(svg && node.local === 'svg')) {
        syntax = {
          kind: 'syntax',
          drawable: false,
          ...at(start),
          message:
            node.local === 'svg'
              ? `its <svg> element has no xmlns="${SVG_NS}", so a browser does not draw it`
              : `its outermost element is <${node.name}>, not an SVG <svg>`,
        };
        throw STOP;
      }
    }
    stack.push({ local: node.local, svg, name: node.name, start, hidden });
    const label = `<${node.name}`;
    for (const a of attributes) {
      if (a.uri === 'http://www.w3.org/2000/xmlns/') continue;
      const isHref = a.local === 'href' && (a.uri === '' || a.uri === XLINK_NS);
      const isHyperlink = node.local === 'a' || node.local === 'area';
      if (isHref && !isHyperlink) link(a.value, `${label} ${a.name}>`, start);
      else if (!svg && a.uri === '' && HTML_SOURCE_ATTRIBUTES.has(a.local)) {
        const urls = a.local === 'srcset' ? a.value.split(',').map((c) => c.trim().split(/\s+/)[0] ?? '') : [a.value];
        for (const url of urls) link(url, `${label} ${a.name}>`, start);
      }
      if (a.local === 'style' || /url\(/i.test(a.value)) {
        for (const ref of cssUrls(a.value)) link(ref.url, `${ref.via} in the ${a.name} of ${label}>`, start);
      }
    }
    if (node.local === 'style') style = { start, contentStart: parser.position, css: '' };
    const drawsText = svg ? TEXT_ELEMENTS.has(node.local) || node.local === 'foreignObject' : false;
    if (!run && drawsText && !hidden) run = { element: `<${node.name}>`, start, depth: stack.length, chars: '' };
  });

  const characters = (data: string) => {
    if (style) style.css += data;
    if (!run) return;
    if (stack.slice(run.depth).some((e) => UNDRAWN.has(e.local) || e.hidden)) return;
    if (run.chars.length < 200) run.chars += data;
  };
  parser.on('text', characters);
  parser.on('cdata', characters);

  parser.on('closetag', () => {
    const closing = stack[stack.length - 1];
    if (style && closing?.local === 'style') {
      const { css, contentStart, start } = style;
      const end = parser.position;
      for (const ref of cssUrls(css)) {
        const found = text.indexOf(ref.raw, contentStart);
        link(ref.url, `${ref.via} in <${closing.name}>`, found >= 0 && found < end ? found : start);
      }
      style = null;
    }
    if (run && stack.length === run.depth) {
      const found = run.chars.replace(/\s+/g, ' ').trim();
      if (found) problems.push({ kind: 'text', ...at(run.start), element: run.element, found });
      run = null;
    }
    lastClosed = stack.pop();
  });

  try {
    parser.write(text).close();
  } catch (err) {
    if (err !== STOP) throw err;
  }
  return syntax ? [syntax] : problems;
}

/** "inside" for a fragment or data: URL; "outside" for anything else; the problems of an embedded SVG. */
function classifyUrl(raw: string, nesting: number): 'inside' | 'outside' | SvgProblem[] {
  const url = raw.trim();
  if (url === '' || url.startsWith('#')) return 'inside';
  const data = /^data:([^,]*),/i.exec(url);
  if (!data) return 'outside';
  const type = data[1]!.toLowerCase();
  if (!/^image\/svg\+xml\b/.test(type) || nesting >= MAX_NESTING) return 'inside';
  const payload = url.slice(data[0].length);
  let svg: string;
  try {
    svg = /;base64$/.test(type) ? Buffer.from(payload, 'base64').toString('utf8') : decodeURIComponent(payload);
  } catch {
    return [{ kind: 'syntax', line: 1, col: 1, message: 'its data: URL cannot be decoded' }];
  }
  const problems = checkSvg(svg, nesting + 1);
  return problems.length ? problems : 'inside';
}

interface CssUrl {
  url: string;
  via: string;
  /** The text as written in the CSS, to find it in the file. */
  raw: string;
}

/** url(…) and @import "…" in CSS (a <style> element or a style attribute), escapes decoded. */
export function cssUrls(css: string): CssUrl[] {
  const clean = css.replace(/\/\*[\s\S]*?\*\//g, (c) => ' '.repeat(c.length));
  const found: Array<CssUrl & { index: number }> = [];
  const urlPattern = /(@import\s*)?\burl\(\s*(?:"((?:[^"\\]|\\[\s\S])*)"|'((?:[^'\\]|\\[\s\S])*)'|((?:[^)\\\s"']|\\[\s\S])*))\s*\)/gi;
  for (const m of clean.matchAll(urlPattern)) {
    found.push({ index: m.index, raw: m[0], url: cssUnescape(m[2] ?? m[3] ?? m[4] ?? ''), via: m[1] ? '@import' : 'url()' });
  }
  for (const m of clean.matchAll(/@import\s*(?:"((?:[^"\\]|\\[\s\S])*)"|'((?:[^'\\]|\\[\s\S])*)')/gi)) {
    found.push({ index: m.index, raw: m[0], url: cssUnescape(m[1] ?? m[2] ?? ''), via: '@import' });
  }
  return found.sort((a, b) => a.index - b.index).map(({ url, via, raw }) => ({ url, via, raw }));
}

function cssUnescape(value: string): string {
  return value.replace(/\\(?:([0-9a-f]{1,6})\s?|([\s\S]))/gi, (_, hex: string | undefined, char: string | undefined) =>
    hex ? String.fromCodePoint(Math.min(parseInt(hex, 16), 0x10ffff) || 0xfffd) : char === '\n' ? '' : (char ?? ''),
  );
}

interface EntityDeclaration {
  name: string;
  value: string;
  external?: string;
  raw: string;
}

/**
 * The general entities of a DOCTYPE's internal subset. Old Illustrator files declare
 * namespaces this way (<!ENTITY ns_svg "http://www.w3.org/2000/svg">), and browsers
 * expand them; an external one (SYSTEM "file.xml") is a link to outside the file.
 */
function internalEntities(doctype: string): EntityDeclaration[] {
  const subset = /\[([\s\S]*)\]/.exec(doctype)?.[1] ?? '';
  const entities: EntityDeclaration[] = [];
  const pattern = /<!ENTITY\s+(%\s+)?([^\s%]+)\s+(?:(SYSTEM|PUBLIC\s+(?:"[^"]*"|'[^']*'))\s*)?(?:"([^"]*)"|'([^']*)')[^>]*>/g;
  for (const m of subset.matchAll(pattern)) {
    const value = m[4] ?? m[5] ?? '';
    if (m[3]) entities.push({ name: m[2]!, value: '', external: value, raw: m[0] });
    else if (!m[1]) entities.push({ name: m[2]!, value: decodeXml(value), raw: m[0] });
  }
  return entities;
}

function decodeXml(value: string): string {
  return value.replace(/&(?:#x([0-9a-f]+)|#(\d+)|(amp|lt|gt|quot|apos));/gi, (whole, hex?: string, dec?: string, name?: string) => {
    if (hex || dec) return String.fromCodePoint(parseInt(hex ?? dec!, hex ? 16 : 10));
    return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[name!.toLowerCase()] ?? whole;
  });
}

/** Where a syntax error is: saxes's position, or the element it is about when that is clearer. */
function syntaxPosition(
  message: string,
  text: string,
  parser: SaxesParser,
  stack: readonly OpenElement[],
  at: (index: number) => { line: number; col: number },
): { line: number; col: number } {
  const unclosed = /^unclosed tag: (.+)$/.exec(message);
  if (unclosed && endsInsideTag(text)) return at(Math.max(0, text.lastIndexOf('<')));
  if (unclosed) {
    const open = [...stack].reverse().find((e) => e.name === unclosed[1]);
    if (open) return at(open.start);
  }
  const end = Math.min(parser.position, text.length) - 1;
  if (message === 'unexpected close tag') return at(Math.max(0, text.lastIndexOf('</', end)));
  if (message === 'undefined entity') return at(Math.max(0, text.lastIndexOf('&', end)));
  const prefix = /^unbound namespace prefix: "(.*)"$/.exec(message)?.[1];
  if (prefix) {
    const use = text.lastIndexOf(`${prefix}:`, end);
    if (use >= 0) return at(use);
  }
  // saxes's column is the next character's, from 0: the one it stopped on is the same number from 1.
  return at(Math.max(0, end));
}

function describeSyntax(
  message: string,
  text: string,
  position: number,
  lastClosed: OpenElement | undefined,
  at: (index: number) => { line: number; col: number },
): string {
  const before = text.slice(0, position);
  if (message === 'undefined entity') {
    const entity = /&([^&;\s]*);?$/.exec(before)?.[1];
    if (entity) return `undefined entity &${entity}; (XML knows only &amp; &lt; &gt; &quot; &apos; and numbers like &#160;)`;
  }
  if (message === 'unexpected close tag') {
    const tag = /<\/([^\s>]*)\s*>?$/.exec(before)?.[1];
    const open = lastClosed;
    if (tag && open) return `</${tag}> comes while <${open.name}> (line ${at(open.start).line}) is still open`;
    if (tag) return `unexpected close tag </${tag}>`;
  }
  const prefix = /^unbound namespace prefix: "(.*)"$/.exec(message)?.[1];
  if (prefix) return `the prefix "${prefix}:" is used but never declared (xmlns:${prefix}="…" is missing)`;
  const unclosed = /^unclosed tag: (.+)$/.exec(message);
  if (unclosed && endsInsideTag(text)) return 'the file ends in the middle of this tag; was it saved completely?';
  if (unclosed) return `<${unclosed[1]}> is never closed`;
  return message;
}

/** The index of the first "&" that starts no reference, outside comments, CDATA and processing instructions; or -1. */
function bareAmpersand(text: string): number {
  const blanked = text.replace(/<!--[\s\S]*?(?:-->|$)|<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<\?[\s\S]*?(?:\?>|$)/g, (m) => ' '.repeat(m.length));
  return blanked.search(/&(?!(?:[A-Za-z_:][\w.:-]*|#\d+|#x[0-9a-fA-F]+);)/);
}

/** A file cut short: its last "<" opens a tag that never ends. */
function endsInsideTag(text: string): boolean {
  const last = text.lastIndexOf('<');
  return last >= 0 && !text.includes('>', last);
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** 1-based line and column (in characters) of a string index. */
function positionOf(text: string, starts: readonly number[], index: number): { line: number; col: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= index) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, col: [...text.slice(starts[lo]!, index)].length + 1 };
}

/**
 * One error for an SVG's problems: the first, with how many more. `subject` says what the
 * file is to the handout (`illustration "knee-hug"`, `the logo`), `file` is its display
 * path, `where` the YAML position that named it.
 */
export function svgError(problems: readonly SvgProblem[], subject: string, file: string, where: SourcePosition): HandoutError {
  const first = problems[0]!;
  const more = problems.length > 1 ? `, and ${problems.length - 1} more` : '';
  const place = `${file}:${first.line}:${first.col}${more}`;
  const inside = first.inside ? ` ${first.inside}` : '';
  switch (first.kind) {
    case 'text':
      return new HandoutError('SVG_TEXT', 'text', { subject, found: clip(first.found, 40), element: first.element, inside, place }, { where });
    case 'link':
      return new HandoutError('SVG_LINK', 'link', { subject, url: describeUrl(first.url), via: first.via, inside, place }, { where });
    case 'syntax': {
      const what = first.drawable === false ? 'an SVG a browser can draw' : 'well-formed SVG';
      return first.inside
        ? new HandoutError('SVG_SYNTAX', 'embedded', { subject, what, inside: first.inside.replace(/^in an SVG embedded by /, ''), place, detail: first.message }, { where })
        : new HandoutError('SVG_SYNTAX', 'notSvg', { subject, what, place, detail: first.message }, { where });
    }
  }
}

function describeUrl(url: string): string {
  if (url.startsWith('file:')) return `the file "${clip(url, 100)}" on the computer it was drawn on`;
  if (/^[a-z][a-z0-9+.-]*:/i.test(url)) return `"${clip(url, 100)}"`;
  return `the file "${clip(url, 100)}"`;
}

function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
}

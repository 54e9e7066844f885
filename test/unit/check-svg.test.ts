/**
 * What an SVG illustration may hold (src/resolve/check-svg.ts): no drawn text, no link
 * outside itself, well-formed XML; each problem at its line and column in the SVG.
 * The CLI's messages are tested end to end in test/e2e/illustration-checks.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { checkSvg, cssUrls, svgError } from '../../src/resolve/check-svg.js';

const NS = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"';
const INKSCAPE_NS = 'xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd"';
/** The SVG's body starts on line 2, column 1. */
const svg = (body: string, attributes = '') => `<svg ${NS}${attributes ? ` ${attributes}` : ''}>\n${body}\n</svg>\n`;
const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('checkSvg: text', () => {
  it('finds <text> at its line and column, with its characters, tspans included', () => {
    expect(checkSvg(svg('  <g>\n    <text x="1"><tspan>Hold   20\n s</tspan> please</text>\n  </g>'))).toEqual([
      { kind: 'text', line: 3, col: 5, element: '<text>', found: 'Hold 20 s please' },
    ]);
  });

  it.each([
    ['a <textPath>', '<textPath href="#p">Along</textPath>', '<textPath>'],
    ["Inkscape 0.92's flowed text", '<flowRoot><flowRegion><rect width="9" height="9"/></flowRegion><flowPara>Flowed</flowPara></flowRoot>', '<flowRoot>'],
    ['HTML in a <foreignObject>', '<foreignObject width="9" height="9"><p xmlns="http://www.w3.org/1999/xhtml">Words</p></foreignObject>', '<foreignObject>'],
    ['an <svg:text> with a prefix', '<svg:text xmlns:svg="http://www.w3.org/2000/svg">Prefixed</svg:text>', '<svg:text>'],
  ])('finds text in %s', (_, body, element) => {
    expect(checkSvg(svg(body))).toMatchObject([{ kind: 'text', line: 2, col: 1, element }]);
  });

  it('leaves what is never drawn: titles, descriptions, metadata, empty text, a hidden layer', () => {
    const body = [
      '<title>Knee hug</title><desc>Side view</desc>',
      '<metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><dc:title xmlns:dc="http://purl.org/dc/elements/1.1/">Knee</dc:title></rdf:RDF></metadata>',
      '<text xml:space="preserve"><tspan sodipodi:role="line"> </tspan></text>',
      '<text><title>a tooltip</title></text>',
      '<g inkscape:groupmode="layer" style="display:none"><text>notes for me</text></g>',
      '<text style="fill:red;display: none">hidden</text>',
      '<foreignObject><style xmlns="http://www.w3.org/1999/xhtml">p { color: red }</style></foreignObject>',
    ].join('\n');
    expect(checkSvg(svg(body, INKSCAPE_NS))).toEqual([]);
  });
});

describe('checkSvg: links outside the file', () => {
  it.each([
    ['<image xlink:href> (Inkscape "link" mode)', '<image xlink:href="photo.png" sodipodi:absref="/home/ana/photo.png"/>', 1, 'photo.png', '<image xlink:href>'],
    ['<image href> to a file:/// path', '<image href="file:///home/ana/photo.png"/>', 1, 'file:///home/ana/photo.png', '<image href>'],
    ['<image href> to the web', '<image href=" https://example.org/a.png "/>', 1, 'https://example.org/a.png', '<image href>'],
    ['<use> of another file', '<use xlink:href="symbols.svg#knee"/>', 1, 'symbols.svg#knee', '<use xlink:href>'],
    ['<feImage>', '<filter id="f"><feImage href="tex.jpg"/></filter>', 16, 'tex.jpg', '<feImage href>'],
    ['url() in a style attribute', '<rect style="fill:url(#g);stroke:url( \'http://x.test/p\' )"/>', 1, 'http://x.test/p', 'url() in the style of <rect>'],
    ['url() in a presentation attribute', '<rect fill="url(pattern.svg#p)"/>', 1, 'pattern.svg#p', 'url() in the fill of <rect>'],
    ['an entity reference spelling', '<image href="&#104;ttp://x.test/a.png"/>', 1, 'http://x.test/a.png', '<image href>'],
    ['HTML in a <foreignObject>', '<foreignObject><img xmlns="http://www.w3.org/1999/xhtml" src="a.png"/></foreignObject>', 16, 'a.png', '<img src>'],
  ])('finds %s', (_, body, col, url, via) => {
    expect(checkSvg(svg(body, INKSCAPE_NS))).toEqual([{ kind: 'link', line: 2, col, url, via }]);
  });

  it('finds @import and url() in <style>, at their own line, comments skipped, escapes decoded', () => {
    const style = '<style>\n/* url(old.png) */\n.a { fill: #2f4a52 }\n@import "more.css";\n.b { mask: url(\\68ttp://x.test/m) }\n</style>';
    expect(checkSvg(svg(style))).toEqual([
      { kind: 'link', line: 5, col: 1, url: 'more.css', via: '@import in <style>' },
      { kind: 'link', line: 6, col: 12, url: 'http://x.test/m', via: 'url() in <style>' },
    ]);
    expect(checkSvg(svg('<style><![CDATA[\n@import url(a.css);\n]]></style>'))).toEqual([
      { kind: 'link', line: 3, col: 1, url: 'a.css', via: '@import in <style>' },
    ]);
  });

  it('finds an xml-stylesheet and an external entity', () => {
    expect(checkSvg(`<?xml version="1.0"?>\n<?xml-stylesheet href="s.css" type="text/css"?>\n<svg ${NS}/>`)).toEqual([
      { kind: 'link', line: 2, col: 1, url: 's.css', via: '<?xml-stylesheet?>' },
    ]);
    expect(checkSvg(`<!DOCTYPE svg [\n<!ENTITY e SYSTEM "file:///etc/hostname">\n]>\n<svg ${NS}/>`)).toEqual([
      { kind: 'link', line: 2, col: 1, url: 'file:///etc/hostname', via: '<!ENTITY e SYSTEM>' },
    ]);
  });

  it('accepts fragments, data: pictures, gradients by reference and hyperlinks', () => {
    const body = [
      '<defs><linearGradient id="g"/><linearGradient id="h" xlink:href="#g"/><path id="p" d="M0 0"/></defs>',
      '<rect style="fill:url(#h)" filter="url( #f )"/><use href="#p"/><textPath href="#p"/>',
      '<image href="data:image/png;base64,iVBORw0KGgo="/><image href="data:image/jpeg;base64,/9j/"/>',
      `<image href="data:image/svg+xml;base64,${b64(`<svg ${NS}><path d="M0 0"/></svg>`)}"/>`,
      '<a href="https://clinic.example/"><rect/></a>',
    ].join('\n');
    expect(checkSvg(svg(body))).toEqual([]);
  });

  it('looks inside an SVG embedded as data:, and reports it at the element that embeds it', () => {
    const inner = `<svg ${NS}><text>inner</text></svg>`;
    expect(checkSvg(svg(`<image href="data:image/svg+xml;base64,${b64(inner)}"/>`))).toEqual([
      { kind: 'text', line: 2, col: 1, element: '<text>', found: 'inner', inside: 'in an SVG embedded by <image href>' },
    ]);
    const linking = `<svg ${NS}><image href="http://x.test/a.png"/></svg>`;
    expect(checkSvg(svg(`<image href="data:image/svg+xml,${encodeURIComponent(linking)}"/>`))).toMatchObject([
      { kind: 'link', url: 'http://x.test/a.png', inside: 'in an SVG embedded by <image href>' },
    ]);
  });
});

describe('checkSvg: XML a browser cannot read', () => {
  it.each([
    ['an undefined entity', svg('<rect/>&nbsp;'), 2, 8, 'undefined entity &nbsp; (XML knows only &amp; &lt; &gt; &quot; &apos; and numbers like &#160;)'],
    ['an undeclared prefix', svg('<rect inkscape:label="x"/>'), 2, 7, 'the prefix "inkscape:" is used but never declared (xmlns:inkscape="…" is missing)'],
    ['a tag closed out of order', svg('<g>\n<rect/>'), 4, 1, '</svg> comes while <g> (line 2) is still open'],
    ['a file cut short', `<svg ${NS}>\n<g>\n<path d="M0`, 3, 1, 'the file ends in the middle of this tag; was it saved completely?'],
    ['an ampersand in an attribute', svg('<g inkscape:label="Knee & hip"/>', INKSCAPE_NS), 2, 25, 'a bare "&" (write &amp; for an ampersand)'],
    ['an ampersand in text, after one in a comment', svg('<!-- a & b --><title>Knee & hip</title>'), 2, 27, 'a bare "&" (write &amp; for an ampersand)'],
  ])('%s, at its position', (_, source, line, col, message) => {
    expect(checkSvg(source)).toEqual([{ kind: 'syntax', line, col, message }]);
  });

  it('refuses an <svg> without the SVG namespace (a browser draws nothing)', () => {
    expect(checkSvg('<svg viewBox="0 0 1 1"><rect/></svg>')).toEqual([
      { kind: 'syntax', drawable: false, line: 1, col: 1, message: 'its <svg> element has no xmlns="http://www.w3.org/2000/svg", so a browser does not draw it' },
    ]);
  });

  it("expands an old Illustrator file's declared entities, as browsers do", () => {
    const illustrator = `<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd" [\n\t<!ENTITY ns_svg "http://www.w3.org/2000/svg">\n\t<!ENTITY ns_xlink "http://www.w3.org/1999/xlink">\n]>\n<svg xmlns="&ns_svg;" xmlns:xlink="&ns_xlink;"><rect/></svg>`;
    expect(checkSvg(illustrator)).toEqual([]);
  });

  it('counts columns in characters and lines across CRLF', () => {
    expect(checkSvg(`<svg ${NS}>\r\n<!-- 😀 -->\r\n😀<text>é</text>\r\n</svg>`)).toMatchObject([{ kind: 'text', line: 3, col: 2 }]);
  });
});

describe('svgError', () => {
  const where = { file: 'content/en/knee-hug.yaml', line: 8, col: 19 };
  it('names the handout (where), the SVG at line:col, what was found, and how many more', () => {
    const error = svgError(
      [
        { kind: 'text', line: 14, col: 5, element: '<text>', found: 'Hold 20 seconds, then lower the knee slowly and change sides' },
        { kind: 'link', line: 20, col: 3, url: 'a.png', via: '<image href>' },
      ],
      'illustration "knee-hug"',
      'content/illustrations/knee-hug.svg',
      where,
    );
    expect(error.toString()).toBe(
      'content/en/knee-hug.yaml:8:19: illustration "knee-hug" has text in it: "Hold 20 seconds, then lower the knee sl…" (<text> at content/illustrations/knee-hug.svg:14:5, and 1 more); text in a picture cannot use the handout\'s fonts [SVG_TEXT]',
    );
    expect(error.hint).toContain('Inkscape: Path > Object to Path');
  });
});

describe('cssUrls', () => {
  it('reads quoted, unquoted and escaped url()s and both @import forms', () => {
    expect(cssUrls(`@import 'a.css'; @import url("b.css"); x { y: url( c\\).png ) } /* url(d) */`).map((u) => [u.via, u.url])).toEqual([
      ['@import', 'a.css'],
      ['@import', 'b.css'],
      ['url()', 'c).png'],
    ]);
  });
});

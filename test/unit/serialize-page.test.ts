/**
 * The one page serializer (src/render/serialize-page.ts): the saved, printed and previewed
 * pages of a handout from one description, and the dev server's frame from templates/dev/.
 * No browser: the HTML is compared as text.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDevPages, type PageContext } from '../../src/dev/preview-pages.js';
import { HandoutError } from '../../src/errors.js';
import { CONTENT_SECURITY_POLICY, contentSecurityPolicy } from '../../src/render/content-security-policy.js';
import { ASSET_ORIGIN, fontAsset } from '../../src/render/page-assets.js';
import { linkedAssets, serializePage, splitTemplateOutput, type FontFaceSource, type PageParts } from '../../src/render/serialize-page.js';
import { removeDir, tempDir, TEMPLATES } from '../helpers/cli.js';

const a = fontAsset(new Uint8Array([1, 2, 3]));
const b = fontAsset(new Uint8Array([4, 5, 6, 7]));
const face = (asset: typeof a, name: string): FontFaceSource => ({ rule: (url) => `@font-face { font-family: '${name}'; src: url(${url}) format('woff2'); }`, asset: () => asset });

const TEMPLATE = '<!DOCTYPE html>\n<html lang="ar" dir="rtl" class="page-A4">\n<head>\n<title>t</title>\n</head>\n<body class="x">\n<p>data:font/woff2 &lt;/style&gt;</p>\n</body>\n</html>\n';
const parts = (text = TEMPLATE): PageParts => ({
  template: splitTemplateOutput(text, '/clinic/templates/handout.hbs'),
  head: [
    { kind: 'policy' },
    { kind: 'fonts', faces: [face(a, 'A'), face(b, 'B')], families: ['A', 'B'] },
    { kind: 'style', css: '\n@page { size: A4; }\nbody { color: red }</STYLE><script>x()</script>' },
  ],
});
/** What `fn` threw, as the CLI prints it (file: message [CODE]). */
const thrown = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    return String(err);
  }
  return 'nothing thrown';
};
const meta = (policy: string) => `<meta http-equiv="Content-Security-Policy" content="${policy}">`;
const savedHead = [
  meta(CONTENT_SECURITY_POLICY),
  `<style>\n@font-face { font-family: 'A'; src: url(${a.inline}) format('woff2'); }\n@font-face { font-family: 'B'; src: url(${b.inline}) format('woff2'); }\nhtml { font-family: 'A', 'B'; }\n</style>`,
  '<style>\n@page { size: A4; }\nbody { color: red }<\\/style><script>x()</script></style>',
].join('\n');

describe('the policy', () => {
  it('is the strict one the sheets have always declared, built from its directives', () => {
    expect(CONTENT_SECURITY_POLICY).toBe("default-src 'none'; img-src data:; font-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'");
  });

  it('opens only what each page asks for: fonts from the asset origin, a script by nonce, no framing', () => {
    expect(contentSecurityPolicy({ fontOrigins: [ASSET_ORIGIN] })).toBe(CONTENT_SECURITY_POLICY.replace('font-src data:', `font-src data: ${ASSET_ORIGIN}`));
    expect(contentSecurityPolicy({ scriptNonce: 'abc', noFraming: true })).toBe(
      "default-src 'none'; img-src data:; font-src data:; style-src 'unsafe-inline'; script-src 'nonce-abc'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
  });
});

describe('splitting the template output', () => {
  it('finds the places the build adds to, once', () => {
    const t = splitTemplateOutput(TEMPLATE, 'handout.hbs');
    expect(TEMPLATE.slice(0, t.htmlTagEnd!)).toBe('<!DOCTYPE html>\n<html lang="ar" dir="rtl" class="page-A4"');
    expect(TEMPLATE.slice(0, t.headStart).endsWith('<head>')).toBe(true);
    expect(TEMPLATE.slice(t.headEnd!).startsWith('</head>')).toBe(true);
    expect(TEMPLATE.slice(0, t.bodyStart!).endsWith('<body class="x">')).toBe(true);
    expect(TEMPLATE.slice(t.bodyEnd!).startsWith('</body>')).toBe(true);
  });

  it('refuses a layout without <head>, naming the template file actually used', () => {
    expect(thrown(() => splitTemplateOutput('<html><body></body></html>', '/clinic/templates/handout.hbs'))).toBe(
      '/clinic/templates/handout.hbs: the layout template has no <head> element [TEMPLATE]',
    );
    expect(() => splitTemplateOutput('<html></html>', 'x.hbs')).toThrow(expect.objectContaining({ code: 'TEMPLATE', hint: expect.stringMatching(/Keep the <head> element/) }));
  });

  it('takes <header> for no <head>', () => {
    expect(() => splitTemplateOutput('<html><header></header><body></body></html>', 'x.hbs')).toThrow(/no <head> element/);
  });
});

describe('the saved page', () => {
  it("puts the build's head first in <head>, fonts inlined, and the fit level after the template's attributes", () => {
    const html = serializePage(parts(), { as: 'saved', fit: 'b12 grid' });
    expect(html).toBe(
      `<!DOCTYPE html>\n<html lang="ar" dir="rtl" class="page-A4" data-fit="b12 grid">\n<head>\n${savedHead}\n\n<title>t</title>\n</head>\n<body class="x">\n<p>data:font/woff2 &lt;/style&gt;</p>\n</body>\n</html>\n`,
    );
  });

  it('leaves the template text alone: text that looks like the policy or a font URL is not touched', () => {
    const text = TEMPLATE.replace('<p>', `<p>${meta(CONTENT_SECURITY_POLICY)} ${a.inline}`);
    const printed = serializePage(parts(text), { as: 'printed', fit: null });
    expect(printed).toContain(`<p>${meta(CONTENT_SECURITY_POLICY)} ${a.inline}`);
    expect(printed.match(/<meta http-equiv/g)).toHaveLength(2);
  });

  it('writes no fit level without one, nor on a page without <html>', () => {
    expect(serializePage(parts(), { as: 'saved', fit: null })).not.toContain('data-fit');
    const bare = { template: splitTemplateOutput('<head></head><p>x</p>', 'x.hbs'), head: [] };
    expect(serializePage(bare, { as: 'saved', fit: 'b14' })).toBe('<head></head><p>x</p>');
  });

  it('adds nothing to a page with nothing to add (a bare page printed as written)', () => {
    const text = '<!DOCTYPE html><html><head><title>js</title></head><body><script>1</script></body></html>';
    expect(serializePage({ template: splitTemplateOutput(text, 'x.hbs'), head: [] }, { as: 'printed', fit: 'b14' })).toBe(text.replace('<html>', '<html data-fit="b14">'));
  });
});

describe('the printed page', () => {
  it('links every font from the asset origin, and opens the policy to it for fonts only', () => {
    const printed = serializePage(parts(), { as: 'printed', fit: 'b14' });
    const saved = serializePage(parts(), { as: 'saved', fit: 'b14' });
    expect(printed).toBe(
      saved
        .replace(meta(CONTENT_SECURITY_POLICY), meta(`${CONTENT_SECURITY_POLICY.replace('font-src data:', `font-src data: ${ASSET_ORIGIN}`)}`))
        .replace(a.inline, a.url)
        .replace(b.inline, b.url),
    );
    expect(printed).toContain('img-src data:;');
    expect(printed).not.toContain('base64');
  });

  it('opens the policy of every page alike, fonts or none: document.write keeps the earlier policies', () => {
    const none: PageParts = { ...parts(), head: [{ kind: 'policy' }] };
    expect(serializePage(none, { as: 'printed', fit: null })).toContain(`font-src data: ${ASSET_ORIGIN};`);
  });

  it('answers for exactly the fonts it links, in order', () => {
    expect(linkedAssets(parts())).toEqual([a, b]);
    expect(linkedAssets({ ...parts(), head: [{ kind: 'policy' }] })).toEqual([]);
  });

  it('names each font by its content', () => {
    expect(a.url).toMatch(new RegExp(`^${ASSET_ORIGIN}/fonts/[0-9a-f]{24}\\.woff2$`));
    expect(fontAsset(new Uint8Array([1, 2, 3])).url).toBe(a.url);
    expect(b.url).not.toBe(a.url);
    expect(a.inline).toBe(`data:font/woff2;base64,${Buffer.from([1, 2, 3]).toString('base64')}`);
  });
});

describe('the dev preview', () => {
  const dev = { styles: ['.sheet{width:1px}'], bodyStart: '<nav id="handout-dev"></nav>', script: { nonce: 'n0nce', code: '\nlet s = "</script><b>";\n' } };

  it('leaves the policy to the server, adds its styles last in <head>, the toolbar first in <body>, the script last', () => {
    const html = serializePage(parts(), { as: 'preview', fit: 'b13', dev });
    const saved = serializePage(parts(), { as: 'saved', fit: 'b13' });
    expect(html).not.toContain('Content-Security-Policy');
    expect(html).toBe(
      saved
        .replace(`${meta(CONTENT_SECURITY_POLICY)}\n`, '')
        .replace('</head>', '<style>.sheet{width:1px}</style>\n</head>')
        .replace('<body class="x">', '<body class="x">\n<nav id="handout-dev"></nav>')
        .replace('</body>', '<script nonce="n0nce">\nlet s = "<\\/script><b>";\n</script>\n</body>'),
    );
  });

  it('still serves a page that leaves out </head>, <body> and </body> (as HTML allows), without the toolbar', () => {
    const text = '<html><head><title>t</title><p>x</p></html>';
    expect(serializePage({ template: splitTemplateOutput(text, 'x.hbs'), head: [{ kind: 'policy' }] }, { as: 'preview', fit: null, dev })).toBe(
      '<html><head><style>.sheet{width:1px}</style>\n<title>t</title><p>x</p></html><script nonce="n0nce">\nlet s = "<\\/script><b>";\n</script>\n',
    );
  });
});

describe('the dev pages, from templates/dev/', () => {
  const ctx: PageContext = { nonce: 'Tk9OQ0U=', version: 'abcd-1', projectDirs: [TEMPLATES], contentDir: '/nowhere/content' };

  it('carry the reload script by nonce, no policy of their own, and escape what they show', async () => {
    const pages = await loadDevPages(TEMPLATES);
    const index = pages.index([{ absPath: '/x/en/a.yaml', file: 'content/en/a.yaml', locale: 'en', slug: 'a<b' }], [new HandoutError('SCHEMA', 'field', { field: 'title', detail: 'bad <i>' }, { hint: 'fix & save' })], ctx);
    expect(index).toMatch(/^<!DOCTYPE html>\n<html lang="en">/);
    expect(index).toContain('<script nonce="Tk9OQ0U=">\n(() => {\n  const rendered = "abcd-1";');
    expect(index).not.toContain('Content-Security-Policy');
    expect(index).toContain('<strong>a&lt;b</strong>');
    expect(index).toContain('href="/en/a%3Cb.html"');
    expect(index).toContain('bad &lt;i&gt;');
    expect(index).toContain('fix &amp; save');
    expect(pages.index([], [], ctx)).toContain('No handouts yet: add one as /nowhere/content/&lt;locale&gt;/&lt;slug&gt;.yaml.');
    expect(pages.notFound('There is no page at /<x>.', ctx)).toContain('<p>There is no page at /&lt;x&gt;.</p>');
  });

  it('show an error with the lines it points at, under the toolbar', async () => {
    const pages = await loadDevPages(TEMPLATES);
    const file = path.join(TEMPLATES, 'handout.hbs');
    const html = await pages.errors('en/a has errors', [new HandoutError('SCHEMA', 'field', { field: 'title', detail: 'wrong' }, { where: { file, line: 3, col: 2 } })], { locale: 'en', slug: 'a', size: 'Letter', locales: ['en', 'fr'] }, ctx);
    expect(html).toContain('<nav id="handout-dev"');
    expect(html).toContain('<a aria-current="page">en</a><a href="/fr/a.html?size&#x3D;Letter">fr</a>');
    expect(html).toContain('<span id="handout-dev-status">error</span>');
    expect(html).toMatch(/<pre class="frame">1 \| &lt;!DOCTYPE html&gt;&#10;2 \| .*&#10;<mark>3 \| .*<\/mark>&#10;  \|  \^&#10;4 \| /);
  });

  it("are the clinic's when it has its own dev templates, and name its file when one is broken", async () => {
    const dir = await tempDir();
    try {
      await mkdir(path.join(dir, 'dev'), { recursive: true });
      await writeFile(path.join(dir, 'dev', 'page.hbs'), '<!DOCTYPE html><html><head><title>{{title}}</title></head><body><h1>Our clinic: {{title}}</h1></body></html>');
      const pages = await loadDevPages(dir);
      expect(pages.notFound('x', ctx)).toMatch(/^<!DOCTYPE html><html><head><title>Not found<\/title><\/head><body><h1>Our clinic: Not found<\/h1><script nonce="Tk9OQ0U=">/);
      await writeFile(path.join(dir, 'dev', 'page.hbs'), '<html><body>{{title}}</body></html>');
      expect(() => pages.notFound('x', ctx)).not.toThrow();
      const broken = await loadDevPages(dir);
      expect(thrown(() => broken.notFound('x', ctx))).toBe(`${path.join(dir, 'dev', 'page.hbs')}: the layout template has no <head> element [TEMPLATE]`);
      await writeFile(path.join(dir, 'dev', 'toolbar.hbs'), '{{#if}}');
      expect(String(await loadDevPages(dir).catch((err: unknown) => err))).toMatch(/dev\/toolbar\.hbs:1: Parse error on line 1:.*\[TEMPLATE\]$/);
    } finally {
      await removeDir(dir);
    }
  });
});

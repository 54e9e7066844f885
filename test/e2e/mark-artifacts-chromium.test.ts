/**
 * markArtifacts (src/print/pdf-update/mark-artifacts.ts) on a page Chromium printed: every
 * painting marked, every token kept, and the page renders the same pixel for pixel.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import puppeteer from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBrowser } from '../../src/print/find-browser.js';
import { markArtifacts } from '../../src/print/pdf-update/mark-artifacts.js';
import { PdfDocument, PdfRef, type PdfDict } from '../../src/pdf/pdf-syntax.js';
import { expectMarked, scan } from '../helpers/content-stream-scan.js';

const A = '/Artifact BMC\n';


const HTML = `<!doctype html><html lang="en"><head><style>
  @page { size: A6; margin: 8mm }
  html { background: #fef6e4 }
  body { font: 12px sans-serif; margin: 0 }
  .box { border: 3px solid #c33; background: #eef; padding: 6px; border-radius: 6px }
  hr { border: 0; border-top: 2px solid #369 }
  table { border-collapse: collapse } td { border: 1px solid #333; padding: 2px }
</style></head><body>
  <h1>Knee (left) \\ right</h1>
  <div class="box"><p>Bend the knee <b>slowly</b>.</p>
    <svg aria-hidden="true" width="40" height="40" viewBox="0 0 40 40"><circle cx="20" cy="20" r="15" fill="#f90" stroke="#000"/><path d="M5 5 L35 35" stroke="#00f" stroke-width="3"/></svg>
  </div>
  <hr><ul><li>One</li><li>Two</li></ul><table><tr><td>a</td><td>b</td></tr></table>
</body></html>`;

function pageContents(doc: PdfDocument): Array<{ num: number; data: string }> {
  const out: Array<{ num: number; data: string }> = [];
  const walk = (node: PdfDict) => {
    const kids = node.get('Kids');
    if (Array.isArray(kids)) for (const kid of kids) walk(doc.dict(kid)!);
    else {
      const contents = node.get('Contents');
      if (!(contents instanceof PdfRef)) throw new Error('expected one content stream a page, as Chromium writes');
      out.push({ num: contents.num, data: doc.stream(contents)!.data });
    }
  };
  walk(doc.dict(doc.dict(doc.trailer.get('Root'))!.get('Pages'))!);
  return out;
}

describe('markArtifacts on a page printed by Chromium', () => {
  let dir: string;
  let pdf: Uint8Array;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'mark-artifacts-'));
    const browser = await puppeteer.launch({ executablePath: findBrowser(undefined).path, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
    try {
      const page = await browser.newPage();
      await page.setContent(HTML);
      pdf = await page.pdf({ tagged: true, printBackground: true, preferCSSPageSize: true });
    } finally {
      await browser.close();
    }
    writeFileSync(path.join(dir, 'printed.pdf'), pdf);
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('marks the background, borders and aria-hidden SVG, leaving no painting unmarked and every token as it was', () => {
    const pages = pageContents(new PdfDocument(pdf));
    expect(pages.length).toBe(1);
    for (const { data } of pages) {
      // Chromium does leave painting unmarked: else this test would prove nothing.
      expect(scan(data).unmarked.length).toBeGreaterThan(0);
      const t0 = performance.now();
      const marked = markArtifacts(data);
      console.log(`markArtifacts: Chromium page of ${data.length} bytes in ${(performance.now() - t0).toFixed(2)} ms`);
      expectMarked(data, marked);
      // The page background; the box's background and border, one wrapper; the SVG.
      expect(marked.split(A).length - 1).toBeGreaterThanOrEqual(3);
    }
  });

  it('renders the same, pixel for pixel', () => {
    const file = (name: string) => path.join(dir, name);
    // QDF keeps streams uncompressed and as written (no content normalising), one object a
    // stretch of text; fix-qdf then mends the lengths and the cross-reference table.
    execFileSync('qpdf', ['--qdf', '--object-streams=disable', '--normalize-content=n', file('printed.pdf'), file('qdf.pdf')]);
    let qdf = readFileSync(file('qdf.pdf')).toString('latin1');
    for (const { num } of pageContents(new PdfDocument(pdf))) {
      // qpdf renumbers objects; it notes each page's contents with a comment.
      const match = new RegExp(`%% Contents for page \\d+\\n%% Original object ID: ${num} 0\\n(\\d+) 0 obj\\n<<[^]*?>>\\nstream\\n`).exec(qdf);
      expect(match, `content stream ${num} in the QDF`).not.toBeNull();
      const start = match!.index + match![0].length;
      const end = qdf.indexOf('endstream', start);
      const data = qdf.slice(start, end);
      qdf = qdf.slice(0, start) + markArtifacts(data) + qdf.slice(end);
    }
    writeFileSync(file('marked-qdf.pdf'), Buffer.from(qdf, 'latin1'));
    writeFileSync(file('marked.pdf'), execFileSync('fix-qdf', [file('marked-qdf.pdf')], { maxBuffer: 64 << 20 }));
    execFileSync('qpdf', ['--check', file('marked.pdf')], { stdio: 'ignore' });
    const render = (name: string) => {
      execFileSync('pdftoppm', ['-png', '-r', '50', '-singlefile', file(`${name}.pdf`), file(name)]);
      return PNG.sync.read(readFileSync(file(`${name}.png`)));
    };
    const before = render('printed');
    const after = render('marked');
    expect([after.width, after.height]).toEqual([before.width, before.height]);
    expect(pixelmatch(before.data, after.data, undefined, before.width, before.height, { threshold: 0 })).toBe(0);
    // And the artifacts are really in the file that was rendered.
    const rendered = pageContents(new PdfDocument(readFileSync(file('marked.pdf'))));
    expect(rendered.every(({ data }) => data.includes(A) && scan(data).unmarked.length === 0)).toBe(true);
  });
});

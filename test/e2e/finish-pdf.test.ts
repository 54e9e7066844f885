/**
 * The update after printing (src/print/finish-pdf.ts): Chromium's drawing kept, no object
 * left behind, the update read by independent readers (qpdf, pdfinfo), the same bytes for
 * the same input, and text strings in any script.
 */
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishPdf } from '../../src/print/finish-pdf.js';
import { PdfDocument } from '../../src/pdf/pdf-syntax.js';
import { findBrowser } from '../../src/print/find-browser.js';
import type { DocumentInfo } from '../../src/render/create-renderer.js';
import { extractPdfText } from '../../src/verify/pdf-text/extract-text.js';
import { removeDir, tempDir } from '../helpers/cli.js';
import { allElements, pdfInfo, pdfStructure, pdfXmp, qpdfCheck } from '../helpers/pdf.js';

describe('finishing a printed PDF', () => {
  let browser: Browser;
  let dir: string;
  let printed: Uint8Array;
  const info: DocumentInfo = {
    title: 'Übungen für den Rücken',
    author: 'Praxis Müller & Söhne <Physio>',
    subject: 'Sanfte Dehnungen (für zu Hause)',
    keywords: 'Rückenschmerzen',
    lang: 'de',
    creator: 'handout 9.9.9',
  };

  beforeAll(async () => {
    dir = await tempDir();
    browser = await puppeteer.launch({ executablePath: findBrowser(undefined).path, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
    const page = await browser.newPage();
    await page.setContent(
      '<html lang="de"><head><title>Übungen</title></head><body><h1>Übungen</h1><ul><li><b>Wärme</b> — eine warme Packung</li><li>Kälte</li></ul><p>Hören Sie auf, wenn es schmerzt.</p></body></html>',
    );
    printed = new Uint8Array(await page.pdf({ tagged: true, format: 'A4' }));
  });
  afterAll(async () => {
    await browser?.close();
    await removeDir(dir);
  });

  const write = async (bytes: Uint8Array) => {
    const file = path.join(dir, `${Math.random().toString(36).slice(2)}.pdf`);
    await writeFile(file, bytes);
    return file;
  };

  it("keeps Chromium's drawing and objects, leaves nothing superseded behind, and qpdf finds the result sound", async () => {
    const finished = finishPdf(printed, info, null);
    const file = await write(finished);
    expect(qpdfCheck(file)).toBe(true);
    // The text a reader gets is the text Chromium drew.
    expect(extractPdfText(finished, false).map((p) => p.text)).toEqual(extractPdfText(printed, false).map((p) => p.text));
    // Every object of Chromium's is still there (fonts, pictures, structure), and the file is
    // one revision: one cross-reference table, no old content stream kept beside the new.
    const before = new PdfDocument(printed);
    const after = new PdfDocument(finished);
    for (const num of before.objectOffsets().keys()) expect(after.objectOffsets().has(num), `object ${num}`).toBe(true);
    expect(after.trailer.get('Prev')).toBeUndefined();
    expect(finished.length).toBeLessThan(printed.length + 4096);
  });

  it('records title, author, subject, keywords and creator in any script, as pdfinfo reads them', async () => {
    const file = await write(finishPdf(printed, info, new Date('2026-11-01T00:00:00Z')));
    const read = pdfInfo(file);
    expect(read).toMatchObject({
      Title: info.title,
      Author: info.author,
      Subject: info.subject,
      Keywords: info.keywords,
      Creator: 'handout 9.9.9',
      Producer: expect.stringMatching(/^Skia\/PDF/),
    });
    expect(read.CreationDate).toMatch(/Nov\s+1 .*2026/);
    const xmp = pdfXmp(file);
    expect(xmp).toContain('<dc:creator><rdf:Seq><rdf:li>Praxis Müller &amp; Söhne &lt;Physio&gt;</rdf:li></rdf:Seq></dc:creator>');
    expect(xmp).toContain('<xmp:CreateDate>2026-11-01T00:00:00Z</xmp:CreateDate>');
    expect(xmp).toContain('<pdfuaid:part>1</pdfuaid:part>');
    // Well-formed XML: xmllint-free check through the browser's parser.
    const page = await browser.newPage();
    const errors = await page.evaluate((text) => new DOMParser().parseFromString(text, 'application/xml').getElementsByTagName('parsererror').length, xmp.replace(/^<\?xpacket[^>]*>/, ''));
    await page.close();
    expect(errors).toBe(0);
  });

  it('gives every list item one LBody, gathering the runs Chromium tags apart', async () => {
    const file = await write(finishPdf(printed, info, null));
    const items = allElements(pdfStructure(file)).filter((e) => e.type === 'LI');
    expect(items).toHaveLength(2);
    for (const item of items) expect(item.kids.map((k) => k.type).filter((t) => t !== 'Lbl')).toEqual(['LBody']);
    // "Wärme — eine warme Packung" was two NonStruct runs: both now inside the one body.
    expect(items[0]!.kids.find((k) => k.type === 'LBody')!.kids.length).toBe(2);
  });

  it('gives the same bytes for the same input, and no date when there is none', async () => {
    const a = finishPdf(printed, info, null);
    const b = finishPdf(printed, info, null);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    const read = pdfInfo(await write(a));
    expect(read.CreationDate).toBeUndefined();
  });

  it('leaves a file qpdf can rewrite and linearize (no dangling references)', async () => {
    const file = await write(finishPdf(printed, info, null));
    const out = path.join(dir, 'linear.pdf');
    execFileSync('qpdf', ['--linearize', file, out]);
    expect(qpdfCheck(out)).toBe(true);
    expect(pdfInfo(out).Author).toBe(info.author);
  });
});

/**
 * The build checks PDFs on a worker thread (src/verify/verifier.ts); the compiled one is
 * what the CLI runs. Its answers must be the checks' own: the same error code, message
 * and place, across the thread boundary, and one bad PDF must not stop the next check.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { findBrowser } from '../../src/print/find-browser.js';
import { launchPrinter, type PdfFile } from '../../src/print/launch-printer.js';
import { PdfDocument, PdfName, PdfString } from '../../src/pdf/pdf-syntax.js';
import { checkPdf } from '../../src/verify/verify-pdf.js';
import { barePage } from '../helpers/bare-page.js';

// The compiled module, as the CLI loads it: from the sources it checks on the calling thread.
const { startVerifier } = (await import(new URL('../../dist/verify/verifier.js', import.meta.url).href)) as typeof import('../../src/verify/verifier.js');

let printed: PdfFile;
const verifier = startVerifier(100);

beforeAll(async () => {
  const printer = await launchPrinter({ executablePath: findBrowser(undefined).path, timeoutMs: 20_000 });
  try {
    // Drawn in a system font, which no handout page may use.
    printed = await printer.print(barePage('plain', '<!DOCTYPE html><html><head><title>x</title></head><body><p>Plain text</p></body></html>', 'Plain text'));
  } finally {
    await printer.close();
  }
});
afterAll(() => verifier.close());

it('reports a failed check as the checks do, code and place included', async () => {
  const local = await checkPdf(printed).then(() => null, (err: unknown) => err);
  const remote = await verifier.verify(printed, null).then(() => null, (err: unknown) => err);
  expect(local).toMatchObject({ name: 'HandoutError', code: 'GLYPH_MISSING', where: { file: 'content/en/plain.yaml' } });
  expect(String(remote)).toBe(String(local));
  expect(remote).toMatchObject({ code: 'GLYPH_MISSING', where: { file: 'content/en/plain.yaml' }, hint: (local as { hint: string }).hint });
});

it('answers every check, in any order, after one that was not a PDF at all', async () => {
  const garbage = verifier.verify({ ...printed, bytes: new TextEncoder().encode('not a PDF') }, null);
  const fine = verifier.verify({ ...printed, page: { ...printed.page, fontNames: ['*'] } }, null);
  await expect(garbage).rejects.toThrow(/./);
  // Still GLYPH_MISSING ("*" is not the system font's name), but answered: the worker lives on.
  await expect(fine).rejects.toMatchObject({ code: 'GLYPH_MISSING' });
  const fontName = /"([^"]+)"/.exec(String(await verifier.verify(printed, null).catch((e: unknown) => e)))![1]!;
  const passed = await verifier.verify({ ...printed, page: { ...printed.page, fontNames: [fontName] } }, new Date('2026-11-01T00:00:00Z'));
  expect(passed.pages).toBe(1);
  // What it verified is the finished file, the one that is written: its metadata and date added.
  const doc = new PdfDocument(passed.bytes);
  expect(doc.dict(doc.dict(doc.trailer.get('Root'))?.get('Metadata'))?.get('Subtype')).toEqual(new PdfName('XML'));
  expect(doc.dict(doc.trailer.get('Info'))?.get('CreationDate')).toEqual(new PdfString("D:20261101000000+00'00'"));
});

it('still answers, on the calling thread, once its worker has stopped', async () => {
  const stopping = startVerifier(100);
  const first = stopping.verify(printed, null).catch((err: unknown) => err);
  await stopping.close();
  // The check sent before the stop and one sent after it both get the checks' own answer.
  expect(await first).toMatchObject({ code: 'GLYPH_MISSING', where: { file: 'content/en/plain.yaml' } });
  await expect(stopping.verify(printed, null)).rejects.toMatchObject({ code: 'GLYPH_MISSING' });
});

/**
 * A template may write text with HTML character references: the verifier decodes them
 * as the browser does before it compares the page's text with the PDF's, so a correct
 * sheet is not refused with TEXT_LOST (Caf&eacute; used to count as "&", "e", …, ";").
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fixtureWorkspace, removeDir, runCli } from '../helpers/cli.js';
import { pdfText, squash } from '../helpers/pdf.js';

let dir: string;

beforeAll(async () => {
  dir = await fixtureWorkspace('other-clinic');
  // Alone on the page: no other text of the sheet prints a ";", which the old table
  // of 12 entities left in for "&eacute;".
  const partial = path.join(dir, 'templates/partials/warning-box.hbs');
  const source = await readFile(partial, 'utf8');
  expect(source).toContain('<p>{{text}}</p>');
  await writeFile(partial, source.replace('<p>{{text}}</p>', '<p>{{text}}</p>\n    <p>Caf&eacute; cr&egrave;me</p>'));
});
afterAll(() => removeDir(dir));

it('builds a sheet whose template partial writes Caf&eacute;, and the PDF says Café', async () => {
  const out = path.join(dir, 'out');
  const run = await runCli(['build', '--content', path.join(dir, 'content'), '--templates', path.join(dir, 'templates'), '--out', out, '--only', 'knee-hug']);
  expect(run.stderr).not.toContain('TEXT_LOST');
  expect(run.code, run.stderr).toBe(0);
  expect(run.stdout).toMatch(/✓ en\/knee-hug built/);
  const text = pdfText(path.join(out, 'en/knee-hug.pdf'));
  expect(text).toContain('Café');
  expect(squash(text)).toContain(squash('Café crème'));
  expect(text).not.toContain('&eacute;');
});

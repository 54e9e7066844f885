/**
 * Illustrations as authors save them from Inkscape. An SVG shown through <img> cannot use
 * the page's fonts nor load anything, so text in it printed in a system font (the build
 * failed on a glyph, naming neither the SVG nor the text) and a linked photo printed as a
 * broken-image icon (the build said "✓ built"). Now `check` and `build` refuse both, and
 * malformed XML, with the same line: the handout at its `illustration:` id, the SVG at the
 * line and column of the element, what was found, and what to do.
 */
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startCanary, type Canary } from '../helpers/canary.js';
import { fixtureWorkspace, listFiles, removeDir, runCli } from '../helpers/cli.js';
import { pdfPages } from '../helpers/pdf.js';

const HINT = {
  text: '  hint: Convert text to paths in your drawing program (Inkscape: Path > Object to Path; Illustrator: Type > Create Outlines), or remove it; words belong in the handout, where they are translated.',
  link: '  hint: Embed linked images instead of linking them (Inkscape: Extensions > Images > Embed Images; Illustrator: Embed in the Links panel), or export the drawing as PNG.',
  syntax: '  hint: Open the file in your drawing program and save it again (Inkscape: File > Save As > Plain SVG), or fix the XML at the position shown.',
};
const LINKED = 'a picture must hold everything it shows, linked files are not printed [SVG_LINK]';

/** The two lines each refused handout gets, from `check` and from `build` alike. */
function refusals(canary: string) {
  return {
    broken: [
      '✗ content/en/broken.yaml:7:19: illustration "broken" is not well-formed SVG (content/illustrations/broken.svg:62:5): the file ends in the middle of this tag; was it saved completely? [SVG_SYNTAX]',
      HINT.syntax,
    ].join('\n'),
    labelled: [
      '✗ content/en/labelled.yaml:7:19: illustration "labelled" has text in it: "Hold 20 s" (<text> at content/illustrations/labelled.svg:68:3); text in a picture cannot use the handout\'s fonts [SVG_TEXT]',
      HINT.text,
    ].join('\n'),
    'linked-file': [
      `✗ content/en/linked-file.yaml:7:19: illustration "linked-file" links to the file "file:///home/ana/Pictures/knee.png" on the computer it was drawn on (<image xlink:href> at content/illustrations/linked-file.svg:68:3); ${LINKED}`,
      HINT.link,
    ].join('\n'),
    'linked-photo': [
      `✗ content/en/linked-photo.yaml:7:19: illustration "linked-photo" links to the file "photo.png" (<image xlink:href> at content/illustrations/linked-photo.svg:68:3); ${LINKED}`,
      HINT.link,
    ].join('\n'),
    'linked-web': [
      `✗ content/en/linked-web.yaml:7:19: illustration "linked-web" links to "http://${canary}/knee.png" (<image xlink:href> at content/illustrations/linked-web.svg:68:3); ${LINKED}`,
      HINT.link,
    ].join('\n'),
  };
}

describe('illustrations as authors draw them', () => {
  let canary: Canary;
  let dir: string;
  let expected: ReturnType<typeof refusals>;

  beforeAll(async () => {
    canary = await startCanary();
    expected = refusals(canary.address);
  });
  afterAll(() => canary.close());

  beforeEach(async () => {
    canary.hits.length = 0;
    dir = await fixtureWorkspace('drawn-illustrations');
    const web = path.join(dir, 'content/illustrations/linked-web.svg');
    await writeFile(web, (await readFile(web, 'utf8')).replace('CANARY', canary.address));
    return () => removeDir(dir);
  });

  const cli = (command: string, ...args: string[]) =>
    runCli([command, '--content', 'content', '--templates', 'templates', ...(command === 'build' ? ['--out', 'out'] : []), ...args], { cwd: dir });

  /** stderr as the refusals, one per handout, in file order. */
  const refused = (...slugs: Array<keyof typeof expected>) => `${slugs.map((s) => expected[s]).join('\n')}\n`;
  const ALL_REFUSED = ['broken', 'labelled', 'linked-file', 'linked-photo', 'linked-web'] as const;

  it('check refuses text, linked pictures and broken XML, naming the handout and the SVG line; exit 1', async () => {
    const run = await cli('check');
    expect(run.stderr).toBe(refused(...ALL_REFUSED));
    // check also grades the sheet's reading level, under its line.
    expect(run.stdout).toMatch(/^✓ en\/drawn ok\n  reading grade [\d.]+ \(Flesch–Kincaid\), SMOG [\d.]+ — target 8\n1 passed, 5 failed in [\d.]+ s\n$/);
    expect(run.code).toBe(1);
    expect(canary.hits).toEqual([]);
  });

  it('build refuses them with the same lines and writes no PDF for them; the good drawing prints', async () => {
    const run = await cli('build');
    expect(run.stderr).toBe(refused(...ALL_REFUSED));
    expect(run.stdout).toMatch(/^✓ en\/drawn built → out\/en\/drawn\.pdf \(1 page, /m);
    expect(run.stdout).toMatch(/^1 passed, 5 failed in/m);
    expect(run.code).toBe(1);
    expect(canary.hits).toEqual([]);
    expect(await listFiles(path.join(dir, 'out'))).toEqual(['en/drawn.html', 'en/drawn.pdf']);

    // The Inkscape drawing (namespaced attributes, a <style>, a gradient, a hidden layer
    // holding text) printed with the PNG it embeds as data:, which is the only raster image.
    const pdf = path.join(dir, 'out/en/drawn.pdf');
    expect(pdfPages(pdf)).toBe(1);
    const images = execFileSync('pdfimages', ['-list', pdf], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
    expect(images).toHaveLength(1);
    expect(images[0]).toMatch(/^\s*1\s+0\s+image\s+48\s+48\s/);
    const html = await readFile(path.join(dir, 'out/en/drawn.html'), 'utf8');
    expect(html).toMatch(/<img src="data:image\/svg\+xml;base64,[^"]+" alt="Drawing of a person doing the exercise: Single knee hug">/);
  });

  it('names every handout that uses a refused illustration at its own id', async () => {
    await writeFile(
      path.join(dir, 'content/en/two-exercises.yaml'),
      [
        'title: Two exercises',
        'warning:',
        '  title: Go gently',
        '  text: Move slowly.',
        'exercises:',
        '  - name: Knee hug',
        '    illustration: drawn',
        '    steps: [Lie down.]',
        '  - name: Labelled knee hug',
        '    illustration:   labelled',
        '    steps: [Lie down.]',
        '',
      ].join('\n'),
    );
    const run = await cli('check', '--only', 'labelled', '--only', 'two-exercises');
    expect(run.stderr).toBe(
      `${expected.labelled}\n${expected.labelled.replace('content/en/labelled.yaml:7:19', 'content/en/two-exercises.yaml:10:21')}\n`,
    );
    expect(run.code).toBe(1);
  });

  it('refuses a logo with text or a link for every sheet, at the logo field of clinic.yaml', async () => {
    const logo = path.join(dir, 'content/logo.svg');
    const original = await readFile(logo, 'utf8');
    await writeFile(logo, original.replace('</svg>', '<text x="90" y="50" font-size="30">PV</text></svg>'));
    // The logo's last line is its closing tag, line 10, where the text now starts.
    let run = await cli('build', '--only', 'drawn');
    expect(run.stderr).toBe(
      [
        `✗ content/clinic.yaml:2:7: the logo has text in it: "PV" (<text> at content/logo.svg:10:1); text in a picture cannot use the handout's fonts [SVG_TEXT]`,
        HINT.text,
        '',
      ].join('\n'),
    );
    expect(run.code).toBe(1);
    expect(await listFiles(path.join(dir, 'out'))).toEqual([]);

    await writeFile(logo, original.replace('<svg ', `<svg style="background: url('http://${canary.address}/logo-bg.png')" `));
    run = await cli('check', '--only', 'drawn');
    expect(run.stderr).toContain(
      `✗ content/clinic.yaml:2:7: the logo links to "http://${canary.address}/logo-bg.png" (url() in the style of <svg> at content/logo.svg:2:1); ${LINKED}\n${HINT.link}\n`,
    );
    expect(run.code).toBe(1);
    expect(canary.hits).toEqual([]);
  });
});

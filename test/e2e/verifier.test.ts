/**
 * The verifier is the core promise: a PDF missing a safety text, or spilling onto a
 * second page, is never written. These tests break a copy of the templates or the
 * content and expect the named failure and an empty output folder.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { fixtureWorkspace, listFiles, removeDir, runCli } from '../helpers/cli.js';
import { pdfText, squash } from '../helpers/pdf.js';

describe('verifying every PDF before it is written', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fixtureWorkspace('other-clinic');
    return () => removeDir(dir);
  });

  const editTemplate = async (file: string, edit: (source: string) => string) => {
    const target = path.join(dir, 'templates', file);
    const before = await readFile(target, 'utf8');
    const after = edit(before);
    expect(after).not.toBe(before);
    await writeFile(target, after);
  };
  const build = () => runCli(['build', '--content', 'content', '--out', 'out', '--templates', 'templates'], { cwd: dir });

  it('refuses a PDF whose template dropped the disclaimer', async () => {
    await editTemplate('partials/page-footer.hbs', (s) => s.replace('{{disclaimer.text}}', ''));
    const run = await build();
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      '✗ content/en/pelvic-tilt.yaml: the printed PDF is missing the disclaimer ("Test clinic disclaimer, not medical advice."); not written [SAFETY_TEXT_MISSING]',
    );
    expect(run.stderr).toMatch(/✗ content\/en\/knee-hug\.yaml: the printed PDF is missing the disclaimer \("This sheet gives general advice/);
    expect(await listFiles(path.join(dir, 'out'))).toEqual([]);
  });

  it('refuses a PDF whose stylesheet hides the pain warning', async () => {
    await editTemplate('styles/handout.css', (s) => `${s}\n.pain-warning p { display: none; }\n`);
    const run = await build();
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('the printed PDF is missing the pain warning ("Stop if the movement causes pain that spreads into your leg.")');
    expect(await listFiles(path.join(dir, 'out'))).toEqual([]);
  });

  it('refuses a PDF that lost the per-exercise stop line', async () => {
    await editTemplate('partials/exercise.hbs', (s) => s.replace('{{stopRule}}', ''));
    const run = await build();
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('the stop rule "Stop if you feel pain." (found 0 of 1, one per exercise)');
  });

  it("checks a handout's own stop rule as printed, under every exercise that has it", async () => {
    // A sheet for osteoarthritis allows mild aching: its own rule replaces "Stop if you feel pain.",
    // and one exercise has a rule of its own. The rule printed under the second is then hidden.
    const file = path.join(dir, 'content/en/knee-hug.yaml');
    const source = await readFile(file, 'utf8');
    const second = `  - name: Knee rock
    steps:
      - Hug both knees and rock gently from side to side.
    stop_rule: Stop if your hip hurts.
`;
    await writeFile(file, source.replace('exercises:\n', 'stop_rule: Mild aching is fine. Stop if the pain is sharp.\nexercises:\n') + second);
    const fine = await build();
    expect(fine.stderr).not.toContain('✗');
    const text = squash(pdfText(path.join(dir, 'out/en/knee-hug.pdf')));
    expect(text).toContain(squash('Mild aching is fine. Stop if the pain is sharp.'));
    expect(text).toContain(squash('Stop if your hip hurts.'));
    expect(text).not.toContain(squash('Stop if you feel pain.'));
    await editTemplate('styles/handout.css', (s) => `${s}\n.exercise + .exercise .stop-if-pain { visibility: hidden; }\n`);
    const run = await runCli(['build', '--content', 'content', '--out', 'out2', '--templates', 'templates', '--only', 'knee-hug'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('the stop rule "Stop if your hip hurts." (found 0 of 1, one per exercise)');
    expect(await listFiles(path.join(dir, 'out2'))).toEqual([]);
  });

  it('refuses a handout that does not fit on one page, saying by how much', async () => {
    const file = path.join(dir, 'content/en/pelvic-tilt.yaml');
    const steps = Array.from({ length: 20 }, (_, i) => `      - Step ${i + 1}, ${'keep breathing slowly and evenly while you hold the position. '.repeat(6)}`).join('\n');
    await writeFile(file, (await readFile(file, 'utf8')).replace(/    steps:\n(      - .*\n)+/, `    steps:\n${steps}\n`));
    const run = await build();
    expect(run.code).toBe(1);
    const refusal =
      /^✗ content\/en\/pelvic-tilt\.yaml: does not fit on one A4 page: about (\d+) lines too long even at 12 pt in the most compact layout; longest parts: exercises\[0\] "[^"]+" \((\d+) lines\), [^\n]+ \[NOT_ONE_PAGE\]\n  hint: Shorten the longest parts by \1 lines or more/m;
    const [, over, longest] = refusal.exec(run.stderr) ?? [];
    expect(run.stderr).toMatch(refusal);
    // Twenty steps of six sentences: far more than a page, and the steps are the longest part.
    expect(Number(over)).toBeGreaterThan(40);
    expect(Number(longest)).toBeGreaterThan(Number(over));
    expect(await listFiles(path.join(dir, 'out'))).toEqual(['en/knee-hug.html', 'en/knee-hug.pdf']);
    // check gives the same verdict, with the same lines, and writes nothing.
    const checked = await runCli(['check', '--content', 'content', '--templates', 'templates'], { cwd: dir });
    expect(checked.code).toBe(1);
    expect(checked.stderr).toContain(refusal.exec(run.stderr)![0]);
  });

  it('prints markup and ampersands in handout text literally', async () => {
    const file = path.join(dir, 'content/en/knee-hug.yaml');
    await writeFile(
      file,
      (await readFile(file, 'utf8')).replace(
        'title: Knee hug for a stiff lower back',
        `title: "<script>document.title='pwned'</script> Knee & hip <img src=x onerror=alert(1)>"`,
      ),
    );
    const run = await build();
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const text = squash(pdfText(path.join(dir, 'out/en/knee-hug.pdf')));
    expect(text).toContain(squash(`<script>document.title='pwned'</script> Knee & hip <img src=x onerror=alert(1)>`));
    const html = await readFile(path.join(dir, 'out/en/knee-hug.html'), 'utf8');
    expect(html).toContain('&lt;script&gt;document.title&#x3D;&#x27;pwned&#x27;&lt;/script&gt; Knee &amp; hip &lt;img src&#x3D;x');
    expect(html).not.toMatch(/<script|onerror=/);
  });
});

/**
 * The GitHub Action: action.yml is a composite action whose build step is
 * scripts/action-build.sh. The script is run here as the action runs it, in a clinic's
 * folder, with the inputs as environment variables, and must leave PDFs and the site.
 */
import { execFile } from 'node:child_process';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBrowser } from '../../src/print/find-browser.js';
import { CLI, FIXTURES, ROOT, copyInto, listFiles, removeDir, tempDir } from '../helpers/cli.js';

const SCRIPT = path.join(ROOT, 'scripts', 'action-build.sh');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
}

/** Runs the build step in `cwd` with the inputs GitHub would pass, and reads what it wrote to $GITHUB_OUTPUT. */
let runs = 0;
function runAction(cwd: string, env: Record<string, string>): Promise<Run> {
  // A file of its own per step, as GitHub gives each step.
  const outputFile = path.join(cwd, '..', `github-output-${++runs}.txt`);
  return new Promise((resolve) => {
    execFile('bash', [SCRIPT], { cwd, env: { ...process.env, GITHUB_OUTPUT: outputFile, ...env }, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      void readFile(outputFile, 'utf8')
        .catch(() => '')
        .then((text) => {
          const outputs = Object.fromEntries(text.split('\n').filter(Boolean).map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]));
          resolve({ code, stdout, stderr, outputs });
        });
    });
  });
}

describe('the GitHub Action', () => {
  let dir: string;
  beforeAll(async () => {
    // A clinic's repository: content/ with its handouts, nothing else.
    dir = await tempDir('handout-action-');
    await copyInto(path.join(FIXTURES, 'other-clinic'), path.join(dir, 'clinic', 'content'));
  });
  afterAll(() => removeDir(dir));

  it('is a composite action whose build step runs scripts/action-build.sh with its inputs', async () => {
    const action = parse(await readFile(path.join(ROOT, 'action.yml'), 'utf8')) as {
      name: string;
      inputs: Record<string, { default?: string }>;
      runs: { using: string; steps: Array<{ uses?: string; run?: string; env?: Record<string, string>; 'working-directory'?: string; with?: Record<string, unknown> }> };
    };
    expect(action.runs.using).toBe('composite');
    expect(action.inputs).toMatchObject({
      'working-directory': { default: '.' },
      content: { default: 'content' },
      out: { default: 'output' },
      shard: { default: '' },
      strict: { default: 'true' },
      'node-version': { default: '20' },
    });
    const uses = action.runs.steps.flatMap((s) => (s.uses ? [s.uses.replace(/@.*/, '')] : []));
    expect(uses).toEqual(expect.arrayContaining(['actions/setup-node', 'actions/cache', 'actions/upload-artifact']));
    const build = action.runs.steps.find((s) => s.run?.includes('scripts/action-build.sh'));
    expect(build, 'a step that runs scripts/action-build.sh').toBeDefined();
    expect(build!['working-directory']).toBe('${{ inputs.working-directory }}');
    for (const input of ['content', 'out', 'shard', 'strict', 'templates']) {
      expect(build!.env?.[`INPUT_${input.toUpperCase()}`], input).toBe(`\${{ inputs.${input} }}`);
    }
    // The sample workflow builds its shards with the action.
    const workflow = parse(await readFile(path.join(ROOT, 'docs/ci/github-actions.yml'), 'utf8')) as { jobs: { build: { steps: Array<{ uses?: string; with?: Record<string, unknown> }> } } };
    expect(workflow.jobs.build.steps.find((s) => s.uses === './')?.with).toMatchObject({ shard: '${{ matrix.shard }}/3' });
  });

  it('finds the browser already installed, rather than installing one', async () => {
    const action = parse(await readFile(path.join(ROOT, 'action.yml'), 'utf8')) as { runs: { steps: Array<{ name?: string; run?: string; if?: string }> } };
    const step = action.runs.steps.find((s) => s.name === 'Find or install Chromium')!;
    expect(step.if).toBe("runner.os == 'Linux'");
    const browser = findBrowser(undefined).path;
    const found = await new Promise<string>((resolve, reject) =>
      execFile('bash', ['-c', step.run!], { env: { ...process.env, HANDOUT_CHROME: browser } }, (error, stdout) => (error ? reject(error) : resolve(stdout))),
    );
    expect(found).toBe(`handout: printing with ${browser}\n`);
  });

  it('builds the PDFs and the site in a clinic folder, strict by default, with the handout it is pointed at', async () => {
    const cwd = path.join(dir, 'clinic');
    const t0 = Date.now();
    const run = await runAction(cwd, { HANDOUT_BIN: CLI });
    expect(run.stderr).not.toContain('::error');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/handout: node \S+cli\.js build --content content --out output --strict --report handout-report\.json/);
    expect(await listFiles(path.join(cwd, 'output'))).toEqual(['en/knee-hug.html', 'en/knee-hug.pdf', 'en/pelvic-tilt.html', 'en/pelvic-tilt.pdf']);
    expect(await readFile(path.join(cwd, 'output', 'index.html'), 'utf8')).toContain('en/knee-hug.pdf');
    expect(run.outputs).toEqual({ out: 'output', report: 'handout-report.json', 'artifact-name': 'handouts', pdfs: '2' });
    const report = JSON.parse(await readFile(path.join(cwd, 'handout-report.json'), 'utf8'));
    expect(report.summary).toEqual({ passed: 2, failed: 0, skipped: 0 });
    console.log(`action build of 2 handouts: ${Date.now() - t0} ms`);
  });

  it("builds a shard with the action's own copy of handout when none is installed, into its own folder", async () => {
    const cwd = path.join(dir, 'clinic');
    const run = await runAction(cwd, { INPUT_OUT: 'shard-out', INPUT_SHARD: '1/2', INPUT_STRICT: 'false', GITHUB_ACTION_PATH: ROOT });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain(`handout: node ${path.join(ROOT, 'dist', 'cli.js')} build --content content --out shard-out --shard 1/2 --report handout-report-shard-1-of-2.json`);
    expect(run.stdout).not.toContain('--strict');
    expect(await listFiles(path.join(cwd, 'shard-out'))).toEqual(['en/knee-hug.html', 'en/knee-hug.pdf']);
    expect((await readdir(path.join(cwd, 'shard-out'))).filter((f) => f.startsWith('.handout-cache'))).toEqual(['.handout-cache.shard-1-of-2.json']);
    expect(run.outputs).toMatchObject({ out: 'shard-out', 'artifact-name': 'handouts-shard-1-of-2', pdfs: '1' });
  });

  it('refuses inputs it cannot use before building anything, as usage errors (exit 2)', async () => {
    const cwd = path.join(dir, 'clinic');
    for (const [env, message] of [
      [{ INPUT_STRICT: 'yes' }, /strict: expected true or false, got "yes" \[USAGE\]/],
      [{ INPUT_SHARD: '2 of 3' }, /shard: expected k\/n, e\.g\. 2\/3, got "2 of 3" \[USAGE\]/],
      [{ INPUT_CONTENT: 'handouts' }, /content: no folder handouts in .*clinic \[USAGE\]/],
    ] as const) {
      const run = await runAction(cwd, { HANDOUT_BIN: CLI, ...env });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).toContain('  hint: ');
      expect(run.outputs).toEqual({});
    }
  });

  it('fails the step, with the report and outputs still written, when a handout fails', async () => {
    const cwd = path.join(dir, 'broken');
    await copyInto(path.join(FIXTURES, 'other-clinic'), path.join(cwd, 'content'));
    const file = path.join(cwd, 'content', 'en', 'knee-hug.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace(/^title:.*$/m, 'title: ['));
    const run = await runAction(cwd, { HANDOUT_BIN: CLI });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('[YAML_SYNTAX]');
    expect(await listFiles(path.join(cwd, 'output'))).toEqual(['en/pelvic-tilt.html', 'en/pelvic-tilt.pdf']);
    expect(run.outputs).toMatchObject({ out: 'output', report: 'handout-report.json', pdfs: '1' });
  });
});

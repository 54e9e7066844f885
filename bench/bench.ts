/**
 * npm run bench — measures, in one run on this machine:
 *   - a cold full build of a synthetic set of 200+ handouts (the shipped ones multiplied),
 *   - the floor: the same final HTML printed by a minimal warm-browser loop at the same
 *     concurrency (setContent + page.pdf, nothing else),
 *   - a browser-launch-per-document baseline on a sample,
 *   - a no-op rebuild and a one-file-changed rebuild (the real CLI, wall time, median of 3),
 *   - peak memory of Node plus Chromium, PDF sizes.
 * Prints ms per PDF and ratios, and writes them as JSON (bench/results.json, or --json F).
 * Options: --copies N (default: as many as make about 210 handouts), --rounds N (default 3), --long (adds a
 * 1,000-PDF run, memory after each 210).
 * A benchmark, not a test: machines are noisy; compare the ratios measured in one run.
 *
 * Fair to both sides: the build and the floor are timed alternately, `rounds` times each,
 * and the ratio is taken per round, of a build and the floor run right after it, the median
 * of those kept. This machine's speed drifts by ±15 % over minutes; the best build and the
 * best floor (also shown) can come from different moments, and their ratio then measures
 * the machine as much as the tool. The floor's Chromium gets the build's own flags.
 * Memory is measured in a build of its own: reading smaps_rollup of ~27 Chromium processes
 * takes ~140 ms, and sampling that on this thread while timing would stall the build the
 * sampler watches.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { descendants } from '../test/helpers/processes.js';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
// The compiled tool, as the CLI runs it (its cache fingerprint then matches the CLI's).
import { buildHandouts } from '../dist/build/build-handouts.js';
import { findBrowser } from '../dist/print/find-browser.js';
import { chromiumArgs } from '../dist/print/launch-printer.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
/**
 * The shipped content grows (60 sheets in ten languages where there were 15): by default as
 * many copies as keep the corpus near the 210 handouts earlier results were measured on.
 */
const SHIPPED = readdirSync(path.join(ROOT, 'content'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && !['illustrations', 'exercises', 'programs'].includes(d.name))
  .reduce((n, d) => n + readdirSync(path.join(ROOT, 'content', d.name)).filter((f) => f.endsWith('.yaml')).length, 0);
const copies = Number(args[args.indexOf('--copies') + 1]) || Math.max(1, Math.floor(210 / SHIPPED));
const long = args.includes('--long');
const rounds = Math.max(1, Number(args[args.indexOf('--rounds') + 1]) || 3);
const jsonOut = args.includes('--json') ? args[args.indexOf('--json') + 1]! : path.join(ROOT, 'bench', 'results.json');
const concurrency = Math.max(1, Math.min(os.availableParallelism(), 4));
const browserPath = findBrowser(undefined).path;
const CHROME_ARGS = chromiumArgs({});

/** Copies the shipped content with every handout duplicated under new slugs. */
async function syntheticContent(dir: string): Promise<number> {
  await cp(path.join(ROOT, 'content'), dir, { recursive: true });
  let count = 0;
  for (const locale of (await readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory() && d.name !== 'illustrations' && d.name !== 'exercises')) {
    const folder = path.join(dir, locale.name);
    for (const file of (await readdir(folder)).filter((f) => f.endsWith('.yaml'))) {
      const source = await readFile(path.join(folder, file), 'utf8');
      count++;
      for (let i = 1; i < copies; i++) {
        await writeFile(path.join(folder, file.replace(/\.yaml$/, `-copy${i}.yaml`)), source);
        count++;
      }
    }
  }
  return count;
}

/**
 * Samples the memory of this process and every process it started (Chromium's), as PSS
 * (proportional set size): shared pages such as the Chromium binary counted once, not
 * once per process as RSS would.
 */
function memorySampler() {
  let peak = 0;
  const pss = (pid: number): number => {
    try {
      return Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0) * 1024;
    } catch {
      return 0;
    }
  };
  const total = () => [process.pid, ...descendants(process.pid)].reduce((sum, pid) => sum + pss(pid), 0);
  const timer = setInterval(() => (peak = Math.max(peak, total())), 500);
  return { stop: () => (clearInterval(timer), (peak = Math.max(peak, total())), peak), now: total };
}

async function timeBuild(content: string, out: string, force: boolean) {
  const t0 = performance.now();
  const result = await buildHandouts({ contentDir: content, outDir: out, templatesDir: path.join(ROOT, 'templates'), force, concurrency });
  const ms = performance.now() - t0;
  if (result.failed) throw new Error(`benchmark build had ${result.failed} failures`);
  return { ms, printed: result.passed, skipped: result.skipped };
}

/** The floor: the same final HTML, printed by the simplest warm loop at the same concurrency. */
async function floor(htmlFiles: string[]): Promise<number> {
  const browser = await puppeteer.launch({ executablePath: browserPath, args: CHROME_ARGS, pipe: true });
  try {
    const pages = await Promise.all(Array.from({ length: concurrency }, () => browser.newPage()));
    const htmls = await Promise.all(htmlFiles.map((f) => readFile(f, 'utf8')));
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      pages.map(async (page) => {
        while (next < htmls.length) {
          const html = htmls[next++]!;
          await page.setContent(html, { waitUntil: 'load' });
          await page.pdf({ printBackground: true, preferCSSPageSize: true, tagged: true });
        }
      }),
    );
    return (performance.now() - t0) / htmls.length;
  } finally {
    await browser.close();
  }
}

/** What tools that start a browser for every document pay. */
async function launchPerDocument(htmlFiles: string[]): Promise<number> {
  const t0 = performance.now();
  for (const file of htmlFiles) {
    const browser = await puppeteer.launch({ executablePath: browserPath, args: CHROME_ARGS, pipe: true });
    const page = await browser.newPage();
    await page.setContent(await readFile(file, 'utf8'), { waitUntil: 'load' });
    await page.pdf({ printBackground: true, preferCSSPageSize: true });
    await browser.close();
  }
  return (performance.now() - t0) / htmlFiles.length;
}

function cliWall(cwd: string, extra: string[] = []): number {
  const t0 = performance.now();
  const run = spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'build', '--content', 'content', '--out', 'out', ...extra], { cwd, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`CLI failed: ${run.stderr}`);
  return performance.now() - t0;
}

async function listPdfs(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.pdf')).map((e) => path.join(e.parentPath, e.name));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  const work = await mkdtemp(path.join(os.tmpdir(), 'handout-bench-'));
  try {
    const content = path.join(work, 'content');
    const out = path.join(work, 'out');
    const handouts = await syntheticContent(content);
    console.log(`${handouts} handouts, concurrency ${concurrency}, ${os.cpus().length} cores, ${browserPath}`);

    // Alternately, so both meet the same moments of a busy machine.
    let cold = { ms: Infinity, printed: 0, skipped: 0 };
    let floorMs = Infinity;
    const paired: Array<{ buildMsPerPdf: number; floorMsPerPdf: number; ratio: number }> = [];
    let pdfs: string[] = [];
    let htmls: string[] = [];
    for (let round = 1; round <= rounds; round++) {
      const build = await timeBuild(content, out, true);
      if (build.ms < cold.ms) cold = build;
      if (round === 1) {
        pdfs = await listPdfs(out);
        htmls = pdfs.map((f) => f.replace(/\.pdf$/, '.html'));
      }
      const floorRound = await floor(htmls);
      floorMs = Math.min(floorMs, floorRound);
      const buildRound = build.ms / build.printed;
      paired.push({ buildMsPerPdf: +buildRound.toFixed(1), floorMsPerPdf: +floorRound.toFixed(1), ratio: +(buildRound / floorRound).toFixed(2) });
      console.log(
        `round ${round}: cold build ${buildRound.toFixed(0)} ms/PDF (${(build.ms / 1000).toFixed(1)} s); floor (warm setContent + pdf) ${floorRound.toFixed(0)} ms/PDF; ratio ${(buildRound / floorRound).toFixed(2)}`,
      );
    }
    const perPdf = cold.ms / cold.printed;
    const buildOverFloor = median(paired.map((p) => p.ratio));
    console.log(`best of ${rounds}: cold build ${perPdf.toFixed(0)} ms/PDF, floor ${floorMs.toFixed(0)} ms/PDF (their ratio ${(perPdf / floorMs).toFixed(2)}); median ratio per round ${buildOverFloor}`);

    const memory = memorySampler();
    await timeBuild(content, out, true);
    const peakRss = memory.stop();
    const sample = htmls.filter((_, i) => i % Math.ceil(htmls.length / 10) === 0);
    const launchMs = await launchPerDocument(sample);
    console.log(`launch per document (${sample.length} PDFs): ${launchMs.toFixed(0)} ms/PDF`);

    // Three of each, the median kept: one run of a 1–2 s command on a shared machine says little.
    const noops: number[] = [];
    const oneChangedRuns: number[] = [];
    const changed = path.join(content, 'en', 'pelvic-tilt.yaml');
    const original = await readFile(changed, 'utf8');
    for (let run = 1; run <= 3; run++) {
      noops.push(cliWall(work));
      await writeFile(changed, original.replace('version: 1', `version: ${run + 1}`));
      oneChangedRuns.push(cliWall(work));
    }
    const noop = median(noops);
    const oneChanged = median(oneChangedRuns);
    console.log(
      `no-op rebuild: ${noops.map((ms) => ms.toFixed(0)).join(', ')} ms wall (median ${noop.toFixed(0)}); ` +
        `one handout changed: ${oneChangedRuns.map((ms) => ms.toFixed(0)).join(', ')} ms wall (median ${oneChanged.toFixed(0)})`,
    );

    const sizes = await Promise.all(pdfs.map(async (f) => (await readFile(f)).length));
    let longRun: Array<{ pdfs: number; memoryMb: number }> | undefined;
    if (long) {
      longRun = [];
      const mem = memorySampler();
      for (let round = 1; round <= Math.ceil(1000 / cold.printed); round++) {
        await timeBuild(content, out, true);
        longRun.push({ pdfs: round * cold.printed, memoryMb: Math.round(mem.now() / 2 ** 20) });
      }
      mem.stop();
      console.log(`1,000-PDF run, memory after each round: ${longRun.map((r) => `${r.memoryMb} MB`).join(', ')}`);
    }

    const results = {
      machine: { cores: os.cpus().length, node: process.version, browser: browserPath },
      handouts,
      concurrency,
      coldBuild: { seconds: +(cold.ms / 1000).toFixed(2), msPerPdf: +perPdf.toFixed(1) },
      floor: { msPerPdf: +floorMs.toFixed(1) },
      rounds: paired,
      launchPerDocument: { msPerPdf: +launchMs.toFixed(1), sample: sample.length },
      ratios: {
        /** The median of the per-round ratios (each build with the floor run right after it). */
        buildOverFloor: buildOverFloor,
        /** The best build over the best floor, possibly from different moments. */
        bestBuildOverBestFloor: +(perPdf / floorMs).toFixed(2),
        launchPerDocumentOverBuild: +(launchMs / perPdf).toFixed(1),
      },
      noopRebuildMs: Math.round(noop),
      noopRebuildRunsMs: noops.map(Math.round),
      oneChangedRebuildMs: Math.round(oneChanged),
      oneChangedRebuildRunsMs: oneChangedRuns.map(Math.round),
      peakMemoryMb: Math.round(peakRss / 2 ** 20),
      pdfKb: { median: Math.round(median(sizes) / 1024), max: Math.round(Math.max(...sizes) / 1024) },
      ...(longRun ? { longRun } : {}),
    };
    console.log(
      `\nbuild / floor: ${results.ratios.buildOverFloor}× (median of ${rounds} rounds; target ≤ 1.3; best over best ${results.ratios.bestBuildOverBestFloor}×)   launch-per-document / build: ${results.ratios.launchPerDocumentOverBuild}× (target ≥ 8)` +
        `\nno-op: ${results.noopRebuildMs} ms (target ≤ 1000)   one changed: ${results.oneChangedRebuildMs} ms (target ≤ 2000)` +
        `\npeak memory (PSS, Node + Chromium): ${results.peakMemoryMb} MB (target ≤ 1536)   median PDF: ${results.pdfKb.median} KB (target ≤ 150), max ${results.pdfKb.max} KB`,
    );
    await mkdir(path.dirname(jsonOut), { recursive: true });
    await writeFile(jsonOut, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`\nwritten to ${path.relative(process.cwd(), jsonOut)}`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

await main();

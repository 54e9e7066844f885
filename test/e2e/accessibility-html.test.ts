/**
 * axe-core, in real Chromium, finds nothing on the HTML people read: every handout page of
 * every locale and the site index (as `handout build` writes them from content/), and the
 * dev preview an author works in (its list and a handout with its toolbar). It runs every
 * rule axe runs by default and every rule tagged WCAG 2.0/2.1/2.2 A and AA or best
 * practice (target-size, WCAG 2.2's 24 px rule, is not on by default), at a desktop and a
 * phone width: where links wrap and how large they are depends on the width.
 *
 * A failure lists, per page and width, each rule id, the elements (axe's selectors) and
 * what axe says would fix them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer, { type Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBrowser } from '../../src/print/find-browser.js';
import { CONTENT, removeDir, runCli, startDevServer, tempDir, TEMPLATES, type CliRun, type DevServer } from '../helpers/cli.js';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
const WIDTHS = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
];

/** The handouts content/ holds, discovered, so a new one is tested without editing this file. */
const handouts = readdirSync(CONTENT, { withFileTypes: true })
  .filter((d) => d.isDirectory() && d.name !== 'illustrations' && d.name !== 'exercises')
  .flatMap((d) =>
    readdirSync(path.join(CONTENT, d.name))
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => `${d.name}/${f.replace(/\.yaml$/, '')}`),
  )
  .sort();

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string; summary: string }>;
}

let browser: Browser;

beforeAll(async () => {
  browser = await puppeteer.launch({ executablePath: findBrowser(undefined).path, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
});
afterAll(async () => {
  await browser?.close();
});

/**
 * Opens the page and runs axe on it at each width: the rules axe runs by default and, on
 * top, every rule with one of TAGS that is not experimental (neither runs experimental
 * rules). axe is evaluated through DevTools, which no Content Security Policy of the page
 * stops (handout pages allow no script at all).
 */
async function audit(url: string): Promise<string[]> {
  const report: string[] = [];
  const page = await browser.newPage();
  try {
    await page.setViewport(WIDTHS[0]!);
    const response = await page.goto(url, { waitUntil: 'load' });
    expect(response === null || response.ok(), `${url} answered ${response?.status()}`).toBe(true);
    await page.evaluate(AXE_SOURCE);
    for (const viewport of WIDTHS) {
      // The same page laid out again at this width (its layout is CSS only).
      await page.setViewport(viewport);
      const violations = await page.evaluate(async (tags: string[]) => {
        const axe = (window as unknown as { axe: typeof import('axe-core') }).axe;
        const tagged = axe.getRules(tags).filter((r) => !r.tags.includes('experimental'));
        const rules = Object.fromEntries(tagged.map((r) => [r.ruleId, { enabled: true }]));
        const result = await axe.run(document, { rules, resultTypes: ['violations'] });
        return result.violations.map((v) => ({
          id: v.id,
          impact: v.impact ?? null,
          help: v.help,
          nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: (n.failureSummary ?? '').replace(/\s+/g, ' ').trim() })),
        }));
      }, TAGS);
      report.push(...describeViolations(`${viewport.width} px`, violations));
    }
  } finally {
    await page.close();
  }
  return report;
}

/** One line per rule, then one per element (at most 10) with what axe says to fix. */
function describeViolations(where: string, violations: Violation[]): string[] {
  return violations.flatMap((v) => [
    `${where}: ${v.id} (${v.impact}, ${v.nodes.length} element${v.nodes.length === 1 ? '' : 's'}): ${v.help}`,
    ...v.nodes.slice(0, 10).map((n) => `    ${n.target} — ${n.summary}`),
    ...(v.nodes.length > 10 ? [`    … and ${v.nodes.length - 10} more`] : []),
  ]);
}

describe('axe-core on the built site', () => {
  let out: string;
  let run: CliRun;

  beforeAll(async () => {
    out = await tempDir();
    run = await runCli(['build', '--content', CONTENT, '--templates', TEMPLATES, '--out', out]);
  });
  afterAll(() => removeDir(out));

  it('builds every handout in content/', () => {
    expect(run.stderr).not.toContain('✗');
    expect(run.code).toBe(0);
    expect(handouts.length).toBeGreaterThan(0);
  });

  it('the site index (output/index.html) has no violation', async () => {
    expect(await audit(pathToFileURL(path.join(out, 'index.html')).href)).toEqual([]);
  });

  it.each(handouts)('the handout page %s.html has no violation', async (name) => {
    expect(await audit(pathToFileURL(path.join(out, `${name}.html`)).href)).toEqual([]);
  });
});

describe('axe-core on the dev preview (`handout dev`)', () => {
  let dev: DevServer;
  let url: string;

  beforeAll(async () => {
    dev = await startDevServer();
    url = dev.url;
  });
  afterAll(() => dev?.stop());

  it('the list of handouts has no violation', async () => {
    expect(await audit(url)).toEqual([]);
  });

  // The toolbar is the same on every handout; Arabic puts it over a right-to-left page.
  it.each(['en/lower-back-relief', 'ar/lower-back-relief'])('the preview of %s, with its toolbar, has no violation', async (name) => {
    expect(await audit(new URL(`${name}.html`, url).href)).toEqual([]);
  });
});

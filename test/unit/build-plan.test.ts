/**
 * The small pure decisions of a build, tested without a browser: output names, the date a
 * PDF records, the printable area, sharding and the pool that runs documents.
 */
import { readFileSync } from 'node:fs';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mapPool } from '../../src/build/map-pool.js';
import { outputName, PERSONAL_SEPARATOR, shownName } from '../../src/build/output-name.js';
import { inShard, planDocuments } from '../../src/build/plan-documents.js';
import { LARGE_PRINT_LAYOUT, STANDARD_LAYOUT } from '../../src/render/apply-fit.js';
import type { HandoutSource } from '../../src/content/validate-handout.js';
import { documentDate, pdfDate } from '../../src/print/document-date.js';
import { printableArea } from '../../src/render/printable-area.js';
import { FIXTURES, TEMPLATES } from '../helpers/cli.js';

const source = (locale: string, slug: string): HandoutSource => ({ absPath: `/c/${locale}/${slug}.yaml`, file: `content/${locale}/${slug}.yaml`, locale, slug });

describe('outputName', () => {
  const knee = source('en', 'knee-hug');
  it('names the blank sheet by locale and slug, and large print apart', () => {
    expect(outputName(knee, null, false)).toBe('en/knee-hug');
    expect(outputName(knee, null, true)).toBe('en/knee-hug.large-print');
  });

  it('never writes a personal copy over the blank sheet, whatever is filled in', () => {
    expect(outputName(knee, { patient: "Zoë O'Brien", date: '2026-12-01' }, false)).toMatch(/^en\/knee-hug--zoe-obrien-[0-9a-f]{6}--2026-12-01$/);
    expect(outputName(knee, { clinician: 'Sam Lee, PT' }, false)).toBe('en/knee-hug--by-sam-lee-pt');
    expect(outputName(knee, { date: '2026-12-01' }, true)).toBe('en/knee-hug--2026-12-01.large-print');
  });

  it('gives names that transliterate alike different files, and keeps every name findable', () => {
    const name = (patient: string) => outputName(knee, { patient }, false);
    expect(name('Zoë')).not.toBe(name('Zoe'));
    expect(name('Jürgen Weiß')).not.toBe(name('Jurgen Wei'));
    expect(name('Jürgen Weiß')).not.toBe(name('Jurgen Weiss'));
    expect(name('Łukasz Żółć')).toMatch(/^en\/knee-hug--lukasz-zolc-[0-9a-f]{6}$/);
    expect(name('王小明')).toMatch(/^en\/knee-hug--wangxiaoming-[0-9a-f]{6}$/);
    expect(name('Нина Петрова')).toMatch(/^en\/knee-hug--nina-petrova-[0-9a-f]{6}$/);
    // The same name, however it was typed (composed or not), is the same file.
    expect(name('Zoe\u0308')).toBe(name('Zo\u00eb'));
    for (const n of ['Zoë', 'فاطمة', '-- Jürgen -- Weiß --', "O'Brien"]) expect(name(n).split(PERSONAL_SEPARATOR), n).toHaveLength(2);
  });

  it('shows a personal copy in logs and reports by its hash, never by the name', () => {
    const personal = { patient: 'Jürgen Weiß', date: '2026-12-01' };
    const shown = shownName(knee, personal, false);
    expect(shown).toMatch(/^en\/knee-hug--…-[0-9a-f]{6}--2026-12-01$/);
    expect(shown.slice(-17)).toBe(outputName(knee, personal, false).slice(-17));
    expect(shown).not.toMatch(/jurgen|weis/i);
    expect(shownName(knee, null, true)).toBe('en/knee-hug.large-print');
  });
});

describe('documentDate and pdfDate', () => {
  it('prefers SOURCE_DATE_EPOCH, then the review date, then none', () => {
    expect(documentDate('1767225600', '2026-11-01')?.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(documentDate(undefined, '2026-11-01')?.toISOString()).toBe('2026-11-01T00:00:00.000Z');
    expect(documentDate('not a number', null)).toBeNull();
    expect(documentDate('', null)).toBeNull();
  });

  it("writes Chromium's date form, in UTC", () => {
    expect(pdfDate(new Date('2026-03-04T05:06:07Z'))).toBe("D:20260304050607+00'00'");
  });
});

describe('printableArea', () => {
  const css = readFileSync(path.join(TEMPLATES, 'styles', 'handout.css'), 'utf8');
  const px = (mm: number) => (mm * 96) / 25.4;

  it("is the paper less the shipped stylesheet's @page margins, in CSS pixels", () => {
    const a4 = printableArea('A4', css)!;
    expect(a4.width).toBeCloseTo(px(210 - 2 * 10.3), 6);
    expect(a4.height).toBeCloseTo(px(297 - 2 * 10.8), 6);
    const letter = printableArea('Letter', css)!;
    expect(letter.width).toBeCloseTo(px(215.9 - 2 * 10.3), 6);
  });

  it('takes the last @page rule, as CSS does, and one to four values in any unit', () => {
    const last = printableArea('A4', '@page { margin: 10mm } @page { margin: 1in 0 }')!;
    expect(last.width).toBeCloseTo(px(210), 6);
    expect(last.height).toBeCloseTo(px(297 - 2 * 25.4), 6);
    expect(printableArea('A4', '@page { margin: 17mm 10.3mm 10.8mm }')!.height).toBeCloseTo(px(297 - 17 - 10.8), 6);
  });

  it('says it cannot tell rather than guess', () => {
    expect(printableArea('A4', 'body { margin: 0 }')).toBeNull();
    expect(printableArea('A4', '@page { margin: calc(1cm + 2mm) }')).toBeNull();
  });
});

describe('inShard', () => {
  const all = ['en/a', 'en/b', 'es/a', 'ar/z', 'zh/m', 'de/q', 'en/c'].map((id) => source(...(id.split('/') as [string, string])));

  it('splits the handouts into parts that together are all of them, each once', () => {
    for (const count of [1, 2, 3, 7, 10]) {
      const parts = Array.from({ length: count }, (_, i) => inShard(all, { index: i + 1, count }).map((s) => `${s.locale}/${s.slug}`));
      expect(parts.flat().sort()).toEqual(all.map((s) => `${s.locale}/${s.slug}`).sort());
    }
  });

  it('gives the same part whatever order the handouts were found in', () => {
    const shuffled = [...all].reverse();
    expect(inShard(shuffled, { index: 2, count: 3 })).toEqual(inShard(all, { index: 2, count: 3 }));
  });
});

describe('mapPool', () => {
  const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

  it('runs every item, in order, at most `limit` at once', async () => {
    let running = 0;
    let most = 0;
    const started: number[] = [];
    await mapPool([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      started.push(n);
      most = Math.max(most, ++running);
      await tick();
      running--;
    });
    expect(started).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(most).toBe(3);
  });

  it('starts nothing new after a failure, lets the ones in flight finish, then rethrows the first', async () => {
    const finished: number[] = [];
    const run = mapPool([1, 2, 3, 4, 5], 2, async (n) => {
      if (n === 2) throw new Error('two failed');
      await tick();
      finished.push(n);
    });
    await expect(run).rejects.toThrow('two failed');
    expect(finished).toEqual([1]);
  });

  it('stops starting items once its signal is aborted', async () => {
    const controller = new AbortController();
    const started: number[] = [];
    await mapPool([1, 2, 3, 4], 1, async (n) => {
      started.push(n);
      if (n === 2) controller.abort();
      await tick();
    }, controller.signal);
    expect(started).toEqual([1, 2]);
  });
});

describe('planDocuments', () => {
  const content = path.join(FIXTURES, 'clinic-sheets');

  it('decides each document once, before anything is read: its name, paper, layout and language links', async () => {
    const plan = await planDocuments({ contentDir: content, templatesDir: TEMPLATES, only: ['sciatica'] });
    expect(plan.failures).toEqual([]);
    expect(plan.jobs.map((j) => j.outputName)).toEqual(['ar/sciatica', 'en/sciatica', 'es/sciatica', 'hi/sciatica', 'zh/sciatica']);
    for (const job of plan.jobs) {
      // The clinic prints on Letter; the page is linked to every language it exists in.
      expect(job.pageSize).toBe('Letter');
      expect(job.layout).toBe(STANDARD_LAYOUT);
      expect(job.variant).toBe(false);
      expect(job.siblings).toEqual(['ar', 'en', 'es', 'hi', 'zh']);
      expect(job.given).toBeNull();
    }
  });

  it('links a page to every language even when the run builds one, and splits a shard like inShard', async () => {
    const plan = await planDocuments({ contentDir: content, templatesDir: TEMPLATES, locales: ['en'], only: ['ankle-sprain', 'sciatica'] });
    expect(plan.jobs.map((j) => [j.outputName, j.siblings])).toEqual([
      ['en/ankle-sprain', ['en']],
      ['en/sciatica', ['ar', 'en', 'es', 'hi', 'zh']],
    ]);
    const parts = await Promise.all([1, 2].map((index) => planDocuments({ contentDir: content, templatesDir: TEMPLATES, shard: { index, count: 2 } })));
    const all = await planDocuments({ contentDir: content, templatesDir: TEMPLATES });
    expect(parts.flatMap((p) => p.jobs.map((j) => j.outputName)).sort()).toEqual(all.jobs.map((j) => j.outputName).sort());
  });

  it('plans a personal copy or large print as a variant, named apart, on the paper asked for', async () => {
    const plan = await planDocuments({ contentDir: content, templatesDir: TEMPLATES, only: ['neck-pain'], largePrint: true, personal: { patient: 'Ana Ruiz' }, pageSize: 'A4' });
    const [job] = plan.jobs;
    expect(job!.variant).toBe(true);
    expect(job!.layout).toBe(LARGE_PRINT_LAYOUT);
    expect(job!.pageSize).toBe('A4');
    expect(job!.outputName).toMatch(/^en\/neck-pain--ana-ruiz-[0-9a-f]{6}\.large-print$/);
  });

  it('plans nothing, and says why, when clinic.yaml is broken', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'handout-plan-'));
    try {
      await cp(content, dir, { recursive: true });
      await writeFile(path.join(dir, 'clinic.yaml'), 'name: Bayside\npage_size: B5\n');
      const plan = await planDocuments({ contentDir: dir, templatesDir: TEMPLATES });
      expect(plan.jobs).toEqual([]);
      expect(plan.context).toBeNull();
      expect(plan.failures[0]!.errors[0]!.code).toBe('SCHEMA');
      expect(plan.failures[0]!.file).toMatch(/clinic\.yaml$/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

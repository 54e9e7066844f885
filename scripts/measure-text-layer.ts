/**
 * How whole a handout's words come back from the PDF readers patients use (issue 14):
 * builds the sheets, then for each PDF reports the share of the page's own words that
 * poppler's pdftotext and pdf.js (through pdf-parse) give back intact, and how many
 * U+0000 (a glyph with no Unicode) and U+00AD (a soft hyphen) each reader returns.
 *
 *   npx tsx scripts/measure-text-layer.ts                     # the shipped sheets
 *   npx tsx scripts/measure-text-layer.ts --arabic-fonts      # + Arabic in each installed Arabic font
 *   npx tsx scripts/measure-text-layer.ts --variant name=templates-dir …   # + any templates folder
 *   npx tsx scripts/measure-text-layer.ts --no-build --out dir            # measure PDFs already built
 *   … --locale ar --locale hi   (only these locales)   --words (list the broken words)
 *
 * Needs `npm run compile` first (it runs dist/cli.js, as users do).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import puppeteer from 'puppeteer-core';
import { prepareHandouts } from '../src/build/prepare-handouts.js';
import { findBrowser } from '../src/print/find-browser.js';
import { serializePage } from '../src/render/serialize-page.js';
import { visibleText } from '../src/render/visible-text.js';
import { checkWords, countChar } from '../test/helpers/intact-words.js';
import { pdfParseText } from '../test/helpers/pdf-parse-text.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const { values } = parseArgs({
  options: {
    content: { type: 'string', default: path.join(ROOT, 'content') },
    templates: { type: 'string', default: path.join(ROOT, 'templates') },
    out: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    'arabic-fonts': { type: 'boolean', default: false },
    variant: { type: 'string', multiple: true, default: [] },
    locale: { type: 'string', multiple: true, default: [] },
    words: { type: 'boolean', default: false },
    json: { type: 'string' },
  },
});

interface Row {
  variant: string;
  /** The build's verifier refused it (printed by this script from the same HTML). */
  refused: boolean;
  doc: string;
  htmlSoftHyphens: number;
  pdftotext: Reading;
  pdfjs: Reading;
}
interface Reading {
  intact: number;
  total: number;
  /** Intact with Arabic harakat (vowel marks) set aside on both sides: the letters alone. */
  lettersIntact: number;
  nul: number;
  shy: number;
  broken: string[];
}

/** Arabic harakat (short vowels, tanwin, shadda, sukun…) and the superscript alef. */
const HARAKAT = /[\u064b-\u065f\u0670]/gu;

const scratch = mkdtempSync(path.join(os.tmpdir(), 'measure-text-layer-'));

/**
 * Builds with the real CLI. Documents its verifier refuses are not written; those are
 * printed here from the same HTML (at the designed size, unfitted) so they can be
 * measured too, and listed as refused.
 */
async function build(templates: string, out: string, locales: string[]): Promise<string[]> {
  const args = [path.join(ROOT, 'dist/cli.js'), 'build', '--content', values.content!, '--templates', templates, '--out', out, '--force'];
  if (locales.length) args.push('--locale', ...locales);
  try {
    execFileSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    return [];
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? String(error);
    const refused = [...stderr.matchAll(/^✗ (?:.*\/)?([^/\s]+)\/([^/\s]+)\.yaml\b.*$/gm)].map((m) => `${m[1]}/${m[2]}`);
    await printDirectly(templates, out, refused);
    return refused;
  }
}

async function printDirectly(templates: string, out: string, docs: string[]): Promise<void> {
  if (!docs.length) return;
  const prepared = await prepareHandouts({ contentDir: values.content!, templatesDir: templates, locales: [...new Set(docs.map((d) => d.split('/')[0]!))] });
  const browser = await puppeteer.launch({ executablePath: findBrowser(undefined).path, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
  try {
    for (const page of prepared.pages) {
      const doc = `${page.source.locale}/${page.source.slug}`;
      if (!docs.includes(doc)) continue;
      // The saved page, without a fit level: the template's own layout.
      const html = serializePage(page.parts, { as: 'saved', fit: null });
      const tab = await browser.newPage();
      await tab.setContent(html, { waitUntil: 'load' });
      const bytes = await tab.pdf({ printBackground: true, preferCSSPageSize: true, tagged: true });
      await tab.close();
      execFileSync('mkdir', ['-p', path.join(out, page.source.locale)]);
      writeFileSync(path.join(out, `${doc}.pdf`), bytes);
      writeFileSync(path.join(out, `${doc}.html`), html);
    }
  } finally {
    await browser.close();
  }
}

/** A copy of the templates with the Arabic family replaced by another installed family. */
function arabicVariant(family: string, pkg: string): string {
  const dir = path.join(scratch, `templates-${pkg}`);
  cpSync(values.templates!, dir, { recursive: true });
  const file = path.join(dir, 'fonts.yaml');
  const yaml = readFileSync(file, 'utf8');
  const block = /  - name: [^\n]*Arabic[^\n]*\n(?:    [^\n]*\n)+/.exec(yaml) ?? /  - name: Amiri\n(?:    [^\n]*\n)+/.exec(yaml);
  if (!block) throw new Error('no Arabic family in fonts.yaml');
  const weights = ['400', '600', '700'].filter((w) => existsSync(path.join(ROOT, 'node_modules', pkg, `${w}.css`)));
  const replacement = `  - name: ${family}\n    first_for: [ar]\n    stylesheets:\n${weights.map((w) => `      - "${pkg}/${w}.css"\n`).join('')}`;
  writeFileSync(file, yaml.replace(block[0], replacement));
  return dir;
}

async function read(pdf: string, text: string, locale: string): Promise<{ pdftotext: Reading; pdfjs: Reading }> {
  const poppler = execFileSync('pdftotext', ['-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' });
  const pdfjs = await pdfParseText(pdf);
  const reading = (readerText: string): Reading => {
    const c = checkWords(text, readerText, locale);
    const letters = checkWords(text.replace(HARAKAT, ''), readerText.replace(HARAKAT, ''), locale);
    return {
      intact: c.intact,
      total: c.total,
      lettersIntact: letters.intact,
      nul: countChar(readerText, '\u0000'),
      shy: countChar(readerText, '\u00ad'),
      broken: c.broken.map((b) => b.word),
    };
  };
  return { pdftotext: reading(poppler), pdfjs: reading(pdfjs) };
}

async function measure(variant: string, out: string, refused: string[] = []): Promise<Row[]> {
  const rows: Row[] = [];
  for (const locale of readdirSync(out).sort()) {
    if (!existsSync(path.join(out, locale)) || locale.includes('.')) continue;
    if (values.locale!.length && !values.locale!.includes(locale)) continue;
    for (const file of readdirSync(path.join(out, locale)).filter((f) => f.endsWith('.pdf')).sort()) {
      const pdf = path.join(out, locale, file);
      const html = readFileSync(pdf.replace(/\.pdf$/, '.html'), 'utf8');
      const text = visibleText(html).replace(/\u00ad/g, '');
      const doc = `${locale}/${file.replace(/\.pdf$/, '')}`;
      rows.push({ variant, refused: refused.includes(doc), doc, htmlSoftHyphens: countChar(html, '\u00ad'), ...(await read(pdf, text, locale)) });
    }
  }
  return rows;
}

const pct = (r: Reading) =>
  `${((100 * r.intact) / r.total).toFixed(1).padStart(5)} %${r.lettersIntact !== r.intact ? ` (letters ${((100 * r.lettersIntact) / r.total).toFixed(1)} %)` : ''}`;

async function main(): Promise<void> {
  const variants: Array<{ name: string; templates: string; locales: string[] }> = [];
  if (!values['no-build'] || !values.out) variants.push({ name: 'templates', templates: values.templates!, locales: values.locale! });
  for (const spec of values.variant!) {
    const [name, dir] = spec.split('=') as [string, string];
    variants.push({ name, templates: path.resolve(dir), locales: values.locale! });
  }
  if (values['arabic-fonts']) {
    for (const [family, pkg] of [
      ['Noto Sans Arabic', '@fontsource/noto-sans-arabic'],
      ['Amiri', '@fontsource/amiri'],
      ['Noto Naskh Arabic', '@fontsource/noto-naskh-arabic'],
      ['IBM Plex Sans Arabic', '@fontsource/ibm-plex-sans-arabic'],
    ] as const) {
      variants.push({ name: family, templates: arabicVariant(family, pkg), locales: ['ar'] });
    }
  }
  const rows: Row[] = [];
  if (values['no-build'] && values.out) rows.push(...(await measure('built', values.out)));
  for (const v of variants) {
    const out = v === variants[0] && values.out ? values.out : path.join(scratch, `out-${rows.length}-${v.name.replace(/\W+/g, '-')}`);
    const refused = await build(v.templates, out, v.locales);
    rows.push(...(await measure(v.name, out, refused)));
    console.error(`measured ${v.name}`);
  }
  console.log(
    ['variant', 'document', 'words', 'pdftotext intact', 'pdf.js intact', 'U+0000 (poppler/pdf.js)', 'U+00AD (html/poppler/pdf.js)'].join(' | '),
  );
  for (const r of rows) {
    console.log(
      [
        r.variant.padEnd(20),
        `${r.doc}${r.refused ? ' (refused)' : ''}`.padEnd(32),
        String(r.pdftotext.total).padStart(4),
        pct(r.pdftotext),
        pct(r.pdfjs),
        `${r.pdftotext.nul}/${r.pdfjs.nul}`,
        `${r.htmlSoftHyphens}/${r.pdftotext.shy}/${r.pdfjs.shy}`,
      ].join(' | '),
    );
    if (values.words) {
      if (r.pdftotext.broken.length) console.log(`    pdftotext broke: ${r.pdftotext.broken.slice(0, 40).join(' ')}`);
      if (r.pdfjs.broken.length) console.log(`    pdf.js broke:    ${r.pdfjs.broken.slice(0, 40).join(' ')}`);
    }
  }
  if (values.json) writeFileSync(values.json, `${JSON.stringify(rows, null, 2)}\n`);
  rmSync(scratch, { recursive: true, force: true });
}

await main();

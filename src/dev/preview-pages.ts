/**
 * The pages `handout dev` serves: a handout as it will print, with a small toolbar
 * (language, paper, the real PDF) and live reload; the list of handouts; and, when the
 * content is broken, the errors with their positions and the lines they point at.
 *
 * The frame is templates/dev/ (toolbar.hbs, page.hbs), overridable from a clinic's
 * templates folder like every template; the preview itself is the handout's page as
 * serialize-page.ts writes it, with the toolbar and the script added there.
 *
 * Every page carries the same reload script, so a page showing an error recovers by
 * itself once the file is fixed.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { HandoutSource } from '../content/validate-handout.js';
import type { HandoutError } from '../errors.js';
import { displayPath } from '../content/safe-file.js';
import { bodyPt } from '../render/apply-fit.js';
import { compile, readTemplate, type TemplateFn } from '../render/compile-template.js';
import type { HtmlPage } from '../render/create-renderer.js';
import { serializePage, splitTemplateOutput, type DevAdditions } from '../render/serialize-page.js';
import { PAGE_SIZES, type PageSize } from '../resolve/resolve-handout.js';
import { findTemplateFile } from '../shared/template-files.js';

/** What every served page knows about the request and the server. */
export interface PageContext {
  /** Allows the one inline script: live reload. */
  nonce: string;
  /** The files' version this page was rendered from: another one reloads it. */
  version: string;
  /** Folders whose files an error may quote lines from. */
  projectDirs: readonly string[];
  contentDir: string;
}

/** Which handout a preview shows, and what the toolbar offers. */
export interface PreviewTarget {
  locale: string;
  slug: string;
  /** Paper chosen in the page (?size=), or null for the clinic's default. */
  size: PageSize | null;
  /** The locales this handout exists in, for the language switch. */
  locales: readonly string[];
}

/**
 * Whether the sheet fits, as the build would say it, measured by printing it: the toolbar
 * shows it while the author types ("fits at 12 pt, two to a row: 3 lines left", "2 lines
 * over"). Null when no browser could measure it.
 */
export type FitVerdict = { ok: true; level: string; linesLeft: number | null } | { ok: false; error: HandoutError } | null;

/** The dev server's pages, from the dev templates of one templates folder. */
export interface DevPages {
  /**
   * The handout page itself, with the toolbar on screen only (never in print). On screen
   * the sheet is drawn at its paper's printable size, at fit level `level` (the one the
   * printer chose), with a line where the page ends, so the paper switch shows and
   * overflow is seen while typing; the toolbar says how many lines are left or over; the
   * PDF link prints it.
   */
  preview(page: HtmlPage, level: string, verdict: FitVerdict, view: PreviewTarget, ctx: PageContext): string;
  /** Errors instead of the handout, each with its position, hint and the lines around it. */
  errors(title: string, errors: readonly HandoutError[], view: PreviewTarget | null, ctx: PageContext): Promise<string>;
  /** Every handout, a line each, with a link per language it exists in. */
  index(sources: readonly HandoutSource[], problems: readonly HandoutError[], ctx: PageContext): string;
  notFound(what: string, ctx: PageContext): string;
  /** The composer (dev/composer.ts): its page, with its script and this session's token. */
  composer(token: string, ctx: PageContext): Promise<string>;
}

/**
 * Compiles templates/dev/ (the clinic's files first, like every template). Read for each
 * request, so an edited dev template shows at the next reload.
 */
export async function loadDevPages(templatesDir: string): Promise<DevPages> {
  const hb = (await import('handlebars')).default.create();
  const file = (name: string) => findTemplateFile(templatesDir, `dev/${name}`) ?? path.join(templatesDir, 'dev', name);
  const toolbarFile = file('toolbar.hbs');
  const pageFile = file('page.hbs');
  // The toolbar is a template of its own (above a preview) and the partial "toolbar" of page.hbs (above errors).
  const partial = compile(hb, await readTemplate(toolbarFile), toolbarFile);
  hb.registerPartial('toolbar', partial);
  const toolbarTemplate = partial;
  const pageTemplate = compile(hb, await readTemplate(pageFile), pageFile);

  const frame = (view: Partial<FrameView> & { title: string }, ctx: PageContext) =>
    serializePage(
      { template: splitTemplateOutput(pageTemplate({ toolbar: null, index: null, errors: null, notFound: null, ...view }), pageFile), head: [] },
      { as: 'preview', fit: null, dev: { styles: [], bodyStart: '', script: reloadScript(ctx) } },
    );

  return {
    preview(page, level, verdict, view, ctx) {
      const dev: DevAdditions = {
        styles: page.printable ? [paperCss(page.printable)] : [],
        bodyStart: toolbar(toolbarTemplate, view, page.pageSize, page.warnings, true, verdict),
        script: reloadScript(ctx),
      };
      return serializePage(page.parts, { as: 'preview', fit: level, dev });
    },
    async errors(title, errors, view, ctx) {
      const items = await Promise.all(errors.map(async (e) => ({ text: e.toString(), hint: e.hint, frame: await codeFrame(e, ctx) })));
      return frame({ title, toolbar: view ? toolbarView(view, view.size, [], false) : null, errors: items }, ctx);
    },
    index(sources, problems, ctx) {
      const slugs = [...new Set(sources.map((s) => s.slug))].sort();
      const handouts = slugs.map((slug) => ({
        slug,
        locales: sources.filter((s) => s.slug === slug).map((s) => ({ locale: s.locale, href: href(s.locale, slug, 'html', null) })),
      }));
      const index = {
        handouts,
        problems: problems.map((e) => ({ text: e.toString(), hint: e.hint })),
        empty: sources.length ? null : displayPath(ctx.contentDir),
      };
      return frame({ title: 'handout dev', index }, ctx);
    },
    notFound(what, ctx) {
      return frame({ title: 'Not found', notFound: what }, ctx);
    },
    async composer(token, ctx) {
      const composerFile = file('composer.hbs');
      const scriptFile = file('composer.js');
      const template = compile(hb, await readTemplate(composerFile), composerFile);
      const code = await readFile(scriptFile, 'utf8');
      return serializePage(
        { template: splitTemplateOutput(template({ token, papers: PAGE_SIZES }), composerFile), head: [] },
        { as: 'preview', fit: null, dev: { styles: [], bodyStart: '', script: { nonce: ctx.nonce, code } } },
      );
    },
  };
}

/** What templates/dev/page.hbs is given: one of index, errors or notFound. */
interface FrameView {
  title: string;
  toolbar: ToolbarView | null;
  index: { handouts: Array<{ slug: string; locales: Array<{ locale: string; href: string }> }>; problems: Array<{ text: string; hint: string }>; empty: string | null } | null;
  errors: Array<{ text: string; hint: string; frame: CodeLine[] }> | null;
  notFound: string | null;
}

/** What templates/dev/toolbar.hbs is given. */
interface ToolbarView {
  /** "en/lower-back-relief" */
  handout: string;
  languages: ToolbarLink[];
  papers: ToolbarLink[];
  /** The PDF link, when the page rendered. */
  pdf: string | null;
  verdict: { text: string; over: boolean; measured: boolean } | null;
  status: 'live' | 'error';
  warnings: string[];
}
interface ToolbarLink {
  label: string;
  href: string;
  current: boolean;
}

/** The printable area as a box, with the page end marked (CSS px, as the printer measures). */
export function paperCss(area: { width: number; height: number }): string {
  const w = Math.floor(area.width);
  const h = Math.ceil(area.height);
  return `@media screen {
  .site-nav { display: none; }
  .sheet { box-sizing: content-box; width: ${w}px; max-width: none; min-height: ${h}px; padding: 24px;
    background: #fff linear-gradient(to bottom, transparent ${h + 23}px, #d93f3f ${h + 23}px, #d93f3f ${h + 25}px, transparent ${h + 25}px); }
}`;
}

/** The preview URL of a handout (or its PDF), keeping a chosen paper size. */
export function href(locale: string, slug: string, ext: 'html' | 'pdf', size: PageSize | null): string {
  return `/${encodeURIComponent(locale)}/${encodeURIComponent(slug)}.${ext}${size ? `?size=${size}` : ''}`;
}

/** "fits at 12 pt, exercises two to a row: 3 lines left", or the build's refusal. */
export function describeVerdict(verdict: FitVerdict): ToolbarView['verdict'] {
  if (!verdict) return { text: 'fit not measured (no browser)', over: false, measured: false };
  if (!verdict.ok) return { text: `✗ ${verdict.error.message} [${verdict.error.code}]`, over: true, measured: true };
  const layout = `${bodyPt(verdict.level)} pt${/\bgrid\b/.test(verdict.level) ? ', exercises two to a row' : ''}`;
  const lines = verdict.linesLeft === null ? null : Math.max(0, Math.floor(verdict.linesLeft));
  const left = lines === null ? '' : `: ${lines} ${lines === 1 ? 'line' : 'lines'} left`;
  return { text: `✓ fits at ${layout}${left}`, over: false, measured: true };
}

/** `paper` is the size shown; a size the author chose (view.size) is kept when switching language. */
function toolbarView(view: PreviewTarget, paper: PageSize | null, warnings: readonly HandoutError[], ok: boolean, verdict: FitVerdict = null): ToolbarView {
  return {
    handout: `${view.locale}/${view.slug}`,
    languages: view.locales.map((l) => ({ label: l, href: href(l, view.slug, 'html', view.size), current: l === view.locale })),
    papers: PAGE_SIZES.map((s) => ({ label: s, href: href(view.locale, view.slug, 'html', s), current: s === paper })),
    pdf: ok ? href(view.locale, view.slug, 'pdf', paper) : null,
    verdict: ok ? describeVerdict(verdict) : null,
    status: ok ? 'live' : 'error',
    warnings: warnings.map((w) => w.toString()),
  };
}

function toolbar(template: TemplateFn, view: PreviewTarget, paper: PageSize | null, warnings: readonly HandoutError[], ok: boolean, verdict: FitVerdict): string {
  return template(toolbarView(view, paper, warnings, ok, verdict)).trim();
}

/**
 * Reloads the page when the server's file version is no longer the one it was rendered
 * from: a small request every 400 ms, which also picks up a restarted server.
 */
function reloadScript(ctx: PageContext): DevAdditions['script'] {
  const code = `
(() => {
  const rendered = ${JSON.stringify(ctx.version)};
  const status = document.getElementById('handout-dev-status');
  const check = async () => {
    try {
      const now = await (await fetch('/__dev/version', { cache: 'no-store' })).text();
      if (now !== rendered) return location.reload();
      if (status && status.textContent !== 'live' && status.textContent !== 'error') status.textContent = 'live';
    } catch {
      if (status) status.textContent = 'server stopped: retrying';
    }
    setTimeout(check, 400);
  };
  setTimeout(check, 400);
})();
`;
  return { nonce: ctx.nonce, code };
}

/** One line of a code frame: a line of the file, the one the error is on marked, and the caret under its column. */
interface CodeLine {
  text: string;
  mark: boolean;
}

/** Two lines either side of the error, with a caret under its column (none for a file outside the project). */
async function codeFrame(error: HandoutError, ctx: PageContext): Promise<CodeLine[]> {
  const where = error.where;
  if (!where?.line) return [];
  const abs = path.resolve(where.file);
  // Only files of the project, and only text-sized ones, are ever quoted.
  if (!ctx.projectDirs.some((dir) => abs.startsWith(dir + path.sep))) return [];
  try {
    if ((await stat(abs)).size > 512 * 1024) return [];
    const lines = (await readFile(abs, 'utf8')).split(/\r?\n/);
    const from = Math.max(1, where.line - 2);
    const to = Math.min(lines.length, where.line + 2);
    const width = String(to).length;
    const out: CodeLine[] = [];
    for (let n = from; n <= to; n++) {
      out.push({ text: `${String(n).padStart(width)} | ${lines[n - 1] ?? ''}`, mark: n === where.line });
      if (n === where.line && where.col) out.push({ text: `${' '.repeat(width)} | ${' '.repeat(where.col - 1)}^`, mark: false });
    }
    return out;
  } catch {
    return [];
  }
}

/**
 * The pages `handout dev` serves: a handout as it will print, with a small toolbar
 * (language, paper, the real PDF) and live reload; the list of handouts; and, when the
 * content is broken, the errors with their positions and the lines they point at.
 *
 * Every page carries the same reload script, so a page showing an error recovers by
 * itself once the file is fixed.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { HandoutSource } from '../content/validate-handout.js';
import type { HandoutError } from '../errors.js';
import { escapeHtml } from '../html-escape.js';
import { displayPath } from '../content/safe-file.js';
import { bodyPt } from '../render/apply-fit.js';
import { CONTENT_SECURITY_POLICY } from '../render/content-security-policy.js';
import type { HtmlPage } from '../render/create-renderer.js';
import { PAGE_SIZES, type PageSize } from '../resolve/resolve-handout.js';

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

/**
 * The handout page itself, with the toolbar on screen only (never in print). On screen
 * the sheet is drawn at its paper's printable size, at the fit level the printer chose,
 * with a line where the page ends, so the paper switch shows and overflow is seen while
 * typing; the toolbar says how many lines are left or over; the PDF link prints it.
 */
export function previewPage(page: HtmlPage, html: string, verdict: FitVerdict, view: PreviewTarget, ctx: PageContext): string {
  // The server sends the policy as a header, with the nonce for the reload script; the
  // page's own <meta> policy (no scripts at all) would block it.
  html = html.replace(`<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`, '');
  const bar = toolbar(view, page.pageSize, page.warnings, true, verdict);
  const paper = page.printable ? paperCss(page.printable) : '';
  return html
    .replace(/<\/head>/i, () => `<style>${paper}</style>\n</head>`)
    .replace(/<body([^>]*)>/i, (body) => `${body}\n${bar}`)
    .replace(/<\/body>/i, () => `${reloadScript(ctx)}\n</body>`);
}

/** The printable area as a box, with the page end marked (CSS px, as the printer measures). */
function paperCss(area: { width: number; height: number }): string {
  const w = Math.floor(area.width);
  const h = Math.ceil(area.height);
  return `@media screen {
  .site-nav { display: none; }
  .sheet { box-sizing: content-box; width: ${w}px; max-width: none; min-height: ${h}px; padding: 24px;
    background: #fff linear-gradient(to bottom, transparent ${h + 23}px, #d93f3f ${h + 23}px, #d93f3f ${h + 25}px, transparent ${h + 25}px); }
}`;
}

/** Errors instead of the handout, each with its position, hint and the lines around it. */
export async function errorPage(title: string, errors: readonly HandoutError[], view: PreviewTarget | null, ctx: PageContext): Promise<string> {
  const items = await Promise.all(
    errors.map(
      async (e) =>
        `<li><p class="what"><code>${escapeHtml(e.toString())}</code></p><p class="hint">${escapeHtml(e.hint)}</p>${await codeFrame(e, ctx)}</li>`,
    ),
  );
  const body = `<h1>${escapeHtml(title)}</h1><ul class="errors">${items.join('')}</ul><p class="note">Fix the file and save: this page reloads by itself.</p>`;
  return shell(title, `${view ? toolbar(view, view.size, [], false) : ''}<main class="dev">${body}</main>`, ctx);
}

/** Every handout, a line each, with a link per language it exists in. */
export function indexPage(sources: readonly HandoutSource[], problems: readonly HandoutError[], ctx: PageContext): string {
  const slugs = [...new Set(sources.map((s) => s.slug))].sort();
  const rows = slugs.map((slug) => {
    const links = sources
      .filter((s) => s.slug === slug)
      .map((s) => `<a href="${href(s.locale, slug, 'html', null)}" hreflang="${escapeHtml(s.locale)}">${escapeHtml(s.locale)}</a>`);
    return `<li><strong>${escapeHtml(slug)}</strong> <span class="locales">${links.join(' ')}</span></li>`;
  });
  const problemList = problems.length
    ? `<ul class="errors">${problems.map((e) => `<li><code>${escapeHtml(e.toString())}</code><p class="hint">${escapeHtml(e.hint)}</p></li>`).join('')}</ul>`
    : '';
  const empty = sources.length ? '' : `<p>No handouts yet: add one as ${escapeHtml(displayPath(ctx.contentDir))}/&lt;locale&gt;/&lt;slug&gt;.yaml.</p>`;
  return shell(
    'handout dev',
    `<main class="dev"><h1>Handouts</h1>${problemList}${empty}<ul class="handouts">${rows.join('')}</ul><p class="note">Pick a language to preview; each page reloads when you save a file.</p></main>`,
    ctx,
  );
}

export function notFoundPage(what: string, ctx: PageContext): string {
  return shell('Not found', `<main class="dev"><h1>Not found</h1><p>${escapeHtml(what)}</p><p><a href="/">All handouts</a></p></main>`, ctx);
}

/** The preview URL of a handout (or its PDF), keeping a chosen paper size. */
export function href(locale: string, slug: string, ext: 'html' | 'pdf', size: PageSize | null): string {
  return `/${encodeURIComponent(locale)}/${encodeURIComponent(slug)}.${ext}${size ? `?size=${size}` : ''}`;
}

// Links as narrow as a language code are still 24 px targets (WCAG 2.5.8, axe target-size).
const TOOLBAR_CSS = `
#handout-dev{position:sticky;top:0;z-index:10;display:flex;flex-wrap:wrap;align-items:center;gap:6px 16px;padding:8px 12px;
  background:#1f2a2c;color:#fff;font:14px/1.3 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
#handout-dev a{color:#bfe9ed}
#handout-dev [aria-current]{color:#fff;font-weight:700;text-decoration:none}
#handout-dev .group{display:flex;gap:4px;align-items:center}
#handout-dev .group a{display:inline-flex;align-items:center;justify-content:center;min-width:24px;min-height:24px}
#handout-dev .warn{flex-basis:100%;color:#ffd97a}
#handout-dev .verdict{color:#b6f0b0;font-weight:600}
#handout-dev .verdict.over{color:#ffb0b0;flex-basis:100%}
#handout-dev-status{margin-inline-start:auto;opacity:.8}
@media print{#handout-dev{display:none}}`;

/** "fits at 12 pt, exercises two to a row: 3 lines left", or the build's refusal. */
function describeVerdict(verdict: FitVerdict): string {
  if (!verdict) return '<span class="verdict">fit not measured (no browser)</span>';
  if (!verdict.ok) return `<span class="verdict over" role="status">✗ ${escapeHtml(verdict.error.message)} [${verdict.error.code}]</span>`;
  const layout = `${bodyPt(verdict.level)} pt${/\bgrid\b/.test(verdict.level) ? ', exercises two to a row' : ''}`;
  const lines = verdict.linesLeft === null ? null : Math.max(0, Math.floor(verdict.linesLeft));
  const left = lines === null ? '' : `: ${lines} ${lines === 1 ? 'line' : 'lines'} left`;
  return `<span class="verdict" role="status">✓ fits at ${escapeHtml(layout)}${left}</span>`;
}

/** `paper` is the size shown; a size the author chose (view.size) is kept when switching language. */
function toolbar(view: PreviewTarget, paper: PageSize | null, warnings: readonly HandoutError[], ok: boolean, verdict: FitVerdict = null): string {
  const link = (label: string, url: string, current: boolean) =>
    current ? `<a aria-current="page">${escapeHtml(label)}</a>` : `<a href="${url}">${escapeHtml(label)}</a>`;
  const languages = view.locales.map((l) => link(l, href(l, view.slug, 'html', view.size), l === view.locale)).join('');
  const papers = PAGE_SIZES.map((s) => link(s, href(view.locale, view.slug, 'html', s), s === paper)).join('');
  const warningLines = warnings.map((w) => `<span class="warn">⚠ ${escapeHtml(w.toString())}</span>`).join('');
  return `<style>${TOOLBAR_CSS}</style>
<nav id="handout-dev" dir="ltr" lang="en" aria-label="Preview">
<a href="/">All handouts</a><strong>${escapeHtml(`${view.locale}/${view.slug}`)}</strong>
<span class="group languages">Language: ${languages}</span>
<span class="group paper">Paper: ${papers}</span>
${ok ? `<a class="pdf" href="${href(view.locale, view.slug, 'pdf', paper)}">PDF (printed and verified)</a>` : ''}
${ok ? describeVerdict(verdict) : ''}
<span id="handout-dev-status">${ok ? 'live' : 'error'}</span>${warningLines}
</nav>`;
}

/**
 * Reloads the page when the server's file version is no longer the one it was rendered
 * from: a small request every 400 ms, which also picks up a restarted server.
 */
function reloadScript(ctx: PageContext): string {
  return `<script nonce="${ctx.nonce}">
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
</script>`;
}

function shell(title: string, body: string, ctx: PageContext): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#f4f7f7}
main.dev{max-width:900px;margin:0 auto;padding:16px 20px 40px}
h1{font-size:1.4rem}
.errors{list-style:none;padding:0}
.errors li{background:#fff;border-left:5px solid #b3261e;padding:10px 14px;margin:0 0 12px}
.what code{font-weight:600;white-space:pre-wrap;overflow-wrap:anywhere}
.hint{color:#4a4a4a;margin:6px 0}
pre.frame{background:#f7f0ef;padding:8px;overflow-x:auto;font-size:13px;line-height:1.35}
pre.frame mark{background:#ffd7d3}
a{color:#0b5f66}
.handouts{list-style:none;padding:0}
.handouts li{background:#fff;border:1px solid #c9d6d8;border-radius:6px;padding:8px 12px;margin:0 0 8px;display:flex;flex-wrap:wrap;gap:4px 16px}
.locales{display:flex;flex-wrap:wrap;gap:4px 2px}
/* Each language code a 24 px target (WCAG 2.5.8) */
.locales a{display:inline-flex;align-items:center;justify-content:center;min-width:24px;min-height:24px}
.note{color:#4a4a4a}
</style>
</head>
<body>
${body}
${reloadScript(ctx)}
</body>
</html>
`;
}

/** Two lines either side of the error, with a caret under its column. */
async function codeFrame(error: HandoutError, ctx: PageContext): Promise<string> {
  const where = error.where;
  if (!where?.line) return '';
  const abs = path.resolve(where.file);
  // Only files of the project, and only text-sized ones, are ever quoted.
  if (!ctx.projectDirs.some((dir) => abs.startsWith(dir + path.sep))) return '';
  try {
    if ((await stat(abs)).size > 512 * 1024) return '';
    const lines = (await readFile(abs, 'utf8')).split(/\r?\n/);
    const from = Math.max(1, where.line - 2);
    const to = Math.min(lines.length, where.line + 2);
    const width = String(to).length;
    const out: string[] = [];
    for (let n = from; n <= to; n++) {
      const text = `${String(n).padStart(width)} | ${lines[n - 1] ?? ''}`;
      out.push(n === where.line ? `<mark>${escapeHtml(text)}</mark>` : escapeHtml(text));
      if (n === where.line && where.col) out.push(`${' '.repeat(width)} | ${' '.repeat(where.col - 1)}^`);
    }
    return `<pre class="frame">${out.join('\n')}</pre>`;
  } catch {
    return '';
  }
}

/**
 * `handout email`: builds the handout if it is missing or stale (through the normal,
 * verified and cached build), then e-mails it as email-pdf.ts does every sheet: the
 * message shown (the default), written as an .eml file, or sent.
 *
 * A handout that does not build (it does not fit on one page, an illustration is missing,
 * clinic.yaml is broken, no such handout…) is not a usage error: the outcome carries the
 * build's own failed documents, for the CLI to report exactly as `build` does (file,
 * line:column, message, code, hint) and to exit 1. Nothing is written or sent then.
 */
import path from 'node:path';
import { buildHandouts, type BuildOptions, type BuildResult, type DocumentResult } from '../build/build-handouts.js';
import { loadYaml } from '../content/load-yaml.js';
import { displayPath } from '../content/safe-file.js';
import { validateHandout } from '../content/validate-handout.js';
import { HandoutError, toHandoutError } from '../errors.js';
import type { ComposedEmail } from './compose-email.js';
import { emailPdf, type Delivery } from './email-pdf.js';

export interface EmailOptions extends BuildOptions, Delivery {
  slug: string;
  locale: string;
}

export type EmailOutcome =
  | {
      ok: true;
      build: BuildResult;
      message: ComposedEmail;
      /** What happened: shown only, written to a file, or sent. */
      done: string[];
    }
  | {
      /** The handout did not build: nothing was composed, written or sent. */
      ok: false;
      build: BuildResult;
      /** What failed, as the build reports it (never empty). */
      failed: DocumentResult[];
    };

export async function emailHandout(options: EmailOptions): Promise<EmailOutcome> {
  const build = await buildHandouts({ ...options, only: [options.slug], locales: [options.locale] });
  const doc = build.documents.find((d) => d.slug === options.slug && d.locale === options.locale);
  if (!doc?.ok || !doc.outputs) {
    // The handout's own failure; else what stopped it from being built at all: a broken
    // clinic.yaml, or no such handout (NO_CONTENT, as `build --only` reports it).
    const failed = doc ? [doc] : build.documents.filter((d) => !d.ok);
    if (failed.length) return { ok: false, build, failed };
    throw new HandoutError('USAGE', 'notBuilt', { locale: options.locale, slug: options.slug });
  }
  const contentDir = path.resolve(options.contentDir);
  const file = path.join(contentDir, options.locale, `${options.slug}.yaml`);
  const source = { absPath: file, file: displayPath(file), locale: options.locale, slug: options.slug };
  // The build has just read it (or found it unchanged): this fails only if it was edited since.
  const validation = await loadYaml(file, source.file, contentDir).then(
    (yaml) => validateHandout(source, yaml),
    (err: unknown) => ({ ok: false as const, errors: [toHandoutError(err, 'FILE_UNREADABLE', { file: source.file })] }),
  );
  if (!validation.ok) return { ok: false, build, failed: [{ ...doc, ok: false, outputs: null, errors: validation.errors }] };
  const mailed = await emailPdf({
    contentDir,
    templatesDir: options.templatesDir,
    locale: options.locale,
    title: validation.value.data.title,
    summary: validation.value.data.summary ?? null,
    patient: options.personal?.patient ?? null,
    pdfs: [doc.outputs.pdf],
    to: options.to,
    eml: options.eml,
    send: options.send,
    maxBytes: options.maxBytes,
    smtpUrl: options.smtpUrl,
    mailFrom: options.mailFrom,
  });
  if (!mailed.ok) return { ok: false, build, failed: mailed.failed };
  return { ok: true, build, message: mailed.message, done: mailed.done };
}

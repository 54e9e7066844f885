/**
 * `handout email`: builds the handout if it is missing or stale (through the normal,
 * verified and cached build), then composes the message and either shows it (the
 * default), writes it as an .eml file, or sends it.
 *
 * A handout that does not build (it does not fit on one page, an illustration is missing,
 * clinic.yaml is broken, no such handout…) is not a usage error: the outcome carries the
 * build's own failed documents, for the CLI to report exactly as `build` does (file,
 * line:column, message, code, hint) and to exit 1. Nothing is written or sent then.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildHandouts, type BuildOptions, type BuildResult, type DocumentResult } from '../build/build-handouts.js';
import { loadClinic } from '../config/load-clinic.js';
import { loadYaml } from '../content/load-yaml.js';
import { displayPath } from '../content/safe-file.js';
import { validateHandout } from '../content/validate-handout.js';
import { HandoutError, toHandoutError } from '../errors.js';
import { CatalogStore } from '../i18n/load-catalog.js';
import { composeEmail, isValidAddress, type ComposedEmail } from './compose-email.js';
import { sendEmail, toEml } from './send-email.js';

export interface EmailOptions extends BuildOptions {
  slug: string;
  locale: string;
  to: string;
  /** Write the message to this .eml file instead of (or before) sending. */
  eml?: string | undefined;
  send: boolean;
  maxBytes: number;
  /** From the environment only. */
  smtpUrl?: string | undefined;
  mailFrom?: string | undefined;
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
    throw new HandoutError('USAGE', `cannot e-mail ${options.locale}/${options.slug}: the build produced no such handout`);
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
  const clinicLoad = (await loadClinic(contentDir)).clinic;
  const clinic = clinicLoad?.data ?? null;
  const from = options.mailFrom ?? clinic?.email;
  if (!from) {
    throw new HandoutError('USAGE', 'no sender address: set email in clinic.yaml, or HANDOUT_MAIL_FROM', {
      hint: 'Patients reply to this address, so use one the clinic reads.',
    });
  }
  // A sender from clinic.yaml that the schema let through but mail would not take is that
  // file's error, at its line (HANDOUT_MAIL_FROM is checked as the usage error it is).
  if (!options.mailFrom && clinicLoad && !isValidAddress(from)) {
    const error = new HandoutError('SCHEMA', `email: "${from}" cannot be used as the sender of an e-mail`, {
      where: clinicLoad.positionOf('email'),
      hint: 'Give one plain address the clinic reads, like desk@clinic.example, or set HANDOUT_MAIL_FROM.',
    });
    return { ok: false, build, failed: [{ file: clinicLoad.file, ok: false, cached: false, outputs: null, shown: null, errors: [error], warnings: [], ms: 0 }] };
  }
  const strings = (await new CatalogStore(path.resolve(options.templatesDir)).get(options.locale)).strings;
  const message = await composeEmail({
    to: options.to,
    from,
    locale: options.locale,
    title: validation.value.data.title,
    summary: validation.value.data.summary ?? null,
    patient: options.personal?.patient ?? null,
    clinic: clinic && { name: clinic.name, phone: clinic.phone ?? null, website: clinic.website?.replace(/^https:\/\//, '') ?? null },
    strings,
    pdfPath: path.resolve(doc.outputs.pdf),
    maxBytes: options.maxBytes,
    templatesDir: options.templatesDir,
  });
  const done: string[] = [];
  if (options.eml) {
    await writeFile(options.eml, await toEml(message));
    done.push(`written to ${options.eml}`);
  }
  if (options.send) done.push(`sent: ${await sendEmail(message, options.smtpUrl)}`);
  return { ok: true, build, message, done };
}

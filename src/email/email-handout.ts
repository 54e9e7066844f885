/**
 * `handout email`: builds the handout if it is missing or stale (through the normal,
 * verified and cached build), then composes the message and either shows it (the
 * default), writes it as an .eml file, or sends it.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildHandouts, type BuildOptions, type BuildResult } from '../build/build-handouts.js';
import { loadClinic } from '../config/load-clinic.js';
import { loadYaml } from '../content/load-yaml.js';
import { displayPath } from '../content/safe-file.js';
import { validateHandout } from '../content/validate-handout.js';
import { HandoutError } from '../errors.js';
import { CatalogStore } from '../i18n/load-catalog.js';
import { composeEmail, type ComposedEmail } from './compose-email.js';
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

export interface EmailOutcome {
  build: BuildResult;
  message: ComposedEmail;
  /** What happened: shown only, written to a file, or sent. */
  done: string[];
}

export async function emailHandout(options: EmailOptions): Promise<EmailOutcome> {
  const build = await buildHandouts({ ...options, only: [options.slug], locales: [options.locale] });
  const doc = build.documents.find((d) => d.slug === options.slug && d.locale === options.locale);
  if (!doc?.ok || !doc.outputs) {
    const reason = doc?.errors.map(String).join('; ') ?? `no handout ${options.locale}/${options.slug}`;
    throw new HandoutError('USAGE', `cannot e-mail ${options.locale}/${options.slug}: it did not build (${reason})`);
  }
  const contentDir = path.resolve(options.contentDir);
  const file = path.join(contentDir, options.locale, `${options.slug}.yaml`);
  const source = { absPath: file, file: displayPath(file), locale: options.locale, slug: options.slug };
  const validation = validateHandout(source, await loadYaml(file, source.file, contentDir));
  if (!validation.ok) throw validation.errors[0]!;
  const clinic = (await loadClinic(contentDir)).clinic?.data ?? null;
  const from = options.mailFrom ?? clinic?.email;
  if (!from) {
    throw new HandoutError('USAGE', 'no sender address: set email in clinic.yaml, or HANDOUT_MAIL_FROM', {
      hint: 'Patients reply to this address, so use one the clinic reads.',
    });
  }
  const strings = (await new CatalogStore(path.resolve(options.templatesDir)).get(options.locale)).strings;
  const message = await composeEmail({
    to: options.to,
    from,
    title: validation.value.data.title,
    summary: validation.value.data.summary ?? null,
    patient: options.personal?.patient ?? null,
    clinic: clinic && { name: clinic.name, phone: clinic.phone ?? null, website: clinic.website?.replace(/^https:\/\//, '') ?? null },
    strings,
    pdfPath: path.resolve(doc.outputs.pdf),
    maxBytes: options.maxBytes,
  });
  const done: string[] = [];
  if (options.eml) {
    await writeFile(options.eml, await toEml(message));
    done.push(`written to ${options.eml}`);
  }
  if (options.send) done.push(`sent: ${await sendEmail(message, options.smtpUrl)}`);
  return { build, message, done };
}

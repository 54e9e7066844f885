/**
 * E-mails sheets that are already printed and verified: finds the sender (HANDOUT_MAIL_FROM,
 * else clinic.yaml's email), composes the message in the sheet's language with the PDFs
 * attached, and shows it (the default), writes it as an .eml file, or sends it. Shared by
 * `handout email` (a handout, built first), `handout program --to` (a personal program) and
 * the composer of `handout dev`, so a patient gets the same message whichever way it left.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DocumentResult } from '../build/build-handouts.js';
import { loadClinic } from '../config/load-clinic.js';
import { HandoutError } from '../errors.js';
import { CatalogStore } from '../i18n/load-catalog.js';
import { localeChain } from '../shared/locale-chain.js';
import { composeEmail, isValidAddress, type ComposedEmail } from './compose-email.js';
import { sendEmail, toEml } from './send-email.js';

/** Where a message goes and how: the same for every command that e-mails a sheet. */
export interface Delivery {
  to: string;
  /** Write the message to this .eml file. */
  eml?: string | undefined;
  send: boolean;
  maxBytes: number;
  /** From the environment only, never from content files. */
  smtpUrl?: string | undefined;
  mailFrom?: string | undefined;
}

export interface EmailPdfOptions extends Delivery {
  contentDir: string;
  templatesDir: string;
  locale: string;
  /** The sheet's title and summary, as printed. */
  title: string;
  summary: string | null;
  patient: string | null;
  /** The verified PDFs to attach, in order (a program printed as several sheets has several). */
  pdfs: string[];
}

export type EmailPdfOutcome =
  | { ok: true; message: ComposedEmail; eml: Buffer | null; done: string[] }
  /** clinic.yaml gives a sender that mail refuses: that file's error, at its line. */
  | { ok: false; failed: DocumentResult[] };

export async function emailPdf(options: EmailPdfOptions): Promise<EmailPdfOutcome> {
  const contentDir = path.resolve(options.contentDir);
  const clinicLoad = (await loadClinic(contentDir)).clinic;
  const clinic = clinicLoad?.data ?? null;
  const from = options.mailFrom ?? clinic?.email;
  if (!from) {
    throw new HandoutError('USAGE', 'noSender');
  }
  // A sender from clinic.yaml that the schema let through but mail would not take is that
  // file's error, at its line (HANDOUT_MAIL_FROM is checked as the usage error it is).
  if (!options.mailFrom && clinicLoad && !isValidAddress(from)) {
    const error = new HandoutError('SCHEMA', 'sender', { address: from }, { where: clinicLoad.positionOf('email') });
    return { ok: false, failed: [{ file: clinicLoad.file, ok: false, cached: false, outputs: null, shown: null, errors: [error], warnings: [], ms: 0 }] };
  }
  const strings = (await new CatalogStore(path.resolve(options.templatesDir)).get(options.locale)).strings;
  const message = await composeEmail({
    to: options.to,
    from,
    locale: options.locale,
    title: options.title,
    summary: options.summary,
    patient: options.patient,
    // The clinic's name as the sheet prints it: in the message's language where clinic.yaml gives it.
    clinic: clinic && {
      name: localeChain(options.locale).reverse().map((l) => clinic.translations?.[l]?.name).find((n) => n !== undefined) ?? clinic.name,
      phone: clinic.phone ?? null,
      website: clinic.website?.replace(/^https:\/\//, '') ?? null,
    },
    strings,
    pdfPaths: options.pdfs.map((pdf) => path.resolve(pdf)),
    maxBytes: options.maxBytes,
    templatesDir: options.templatesDir,
  });
  const done: string[] = [];
  let eml: Buffer | null = null;
  if (options.eml) {
    eml = await toEml(message);
    await writeFile(options.eml, eml);
    done.push(`written to ${options.eml}`);
  }
  if (options.send) done.push(`sent: ${await sendEmail(message, options.smtpUrl)}`);
  return { ok: true, message, eml, done };
}

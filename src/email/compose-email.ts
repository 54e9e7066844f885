/**
 * A short, localized message to a patient with their verified handout attached.
 * Header fields are built from validated values only; nodemailer encodes them, and any
 * CR or LF is refused before that, so no field can inject a header.
 */
import { readFile, stat } from 'node:fs/promises';
import { HandoutError } from '../errors.js';
import { escapeHtml } from '../html-escape.js';
import { fill } from '../i18n/format-hold.js';
import type { CatalogStrings } from '../i18n/load-catalog.js';

export interface EmailInput {
  to: string;
  from: string;
  /** The handout as the catalog language presents it. */
  title: string;
  summary: string | null;
  patient: string | null;
  clinic: { name: string; phone: string | null; website: string | null } | null;
  strings: CatalogStrings;
  pdfPath: string;
  maxBytes: number;
}

export interface ComposedEmail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  attachments: Array<{ filename: string; content: Buffer; contentType: 'application/pdf' }>;
}

/** Deliberately strict: one address, no display name, no line breaks, no spaces. */
const ADDRESS = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

export function isValidAddress(address: string): boolean {
  return ADDRESS.test(address) && address.length <= 254;
}

export function checkAddress(address: string, field: string): string {
  if (!isValidAddress(address)) {
    throw new HandoutError('USAGE', `${field}: "${address.replace(/[\r\n]/g, '\\n')}" is not a valid e-mail address`, {
      hint: 'Give one plain address, like patient@example.org.',
    });
  }
  return address;
}

const formatSize = (bytes: number) => (bytes >= 2 ** 20 ? `${(bytes / 2 ** 20).toFixed(1).replace(/\.0$/, '')} MB` : `${Math.ceil(bytes / 1024)} KB`);
const oneLine = (text: string) => text.replace(/[\r\n\t]+/g, ' ').replace(/\s+/g, ' ').trim();

export async function composeEmail(input: EmailInput): Promise<ComposedEmail> {
  const to = checkAddress(input.to, '--to');
  const from = checkAddress(input.from, 'sender');
  const size = (await stat(input.pdfPath)).size;
  if (size > input.maxBytes) {
    // Not a usage mistake nor a content error: the sheet was built and verified, but is
    // too large to send as e-mail (nothing was sent; the same exit code as a refused send).
    throw new HandoutError('EMAIL', `the PDF is ${formatSize(size)}, over the ${formatSize(input.maxBytes)} limit for e-mail`, {
      where: { file: input.pdfPath },
      hint: 'Raise --max-size if the receiving mail server accepts it, or share the PDF another way.',
    });
  }
  const s = input.strings;
  const title = oneLine(input.title);
  const greeting = input.patient ? fill(s.email_greeting_named, { name: oneLine(input.patient) }) : s.email_greeting;
  const contact = input.clinic ? [input.clinic.name, input.clinic.phone, input.clinic.website].filter(Boolean).join(' · ') : null;
  const paragraphs = [
    greeting,
    fill(s.email_intro, { title }),
    ...(input.summary ? [oneLine(input.summary)] : []),
    s.email_stop_reminder,
    [s.email_signoff, ...(contact ? [contact] : [])].join('\n'),
  ];
  return {
    from,
    to,
    subject: fill(s.email_subject, { title }),
    text: `${paragraphs.join('\n\n')}\n`,
    html: `<!DOCTYPE html><html><body style="font-family:sans-serif;line-height:1.5">${paragraphs
      .map((p, i) => (i === 3 ? `<p><strong>${escapeHtml(p)}</strong></p>` : `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`))
      .join('')}</body></html>`,
    attachments: [{ filename: friendlyName(title), content: await readFile(input.pdfPath), contentType: 'application/pdf' }],
  };
}

/** "How Do I Crack My Lower Back For My Partner?" → "How Do I Crack My Lower Back For My Partner.pdf" */
export function friendlyName(title: string): string {
  const name = title
    .replace(/[\\/:*?"<>|\u0000-\u001f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 80);
  return `${name || 'handout'}.pdf`;
}

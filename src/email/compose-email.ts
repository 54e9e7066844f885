/**
 * A short, localized message to a patient with their verified handout attached.
 * Header fields are built from validated values only; nodemailer encodes them, and any
 * CR or LF is refused before that, so no field can inject a header.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { HandoutError } from '../errors.js';
import { fill } from '../i18n/format-hold.js';
import type { CatalogStrings } from '../i18n/load-catalog.js';
import { compile, readTemplate, type TemplateFn } from '../render/compile-template.js';
import { BUILT_IN_TEMPLATES_DIR, findTemplateFile } from '../shared/template-files.js';

export interface EmailInput {
  to: string;
  /** The sender's plain address; the clinic's name, when there is a clinic, is shown with it. */
  from: string;
  /** The catalog's language (BCP 47), for the HTML part's lang=. */
  locale?: string;
  /** The handout as the catalog language presents it. */
  title: string;
  summary: string | null;
  patient: string | null;
  clinic: { name: string; phone: string | null; website: string | null } | null;
  strings: CatalogStrings;
  /** The verified sheets, in order: one, or each sheet of a program printed as several. */
  pdfPaths: string[];
  maxBytes: number;
  /** The clinic's templates folder, for its own email/message.hbs (else the built-in one). */
  templatesDir?: string;
}

export interface ComposedEmail {
  /** The sender as a reader sees it: "Clinic name <address>", or the bare address. */
  from: string;
  /**
   * The same sender as nodemailer takes it (send-email.ts), so the name is quoted or
   * MIME-encoded there whatever characters it holds; name is '' without a clinic.
   */
  fromAddress: { name: string; address: string };
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
    throw new HandoutError('USAGE', 'badAddress', { field, address: address.replace(/[\r\n]/g, '\\n') });
  }
  return address;
}

/** One paragraph of the message: lines of words and values (a value is set apart from the words around it). */
interface Paragraph {
  lines: Array<Array<{ text: string; value: boolean }>>;
  emphasis: boolean;
}

/** A catalog sentence with its {placeholders} filled, the values marked as such. */
function words(sentence: string, values: Record<string, string>): Paragraph {
  const lines = sentence.split('\n').map((line) =>
    line
      .split(/(\{\w+\})/)
      .filter((piece) => piece !== '')
      .map((piece) => {
        const name = /^\{(\w+)\}$/.exec(piece)?.[1];
        return name !== undefined && name in values ? { text: values[name]!, value: true } : { text: piece, value: false };
      }),
  );
  return { lines, emphasis: false };
}

/** templates/email/message.hbs: the clinic's own if it has one, else the built-in one. */
async function emailTemplate(templatesDir: string | undefined): Promise<TemplateFn> {
  const file = findTemplateFile(templatesDir ?? BUILT_IN_TEMPLATES_DIR, 'email/message.hbs') ?? path.join(BUILT_IN_TEMPLATES_DIR, 'email/message.hbs');
  const hb = (await import('handlebars')).default.create();
  return compile(hb, await readTemplate(file), file);
}

const formatSize = (bytes: number) => (bytes >= 2 ** 20 ? `${(bytes / 2 ** 20).toFixed(1).replace(/\.0$/, '')} MB` : `${Math.ceil(bytes / 1024)} KB`);
const oneLine = (text: string) => text.replace(/[\r\n\t]+/g, ' ').replace(/\s+/g, ' ').trim();

export async function composeEmail(input: EmailInput): Promise<ComposedEmail> {
  const to = checkAddress(input.to, '--to');
  const from = checkAddress(input.from, 'sender');
  if (input.pdfPaths.length === 0) throw new HandoutError('INTERNAL', 'nothingToAttach');
  const size = (await Promise.all(input.pdfPaths.map((pdf) => stat(pdf)))).reduce((sum, s) => sum + s.size, 0);
  if (size > input.maxBytes) {
    // Not a usage mistake nor a content error: the sheet was built and verified, but is
    // too large to send as e-mail (nothing was sent; the same exit code as a refused send).
    throw new HandoutError('EMAIL', 'tooLarge', { size: formatSize(size), limit: formatSize(input.maxBytes) }, { where: { file: input.pdfPaths[0]! } });
  }
  const s = input.strings;
  // Catalogs always say; a partial one (tests) is left to right.
  const dir = s.dir === 'rtl' ? 'rtl' : 'ltr';
  const title = oneLine(input.title);
  const patient = input.patient ? oneLine(input.patient) : null;
  const contact = input.clinic ? [input.clinic.name, input.clinic.phone, input.clinic.website].filter((v): v is string => !!v).map(oneLine) : [];
  const summary = input.summary ? oneLine(input.summary) : null;
  const name = input.clinic ? oneLine(input.clinic.name) : '';

  // Each paragraph as the catalog's sentences with the values set apart, so the text part
  // and the HTML template isolate them from the words around them (a Latin title's "?"
  // stays with it in Arabic).
  const paragraphs: Paragraph[] = [
    words(patient ? s.email_greeting_named : s.email_greeting, { name: patient ?? '' }),
    words(s.email_intro, { title }),
    ...(summary ? [words(summary, {})] : []),
    { ...words(s.email_stop_reminder, {}), emphasis: true },
    { lines: [...words(s.email_signoff, {}).lines, ...(contact.length ? [contact.flatMap((v, i) => [...(i ? [{ text: ' · ', value: false }] : []), { text: v, value: true }])] : [])], emphasis: false },
  ];
  const plain = paragraphs.map((p) => p.lines.map((line) => line.map((part) => (part.value ? isolateText(part.text, dir) : part.text)).join('')).join('\n'));
  const subject = fill(s.email_subject, { title });
  const template = await emailTemplate(input.templatesDir);
  return {
    from: name ? `${name} <${from}>` : from,
    fromAddress: { name, address: from },
    to,
    subject,
    text: `${plain.map((p) => startAs(p, dir)).join('\n\n')}\n`,
    html: template({ lang: input.locale ?? null, dir, subject, paragraphs }),
    attachments: await Promise.all(
      input.pdfPaths.map(async (pdf, i) => ({
        // Several sheets keep their order in a mail client's list: "Title 1.pdf", "Title 2.pdf".
        filename: friendlyName(title, input.pdfPaths.length > 1 ? i + 1 : null),
        content: await readFile(pdf),
        contentType: 'application/pdf' as const,
      })),
    ),
  };
}

/*
 * Plain text has no markup to say which way it runs. Readers that follow Unicode's bidi
 * algorithm take each line's direction from its first letter (rules P2-P3); others, like
 * Chromium's text viewer, run every line left to right, which scrambles an Arabic
 * sentence around "PDF" (its second half lands on the right). So, only where it is needed:
 * - a value (title, name, phone…) holding characters of the other direction, or digits in
 *   a right-to-left message, is set apart between FSI and PDI (first-strong isolate), so a
 *   Latin title's "?" stays with it;
 * - each line of a right-to-left message is a right-to-left isolate (RLI…PDI), read right to
 *   left even by a left-to-right reader, after a RIGHT-TO-LEFT MARK that tells a reader
 *   following the first letter that the line is right to left (it skips isolates).
 * A left-to-right message of Latin values is left exactly as written.
 */
/** Hebrew, Arabic, Syriac, Thaana, N'Ko… and their presentation forms. */
const RTL = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\u{10800}-\u{10fff}\u{1e800}-\u{1efff}]/u;
const RTL_ALL = new RegExp(RTL.source, 'gu');
const FSI = '\u2068';
const RLI = '\u2067';
const PDI = '\u2069';
const RLM = '\u200f';

function isolateText(value: string, dir: 'ltr' | 'rtl'): string {
  const other = dir === 'rtl' ? /[\p{L}\p{N}]/u.test(value.replace(RTL_ALL, '')) : RTL.test(value);
  return other ? `${FSI}${value}${PDI}` : value;
}

function startAs(paragraph: string, dir: 'ltr' | 'rtl'): string {
  if (dir === 'ltr') return paragraph;
  return paragraph
    .split('\n')
    .map((line) => `${RLM}${RLI}${line}${PDI}`)
    .join('\n');
}

/** "How Do I Crack My Lower Back For My Partner?" → "How Do I Crack My Lower Back For My Partner.pdf" */
export function friendlyName(title: string, sheet: number | null = null): string {
  const name = title
    .replace(/[\\/:*?"<>|\u0000-\u001f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 80);
  return `${name || 'handout'}${sheet === null ? '' : ` ${sheet}`}.pdf`;
}

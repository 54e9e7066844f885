/**
 * Delivery: the SMTP server comes only from the environment (HANDOUT_SMTP_URL), never
 * from content files, and its address and password are never printed. Failures say what
 * happened in words: refused, rejected by the server, or cut off.
 */
import nodemailer from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { HandoutError } from '../errors.js';
import type { ComposedEmail } from './compose-email.js';

/**
 * What nodemailer sends: the sender as a name and an address, so the clinic's name is
 * quoted or MIME-encoded (RFC 2047) as it needs, whatever characters it holds.
 */
function mailOptions(message: ComposedEmail) {
  const { fromAddress, to, subject, text, html, attachments } = message;
  return { from: fromAddress.name ? fromAddress : fromAddress.address, to, subject, text, html, attachments };
}

/** The message as an .eml file (RFC 5322), exactly as it would be sent. */
export async function toEml(message: ComposedEmail): Promise<Buffer> {
  return new MailComposer(mailOptions(message)).compile().build();
}

export async function sendEmail(message: ComposedEmail, smtpUrl: string | undefined): Promise<string> {
  if (!smtpUrl) {
    throw new HandoutError('USAGE', 'no SMTP server configured: set HANDOUT_SMTP_URL (e.g. smtps://user:password@mail.example.org)', {
      hint: 'The server is read only from the environment, so no password is ever kept in content files.',
    });
  }
  let server: string;
  try {
    const url = new URL(smtpUrl);
    server = `${url.hostname}:${url.port || (url.protocol === 'smtps:' ? 465 : 587)}`;
  } catch {
    throw new HandoutError('USAGE', 'HANDOUT_SMTP_URL is not a valid URL (expected smtp://… or smtps://…)');
  }
  const transport = nodemailer.createTransport(smtpUrl, { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 30_000 });
  try {
    const info = await transport.sendMail(mailOptions(message));
    return `${server} accepted it (${info.response})`;
  } catch (err) {
    const e = err as Error & { code?: string; responseCode?: number; response?: string };
    const why =
      e.code === 'ECONNREFUSED' || /ECONNREFUSED/.test(e.message)
        ? 'the connection was refused'
        : e.responseCode
          ? `the server answered ${e.response ?? e.responseCode}`
          : e.code === 'ETIMEDOUT'
            ? 'the server did not answer in time'
            : `the connection failed (${e.message.replace(/\s+/g, ' ').slice(0, 120)})`;
    throw new HandoutError('EMAIL', `could not send the message through ${server}: ${why}`, { cause: err });
  } finally {
    transport.close();
  }
}

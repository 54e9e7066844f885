/**
 * Delivery: the SMTP server comes only from the environment (HANDOUT_SMTP_URL), never
 * from content files, and its address and password are never printed. Failures say what
 * happened in words: refused, rejected by the server, cut off, or silent for too long.
 *
 * A clinician waits at the desk while this runs, so no step may take longer than
 * HANDOUT_SMTP_TIMEOUT seconds (20 by default, instead of nodemailer's own 2 and 10
 * minutes): setting the session up (DNS, connecting, TLS, the greeting and STARTTLS, in
 * all), and each reply of the server after that, the one that confirms the message
 * included. A healthy submission server needs well under a second for each.
 */
import nodemailer from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { HandoutError } from '../errors.js';
import type { ComposedEmail } from './compose-email.js';

/** How long a step of the SMTP exchange may take, unless HANDOUT_SMTP_TIMEOUT says otherwise. */
export const DEFAULT_SMTP_TIMEOUT_SECONDS = 20;

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

/** HANDOUT_SMTP_TIMEOUT, in milliseconds: a number of seconds, above 0 and at most 600. */
export function smtpTimeoutMs(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return DEFAULT_SMTP_TIMEOUT_SECONDS * 1000;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 600) {
    throw new HandoutError('USAGE', 'smtpTimeout', { value, seconds: DEFAULT_SMTP_TIMEOUT_SECONDS });
  }
  return Math.round(seconds * 1000);
}

/** What nodemailer's errors carry that says what failed (nodemailer 10). */
type SmtpError = Error & {
  code?: string;
  originalCode?: string;
  responseCode?: number;
  response?: string;
  timeoutType?: 'CONNECT_TIMEOUT' | 'GREETING_TIMEOUT' | 'UPGRADE_TIMEOUT' | 'SOCKET_TIMEOUT';
};

/**
 * Follows the SMTP exchange through nodemailer's transaction log, keeping only the names
 * of the commands (never their arguments: addresses, credentials), to tell which reply a
 * silent server owes: the greeting, the reply to a command, or the one that confirms the
 * message once all of it was sent.
 */
class Exchange {
  private greeted = false;
  /** The commands sent and not answered yet, oldest first (several with PIPELINING). */
  private readonly waiting: string[] = [];
  /** When the client last sent or received anything. */
  lastActivity = performance.now();

  /** A bunyan-style logger for nodemailer's `logger` option, with `transactionLog`. */
  readonly logger = {
    // A command sent ('client') or a reply received ('server'), one a line.
    debug: (entry: { tnx?: string }, line?: unknown) => {
      if (entry?.tnx === 'server') {
        this.lastActivity = performance.now();
        if (this.greeted) this.waiting.shift();
        this.greeted = true;
      } else if (entry?.tnx === 'client') {
        this.lastActivity = performance.now();
        this.waiting.push(commandName(String(line ?? '')));
      }
    },
    // 'message': the whole message has been written to the server.
    info: (entry: { tnx?: string }) => {
      if (entry?.tnx !== 'message') return;
      this.lastActivity = performance.now();
      this.waiting.push('the message');
    },
    // Named, so that nodemailer does not hand these levels to debug or info instead.
    trace: () => {},
    warn: () => {},
    error: () => {},
    fatal: () => {},
  };

  /** The reply the server did not send: "the greeting", "MAIL FROM", "the message"… */
  get owed(): string | undefined {
    return this.greeted ? this.waiting[0] : 'the greeting';
  }
}

/** A command's name alone; anything else sent (the lines of a login) counts as AUTH. */
function commandName(line: string): string {
  const m = /^(MAIL FROM|RCPT TO|EHLO|HELO|LHLO|STARTTLS|AUTH|DATA|RSET|NOOP|QUIT)\b/i.exec(line);
  return m ? m[1]!.toUpperCase() : 'AUTH';
}

/** 2 s, 1.5 s, 20 s */
function seconds(ms: number): string {
  return ms < 9_950 ? `${Number((ms / 1000).toFixed(1))} s` : `${Math.round(ms / 1000)} s`;
}

/** The error a timeout becomes: the step that timed out, after how long, and whether anything was sent. */
function timeoutError(e: SmtpError, server: string, exchange: Exchange, startedAt: number, limitMs: number): HandoutError {
  const now = performance.now();
  const limit = `each step may take ${seconds(limitMs)} (HANDOUT_SMTP_TIMEOUT)`;
  const owed =
    e.timeoutType === 'CONNECT_TIMEOUT'
      ? 'connecting'
      : e.timeoutType === 'GREETING_TIMEOUT'
        ? 'the greeting'
        : e.timeoutType === 'UPGRADE_TIMEOUT'
          ? 'STARTTLS'
          : exchange.owed;
  // Connecting, the greeting and STARTTLS are timed from the start; an answer, from the last
  // thing sent or received.
  const after = seconds(now - (owed === 'connecting' || owed === 'the greeting' || owed === 'STARTTLS' ? startedAt : exchange.lastActivity));
  if (owed === 'the message') {
    // All of it went out: the server may have taken it and only failed to say so.
    return new HandoutError('EMAIL', 'unconfirmed', { server, after, limit }, { cause: e });
  }
  const said = { server, after, limit };
  return owed === 'connecting'
    ? new HandoutError('EMAIL', 'timedOutConnecting', said, { cause: e })
    : owed === 'the greeting'
      ? new HandoutError('EMAIL', 'timedOutGreeting', said, { cause: e })
      : owed === 'STARTTLS'
        ? new HandoutError('EMAIL', 'timedOutStarttls', said, { cause: e })
        : new HandoutError('EMAIL', 'timedOutAnswer', { ...said, toWhat: owed ? ` to ${owed}` : '' }, { cause: e });
}

export async function sendEmail(message: ComposedEmail, smtpUrl: string | undefined): Promise<string> {
  if (!smtpUrl) {
    throw new HandoutError('USAGE', 'noSmtp');
  }
  let server: string;
  try {
    const url = new URL(smtpUrl);
    server = `${url.hostname}:${url.port || (url.protocol === 'smtps:' ? 465 : 587)}`;
  } catch {
    throw new HandoutError('USAGE', 'smtpUrl');
  }
  const timeout = smtpTimeoutMs(process.env.HANDOUT_SMTP_TIMEOUT);
  const exchange = new Exchange();
  // Transport options, next to the URL: the second argument of createTransport holds
  // message defaults, where timeouts do nothing. In nodemailer 10 connectionTimeout bounds
  // the whole set-up (DNS, connecting, TLS, the greeting, STARTTLS) and greetingTimeout is
  // cut short by what is left of it; socketTimeout is the silence allowed once connected.
  const transport = nodemailer.createTransport({
    url: smtpUrl,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    // Done or failed, drop the connection at once: waiting for a silent server to close
    // its side (5 s by default) would only keep the clinician waiting.
    socketCloseTimeout: 0,
    logger: exchange.logger,
    transactionLog: true,
  });
  const startedAt = performance.now();
  try {
    const info = await transport.sendMail(mailOptions(message));
    return `${server} accepted it (${info.response})`;
  } catch (err) {
    const e = err as SmtpError;
    if (e.code === 'ETIMEDOUT') throw timeoutError(e, server, exchange, startedAt, timeout);
    throw e.originalCode === 'ECONNREFUSED' || e.code === 'ECONNREFUSED' || /ECONNREFUSED/.test(e.message)
      ? new HandoutError('EMAIL', 'refused', { server }, { cause: err })
      : e.responseCode
        ? new HandoutError('EMAIL', 'answered', { server, answer: e.response ?? e.responseCode }, { cause: err })
        : new HandoutError('EMAIL', 'connectionFailed', { server, detail: e.message.replace(/\s+/g, ' ').slice(0, 120) }, { cause: err });
  } finally {
    transport.close();
  }
}

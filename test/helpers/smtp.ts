/**
 * A real SMTP server on loopback (smtp-server) that keeps every message it is sent, parsed
 * (mailparser): what `handout email`, `handout program --to` and the composer send to.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface LocalSmtp {
  port: number;
  /** Every message accepted, in order. */
  received: ParsedMail[];
  /** Refuse the next recipients (550) while true. */
  refuse: { recipients: boolean };
  close(): Promise<void>;
}

export async function startSmtpServer(): Promise<LocalSmtp> {
  const received: ParsedMail[] = [];
  const refuse = { recipients: false };
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username });
    },
    onRcptTo(_address, _session, callback) {
      if (refuse.recipients) return callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
      callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream).then((mail) => {
        received.push(mail);
        callback();
      }, callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    received,
    refuse,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * `handout email` against a real SMTP server on loopback (smtp-server): the message that
 * arrives parses, carries the verified PDF byte for byte, and failures read clearly. A
 * handout that does not build is reported as `build` reports it (exit 1, never [USAGE]).
 */
import { access, readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT, copyInto, removeDir, runCli, tempDir } from '../helpers/cli.js';
import { simpleParser } from 'mailparser';
import { inlineLibrary } from '../helpers/library.js';
import { startSmtpServer, type LocalSmtp } from '../helpers/smtp.js';

describe('handout email', () => {
  let dir: string;
  let smtp: LocalSmtp;
  let port: number;
  let received: LocalSmtp['received'];

  beforeAll(async () => {
    dir = await tempDir();
    smtp = await startSmtpServer();
    ({ port, received } = smtp);
  });
  afterAll(async () => {
    await smtp.close();
    await removeDir(dir);
  });

  const email = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    runCli(['email', 'lower-back-relief', '--out', path.join(dir, 'out'), ...args], { env });

  it('shows the message without sending it by default', async () => {
    const run = await email(['--to', 'patient@example.test', '--locale', 'es'], { HANDOUT_SMTP_URL: `smtp://127.0.0.1:${port}` });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Subject: Su hoja de ejercicios: ¿Cómo puedo hacerle crujir la zona lumbar a mi pareja?');
    expect(run.stdout).toContain('(dry run: nothing sent');
    expect(received).toHaveLength(0);
  });

  it('delivers the Spanish PDF, byte for byte, through HANDOUT_SMTP_URL', async () => {
    const secret = 's3cret-password';
    const run = await email(['--to', 'patient@example.test', '--locale', 'es', '--send'], { HANDOUT_SMTP_URL: `smtp://user:${secret}@127.0.0.1:${port}` });
    expect(run.stderr).not.toContain('✗');
    expect(run.code).toBe(0);
    expect(`${run.stdout}${run.stderr}`).not.toContain(secret);
    expect(received).toHaveLength(1);
    const mail = received[0]!;
    expect(mail.subject).toBe('Su hoja de ejercicios: ¿Cómo puedo hacerle crujir la zona lumbar a mi pareja?');
    expect(mail.text).toContain('Interrumpa cualquier ejercicio que le cause dolor');
    expect(mail.html).toContain('<strong>');
    const [attachment] = mail.attachments;
    expect(attachment?.contentType).toBe('application/pdf');
    expect(attachment?.filename).toBe('¿Cómo puedo hacerle crujir la zona lumbar a mi pareja.pdf');
    expect(attachment!.content.equals(await readFile(path.join(dir, 'out/es/lower-back-relief.pdf')))).toBe(true);
  });

  it('writes the message as an .eml file', async () => {
    const eml = path.join(dir, 'message.eml');
    const run = await email(['--to', 'patient@example.test', '--eml', eml]);
    expect(run.code).toBe(0);
    const mail = await simpleParser(await readFile(eml));
    expect(mail.to && 'text' in mail.to ? mail.to.text : '').toBe('patient@example.test');
    expect(mail.attachments[0]!.content.equals(await readFile(path.join(dir, 'out/en/lower-back-relief.pdf')))).toBe(true);
  });

  it('refuses an invalid address, or one carrying a header, before connecting', async () => {
    for (const to of ['not-an-address', 'patient@example.test\r\nBcc: spy@example.test']) {
      const run = await email(['--to', to, '--send'], { HANDOUT_SMTP_URL: `smtp://127.0.0.1:${port}` });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('is not a valid e-mail address');
    }
    expect(received).toHaveLength(1);
  });

  describe('a handout that does not build', () => {
    let ws: string;
    beforeAll(async () => {
      ws = path.join(dir, 'ws');
      await copyInto(CONTENT, path.join(ws, 'content'));
      const source = await inlineLibrary(await readFile(path.join(ws, 'content/en/knee-to-chest.yaml'), 'utf8'), path.join(ws, 'content'), 'en');
      // Far too long for one page, even at the smallest type.
      const steps = Array.from({ length: 20 }, (_, i) => `      - Step ${i + 1}, ${'keep breathing slowly and evenly while you hold the position. '.repeat(6)}`).join('\n');
      await writeFile(path.join(ws, 'content/en/too-long.yaml'), source.replace(/    steps:\n(      - .*\n)+/, `    steps:\n${steps}\n`));
      await writeFile(path.join(ws, 'content/en/no-picture.yaml'), source.replace('illustration: double-knee-to-chest', 'illustration: no-such-picture'));
    });

    const failedLines = (stderr: string) => stderr.split('\n').filter((line) => line.startsWith('✗ ') || line.startsWith('  hint: '));
    const exists = (file: string) => access(file).then(() => true, () => false);

    it.each([
      // Build's own wording is checked in verifier.test.ts; here, that email prints the same.
      ['too-long', /^✗ content\/en\/too-long\.yaml: does not fit on one Letter page\b.* \[NOT_ONE_PAGE\]$/m],
      ['no-picture', /^✗ content\/en\/no-picture\.yaml:\d+:\d+: illustration "no-such-picture" not found .* \[ASSET_MISSING\]$/m],
    ])('%s: reports the content error as build does, exits 1, writes and sends nothing', async (slug, expected) => {
      const eml = path.join(ws, `${slug}.eml`);
      const sent = received.length;
      const args = ['--content', 'content', '--patient', 'Jane Doe'];
      const run = await runCli(['email', slug, ...args, '--out', 'out-email', '--to', 'patient@example.test', '--eml', eml, '--send'], {
        cwd: ws,
        env: { HANDOUT_SMTP_URL: `smtp://127.0.0.1:${port}` },
      });
      const build = await runCli(['build', ...args, '--out', 'out-build', '--only', slug, '--locale', 'en'], { cwd: ws });
      expect(build.code).toBe(1);
      expect(build.stderr).toMatch(expected);

      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(expected);
      // The same lines, hint included, as the build prints.
      expect(failedLines(run.stderr)).toEqual(failedLines(build.stderr));
      expect(failedLines(run.stderr).some((line) => line.startsWith('  hint: '))).toBe(true);
      expect(run.stderr).not.toContain('[USAGE]');
      expect(run.stderr).not.toContain('--help');
      expect(run.stderr).toContain(`nothing e-mailed: no message for en/${slug} was shown, written or sent`);
      expect(run.stdout).not.toContain('Subject:');
      expect(await exists(eml)).toBe(false);
      expect(received).toHaveLength(sent);
    });

    it('reports a sender in clinic.yaml that mail refuses at its line in clinic.yaml, exit 1', async () => {
      // The schema's e-mail check lets a label ending in "-" through; an SMTP server would not.
      await copyInto(path.join(ws, 'content'), path.join(ws, 'bad-sender'));
      const clinic = path.join(ws, 'bad-sender/clinic.yaml');
      await writeFile(clinic, (await readFile(clinic, 'utf8')).replace(/^email: .*$/m, 'email: desk@riverside-.example'));
      const run = await runCli(['email', 'lower-back-relief', '--content', 'bad-sender', '--out', 'out-sender', '--to', 'patient@example.test'], { cwd: ws });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^✗ bad-sender\/clinic\.yaml:\d+:\d+: email: "desk@riverside-\.example" cannot be used as the sender of an e-mail \[SCHEMA\]$/m);
      expect(run.stdout).not.toContain('Subject:');
    });

    it('reports a handout that does not exist as build --only does (NO_CONTENT, exit 1)', async () => {
      const run = await runCli(['email', 'no-such-handout', '--content', 'content', '--out', 'out-email', '--to', 'patient@example.test'], { cwd: ws });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('✗ content: no handout named "no-such-handout" in locale en [NO_CONTENT]');
      expect(run.stderr).not.toContain('[USAGE]');
    });
  });

  it('says clearly when the server refuses the connection, rejects the message, or hangs up', async () => {
    const refused = await email(['--to', 'patient@example.test', '--send'], { HANDOUT_SMTP_URL: 'smtp://127.0.0.1:1' });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('could not send the message through 127.0.0.1:1: the connection was refused');

    smtp.refuse.recipients = true;
    const rejected = await email(['--to', 'patient@example.test', '--send'], { HANDOUT_SMTP_URL: `smtp://127.0.0.1:${port}` });
    smtp.refuse.recipients = false;
    expect(rejected.code).toBe(2);
    expect(rejected.stderr).toMatch(/could not send the message through 127\.0\.0\.1:\d+: the server answered 550/);

    // Greets, then hangs up as soon as the client speaks.
    const dropper = net.createServer((socket) => {
      socket.write('220 flaky.test ESMTP\r\n');
      socket.once('data', () => socket.destroy());
    });
    await new Promise<void>((resolve) => dropper.listen(0, '127.0.0.1', resolve));
    const dropped = await email(['--to', 'patient@example.test', '--send'], {
      HANDOUT_SMTP_URL: `smtp://127.0.0.1:${(dropper.address() as AddressInfo).port}`,
    });
    dropper.close();
    expect(dropped.code).toBe(2);
    expect(dropped.stderr).toMatch(/could not send the message through 127\.0\.0\.1:\d+: the connection failed \(Connection closed unexpectedly\)/);
    expect(received).toHaveLength(1);
  });
});

/**
 * `handout program --to`: a personal program printed and then e-mailed as `handout email`
 * does it, from a saved program and from library ids, in en, es and ar (written as
 * .eml; es also sent to a real SMTP server on loopback; ar right to left). The attachment is the verified PDF
 * in the private folder, byte for byte; the terminal shows the message with the patient's
 * name hidden; --eml or --send without --to is a usage error, before anything is printed.
 */
import { readFileSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CONTENT, removeDir, runCli, tempDir, TEMPLATES } from '../helpers/cli.js';
import { startSmtpServer, type LocalSmtp } from '../helpers/smtp.js';

const catalog = (locale: string) => parse(readFileSync(path.join(TEMPLATES, 'locales', `${locale}.yaml`), 'utf8')) as Record<string, string>;

const SAVED: Record<string, string> = {
  es: 'title: "Espalda: semana 1"\nexercises:\n  - exercise: supine-spinal-twist\n    reps: 4\n',
  ar: 'title: برنامج الظهر\nexercises:\n  - exercise: supine-spinal-twist\n    reps: 5\n',
};

describe('handout program --to', () => {
  let dir: string;
  let smtp: LocalSmtp;
  let port: number;
  let received: LocalSmtp['received'];

  beforeAll(async () => {
    dir = await tempDir('handout-program-email-');
    // The shipped content, with a saved program in es and in ar (it ships one in en).
    await cp(CONTENT, path.join(dir, 'content'), { recursive: true });
    for (const [locale, text] of Object.entries(SAVED)) {
      await mkdir(path.join(dir, 'content', 'programs', locale), { recursive: true });
      await writeFile(path.join(dir, 'content', 'programs', locale, 'espalda-1.yaml'), text);
    }
    smtp = await startSmtpServer();
    ({ port, received } = smtp);
  });
  afterAll(async () => {
    await smtp.close();
    await removeDir(dir);
  });

  const program = (args: string[]) =>
    runCli(['program', '--content', 'content', '--private-out', path.join(dir, 'private'), ...args], { cwd: dir, env: { HANDOUT_SMTP_URL: `smtp://127.0.0.1:${port}` } });

  /** The one PDF printed for a locale whose name starts so. */
  async function printed(locale: string, start: string): Promise<Buffer> {
    const folder = path.join(dir, 'private', 'programs', locale);
    const files = (await readdir(folder)).filter((f) => f.startsWith(start) && f.endsWith('.pdf'));
    expect(files).toHaveLength(1);
    return readFile(path.join(folder, files[0]!));
  }

  it('en: prints the saved program and writes the message with the verified PDF attached (.eml)', async () => {
    const patient = 'María López';
    const eml = path.join(dir, 'en.eml');
    const run = await program(['low-back-week-1', '--patient', patient, '--date', '2026-12-05', '--to', 'maria@example.org', '--eml', eml]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Subject: Your exercise handout: Low back pain: week 1');
    expect(run.stdout).toContain('Hello (patient),');
    expect(`${run.stdout}${run.stderr}`).not.toContain(patient);
    expect(received).toHaveLength(0);
    const mail = await simpleParser(await readFile(eml));
    expect(mail.subject).toBe('Your exercise handout: Low back pain: week 1');
    expect(mail.text).toContain(`Hello ${patient},`);
    expect(mail.text).toContain(catalog('en').email_stop_reminder);
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0]!.contentType).toBe('application/pdf');
    expect(mail.attachments[0]!.content.equals(await printed('en', 'low-back-week-1--'))).toBe(true);
  });

  it('es: prints library exercises and sends the message through HANDOUT_SMTP_URL (--send)', async () => {
    const run = await program(['supine-spinal-twist:reps=4', '--locale', 'es', '--patient', 'Lucía Fernández', '--to', 'lucia@example.org', '--send']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^sent: /m);
    expect(received).toHaveLength(1);
    const mail = received[0]!;
    expect(mail.subject).toBe(catalog('es').email_subject!.replace('{title}', catalog('es').program_title!));
    expect(mail.text).toContain('Lucía Fernández');
    expect(mail.attachments[0]!.content.equals(await printed('es', 'exercises-'))).toBe(true);
  });

  it('ar: the message runs right to left, with the sheet attached', async () => {
    const eml = path.join(dir, 'ar.eml');
    const run = await program(['supine-spinal-twist:reps=3', '--locale', 'ar', '--patient', 'فاطمة حسن', '--to', 'fatima@example.org', '--eml', eml]);
    expect(run.code, run.stderr).toBe(0);
    const mail = await simpleParser(await readFile(eml));
    expect(mail.subject).toBe(catalog('ar').email_subject!.replace('{title}', catalog('ar').program_title!));
    expect(mail.html || '').toMatch(/<html lang="ar" dir="rtl">/);
    expect(mail.text).toContain('فاطمة حسن');
    expect(mail.attachments[0]!.content.equals(await printed('ar', 'exercises-'))).toBe(true);
  });

  it.each([
    ['es', 'Espalda: semana 1', 'Jorge Ruiz'],
    ['ar', 'برنامج الظهر', 'محمد علي'],
  ])('%s: a saved program, e-mailed as .eml with its title in the subject', async (locale, title, patient) => {
    const eml = path.join(dir, `${locale}-saved.eml`);
    const run = await program(['espalda-1', '--locale', locale, '--patient', patient, '--to', 'p@example.org', '--eml', eml]);
    expect(run.code, run.stderr).toBe(0);
    expect(`${run.stdout}${run.stderr}`).not.toContain(patient);
    const mail = await simpleParser(await readFile(eml));
    expect(mail.subject).toBe(catalog(locale).email_subject!.replace('{title}', title));
    expect(mail.text).toContain(patient);
    expect(mail.attachments[0]!.content.equals(await printed(locale, 'espalda-1--'))).toBe(true);
  });

  it('en: library ids, e-mailed as .eml', async () => {
    const eml = path.join(dir, 'en-ids.eml');
    const run = await program(['knee-to-chest:reps=4', 'pelvic-tilt', '--patient', 'John Q. Smith', '--to', 'john@example.org', '--eml', eml]);
    expect(run.code, run.stderr).toBe(0);
    const mail = await simpleParser(await readFile(eml));
    expect(mail.subject).toBe(catalog('en').email_subject!.replace('{title}', catalog('en').program_title!));
    expect(mail.attachments[0]!.content.equals(await printed('en', 'exercises-'))).toBe(true);
  });

  it('refuses --eml or --send without --to before printing anything', async () => {
    const run = await program(['knee-to-chest', '--patient', 'Ann Lee', '--send']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--send needs --to');
    expect((await readdir(path.join(dir, 'private', 'programs', 'en'))).some((f) => f.startsWith('knee-to-chest'))).toBe(false);
  });
});

import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkAddress, composeEmail, friendlyName } from '../../src/email/compose-email.js';
import type { CatalogStrings } from '../../src/i18n/load-catalog.js';

const strings = {
  email_subject: 'Your exercise handout: {title}',
  email_greeting_named: 'Hello {name},',
  email_greeting: 'Hello,',
  email_intro: 'Your handout "{title}" is attached.',
  email_stop_reminder: 'Stop any exercise that causes pain.',
  email_signoff: 'Kind regards,',
} as CatalogStrings;

describe('composing an e-mail', () => {
  it('refuses an attachment over the size limit before anything is sent', async () => {
    const pdf = path.join(os.tmpdir(), `handout-big-${process.pid}.pdf`);
    await writeFile(pdf, Buffer.alloc(2048));
    await expect(
      composeEmail({ to: 'a@example.test', from: 'b@example.test', title: 'T', summary: null, patient: null, clinic: null, strings, pdfPath: pdf, maxBytes: 1024 }),
    ).rejects.toThrow('the PDF is 2 KB, over the 1 KB limit for e-mail');
  });

  it('keeps every header on one line: names and titles with line breaks are flattened, addresses refused', async () => {
    const pdf = path.join(os.tmpdir(), `handout-small-${process.pid}.pdf`);
    await writeFile(pdf, '%PDF-1.4');
    const mail = await composeEmail({
      to: 'a@example.test',
      from: 'b@example.test',
      title: 'Knee\r\nBcc: spy@example.test',
      summary: null,
      patient: 'Jane\nDoe',
      clinic: null,
      strings,
      pdfPath: pdf,
      maxBytes: 1024,
    });
    expect(mail.subject).toBe('Your exercise handout: Knee Bcc: spy@example.test');
    expect(mail.text.startsWith('Hello Jane Doe,')).toBe(true);
    expect(() => checkAddress('a@example.test\r\nBcc: spy@example.test', '--to')).toThrow(/not a valid e-mail address/);
    expect(friendlyName('A/B: "x"?')).toBe('A B x.pdf');
  });
});

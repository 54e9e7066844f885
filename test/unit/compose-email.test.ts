import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
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
      composeEmail({ to: 'a@example.test', from: 'b@example.test', title: 'T', summary: null, patient: null, clinic: null, strings, pdfPaths: [pdf], maxBytes: 1024 }),
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
      pdfPaths: [pdf],
      maxBytes: 1024,
    });
    expect(mail.subject).toBe('Your exercise handout: Knee Bcc: spy@example.test');
    expect(mail.text.startsWith('Hello Jane Doe,')).toBe(true);
    expect(() => checkAddress('a@example.test\r\nBcc: spy@example.test', '--to')).toThrow(/not a valid e-mail address/);
    expect(friendlyName('A/B: "x"?')).toBe('A B x.pdf');
  });

  it("takes the HTML part from the clinic's email/message.hbs when it has one, escaping every value", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'handout-email-template-'));
    try {
      const pdf = path.join(dir, 'sheet.pdf');
      await writeFile(pdf, '%PDF-1.4');
      await mkdir(path.join(dir, 'templates/email'), { recursive: true });
      await writeFile(
        path.join(dir, 'templates/email/message.hbs'),
        '<!DOCTYPE html><html lang="{{lang}}"><body><h1>Sunrise Physio</h1>{{#each paragraphs}}<p>{{#each lines}}{{#each this}}{{text}}{{/each}}{{/each}}</p>{{/each}}</body></html>',
      );
      const input = { to: 'a@example.test', from: 'b@example.test', locale: 'en', title: 'Knee <b>hug</b>', summary: null, patient: 'Jo & Co', clinic: null, strings, pdfPaths: [pdf], maxBytes: 1024 };
      const own = await composeEmail({ ...input, templatesDir: path.join(dir, 'templates') });
      expect(own.html).toBe(
        '<!DOCTYPE html><html lang="en"><body><h1>Sunrise Physio</h1><p>Hello Jo &amp; Co,</p><p>Your handout &quot;Knee &lt;b&gt;hug&lt;/b&gt;&quot; is attached.</p><p>Stop any exercise that causes pain.</p><p>Kind regards,</p></body></html>',
      );
      // The built-in template when the clinic has none; the plain-text part is the same either way.
      const builtIn = await composeEmail(input);
      expect(builtIn.html).toContain('<p>Hello <bdi>Jo &amp; Co</bdi>,</p>');
      expect(builtIn.html).toContain('<p><strong>Stop any exercise that causes pain.</strong></p>');
      expect(builtIn.text).toBe(own.text);

      await writeFile(path.join(dir, 'templates/email/message.hbs'), '<p>{{#each paragraphs}}{{text}</p>');
      await expect(composeEmail({ ...input, templatesDir: path.join(dir, 'templates') })).rejects.toMatchObject({
        code: 'TEMPLATE',
        where: { file: expect.stringMatching(/templates\/email\/message\.hbs$/) },
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

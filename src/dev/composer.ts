/**
 * The composer of `handout dev` (/compose): a clinician picks library exercises, sets this
 * patient's doses, and sees the sheet as it will print, with the build's fit verdict; then
 * downloads the verified PDF or e-mails it. Every sheet goes through what `handout program`
 * does (program/print-program.ts) and every message through what `handout email` does
 * (email/email-pdf.ts): the composer adds a page, not a second way to print.
 *
 * What the page sends is data, never a path: the language must be one the library has, each
 * exercise id one of that language's library ids (listed by the server, compared as strings),
 * the paper one of PAGE_SIZES; names and doses are values printed on the sheet, checked by the
 * program's schema. The sheet and the message go to the private folder under names the
 * server makes (output-name.ts: a slug of the patient's name and a hash).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { prepareHandouts } from '../build/prepare-handouts.js';
import { LOCALE_PATTERN } from '../content/discover-handouts.js';
import { ExerciseLibrary, LIBRARY_FOLDER } from '../content/exercise-library.js';
import { EXERCISE_ID } from '../content/handout-schema.js';
import { loadSavedProgram, programNames } from '../content/program-document.js';
import { displayPath } from '../content/safe-file.js';
import { friendlyName } from '../email/compose-email.js';
import { HandoutError, toHandoutError } from '../errors.js';
import { finished } from '../print/finish-pdf.js';
import type { Printer } from '../print/launch-printer.js';
import { serializePage } from '../render/serialize-page.js';
import { IllustrationStore } from '../resolve/load-image.js';
import { PAGE_SIZES, type PageSize, type Personalisation } from '../resolve/resolve-handout.js';
import { verifyPdf } from '../verify/verify-pdf.js';
import type { Prescription } from '../program/print-program.js';
import { describeVerdict, paperCss, type FitVerdict } from './preview-pages.js';

export interface ComposerOptions {
  contentDir: string;
  templatesDir: string;
  /** Where the sheets and messages go (--private-out). */
  privateDir: string;
  /** The dev server's warm browser. */
  getPrinter: () => Promise<Printer>;
  /** From the environment only: without it the composer writes .eml files and never sends. */
  smtpUrl?: string | undefined;
  mailFrom?: string | undefined;
  sourceDateEpoch?: string | undefined;
}

/** An answer to one composer request, for the server to send. */
export interface ComposerReply {
  status: number;
  type: string;
  body: string | Uint8Array;
  headers?: Record<string, string>;
}

/** A request body is a few exercises and names: anything larger is not from the composer page. */
export const MAX_BODY_BYTES = 64 * 1024;

const oneLine = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[^\r\n\t\0]*$/)
    .transform((s) => s.trim());
const dose = z.number().int().min(1).max(999);

/** What the page sends; ids and the language are checked against the library after this. */
const requestSchema = z.strictObject({
  locale: z.string().regex(LOCALE_PATTERN),
  page_size: z.enum(PAGE_SIZES as [PageSize, ...PageSize[]]).optional(),
  large_print: z.boolean().optional(),
  patient: oneLine(100).optional(),
  clinician: oneLine(100).optional(),
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  exercises: z
    .array(
      z.strictObject({
        exercise: z.string().regex(EXERCISE_ID),
        reps: dose.optional(),
        sets: dose.optional(),
        hold_seconds: dose.optional(),
      }),
    )
    .max(12),
  /** E-mail only. */
  to: z.string().max(254).optional(),
  send: z.boolean().optional(),
});
type ComposerRequest = z.infer<typeof requestSchema>;

export class Composer {
  /** Sent with every POST (X-Handout-Token): a page of another site cannot read it from ours. */
  readonly token = randomBytes(24).toString('base64url');
  readonly #options: ComposerOptions;
  readonly #contentDir: string;

  constructor(options: ComposerOptions) {
    this.#options = options;
    this.#contentDir = path.resolve(options.contentDir);
  }

  /** Whether a request carries this session's token (compared in constant time). */
  hasToken(header: string | string[] | undefined): boolean {
    if (typeof header !== 'string') return false;
    const given = Buffer.from(header);
    const expected = Buffer.from(this.token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /** The languages the library has exercises in: the only ones the composer offers or takes. */
  async locales(): Promise<string[]> {
    const entries = await readdir(path.join(this.#contentDir, LIBRARY_FOLDER), { withFileTypes: true }).catch(() => []);
    return entries
      .filter((e) => e.isDirectory() && LOCALE_PATTERN.test(e.name))
      .map((e) => e.name)
      .sort();
  }

  /**
   * GET /compose/library.json?locale=…: the library of one language (name, drawing, region,
   * tags, default dose) and its saved programs, for the page to list and filter. No patient
   * data is in it or in its URL.
   */
  async library(requested: string | null): Promise<ComposerReply> {
    const locales = await this.locales();
    const locale = requested && locales.includes(requested) ? requested : locales.includes('en') ? 'en' : (locales[0] ?? null);
    if (!locale) return json(200, { locale: null, locales, exercises: [], programs: [], canSend: false });
    const library = new ExerciseLibrary(this.#contentDir);
    const drawings = new IllustrationStore(path.join(this.#contentDir, 'illustrations'));
    const exercises = (
      await Promise.all(
        (await library.ids(locale)).map(async (id) => {
          const lookup = await library.find(locale, id);
          if (!lookup || !('found' in lookup)) return null; // a broken file is `handout check`'s to report
          const data = lookup.found.data;
          const drawing = data.illustration
            ? await drawings.get(data.illustration, { file: lookup.found.file }).then(
                (d) => d.dataUrl,
                () => null,
              )
            : null;
          return {
            id,
            name: data.name,
            region: data.region ?? null,
            tags: data.tags ?? [],
            illustration: drawing,
            alt: data.illustration_alt ?? '',
            // The library's own dose, shown as the placeholder of each dose field: a field left
            // empty prints it as the library has it (a range stays a range).
            defaults: {
              reps: data.reps === undefined ? '' : String(data.reps),
              sets: data.sets === undefined ? '' : String(data.sets),
              hold_seconds: data.hold_seconds === undefined ? '' : Array.isArray(data.hold_seconds) ? data.hold_seconds.join('–') : String(data.hold_seconds),
            },
          };
        }),
      )
    ).filter((e) => e !== null);
    const programs = (
      await Promise.all(
        (await programNames(this.#contentDir, locale)).map(async (name) => {
          const loaded = await loadSavedProgram(this.#contentDir, locale, name);
          if (!loaded.ok) return null;
          const refs = loaded.value.data.exercises.filter((e): e is { exercise: string } & Record<string, unknown> => typeof (e as { exercise?: unknown }).exercise === 'string');
          return { name, title: loaded.value.data.title, exercises: refs.map((e) => ({ exercise: e.exercise, reps: e.reps ?? null, sets: e.sets ?? null })) };
        }),
      )
    ).filter((p) => p !== null);
    return json(200, { locale, locales, exercises, programs, canSend: !!this.#options.smtpUrl });
  }

  /** POST /compose/<action>: preview, fit, pdf or email. */
  async post(action: string, body: string): Promise<ComposerReply> {
    let raw: unknown;
    try {
      raw = JSON.parse(body);
    } catch {
      return problem(400, 'the request is not JSON');
    }
    const parsed = requestSchema.safeParse(raw);
    if (!parsed.success) return problem(400, `the request does not hold what the composer sends: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ')}`);
    const request = parsed.data;
    // The language and each id are looked up among those the library lists, never used as a path first.
    if (!(await this.locales()).includes(request.locale)) return problem(400, `the library has no exercises in "${request.locale}"`);
    const ids = await new ExerciseLibrary(this.#contentDir).ids(request.locale);
    const unknown = request.exercises.find((e) => !ids.includes(e.exercise));
    if (unknown) return problem(400, `the library has no exercise "${unknown.exercise}" in ${request.locale}`);
    if (request.exercises.length === 0) return problem(422, 'tick at least one exercise');
    try {
      switch (action) {
        case 'preview':
          return await this.#preview(request, false);
        case 'fit':
          return await this.#preview(request, true);
        case 'pdf':
          return await this.#pdf(request);
        case 'email':
          return await this.#email(request);
        default:
          return problem(404, `there is no composer action "${action}"`);
      }
    } catch (err) {
      const error = toHandoutError(err, 'INTERNAL');
      return problem(error.code === 'INTERNAL' ? 500 : 422, error.toString(), error.hint);
    }
  }

  #prescription(request: ComposerRequest): Prescription {
    return {
      exercises: request.exercises.map((e) => ({ ...e })) as Prescription['exercises'],
      locale: request.locale,
      ...(request.page_size ? { page_size: request.page_size } : {}),
      ...(request.large_print ? { large_print: true } : {}),
      patient: request.patient ?? '',
      ...(request.clinician ? { clinician: request.clinician } : {}),
      ...(request.date ? { date: request.date } : {}),
    };
  }

  /**
   * The sheet as HTML, drawn at its printable size (as `handout dev` previews a handout):
   * rendered only (tens of milliseconds), or with `measure` also printed and read back for
   * the build's verdict and the fit level it chose.
   */
  async #preview(request: ComposerRequest, measure: boolean): Promise<ComposerReply> {
    const { programSheet } = await import('../program/print-program.js');
    const o = this.#options;
    const sheet = await programSheet({ contentDir: this.#contentDir, templatesDir: o.templatesDir, prescription: this.#prescription(request) });
    if (!sheet.ok) return json(200, { html: null, errors: sheet.errors.map(describe) });
    const personal: Personalisation = { patient: request.patient || undefined, clinician: request.clinician || undefined, date: request.date };
    const prepared = await prepareHandouts({
      contentDir: this.#contentDir,
      templatesDir: o.templatesDir,
      documents: [sheet.value.input],
      pageSize: request.page_size,
      largePrint: request.large_print ?? false,
      personal,
    });
    const page = prepared.pages[0];
    if (!page) return json(200, { html: null, errors: prepared.failures.flatMap((f) => f.errors).map((e) => describe(sheet.value.atArguments(e))) });
    let level = page.layout.fitLevels[0]!;
    let verdict: FitVerdict = null;
    if (measure) {
      try {
        const printed = await (await o.getPrinter()).print(page);
        await verifyPdf(finished(printed, o.sourceDateEpoch));
        level = printed.fit.level;
        verdict = { ok: true, level, linesLeft: printed.fit.linesLeft };
      } catch (err) {
        verdict = { ok: false, error: sheet.value.atArguments(toHandoutError(err, 'BROWSER', { file: page.source.file })) };
      }
    }
    const html = serializePage(page.parts, { as: 'preview', fit: level, dev: { styles: page.printable ? [paperCss(page.printable)] : [], bodyStart: '', script: null } });
    // The sheet's width on screen (its printable width and paperCss's padding), for the page to scale it to its column.
    const width = page.printable ? Math.floor(page.printable.width) + 48 + 16 : null;
    return json(200, { html, width, errors: [], verdict: measure ? describeVerdict(verdict) : null, hint: verdict && !verdict.ok ? verdict.error.hint : null });
  }

  /** Prints as `handout program` does, into the private folder, through the warm browser. */
  async #print(request: ComposerRequest) {
    if (!request.patient) throw new HandoutError('USAGE', 'noPatientName');
    const { printProgram } = await import('../program/print-program.js');
    const o = this.#options;
    return printProgram({
      contentDir: this.#contentDir,
      templatesDir: o.templatesDir,
      privateDir: o.privateDir,
      prescription: this.#prescription(request),
      warmPrinter: await o.getPrinter(),
      sourceDateEpoch: o.sourceDateEpoch,
    });
  }

  async #pdf(request: ComposerRequest): Promise<ComposerReply> {
    const outcome = await this.#print(request);
    if (!outcome.ok) return refused(outcome.failed.flatMap((d) => d.errors));
    const pdf = await readFile(outcome.pdfs[0]!);
    return {
      status: 200,
      type: 'application/pdf',
      body: pdf,
      headers: {
        // The title may be in any script: RFC 6266's filename* carries it; the ASCII fallback is plain.
        'Content-Disposition': `attachment; filename="program.pdf"; filename*=UTF-8''${encodeURIComponent(friendlyName(outcome.title))}`,
        // Where it was saved, as logs show it: the patient's name hashed.
        'X-Handout-Saved': encodeURIComponent(outcome.document.shown?.pdf ?? ''),
      },
    };
  }

  /** As `handout email` does: the message written as .eml beside the sheet, and sent only when asked and HANDOUT_SMTP_URL is set. */
  async #email(request: ComposerRequest): Promise<ComposerReply> {
    if (!request.to) return problem(422, "type the patient's e-mail address");
    if (request.send && !this.#options.smtpUrl) {
      return problem(422, 'sending needs HANDOUT_SMTP_URL', 'Start handout dev with HANDOUT_SMTP_URL=smtp://… set to send; without it the message is written as an .eml file.');
    }
    const outcome = await this.#print(request);
    if (!outcome.ok) return refused(outcome.failed.flatMap((d) => d.errors));
    const { emailPdf } = await import('../email/email-pdf.js');
    const pdf = outcome.pdfs[0]!;
    const mailed = await emailPdf({
      contentDir: this.#contentDir,
      templatesDir: this.#options.templatesDir,
      locale: request.locale,
      title: outcome.title,
      summary: outcome.summary,
      patient: request.patient ?? null,
      pdfs: outcome.pdfs,
      to: request.to,
      eml: pdf.replace(/\.pdf$/, '.eml'),
      send: request.send ?? false,
      maxBytes: 10 * 2 ** 20,
      smtpUrl: this.#options.smtpUrl,
      mailFrom: this.#options.mailFrom,
    });
    if (!mailed.ok) return refused(mailed.failed.flatMap((d) => d.errors));
    const shown = (outcome.document.shown?.pdf ?? '').replace(/\.pdf$/, '.eml');
    return json(200, {
      to: mailed.message.to,
      subject: mailed.message.subject,
      attachments: mailed.message.attachments.map((a) => a.filename),
      eml: shown,
      sent: request.send ? mailed.done.find((d) => d.startsWith('sent: '))?.slice('sent: '.length) ?? null : null,
    });
  }
}

function describe(error: HandoutError): { text: string; hint: string } {
  return { text: error.toString(), hint: error.hint };
}

function json(status: number, value: unknown): ComposerReply {
  return { status, type: 'application/json; charset=utf-8', body: JSON.stringify(value) };
}

function problem(status: number, message: string, hint = ''): ComposerReply {
  return json(status, { errors: [{ text: message, hint }] });
}

function refused(errors: readonly HandoutError[]): ComposerReply {
  return json(422, { errors: errors.map(describe) });
}

/** For the hint of a page with no library yet. */
export function libraryFolder(contentDir: string): string {
  return displayPath(path.join(path.resolve(contentDir), LIBRARY_FOLDER));
}

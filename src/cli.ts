#!/usr/bin/env node
/**
 * The `handout` command. The only module that prints to the terminal or sets the exit
 * code: 0 when every handout was written and verified, 1 when any failed, 2 for usage
 * errors or a build that could not start.
 */
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ProgressBar } from './progress-bar.js';
import { TOOL_VERSION } from './version.js';
import { toHandoutError } from './errors.js';
import { Argument, Command, InvalidArgumentError, Option } from 'commander';
import {
  buildHandouts,
  checkHandouts,
  writeSiteFromOutput,
  DEFAULT_TEMPLATES_DIR,
  clinicJsonSchema,
  exerciseJsonSchema,
  handoutJsonSchema,
  programJsonSchema,
  HandoutError,
  PAGE_SIZES,
  type BuildResult,
  type DocumentResult,
} from './index.js';
import type { CheckedDocument, CheckResult } from './build/check-handouts.js';
import type { ComposedEmail } from './email/compose-email.js';
import type { Delivery } from './email/email-pdf.js';
import { describeReadingGrade, plainLanguageJson } from './plain-language/describe-reading-grade.js';
import { calendarDate, dateProblem } from './content/handout-schema.js';
import { isBuiltIn, templateSources } from './shared/template-files.js';
import { displayPath } from './content/safe-file.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

interface CommonFlags {
  content: string;
  templates: string;
  locale?: string[];
  only?: string[];
  pageSize?: 'A4' | 'Letter';
  strict?: boolean;
  reviewedOnly?: boolean;
  verbose?: boolean;
}
interface PersonalFlags {
  patient?: string;
  clinician?: string;
  date?: string;
}
interface CheckFlags extends CommonFlags, PersonalFlags {
  print: boolean;
  report?: string;
  chrome?: string;
  largePrint?: boolean;
}
interface BuildFlags extends CommonFlags, PersonalFlags {
  out: string;
  privateOut: string;
  force?: boolean;
  timeout?: number;
  report?: string;
  largePrint?: boolean;
  chrome?: string;
  browserWsEndpoint?: string;
  concurrency?: number;
  shard?: { index: number; count: number };
}

const program = new Command()
  .name('handout')
  .description('Turn patient handouts written as YAML into verified, one-page PDF sheets.')
  .version(pkg.version)
  .showHelpAfterError('(run with --help for usage)')
  // Usage mistakes exit 2, so CI can tell them from handouts that failed (exit 1).
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));

const commonOptions = (cmd: Command) =>
  cmd
    .option('--content <dir>', 'folder with <locale>/<slug>.yaml handouts and illustrations/', 'content')
    .addOption(templatesOption())
    .option('--locale <code...>', 'only these locales (e.g. --locale en es)')
    .option('--only <slug...>', 'only these handouts (file names without .yaml)')
    .addOption(new Option('--page-size <size>', 'paper size for every locale: A4 or Letter (default: clinic.yaml, else A4)').argParser(pageSize))
    .option('--strict', 'treat warnings (untranslated UI strings, handouts missing in a locale, stale or unrecorded translations) as failures, for CI')
    .option('--reviewed-only', 'refuse draft translations (not yet reviewed: handout translations): for a release of reviewed sheets only')
    .option('--verbose', 'print stack traces and browser details');

commonOptions(
  program
    .command('build')
    .description('render every handout to <out>/<locale>/<slug>.pdf and .html, each verified before it is written'),
)
  .option('--out <dir>', 'output folder', 'output')
  .option('--chrome <path>', 'Chrome/Chromium to print with (default: HANDOUT_CHROME, PUPPETEER_EXECUTABLE_PATH, then the system\'s)')
  .addOption(
    new Option('--browser-ws-endpoint <ws-url>', 'print through this running Chrome (its DevTools ws:// URL) instead of launching one; it is left running')
      .argParser(wsUrl)
      .conflicts('chrome'),
  )
  .option('--concurrency <n>', 'pages printed at once (default: one per core, at most 4)', positiveInt)
  .addOption(patientOption('print a personal copy for this patient (into --private-out, never the site folder; logs show its hash, not the name)'))
  .addOption(clinicianOption())
  .addOption(dateOption())
  .addOption(privateOutOption())
  .option('--large-print', 'body text at 16 to 18 pt, on up to two pages (written as <slug>.large-print.pdf)')
  .option('--force', 'rebuild every handout, even those unchanged since the last build')
  .option('--timeout <seconds>', 'give up printing one document after this long (default 30)', positiveInt)
  .option('--report <file.json>', 'write a JSON report: per document its source, outputs, pages, bytes, sha256, time, cache hit, warnings')
  .option('--shard <k/n>', 'build only part k of n (for a CI matrix; the n parts together build everything once); then `handout site`', shardSpec)
  .action(async (flags: BuildFlags) => {
    const t0 = performance.now();
    // A bar on a terminal; a line per document in CI logs. Errors always print in full.
    const bar = ProgressBar.enabled(process.stderr) ? new ProgressBar(process.stderr) : null;
    const stop = stopOnSignals(() => bar?.clear());
    const result = await buildHandouts({
      contentDir: flags.content,
      outDir: flags.out,
      privateDir: flags.privateOut,
      templatesDir: flags.templates,
      locales: flags.locale,
      only: flags.only,
      pageSize: flags.pageSize,
      strict: flags.strict,
      reviewedOnly: flags.reviewedOnly,
      chrome: flags.chrome,
      browserWSEndpoint: flags.browserWsEndpoint,
      concurrency: flags.concurrency,
      personal: personalCopy(flags),
      largePrint: flags.largePrint,
      sourceDateEpoch: process.env.SOURCE_DATE_EPOCH,
      force: flags.force,
      shard: flags.shard,
      signal: stop.signal,
      timeoutMs: flags.timeout === undefined ? undefined : flags.timeout * 1000,
      onPlan: ({ toPrint }) => bar?.start(toPrint),
      onResult: (r) => {
        if (!bar) return printResult(r, flags.verbose);
        if (!r.cached && r.ok) bar.tick(r.shown?.pdf ?? r.file);
        if (!r.ok || r.warnings.length) bar.interrupt(() => printResult(r, flags.verbose));
      },
    });
    bar?.clear();
    for (const file of result.removed) console.log(`− removed ${path.join(flags.out, file)} (its handout was deleted)`);
    for (const file of result.moved) console.log(`− removed ${path.join(flags.out, file)} (another shard builds it now)`);
    if (result.site) console.log(`site: ${result.site}`);
    for (const k of result.kept) {
      const built = k.built ? `, built ${k.built.slice(0, 10)}` : '';
      console.error(`⚠ ${k.file} failed: its last good sheet stays (${k.pdf}${built}), marked on the site as failed`);
    }
    if (flags.shard) console.log(`shard ${flags.shard.index}/${flags.shard.count}: no site index; once the shards' folders are merged, run \`handout site --out ${flags.out}\``);
    if (flags.verbose && result.browser) {
      console.log(`browser: ${result.browser.version ?? 'not started'} (${result.browser.path}, via ${result.browser.via})`);
    }
    if (flags.report) await writeReport(flags.report, result);
    finish(result, t0, flags.strict);
    if (stop.signal.aborted) {
      console.error(`stopped by ${stop.signal.reason}: the PDFs listed above are complete; the rest were not written`);
      process.exitCode = stop.signal.reason === 'SIGINT' ? 130 : 143;
    }
  });

commonOptions(
  program
    .command('check')
    .description(
      'everything build checks, writing nothing: each sheet is printed in the browser and read back, so check refuses exactly what build ' +
        'refuses, with the same message (--no-print: only what needs no browser, fast, for editors); and, for the author, ' +
        "each sheet's reading grade and plain-language warnings",
    ),
)
  .addHelpText(
    'after',
    `
Reading grade and plain language (check only, with or without --no-print):
  Each sheet's reading grade is printed under it, from the formulas published for its
  language: English Flesch-Kincaid and SMOG; Spanish Fernandez-Huerta; French Kandel-Moles;
  German Wiener Sachtextformel (and Amstad); Portuguese Flesch (Martins et al.). An ease
  score is shown with the school grade of its band. Other languages: "not measured".
  Counted: the summary, warning text, steps, cautions, stop rules, considerations,
  alternatives and the handout's own pain warning and disclaimer; not titles or labels.
  Warnings (failures with --strict), each at its file:line:col with a hint:
    READING_LEVEL        the sheet, or a part of it of 30 words or more, reads above
                         reading_grade in clinic.yaml (default 8)
    LONG_SENTENCE        a sentence of more than 25 words
    STEP_NOT_ACTION      an English step that starts with a description, not an action
    PASTED_NUMBERING     "2. ", "a) ", "• ", "- " pasted at the start of a step or list item
    INVISIBLE_CHARACTER  zero-width space, word joiner, byte order mark, line/paragraph
                         separator or soft hyphen in the text
    ALL_CAPS             words in capitals (a single short one, like GP or PDF, is allowed)
  --report writes each sheet's grades, formulas, counts and findings as JSON.`,
  )
  .option('--no-print', 'do not start the browser: content, catalogs, illustrations and templates only; fit, fonts and pictures unchecked')
  .option('--chrome <path>', 'Chrome/Chromium to print with (found as build finds it)')
  .addOption(patientOption('check the personal copy for this patient (its write-in box filled)'))
  .addOption(clinicianOption())
  .addOption(dateOption())
  .option('--large-print', 'check the large-print sheets (16 to 18 pt, up to two pages)')
  .option('--report <file.json>', "write a JSON report: per sheet its source, pages, warnings and errors, and its reading grade(s) with their formulas and the plain-language findings")
  .action(async (flags: CheckFlags) => {
    const t0 = performance.now();
    if (flags.verbose) printTemplateSources(flags.templates);
    const result = await checkHandouts({
      contentDir: flags.content,
      templatesDir: flags.templates,
      locales: flags.locale,
      only: flags.only,
      pageSize: flags.pageSize,
      strict: flags.strict,
      reviewedOnly: flags.reviewedOnly,
      print: flags.print,
      chrome: flags.chrome,
      personal: personalCopy(flags),
      largePrint: flags.largePrint,
      onResult: (r) => printResult(r, flags.verbose, 'ok', { note: readingLine(r), hints: true }),
    });
    if (flags.report) await writeReport(flags.report, result);
    finish(result, t0, flags.strict);
  });

/** `check --verbose`: which file each piece of the templates comes from, the clinic's or the built-in one. */
function printTemplateSources(dir: string): void {
  const name = (file: string) => (isBuiltIn(file) ? `built-in ${path.relative(DEFAULT_TEMPLATES_DIR, file)}` : displayPath(file));
  const sources = templateSources(dir);
  const width = Math.max(...sources.map((s) => s.piece.length));
  console.log(`templates: ${displayPath(path.resolve(dir))}${isBuiltIn(path.resolve(dir)) ? ' (the built-in ones)' : ', over the built-in ones'}`);
  for (const s of sources) console.log(`  ${s.piece.padEnd(width)}  ${s.files.map(name).join(' + ')}`);
}

/** The line check prints under each sheet: its reading grade and the clinic's target. */
function readingLine(r: CheckedDocument): string | undefined {
  const p = r.plainLanguage;
  return p && describeReadingGrade(p.reading, p.target, p.locale);
}

program
  .command('dev')
  .description('preview handouts in a browser while you edit them: renders on request, reloads on every save')
  .option('--content <dir>', 'folder with <locale>/<slug>.yaml handouts and illustrations/', 'content')
  .addOption(templatesOption())
  .option('--port <n>', 'port on 127.0.0.1 (0: any free port)', portNumber, 4400)
  .addOption(new Option('--page-size <size>', 'paper size to start with: A4 or Letter (default: clinic.yaml, else A4)').argParser(pageSize))
  .option('--chrome <path>', 'Chrome/Chromium for the PDF link')
  .addOption(privateOutOption().default('private', "private: where the composer's sheets and messages go"))
  .option('--verbose', 'log every request')
  .addHelpText(
    'after',
    `
The composer, at /compose, prints a personal program as \`handout program\` does: choose library
exercises, set doses, type the patient's name, see the sheet and its fit, then download the PDF
or e-mail it (written as an .eml file beside the PDF in --private-out; sent only when
HANDOUT_SMTP_URL is set and "Send now" is ticked).`,
  )
  .action(async (flags: { content: string; templates: string; port: number; pageSize?: 'A4' | 'Letter'; chrome?: string; privateOut: string; verbose?: boolean }) => {
    const { startDevServer } = await import('./dev/dev-server.js');
    const { watchParent } = await import('./dev/parent-watch.js');
    const server = await startDevServer({
      contentDir: flags.content,
      templatesDir: flags.templates,
      port: flags.port,
      pageSize: flags.pageSize,
      chrome: flags.chrome,
      onRequest: flags.verbose ? (line) => console.log(line) : undefined,
      privateDir: flags.privateOut,
      smtpUrl: process.env.HANDOUT_SMTP_URL,
      mailFrom: process.env.HANDOUT_MAIL_FROM,
    });
    console.log(`handout dev: ${server.url} (previewing ${flags.content}/; compose a program at ${server.url}compose; Ctrl-C to stop)`);
    // Ctrl-C is how a preview server is meant to stop: close cleanly (its Chromium too) and
    // exit 0. So is a closed terminal (SIGHUP), or the end of whatever started it (npx,
    // npm run, an editor), which may die without passing its signal on (parent-watch.ts).
    let stopping = false;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      // A browser that does not close in time is left to its pipe, which ends with us.
      setTimeout(() => process.exit(0), 5000).unref();
      void server.close().finally(() => process.exit(0));
    };
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, stop);
    watchParent(stop);
  });

commonOptions(
  program
    .command('email <slug>')
    .description('e-mail a handout to a patient: builds it if needed; shows the message unless --eml or --send')
    .requiredOption('--to <address>', "the patient's e-mail address"),
)
  .option('--out <dir>', 'output folder', 'output')
  .option('--chrome <path>', 'Chrome/Chromium to print with')
  .addOption(patientOption("the patient's name, for the greeting and a personal copy"))
  .addOption(clinicianOption())
  .addOption(dateOption())
  .addOption(privateOutOption())
  .addOption(emlOption())
  .addOption(sendOption())
  .addOption(maxSizeOption())
  .action(async (slug: string, flags: BuildFlags & { to: string; eml?: string; send?: boolean; maxSize: number }) => {
    const locale = flags.locale?.[0] ?? 'en';
    // Loaded on use: nodemailer is not needed to build.
    const { emailHandout } = await import('./email/email-handout.js');
    const outcome = await emailHandout({
      contentDir: flags.content,
      outDir: flags.out,
      privateDir: flags.privateOut,
      templatesDir: flags.templates,
      pageSize: flags.pageSize,
      chrome: flags.chrome,
      personal: personalCopy(flags),
      sourceDateEpoch: process.env.SOURCE_DATE_EPOCH,
      slug,
      locale,
      ...delivery(flags.to, flags),
    });
    if (!outcome.ok) {
      // A handout that did not build (or a sender clinic.yaml gives that mail refuses) is
      // reported as `build` reports a failed handout, and exits 1 like it.
      for (const failed of outcome.failed) printResult(failed, flags.verbose);
      console.error(`nothing e-mailed: no message for ${locale}/${slug} was shown, written or sent`);
      process.exitCode = 1;
      return;
    }
    printEmail(outcome.message, outcome.done, flags.patient);
  });

program
  .command('program')
  .description(
    "print a personal program for one patient: a saved program (content/programs/<locale>/<name>.yaml) or library exercise ids with " +
      "this patient's doses, verified like every sheet, into --private-out with the prescription beside it (<sheet>.yaml), which --from prints again",
  )
  .argument('[program-or-ids...]', 'a saved program\'s name, or library exercise ids, each optionally with its dose: knee-to-chest:reps=5,sets=2')
  .option('--from <file.yaml>', 'print again the prescription saved beside an earlier sheet; options given here replace its values (e.g. a new --date)')
  .addOption(patientOption('the patient the program is for (required, here or in --from\'s file); logs show a hash, not the name'))
  .addOption(clinicianOption())
  .addOption(dateOption())
  .option('--locale <code>', 'the language of the sheet and of the saved program (default: en)', localeCode)
  .addOption(new Option('--page-size <size>', 'paper size: A4 or Letter (default: clinic.yaml, else A4)').argParser(pageSize))
  .option('--large-print', 'body text at 16 to 18 pt, on up to two pages')
  .option('--split', 'if the program does not fit one page, print it on consecutive complete one-page sheets ("Sheet 1 of 2"), each with every safety text, instead of refusing it')
  .addOption(privateOutOption())
  .option('--to <address>', "e-mail the printed sheet to the patient (shown only, unless --eml or --send)")
  .addOption(emlOption())
  .addOption(sendOption())
  .addOption(maxSizeOption())
  .option('--content <dir>', 'folder with programs/, exercises/, illustrations/ and clinic.yaml', 'content')
  .addOption(templatesOption())
  .option('--chrome <path>', 'Chrome/Chromium to print with')
  .option('--timeout <seconds>', 'give up printing after this long (default 30)', positiveInt)
  .option('--verbose', 'print stack traces and browser details')
  .addHelpText(
    'after',
    `
Examples:
  handout program low-back-week-1 --patient "Maria Lopez" --date 2026-12-05
  handout program knee-to-chest:reps=5 glute-bridge:sets=2,reps=10 --patient "Maria Lopez" --locale es
  handout program --from private/programs/en/low-back-week-1--maria-lopez-1a2b3c--2026-12-05.yaml --date 2026-12-19
  handout program low-back-week-1 --patient "Maria Lopez" --to maria@example.org --eml maria.eml

One argument that names a saved program of the locale prints it; otherwise the arguments are
exercise ids of the library (content/exercises/<locale>/<id>.yaml) with their default doses, or
the doses given after ":" (reps, sets, hold_seconds, frequency, repeat, caution, stop_rule).
The sheet is a handout like any other: clinic header and footer, the write-in box filled, each
exercise with its dose, caution and stop rule, the pain warning and the disclaimer, verified in
the PDF. One that does not fit its page is refused (NOT_ONE_PAGE) with what to shorten and on
how many sheets --split would print it. With --split it is printed on consecutive sheets
(<name>--sheet-1-of-2.pdf, …), cut where measured: exercises in order, none cut in half, the
notes on the last sheet with room for them; each sheet is a whole one-page handout (header,
write-in box, warning, stop rules, pain warning, disclaimer) marked "Sheet 1 of 2", verified
like any. All are written, or none.
It is written to <private-out>/programs/<locale>/, never the site folder, with the prescription
(<same name>.yaml) beside it. With --to, the printed sheet is then e-mailed as \`handout email\`
does it: the message is shown (a dry run), written with --eml, or sent with --send through
HANDOUT_SMTP_URL. Exit 0: printed (and e-mailed); 1: the program was refused or not sent; 2: usage.`,
  )
  .action(async (args: string[], flags: PersonalFlags & ProgramEmailFlags & { from?: string; locale?: string; pageSize?: 'A4' | 'Letter'; largePrint?: boolean; split?: boolean; privateOut: string; content: string; templates: string; chrome?: string; timeout?: number; verbose?: boolean }) => {
    const t0 = performance.now();
    if ((flags.eml || flags.send) && !flags.to) {
      throw new HandoutError('USAGE', 'needsTo', { flag: flags.send ? '--send' : '--eml' });
    }
    const { printProgram, readPrescription } = await import('./program/print-program.js');
    const { parseExerciseArgument, programNames } = await import('./content/program-document.js');
    let from: Awaited<ReturnType<typeof readPrescription>> | null = null;
    if (flags.from) {
      if (args.length) throw new HandoutError('USAGE', 'fromAndProgram', { args: args.join(' ') });
      from = await readPrescription(flags.from);
      if (!from.ok) {
        for (const error of from.errors) printError(error, flags.verbose ?? false);
        process.exitCode = 2;
        return;
      }
    } else if (!args.length) {
      throw new HandoutError('USAGE', 'noProgram');
    }
    const saved = from?.value.prescription;
    const locale = flags.locale ?? saved?.locale ?? 'en';
    // One argument naming a saved program prints it; anything else is a list of exercise ids.
    const savedNames = args.length === 1 ? await programNames(flags.content, locale) : [];
    const named = args.length === 1 && savedNames.includes(args[0]!) ? args[0] : undefined;
    const exercises = saved ? saved.exercises : named ? undefined : args.map(parseExerciseArgument);
    const patient = flags.patient ?? saved?.patient;
    if (!patient) {
      throw new HandoutError('USAGE', 'noPatient');
    }
    const clinician = flags.clinician ?? saved?.clinician;
    const date = flags.date ?? saved?.date;
    const pageSizeValue = flags.pageSize ?? saved?.page_size;
    const largePrint = flags.largePrint ?? saved?.large_print;
    const split = flags.split ?? saved?.split;
    const outcome = await printProgram({
      contentDir: flags.content,
      templatesDir: flags.templates,
      privateDir: flags.privateOut,
      prescription: {
        ...(saved?.program || named ? { program: saved?.program ?? named } : { exercises }),
        locale,
        ...(pageSizeValue ? { page_size: pageSizeValue } : {}),
        ...(largePrint ? { large_print: true } : {}),
        ...(split ? { split: true } : {}),
        patient,
        ...(clinician ? { clinician } : {}),
        ...(date ? { date } : {}),
      },
      // Positions in the file the exercises were read from, as long as they are the file's.
      from: saved?.exercises ? from!.value.yaml : undefined,
      chrome: flags.chrome,
      sourceDateEpoch: process.env.SOURCE_DATE_EPOCH,
      timeoutMs: flags.timeout === undefined ? undefined : flags.timeout * 1000,
    });
    const seconds = () => ((performance.now() - t0) / 1000).toFixed(1);
    if (!outcome.ok) {
      for (const failure of outcome.failed) printResult(failure, flags.verbose);
      console.error(`program not printed (${seconds()} s)`);
      process.exitCode = 1;
      return;
    }
    for (const sheet of outcome.sheets) printResult(sheet, flags.verbose, 'printed');
    console.log(`prescription: ${outcome.prescription.shown} (print it again: handout program --from <it>)`);
    console.log(`${outcome.sheets.length} passed, 0 failed in ${seconds()} s`);
    if (!flags.to) return;
    // Loaded on use: nodemailer is not needed to print.
    const { emailPdf } = await import('./email/email-pdf.js');
    const mailed = await emailPdf({
      contentDir: flags.content,
      templatesDir: flags.templates,
      locale,
      title: outcome.title,
      summary: outcome.summary,
      patient,
      pdfs: outcome.pdfs,
      ...delivery(flags.to, flags),
    });
    if (!mailed.ok) {
      for (const failed of mailed.failed) printResult(failed, flags.verbose);
      console.error('printed, but not e-mailed: no message was shown, written or sent');
      process.exitCode = 1;
      return;
    }
    console.log('');
    printEmail(mailed.message, mailed.done, patient);
  });

program
  .command('translations')
  .description(
    'where every translation stands: each handout, library exercise and saved program by locale (reviewed, draft, stale, not recorded, missing); ' +
      '--mark records a translation as made from its source as it is now',
  )
  .argument('[refs...]', 'with --mark: the handouts (slug), exercises/<id> or programs/<name> to record (default: every translation of the locale)')
  .option('--content <dir>', 'the content folder', 'content')
  .option('--json', 'print the matrix as JSON')
  .option('--mark <locale>', 'record these translations in <locale> as made from their sources as they are now (content/translations.yaml)', localeCode)
  .option('--reviewed-by <name>', 'with --mark: a qualified translator has reviewed them (else they are drafts)', oneLine)
  .option('--reviewed-on <yyyy-mm-dd>', 'with --reviewed-by: the day of the review (default: today)', isoDate)
  .addHelpText(
    'after',
    `
Each translation records the fields of its source it was made from. When the source changes,
\`handout check\` names the translation and the fields that changed (TRANSLATION_STALE; an error
with --strict) until it is updated and marked again. A translation is a draft until marked with
--reviewed-by; a draft sheet says so in its footer, in its language, and build --reviewed-only
refuses it.

Examples:
  handout translations
  handout translations --mark es knee-to-chest exercises/knee-to-chest
  handout translations --mark es lower-back-relief --reviewed-by "Ana Ruiz, medical translator"`,
  )
  .action(async (refs: string[], flags: { content: string; json?: boolean; mark?: string; reviewedBy?: string; reviewedOn?: string }) => {
    const { translationMatrix, markTranslations, sourceFieldsOf } = await import('./translations/translation-status.js');
    const { loadClinic } = await import('./config/load-clinic.js');
    const { writeAtomic } = await import('./build/write-atomic.js');
    const clinic = (await loadClinic(flags.content)).clinic?.data;
    const matrix = await translationMatrix(flags.content, { locales: clinic?.locales, handout_locales: clinic?.handout_locales });
    if (flags.mark) {
      if (flags.reviewedOn && !flags.reviewedBy) throw new HandoutError('USAGE', 'reviewedOnAlone');
      const review = flags.reviewedBy ? { by: flags.reviewedBy, on: flags.reviewedOn ?? new Date().toISOString().slice(0, 10) } : null;
      const { ledger, marked } = await markTranslations(matrix, flags.mark, refs, review, sourceFieldsOf(flags.content));
      await writeAtomic(path.join(path.resolve(flags.content), 'translations.yaml'), ledger.toText());
      for (const line of marked) console.log(`✓ marked ${line}`);
      console.log(`${marked.length} marked in ${displayPath(path.join(path.resolve(flags.content), 'translations.yaml'))}`);
      return;
    }
    if (refs.length) throw new HandoutError('USAGE', 'refsWithoutMark', { refs: refs.join(' ') });
    if (flags.json) {
      console.log(JSON.stringify({ source: matrix.source, locales: matrix.locales, rows: matrix.rows.map(({ sourcePath: _, ...row }) => row) }, null, 2));
      return;
    }
    printTranslationMatrix(matrix);
  });

program
  .command('site')
  .description("write <out>/index.html from what the output folder holds: after merging the folders of a sharded build (build writes it otherwise)")
  .option('--out <dir>', 'output folder', 'output')
  .option('--content <dir>', 'folder whose clinic.yaml names the clinic on the index (name, logo, colour, contact)', 'content')
  .addOption(templatesOption('folder with the locales/ catalogs and site/ template the index is made from'))
  .action(async (flags: { out: string; content: string; templates: string }) => {
    const site = await writeSiteFromOutput(flags.out, flags.templates, flags.content);
    const failed = site.failed ? `; ${site.failed} marked as failed in their last build` : '';
    console.log(`site: ${site.file} (${site.handouts} handouts${failed})`);
  });

program
  .command('schema')
  .description(
    'print the JSON Schema of a handout file, of a library exercise (content/exercises/<locale>/<id>.yaml), of a saved program ' +
      '(content/programs/<locale>/<name>.yaml) or of clinic.yaml (for editors: yaml-language-server)',
  )
  .addArgument(new Argument('[file]', 'which file').choices(['handout', 'exercise', 'program', 'clinic']).default('handout'))
  .action((which: 'handout' | 'exercise' | 'program' | 'clinic') => {
    const schema =
      which === 'clinic' ? clinicJsonSchema() : which === 'exercise' ? exerciseJsonSchema() : which === 'program' ? programJsonSchema() : handoutJsonSchema();
    console.log(JSON.stringify(schema, null, 2));
  });

program
  .command('init')
  .description('start a clinic folder: content/clinic.yaml, two example handouts (English and Spanish) with drawings, .gitignore, VS Code settings, a CI workflow')
  .argument('[dir]', 'the folder to write into (created if missing)', '.')
  .option('--force', 'replace starter files that are already there (other files are never touched)')
  .action(async (dir: string, flags: { force?: boolean }) => {
    // Loaded on use, like dev and email: building never needs it.
    const { initClinic } = await import('./init/init-clinic.js');
    const { written, replaced } = await initClinic({ dir, force: flags.force });
    const where = path.relative(process.cwd(), path.resolve(dir)) || '.';
    console.log(`handout init: a clinic folder in ${where}`);
    for (const file of written) console.log(`${replaced.includes(file) ? '↻ replaced' : '+ wrote'} ${path.join(where, file)}`);
    const cd = where === '.' ? '' : `  cd ${where}\n`;
    const installed = existsSync(path.join(dir, 'node_modules', 'handout', 'schema', 'handout.schema.json'));
    console.log(
      `\nNext:\n${cd}${installed ? '' : '  npm install handout     # here, so editors and CI find it (needs Chrome or Chromium)\n'}` +
        '  npx handout build       # every handout → output/<locale>/<slug>.pdf, and output/index.html\n' +
        '  npx handout dev         # preview while you edit, at http://127.0.0.1:4400/\n' +
        '  npx handout check       # the reading level and plain-language advice for each sheet\n' +
        'Edit content/clinic.yaml first: your name, address and colour on every sheet.',
    );
  });

/** `extra.note`: a line printed under the sheet's name (check's reading grade); `extra.hints`: each warning's hint too. */
function printResult(result: DocumentResult, verbose = false, okWord = 'built', extra: { note?: string | undefined; hints?: boolean } = {}): void {
  const name = result.locale && result.slug ? `${result.locale}/${result.slug}` : result.file;
  if (result.ok && result.cached) {
    if (verbose) console.log(`· ${name} unchanged → ${result.shown?.pdf}`);
    return;
  }
  if (result.ok) {
    const pages = result.pages === 1 ? '1 page' : `${result.pages} pages`;
    // A personal copy is shown with the patient's name hidden: logs are not private.
    const detail = result.shown
      ? ` → ${result.shown.pdf} (${pages}, ${Math.round((result.bytes ?? 0) / 1024)} KB, ${Math.round(result.ms)} ms)`
      : '';
    console.log(`✓ ${name} ${okWord}${detail}`);
    // The sheet's other files (build/artifacts.ts), for who wants to see every file written.
    if (verbose && result.shown) for (const [kind, file] of Object.entries(result.shown)) if (kind !== 'pdf') console.log(`  ${kind}: ${file}`);
    if (extra.note) console.log(`  ${extra.note}`);
    for (const warning of result.warnings) printWarning(warning, extra.hints);
    return;
  }
  if (extra.note) console.log(`  ${name}: ${extra.note}`);
  for (const error of result.errors) printError(error, verbose);
}

function printWarning(warning: HandoutError, hint = false): void {
  console.error(`⚠ ${warning.toString()}`);
  if (hint) console.error(`  hint: ${warning.hint}`);
}

function printError(error: HandoutError, verbose: boolean): void {
  console.error(`✗ ${error.toString()}`);
  console.error(`  hint: ${error.hint}`);
  if (verbose && error.cause instanceof Error && error.cause.stack) console.error(error.cause.stack);
}

function finish(result: BuildResult, t0: number, strict = false): void {
  for (const warning of result.warnings) {
    if (strict) printError(warning, false);
    else printWarning(warning);
  }
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  const skipped = result.skipped ? `, ${result.skipped} skipped (cached)` : '';
  // Sheets are counted as sheets; the locales they are in, and the warnings about the content
  // as a whole (a locale lacking handouts, a stale translation), are named apart from them.
  const failedSheets = result.documents.filter((d) => !d.ok).length;
  const locales = [...new Set(result.documents.map((d) => d.locale).filter((l): l is string => !!l))].sort();
  const inLocales = locales.length > 1 ? ` (sheets, in ${locales.length} locales: ${locales.join(', ')})` : '';
  const contentProblems = strict && result.warnings.length ? `; and ${result.warnings.length} problem${result.warnings.length > 1 ? 's' : ''} with the content as a whole (--strict)` : '';
  console.log(`${result.passed} passed, ${failedSheets} failed${skipped}${inLocales}${contentProblems} in ${seconds} s`);
  process.exitCode = result.failed > 0 ? 1 : 0;
}

function pageSize(value: string): 'A4' | 'Letter' {
  const size = PAGE_SIZES.find((s) => s.toLowerCase() === value.toLowerCase());
  if (!size) throw new InvalidArgumentError(`expected ${PAGE_SIZES.join(' or ')}`);
  return size;
}

async function writeReport(file: string, result: BuildResult | CheckResult): Promise<void> {
  const report = {
    tool: TOOL_VERSION,
    browser: result.browser,
    summary: { passed: result.passed, failed: result.failed, skipped: result.skipped },
    removed: result.removed,
    warnings: result.warnings.map(String),
    documents: result.documents.map((d) => ({
      source: d.file,
      locale: d.locale ?? null,
      slug: d.slug ?? null,
      ok: d.ok,
      cached: d.cached,
      outputs: d.shown,
      pages: d.pages ?? null,
      bytes: d.bytes ?? null,
      sha256: d.sha256 ?? null,
      ms: Math.round(d.ms),
      warnings: d.warnings.map(String),
      errors: d.errors.map((e) => ({ code: e.code, message: e.message, file: e.where?.file ?? null, line: e.where?.line ?? null, col: e.where?.col ?? null, hint: e.hint })),
      // check only: the reading grade(s), their formulas and the plain-language findings.
      ...('plainLanguage' in d && d.plainLanguage ? { plainLanguage: plainLanguageJson(d.plainLanguage) } : {}),
    })),
  };
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
}

/**
 * Ctrl-C or a CI runner's SIGTERM: stop starting documents, close the browser, keep what
 * is finished, leave no temp file; exit 130 (SIGINT) or 143 (SIGTERM). A second signal
 * exits at once.
 */
function stopOnSignals(beforeMessage: () => void): AbortController {
  const controller = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      const code = signal === 'SIGINT' ? 130 : 143;
      if (controller.signal.aborted) process.exit(code);
      beforeMessage();
      console.error(`stopping (${signal}) — press Ctrl-C again to quit at once`);
      controller.abort(signal);
    });
  }
  return controller;
}

function oneLine(value: string): string {
  const trimmed = value.trim();
  if (!trimmed || /[\r\n\t\0]/.test(trimmed) || trimmed.length > 100) {
    throw new InvalidArgumentError('expected a name on one line, at most 100 characters');
  }
  return trimmed;
}

/** A day of the calendar, as reviewed.date in a handout (zod's z.iso.date()): not 2026-02-31. */
function isoDate(value: string): string {
  if (!calendarDate().safeParse(value).success) {
    throw new InvalidArgumentError(`expected a date as YYYY-MM-DD, e.g. 2026-12-01${dateProblem(value)}`);
  }
  return value;
}

/** The write-in box of a personal copy, the same on build, check and email. */
function patientOption(description: string): Option {
  return new Option('--patient <name>', description).argParser(oneLine);
}
function clinicianOption(): Option {
  return new Option('--clinician <name>', 'clinician named on the personal copy').argParser(oneLine);
}
function dateOption(): Option {
  return new Option('--date <yyyy-mm-dd>', 'date on the personal copy').argParser(isoDate);
}

/** The e-mail options `handout email` and `handout program --to` share. */
interface ProgramEmailFlags {
  to?: string;
  eml?: string;
  send?: boolean;
  maxSize: number;
}
function emlOption(): Option {
  return new Option('--eml <file>', 'write the message to an .eml file');
}
function sendOption(): Option {
  return new Option('--send', 'send it through the SMTP server in HANDOUT_SMTP_URL (never read from content files; gives up after HANDOUT_SMTP_TIMEOUT seconds, default 20)');
}
function maxSizeOption(): Option {
  return new Option('--max-size <MB>', 'refuse attachments larger than this').argParser(positiveInt).default(10);
}

/** Where the message goes, from the e-mail options and the environment (never from content files). */
function delivery(to: string, flags: Omit<ProgramEmailFlags, 'to'>): Delivery {
  return {
    to,
    eml: flags.eml,
    send: flags.send ?? false,
    maxBytes: flags.maxSize * 2 ** 20,
    smtpUrl: process.env.HANDOUT_SMTP_URL,
    mailFrom: process.env.HANDOUT_MAIL_FROM,
  };
}

/**
 * The message as composed, then what was done with it. The patient's name is shown as
 * "(patient)": terminals end up in logs, and the name is in the message itself (--eml).
 */
function printEmail(m: ComposedEmail, done: string[], patient: string | undefined): void {
  const attachments = m.attachments.map((a) => `${a.filename} (${Math.round(a.content.length / 1024)} KB)`).join(', ');
  const text = patient ? m.text.split(patient).join('(patient)') : m.text;
  console.log(`From: ${m.from}\nTo: ${m.to}\nSubject: ${m.subject}\nAttachment${m.attachments.length > 1 ? 's' : ''}: ${attachments}\n\n${text}`);
  if (done.length === 0) console.log('(dry run: nothing sent; use --send to send it, or --eml FILE to save it)');
  for (const line of done) console.log(line);
}

/** Personal copies go here, outside the site folder (`handout init` lists it in .gitignore). */
function privateOutOption(): Option {
  return new Option('--private-out <dir>', 'folder for personal copies, kept out of the site folder').default('private');
}

/** A personal copy when any of its values is given, else the blank sheet. */
function personalCopy(flags: PersonalFlags): { patient?: string; clinician?: string; date?: string } | undefined {
  return flags.patient || flags.clinician || flags.date ? { patient: flags.patient, clinician: flags.clinician, date: flags.date } : undefined;
}

/**
 * A clinic's templates folder holds only what it changes: each file in it replaces the
 * built-in one of the same name, catalog strings one by one (shared/template-files.ts).
 */
function templatesOption(
  description = 'your templates: a handout.hbs, partial, stylesheet, fonts.yaml or locales/ catalog here replaces the built-in one (catalogs string by string)',
): Option {
  const own = existsSync('templates');
  return new Option('--templates <dir>', description).default(own ? 'templates' : DEFAULT_TEMPLATES_DIR, own ? './templates over the built-in ones' : 'the built-in templates');
}

function shardSpec(value: string): { index: number; count: number } {
  const match = /^(\d+)\/(\d+)$/.exec(value);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) throw new InvalidArgumentError('expected k/n with 1 ≤ k ≤ n, e.g. --shard 2/3');
  return { index, count };
}

function portNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port number from 0 to 65535');
  return n;
}

function wsUrl(value: string): string {
  let url: URL | null = null;
  try {
    url = new URL(value);
  } catch {
    // reported below
  }
  if (!url || (url.protocol !== 'ws:' && url.protocol !== 'wss:')) {
    throw new InvalidArgumentError('expected the DevTools WebSocket URL a Chrome started with --remote-debugging-port prints, e.g. ws://127.0.0.1:9222/devtools/browser/…');
  }
  return value;
}

/** The matrix as text: a letter per translation, then what needs doing, line by line. */
function printTranslationMatrix(matrix: Awaited<ReturnType<typeof import('./translations/translation-status.js').translationMatrix>>): void {
  const mark = (state: string) => ({ source: 'S', reviewed: '✓', draft: 'd', stale: '!', untracked: '?', original: 'o', missing: '–', offered: ' ' })[state] ?? state;
  const width = Math.max(10, ...matrix.rows.map((r) => r.ref.length)) + 2;
  console.log(`${''.padEnd(width)}${matrix.locales.map((l) => l.padEnd(6)).join('')}`);
  for (const row of matrix.rows) {
    const cells = row.cells.map((c) => mark(c.status.state === 'missing' && c.status.intended ? 'offered' : c.status.state).padEnd(6));
    console.log(`${row.ref.padEnd(width)}${cells.join('')}`);
  }
  console.log(`\nS source (${matrix.source}) · ✓ reviewed · d draft (not reviewed) · ! stale · ? not recorded · o written in this language first · – missing · blank: not offered`);
  const todo = matrix.rows.flatMap((r) =>
    r.cells.flatMap((c) =>
      c.status.state === 'stale'
        ? [`! ${c.file}: its source changed since it was translated: ${c.status.changed.join(', ')}`]
        : c.status.state === 'untracked'
          ? [`? ${c.file}: not recorded (handout translations --mark ${c.locale} ${r.ref})`]
          : [],
    ),
  );
  if (todo.length) console.log(`\n${todo.join('\n')}`);
  const count = (state: string) => matrix.rows.reduce((n, r) => n + r.cells.filter((c) => c.status.state === state).length, 0);
  console.log(`\n${count('reviewed')} reviewed, ${count('draft')} drafts, ${count('stale')} stale, ${count('untracked')} not recorded`);
}

function localeCode(value: string): string {
  if (!/^[a-z]{2,3}(-[A-Z][a-z]{3})?(-[A-Z]{2})?$/.test(value)) throw new InvalidArgumentError('expected a locale such as en, es, pt-BR');
  return value;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
  return n;
}

program.parseAsync().catch((err: unknown) => {
  // Anything but a HandoutError reaching here is a bug: said as INTERNAL, with its stack.
  printError(toHandoutError(err, 'INTERNAL'), err instanceof HandoutError ? process.argv.includes('--verbose') : true);
  process.exitCode = 2;
});

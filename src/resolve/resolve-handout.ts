/**
 * Resolves a valid handout into everything the page shows: UI words from the locale's
 * catalog, defaults for the pain warning and disclaimer, formatted doses and embedded
 * illustrations. Also records the safety texts the verifier must find in the PDF.
 */
import { inlineExercises, type PlacedExercise } from '../content/exercise-library.js';
import { positionOf } from '../content/load-yaml.js';
import type { ExerciseData, Region } from '../content/handout-schema.js';
import type { ValidHandout, HandoutSource } from '../content/validate-handout.js';
import { HandoutError } from '../errors.js';
import { fill, formatHold, numberingFor } from '../i18n/format-hold.js';
import type { Catalog, PluralForms } from '../i18n/load-catalog.js';
import { compactText, countOccurrences } from '../shared/normalize-text.js';
import type { IllustrationStore } from './load-image.js';
import { localizeClinic, type ResolvedClinic } from './resolve-clinic.js';
import type { TranslationStamp } from '../translations/translation-status.js';

export type PageSize = 'A4' | 'Letter';
export const PAGE_SIZES: readonly PageSize[] = ['A4', 'Letter'];

export interface TitledText {
  title: string;
  text: string;
}

/** A text with a lead-in label, split so the label can be set in bold: "Caution: " + text. */
export interface LabelledText {
  lead: string;
  text: string;
  tail: string;
}

export interface ExerciseView {
  number: number;
  /** Where it is in the handout, for messages about length: 'exercises[1] "Knee hug"'. */
  part: string;
  /** Keeps the full width when exercises go two to a row (see wideExercises). */
  wide: boolean;
  name: string;
  illustration: { src: string; alt: string } | null;
  steps: string[];
  /** The dose as short chips: "Hold 15–30 seconds", "2 sets", "How often: Once a day"… */
  dose: string[];
  caution: LabelledText | null;
  /** When to stop: the exercise's own stop_rule, the handout's, or the locale's "Stop if you feel pain." */
  stopRule: string;
}

/**
 * What the template sees. Every field is present (null or [] when empty), so the
 * template runs in Handlebars' strict mode and a typo in it is an error, not a blank.
 */
export interface HandoutView {
  lang: string;
  dir: 'ltr' | 'rtl';
  pageSize: PageSize;
  largePrint: boolean;
  /** The title as text (the document title, the PDF's metadata). */
  title: string;
  /**
   * The title as printed: the title itself. Words are never hyphenated (a soft hyphen
   * would stay in the PDF's text and break the word for search, copy and screen readers);
   * a word longer than its line wraps without a hyphen (overflow-wrap in the styles).
   */
  heading: string;
  subtitle: string | null;
  /** "Sheet 1 of 2": on each sheet of a program printed on several (source.sheet); else null. */
  sheetOf: string | null;
  /** The catalog's line saying the translation is not yet reviewed, on a draft translation; else null. */
  translationDraft: string | null;
  category: string | null;
  summary: string | null;
  warning: TitledText;
  exercises: ExerciseView[];
  considerations: TitledText[];
  alternatives: TitledText[];
  painWarning: TitledText;
  disclaimer: LabelledText;
  /** Patient, date and clinician: filled for a personal copy, blank lines to write on otherwise. */
  writeIn: Array<{ label: string; value: string | null }>;
  /**
   * lang: the language of the clinic's name, address and footer line when it is not the
   * page's, so the PDF and screen readers know them for another language; else null.
   */
  clinic: (ResolvedClinic & { phoneLine: LabelledText | null } & ReturnType<typeof clinicLines>) | null;
  /** "Reviewed by … on …", "Version 3": small print in the footer. */
  stamp: string[];
  /** alt: what a screen reader says for it, the address included (nobody can scan it by ear). */
  qr: { src: string; caption: string; alt: string } | null;
  ui: { steps: string; considerations: string; alternatives: string };
  /**
   * On screen only (the published HTML page): links to the site index, the PDF and the
   * same handout in its other languages. Null for personal copies and large print, which
   * are not published.
   */
  site: SiteNav | null;
  /** Large print only: the title and page numbers on every page. */
  pageHeader: PageHeader | null;
}

/** Printed in the top margin of every page of a sheet that takes two (large print). */
export interface PageHeader {
  title: string;
  /** "Page ", " of ", "": the catalog's page_of around {page} and {pages}. */
  pageOf: [string, string, string];
}

export interface SiteNav {
  label: string;
  index: { href: string; label: string };
  pdf: { href: string; label: string };
  languages: Array<{ locale: string; name: string; href: string; current: boolean }>;
}

/** A language a handout exists in, with the language's own name for it. */
export interface Sibling {
  locale: string;
  name: string;
}

/** Who a personal copy is for (handout build --patient … --clinician … --date …). */
export interface Personalisation {
  patient?: string | undefined;
  clinician?: string | undefined;
  /** YYYY-MM-DD */
  date?: string | undefined;
}

/** The texts that must survive into the PDF; the verifier reads the PDF back for these. */
export interface SafetyTexts {
  warning: string[];
  painWarning: string;
  disclaimer: string;
  /**
   * Each distinct stop rule with how often it must appear: under every exercise that has it,
   * plus wherever the rest of the printed text says it too (or contains it, as a longer rule
   * contains a shorter one), so a rule left out of one exercise is always missed.
   */
  stopRules: Array<{ text: string; count: number }>;
  /** "Sheet 1 of 2" on a sheet of several: a patient holding one sheet must see that there is another. */
  sheetOf?: string;
  /** On a translation nobody has reviewed: it must never pass for a reviewed one. */
  translationDraft?: string;
}

export interface ResolvedHandout {
  source: HandoutSource;
  /** The review date (YYYY-MM-DD), recorded as the PDF's date when SOURCE_DATE_EPOCH is not set. */
  reviewed: string | null;
  view: HandoutView;
  safety: SafetyTexts;
  warnings: HandoutError[];
  meta: {
    title: string;
    category: string | null;
    summary: string | null;
    languageName: string;
    dir: 'ltr' | 'rtl';
    /** On a draft translation, its draft line in its own language: the site index marks it with it. */
    draftNote: string | null;
  };
}

export interface ResolveContext {
  catalog: Catalog;
  illustrations: IllustrationStore;
  pageSize: PageSize;
  clinic: ResolvedClinic | null;
  personal: Personalisation | null;
  /** A sheet that has no page on the clinic's site (a personal program): no QR code to one. */
  unpublished?: boolean;
  largePrint: boolean;
  /** Every language this handout exists in (itself included), for the language links. */
  siblings?: readonly Sibling[];
  /**
   * The handout's exercises with its library references placed (ExerciseLibrary.place);
   * without them, a handout must write every exercise inline.
   */
  exercises?: readonly PlacedExercise[];
  /**
   * Whether this sheet is a translation, and reviewed (translations/translation-status.ts):
   * a draft says so in its footer, in its language; a reviewed one names its reviewer.
   */
  translation?: TranslationStamp;
}

export async function resolveHandout(handout: ValidHandout, ctx: ResolveContext): Promise<ResolvedHandout> {
  const { data, source } = handout;
  const s = ctx.catalog.strings;
  const placed = ctx.exercises ?? inlineExercises(handout);
  const wide = wideExercises(placed.map((p) => p.data));
  // A later sheet of a split program numbers its exercises on from the sheet before.
  const first = source.sheet?.first ?? 0;
  const numbers = numberingFor(ctx.catalog.locale).numbers;
  const exercises = await Promise.all(
    placed.map(async ({ data: ex, at }, i): Promise<ExerciseView> => {
      const where = at('illustration');
      const illustration = ex.illustration ? await ctx.illustrations.get(ex.illustration, positionOf(where.yaml, where.path)) : null;
      return {
        number: first + i + 1,
        part: `exercises[${first + i}] "${ex.name}"`,
        wide: wide[i]!,
        name: ex.name,
        illustration: illustration && { src: illustration.dataUrl, alt: ex.illustration_alt ?? fill(s.illustration_alt, { name: ex.name }) },
        steps: ex.steps,
        dose: doseOf(ex, ctx.catalog),
        caution: ex.caution === undefined ? null : labelled(ctx.catalog, s.caution, ex.caution),
        stopRule: ex.stop_rule ?? data.stop_rule ?? s.stop_if_pain,
      };
    }),
  );
  const view: HandoutView = {
    lang: source.locale,
    dir: s.dir,
    pageSize: ctx.pageSize,
    largePrint: ctx.largePrint,
    title: data.title,
    heading: data.title,
    subtitle: data.subtitle ?? null,
    translationDraft: ctx.translation?.state === 'draft' ? s.translation_draft : null,
    sheetOf: source.sheet ? fill(s.sheet_of, { sheet: numbers.format(source.sheet.index), sheets: numbers.format(source.sheet.count) }) : null,
    category: data.category ?? null,
    summary: data.summary ?? null,
    warning: { title: data.warning.title, text: data.warning.text },
    exercises,
    considerations: (data.considerations ?? []).map(({ title, text }) => ({ title, text })),
    alternatives: (data.alternatives ?? []).map(({ title, text }) => ({ title, text })),
    painWarning: { title: s.pain_warning_title, text: data.pain_warning ?? defaultPainWarning(s, data.region) },
    disclaimer: labelled(ctx.catalog, s.disclaimer_title, data.disclaimer ?? s.default_disclaimer),
    writeIn: [
      { label: s.patient, value: ctx.personal?.patient ?? null },
      // The short form ("Dec 5, 2026", "5 dic 2026"): the write-in box is one line, and names need the room.
      { label: s.date, value: ctx.personal?.date ? formatDate(ctx.personal.date, source.locale, 'medium') : null },
      { label: s.clinician, value: ctx.personal?.clinician ?? null },
    ],
    clinic: ctx.clinic && {
      ...ctx.clinic,
      ...clinicLines(ctx.clinic, source.locale),
      phoneLine: ctx.clinic.phone ? labelled(ctx.catalog, s.phone, ctx.clinic.phone) : null,
    },
    stamp: [
      data.reviewed ? fill(s.reviewed, { by: data.reviewed.by, date: formatDate(data.reviewed.date, source.locale) }) : null,
      ctx.translation?.state === 'draft' ? s.translation_draft : null,
      ctx.translation?.state === 'reviewed'
        ? fill(s.translation_reviewed, { by: ctx.translation.by, date: ctx.translation.on ? formatDate(ctx.translation.on, source.locale) : '' })
        : null,
      data.version !== undefined ? fill(s.version, { version: String(data.version) }) : null,
    ].filter((line): line is string => line !== null),
    qr: await qrFor(data.video, ctx.unpublished ? null : ctx.clinic?.siteUrl, source, s),
    ui: { steps: s.steps, considerations: s.considerations, alternatives: s.alternatives },
    site: ctx.largePrint || ctx.personal ? null : siteNav(source, s, ctx.siblings ?? []),
    pageHeader: ctx.largePrint ? { title: data.title, pageOf: pageOf(s.page_of) } : null,
  };
  const meta = { title: data.title, category: data.category ?? null, summary: data.summary ?? null, languageName: s.language_name, dir: s.dir, draftNote: view.translationDraft };
  return { source, reviewed: data.reviewed?.date ?? null, view, safety: safetyTexts(view), warnings: ctx.catalog.warnings, meta };
}

/**
 * Which exercises keep the full width when a crowded page sets exercises two to a row:
 * those with long steps (half a page's width makes them twice as tall), and a short one
 * alone between long ones (or the only one), which would leave a column empty.
 */
export function wideExercises(exercises: readonly Pick<ExerciseData, 'steps'>[]): boolean[] {
  const long = exercises.map((ex) => ex.steps.length > LONG_STEPS || ex.steps.join(' ').length > LONG_CHARACTERS);
  return long.map((isLong, i) => isLong || (long[i - 1] ?? true) && (long[i + 1] ?? true));
}
/** Beyond these an exercise is long: about 10 lines of steps at half width (40 characters a line at 12 pt). */
const LONG_STEPS = 6;
const LONG_CHARACTERS = 400;

/** Relative links, so the page works from disk or any static host: ../es/slug.html */
function siteNav(source: HandoutSource, s: Catalog['strings'], siblings: readonly Sibling[]): SiteNav {
  const slug = encodeURIComponent(source.slug);
  return {
    label: s.site_language,
    index: { href: '../index.html', label: s.site_title },
    pdf: { href: `${slug}.pdf`, label: s.site_download_pdf },
    languages: siblings.map((sibling) => ({
      locale: sibling.locale,
      name: sibling.name,
      href: `../${encodeURIComponent(sibling.locale)}/${slug}.html`,
      current: sibling.locale === source.locale,
    })),
  };
}

/** A QR code to the exercise video, or else to the handout's page on the clinic's site. */
async function qrFor(
  video: string | undefined,
  siteUrl: string | null | undefined,
  source: HandoutSource,
  s: Catalog['strings'],
): Promise<HandoutView['qr']> {
  const target = video ?? (siteUrl ? new URL(`${source.locale}/${source.slug}.html`, siteUrl).href : null);
  if (!target) return null;
  // Loaded on first use, not at start-up: a build with nothing to render never pays for it.
  const QRCode = (await import('qrcode')).default;
  const svg = await QRCode.toString(target, { type: 'svg', margin: 0, errorCorrectionLevel: 'M' });
  return {
    src: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`,
    caption: video ? s.qr_video : s.qr_online,
    alt: fill(video ? s.qr_alt_video : s.qr_alt_online, { url: target }),
  };
}

/** "Page {page} of {pages}" → ["Page ", " of ", ""]; the order of the numbers is the catalog's. */
function pageOf(pattern: string): [string, string, string] {
  const [before = '', rest = ''] = pattern.split('{page}');
  const [between = '', after = ''] = rest.split('{pages}');
  return [before, between, after];
}

/** 2026-12-01 → "1 December 2026" / "1 de diciembre de 2026" / "2026年12月1日". */
export function formatDate(isoDate: string, locale: string, dateStyle: 'long' | 'medium' = 'long'): string {
  return new Intl.DateTimeFormat(locale, { dateStyle, timeZone: 'UTC' }).format(new Date(`${isoDate}T00:00:00Z`));
}

function doseOf(ex: ExerciseData, catalog: Catalog): string[] {
  const s = catalog.strings;
  const count = (forms: PluralForms, n: number) =>
    fill(forms[numberingFor(catalog.locale).rules.select(n)] ?? forms.other, { count: numberingFor(catalog.locale).numbers.format(n) });
  const chips: Array<string | null> = [
    ex.hold_seconds === undefined ? null : formatHold(catalog, ex.hold_seconds),
    ex.sets === undefined ? null : count(s.sets, ex.sets),
    ex.reps === undefined ? null : count(s.reps, ex.reps),
    ex.repeat === undefined ? null : fill(s.labelled, { label: s.repeat, text: ex.repeat }),
    ex.frequency === undefined ? null : fill(s.labelled, { label: s.frequency, text: ex.frequency }),
  ];
  return chips.filter((c): c is string => c !== null);
}

/** Splits the catalog's "{label}: {text}" pattern (French "{label} : {text}", Chinese "{label}：{text}"). */
function labelled(catalog: Catalog, label: string, text: string): LabelledText {
  const [before = '', after = ''] = catalog.strings.labelled.split('{text}');
  return { lead: fill(before, { label }), text, tail: fill(after, { label }) };
}

function safetyTexts(view: HandoutView): SafetyTexts {
  if (!view.exercises.length) throw new HandoutError('SCHEMA', 'noExercise');
  const printed = compactText(
    [
      view.title, view.subtitle, view.category, view.summary, view.warning.title, view.warning.text,
      ...view.exercises.flatMap((e) => [e.name, ...e.steps, ...e.dose, e.caution?.text, e.stopRule]),
      ...[...view.considerations, ...view.alternatives].flatMap((t) => [t.title, t.text]),
      view.painWarning.title, view.painWarning.text, view.disclaimer.lead, view.disclaimer.text,
    ].join('\n'),
  );
  const rules = [...new Set(view.exercises.map((e) => e.stopRule))];
  return {
    warning: [view.warning.title, view.warning.text],
    painWarning: view.painWarning.text,
    disclaimer: view.disclaimer.text,
    stopRules: rules.map((text) => ({ text, count: countOccurrences(printed, compactText(text)) })),
    ...(view.sheetOf ? { sheetOf: view.sheetOf } : {}),
    ...(view.translationDraft ? { translationDraft: view.translationDraft } : {}),
  };
}

/** The locale's pain warning, true of any body part, then the named region's warning signs. */
function defaultPainWarning(s: Catalog['strings'], region: Region | undefined): string {
  if (!region) return s.default_pain_warning;
  // Chinese and Japanese put no space after a full stop ("…诊所。如果…").
  const space = /[\u3000-\u303f\uff00-\uffef]$/u.test(s.default_pain_warning) ? '' : ' ';
  return `${s.default_pain_warning}${space}${s.red_flags[region]}`;
}

/** A line of the clinic's details in the footer: its class in handout.css and its text. */
interface ClinicLine {
  class: string;
  text: string;
}

/**
 * The clinic's details as the footer prints them for a sheet in `locale`: those written in
 * its language (clinic.yaml, translations) as lines of the page; those only written in the
 * clinic's own language together in one block marked with that language (Chromium tags a
 * block's language in the PDF, not an inline element's), so screen readers read them in the
 * right voice. `name` is the clinic's name in the sheet's language where it has one (the logo's alt).
 */
function clinicLines(clinic: ResolvedClinic, locale: string): { name: string; lines: ClinicLine[]; footerLine: ClinicLine | null; foreign: { lang: string; lines: ClinicLine[] } | null } {
  const details = localizeClinic(clinic, locale);
  const classes = { name: 'clinic-name', address: 'clinic-address', hours: 'clinic-hours', footer: 'footer-line' } as const;
  const lines: ClinicLine[] = [];
  const foreign: ClinicLine[] = [];
  let footerLine: ClinicLine | null = null;
  let lang: string | null = null;
  for (const field of ['name', 'address', 'hours', 'footer'] as const) {
    const detail = details[field];
    if (!detail) continue;
    const line = { class: classes[field], text: detail.text };
    if (detail.lang) {
      lang = detail.lang;
      foreign.push(line);
    } else if (field === 'footer') footerLine = line;
    else lines.push(line);
  }
  return { name: details.name?.text ?? clinic.name, lines, footerLine, foreign: lang ? { lang, lines: foreign } : null };
}

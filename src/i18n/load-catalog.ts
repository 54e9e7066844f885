/**
 * Per-locale string catalogs: the UI words of a handout (headings, "Hold 15–30 seconds",
 * the default pain warning and disclaimer) live in templates/locales/<locale>.yaml.
 */
import path from 'node:path';
import { z } from 'zod';
import { REGIONS } from '../content/handout-schema.js';
import { loadYaml } from '../content/load-yaml.js';
import { displayPath } from '../content/safe-file.js';
import { schemaErrors } from '../content/validate-handout.js';
import { HandoutError } from '../errors.js';
import { localeChain } from '../shared/locale-chain.js';
import { allTemplateFiles, listTemplateFiles } from '../shared/template-files.js';

const uiText = z.string({ error: 'expected text' }).trim().min(1, { error: 'must not be empty' });

/** Plural forms keyed by Intl.PluralRules category; "other" is the one every language has. */
const plural = z.strictObject({
  zero: uiText.optional(),
  one: uiText.optional(),
  two: uiText.optional(),
  few: uiText.optional(),
  many: uiText.optional(),
  other: uiText,
});
export type PluralForms = z.infer<typeof plural>;

export const catalogSchema = z.strictObject({
  language_name: uiText,
  dir: z.enum(['ltr', 'rtl'], { error: 'expected ltr or rtl' }),
  steps: uiText,
  hold_seconds: plural,
  hold_seconds_range: plural,
  repeat: uiText,
  sets: plural,
  reps: plural,
  frequency: uiText,
  labelled: uiText.regex(/\{label\}[\s\S]*\{text\}/, { error: 'expected a pattern with {label} before {text}' }),
  caution: uiText,
  stop_if_pain: uiText,
  considerations: uiText,
  alternatives: uiText,
  pain_warning_title: uiText,
  default_pain_warning: uiText,
  /** Warning signs for each body region a handout may name (handout-schema.ts, REGIONS). */
  red_flags: z.strictObject(Object.fromEntries(REGIONS.map((r) => [r, uiText])) as Record<(typeof REGIONS)[number], typeof uiText>),
  disclaimer_title: uiText,
  default_disclaimer: uiText,
  /** The title of a personal program made of exercise ids (content/program-document.ts). */
  program_title: uiText,
  /** A personal program's warning, when the program has none of its own. */
  program_warning_title: uiText,
  program_warning: uiText,
  /** The heading of a program's notes. */
  program_notes: uiText,
  illustration_alt: uiText,
  patient: uiText,
  date: uiText,
  clinician: uiText,
  phone: uiText,
  reviewed: uiText,
  translation_draft: uiText,
  translation_reviewed: uiText,
  version: uiText,
  qr_video: uiText,
  qr_online: uiText,
  qr_alt_video: uiText.regex(/\{url\}/, { error: 'expected a text with {url}' }),
  qr_alt_online: uiText.regex(/\{url\}/, { error: 'expected a text with {url}' }),
  page_of: uiText,
  /** On each sheet of a program printed on several (handout program --split). */
  sheet_of: uiText.regex(/\{sheet\}[\s\S]*\{sheets\}|\{sheets\}[\s\S]*\{sheet\}/, { error: 'expected a text with {sheet} and {sheets}' }),
  large_print: uiText,
  site_title: uiText,
  site_language: uiText,
  site_download_pdf: uiText,
  site_read_online: uiText,
  site_other_category: uiText,
  site_large_print: uiText,
  /** {date}: when the sheet still listed was built. */
  site_failed: uiText.regex(/\{date\}/, { error: 'expected a text with {date}' }),
  site_large_print_failed: uiText,
  site_all_languages: uiText,
  site_category: uiText,
  site_all_categories: uiText,
  site_search: uiText,
  site_search_count: plural,
  site_no_results: uiText,
  email_subject: uiText,
  email_greeting_named: uiText,
  email_greeting: uiText,
  email_intro: uiText,
  email_stop_reminder: uiText,
  email_signoff: uiText,
});

/** A validated string catalog for one locale. */
export interface Catalog {
  locale: string;
  /** The most specific catalog file (the clinic's own, if it has one for this locale). */
  file: string;
  /** Every catalog file merged into it, in order: the base language's, then the locale's; built-in before the clinic's. */
  files: string[];
  strings: CatalogStrings;
  /** Problems that do not stop a build unless --strict: strings taken from English. */
  warnings: HandoutError[];
}
export type CatalogStrings = z.infer<typeof catalogSchema>;

/** The locale every other catalog falls back to for a missing string (unless --strict). */
export const FALLBACK_LOCALE = 'en';

/** Re-exported: the catalogs' fallback, shared with the exercise library (shared/locale-chain.ts). */
export { localeChain };

/**
 * The strings of one locale, merged string by string from every catalog that speaks for
 * it: the base language's, then the locale's own; in each, the built-in catalog, then the
 * clinic's (shared/template-files.ts). So a clinic's templates/locales/en-GB.yaml may hold
 * two strings, and a new language's catalog only what it translates.
 *
 * Unknown keys and wrong types are errors at their position. A key no catalog gives is
 * taken from `fallback` (English) with a warning naming the keys, so a half-translated
 * catalog still prints, in two languages, and says so; English itself must be complete.
 */
export async function loadCatalog(templatesDir: string, locale: string, fallback?: Catalog): Promise<Catalog> {
  const chain = localeChain(locale);
  const files = chain.flatMap((l) => allTemplateFiles(templatesDir, `locales/${l}.yaml`));
  if (files.length === 0) {
    const file = displayPath(path.resolve(templatesDir, 'locales', `${locale}.yaml`));
    throw new HandoutError('UNKNOWN_LOCALE', 'noCatalog', { locale, file, known: knownLocales(templatesDir).join(', ') }, { where: { file } });
  }
  const catalogs = await Promise.all(files.map(async (absPath) => ({ absPath, strings: await readCatalogFile(absPath) })));
  const merged: Partial<CatalogStrings> = Object.assign({}, ...catalogs.map((c) => c.strings));
  const file = displayPath(files.at(-1)!);
  // A regional locale is named as its readers name it ("British English"), unless its own catalog says.
  const namesItself = catalogs.some((c) => path.basename(c.absPath, '.yaml') === locale && c.strings.language_name);
  if (chain.length > 1 && !namesItself) {
    merged.language_name = new Intl.DisplayNames([locale], { type: 'language' }).of(locale) ?? merged.language_name;
  }
  const missing = Object.keys(catalogSchema.shape).filter((key) => !(key in merged));
  if (missing.length && !fallback) {
    throw new HandoutError('CATALOG', 'missingStrings', { locale, count: missing.length, strings: missing.length > 1 ? 'strings' : 'string', list: missing.join(', ') }, { where: { file } });
  }
  const warnings = missing.length
    ? [
        new HandoutError(
          'CATALOG_INCOMPLETE',
          'missingStrings',
          { locale, count: missing.length, strings: missing.length > 1 ? 'strings' : 'string', list: missing.join(', '), fallback: fallback!.locale, file },
          { where: { file } },
        ),
      ]
    : [];
  return { locale, file, files: files.map(displayPath), strings: { ...fallback?.strings, ...merged } as CatalogStrings, warnings };
}

/** One catalog file, every key optional (the merged result is checked for completeness). */
async function readCatalogFile(absPath: string): Promise<Partial<CatalogStrings>> {
  const yaml = await loadYaml(absPath, displayPath(absPath));
  const parsed = catalogSchema.partial().safeParse(yaml.data, { reportInput: true });
  if (!parsed.success) {
    const [first, ...rest] = schemaErrors(parsed.error, yaml, Object.keys(catalogSchema.shape));
    const more = rest.length ? ` (and ${rest.length} more: ${rest.map((e) => e.message).join('; ')})` : '';
    throw new HandoutError('CATALOG', 'fields', { first: first!.message, more }, { where: first!.where ?? { file: displayPath(absPath) } });
  }
  return parsed.data;
}

/** The locales some catalog speaks for, built-in or the clinic's. */
export function knownLocales(templatesDir: string): string[] {
  return listTemplateFiles(templatesDir, 'locales', '.yaml').map((f) => path.basename(f, '.yaml')).sort();
}

/** Loads each catalog once per build, the fallback first. */
export class CatalogStore {
  readonly #loaded = new Map<string, Promise<Catalog>>();
  constructor(readonly templatesDir: string) {}

  get(locale: string): Promise<Catalog> {
    let pending = this.#loaded.get(locale);
    if (!pending) {
      pending =
        locale === FALLBACK_LOCALE
          ? loadCatalog(this.templatesDir, locale)
          : this.get(FALLBACK_LOCALE).then((en) => loadCatalog(this.templatesDir, locale, en));
      this.#loaded.set(locale, pending);
    }
    return pending;
  }
}

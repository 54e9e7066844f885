/**
 * Which build options change what is printed, and the values the cache keys on.
 *
 * A sheet's cache key (input-fingerprint.ts) holds the *effective* value of every option
 * that changes its bytes, never whether a flag was given: `--page-size A4` on a clinic
 * that prints A4 anyway, or SOURCE_DATE_EPOCH=0170… for 170…, rebuilds nothing.
 * Every build option is classified below; the type makes a new option unbuildable until
 * it is, and test/unit/sheet-options.test.ts fails if an option classified `sheet` does
 * not change the key, or one classified otherwise does.
 */
import type { ClinicData } from '../config/clinic-schema.js';
import { documentDate } from '../print/document-date.js';
import type { PageSize, Personalisation } from '../resolve/resolve-handout.js';
import { ARTIFACT_PRODUCERS, type ArtifactProducer } from './artifacts.js';
import type { BuildOptions } from './build-handouts.js';

/** The per-sheet values a printed sheet depends on, besides its files (hashed apart). */
export interface SheetOptions {
  /** The paper it is printed on: --page-size, else clinic.yaml's for its locale, else A4. */
  pageSize: PageSize;
  largePrint: boolean;
  /** The write-in box's values; null for the blank sheet (which also links to the site). */
  personal: { patient: string | null; clinician: string | null; date: string | null } | null;
  /**
   * The date SOURCE_DATE_EPOCH gives every PDF (ISO), or null when it is unset or not a
   * number (then the handout's review date, which is part of its file, or none).
   */
  pdfDate: string | null;
  /**
   * The files each sheet becomes (`kind:.ext`), when a caller chose others than the default
   * (build/artifacts.ts): a sheet cached without one of them is built again to write it.
   */
  artifacts?: string[];
}

/**
 * What an option does to a build's outputs:
 * - `sheet`: changes the printed sheet; keyed per sheet by its effective value (SheetOptions).
 * - `inputs`: a folder whose files are hashed into the fingerprint; its path is not.
 * - `browser`: picks or drives the browser; the fingerprint names the browser it resolves to.
 * - `verdict`: changes which sheets pass, never their bytes; a cached sheet built with
 *   warnings is not taken from the cache under --strict (it would fail).
 * - `selection`: which sheets are built; a sheet's bytes do not depend on it (its
 *   language links are found over the whole content folder).
 * - `none`: where, how fast, how reported.
 */
export type OptionEffect = 'sheet' | 'inputs' | 'browser' | 'verdict' | 'selection' | 'none';

export const OPTION_EFFECTS = {
  contentDir: 'inputs',
  templatesDir: 'inputs',
  pageSize: 'sheet',
  largePrint: 'sheet',
  personal: 'sheet',
  sourceDateEpoch: 'sheet',
  artifacts: 'sheet',
  chrome: 'browser',
  browserWSEndpoint: 'browser',
  printer: 'browser',
  // A browser started by the caller (a personal program's, never cached): the browser it is.
  launched: 'browser',
  strict: 'verdict',
  // Refuses draft translations; prepare reads every sheet again under it (a cached draft is refused too).
  reviewedOnly: 'verdict',
  locales: 'selection',
  only: 'selection',
  shard: 'selection',
  // A personal program, given in memory: personal, so never cached (build-handouts.ts).
  documents: 'selection',
  outDir: 'none',
  privateDir: 'none',
  concurrency: 'none',
  timeoutMs: 'none',
  force: 'none',
  signal: 'none',
  onResult: 'none',
  onPlan: 'none',
} as const satisfies Record<keyof BuildOptions, OptionEffect>;

/** The paper a locale's sheets are printed on. */
export function effectivePageSize(flag: PageSize | undefined, clinic: Pick<ClinicData, 'page_size' | 'page_size_by_locale'> | undefined, locale: string): PageSize {
  return flag ?? clinic?.page_size_by_locale?.[locale] ?? clinic?.page_size ?? 'A4';
}

/** The effective sheet options of one sheet, given its resolved paper size. */
export function sheetOptions(options: Pick<BuildOptions, 'largePrint' | 'personal' | 'sourceDateEpoch' | 'artifacts'>, pageSize: PageSize): SheetOptions {
  return {
    pageSize,
    largePrint: options.largePrint ?? false,
    personal: options.personal ? personalValues(options.personal) : null,
    pdfDate: documentDate(options.sourceDateEpoch, null)?.toISOString() ?? null,
    ...artifactKinds(options.artifacts),
  };
}

/** The files a sheet becomes, keyed only when they are not the default ones: existing builds keep their keys. */
function artifactKinds(producers: readonly ArtifactProducer[] | undefined): Pick<SheetOptions, 'artifacts'> {
  const kinds = (list: readonly ArtifactProducer[]) => list.map(({ kind, extension }) => `${kind}:${extension}`);
  const chosen = kinds(producers ?? ARTIFACT_PRODUCERS);
  return chosen.join() === kinds(ARTIFACT_PRODUCERS).join() ? {} : { artifacts: chosen };
}

/** Exactly what resolve-handout.ts prints for each line of the write-in box. */
function personalValues(personal: Personalisation): NonNullable<SheetOptions['personal']> {
  return { patient: personal.patient ?? null, clinician: personal.clinician ?? null, date: personal.date ?? null };
}

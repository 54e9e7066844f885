/**
 * Output file names. A personal copy or a large-print variant never overwrites the
 * blank standard sheet: each gets its own name.
 *   en/lower-back-relief
 *   en/lower-back-relief--zoe-obrien-5d41a2--2026-12-01   (in the private folder)
 *   en/lower-back-relief--by-sam-lee-pt                   (a copy with only the clinician filled in)
 *   en/lower-back-relief.large-print
 *   en/low-back-week-1--zoe-obrien-5d41a2--sheet-1-of-2  (a program printed on two sheets)
 * Slugs may not contain "--" (see discover-handouts.ts), so no handout's blank sheet can
 * take the name of another handout's personal copy.
 *
 * A patient's name is written as any-ascii's transliteration, so a clinician finds
 * "Łukasz Żółć" as lukasz-zolc and 王小明 as wangxiaoming, followed by a short hash of the
 * name exactly as typed, so names that transliterate alike (Zoë and Zoe, Jürgen Weiß and
 * Jurgen Weiss) never share a file. Logs and reports show the hash alone (shownName).
 */
import { createHash } from 'node:crypto';
import anyAscii from 'any-ascii';
import type { HandoutSource } from '../content/validate-handout.js';
import type { Personalisation } from '../resolve/resolve-handout.js';

/** Separates the slug from the personal parts of a name; never part of a slug or of nameSlug(). */
export const PERSONAL_SEPARATOR = '--';

/** What stands for the patient's name where the name itself must not be shown. */
const HIDDEN = '…';

export function outputName(source: HandoutSource, personal: Personalisation | null, largePrint: boolean): string {
  return nameOf(source, personal, largePrint, false);
}

/** The same name as logs, reports and the terminal may show it: the patient's name hidden, its hash kept. */
export function shownName(source: HandoutSource, personal: Personalisation | null, largePrint: boolean): string {
  return nameOf(source, personal, largePrint, true);
}

/** Whether a sheet is a personal copy: it holds patient data and is written to the private folder. */
export function isPersonal(personal: Personalisation | null | undefined): boolean {
  return Boolean(personal?.patient || personal?.clinician || personal?.date);
}

function nameOf(source: HandoutSource, personal: Personalisation | null, largePrint: boolean, hideName: boolean): string {
  const parts = [source.slug];
  if (personal?.patient) parts.push(patientPart(personal.patient, hideName));
  if (personal?.date) parts.push(personal.date);
  // A copy filled in with only the clinician is still a personal copy: without a part of
  // its own it would be written over the blank sheet.
  if (parts.length === 1 && personal?.clinician) parts.push(`by-${transliterated(personal.clinician) || `clinician-${shortHash(personal.clinician)}`}`);
  // Each sheet of a program split over several is a file of its own, named in order.
  if (source.sheet) parts.push(`sheet-${source.sheet.index}-of-${source.sheet.count}`);
  return `${source.locale}/${parts.join(PERSONAL_SEPARATOR)}${largePrint ? '.large-print' : ''}`;
}

/** "Zoë O'Brien" → "zoe-obrien-5d41a2"; hidden: "…-5d41a2". Never contains "--". */
function patientPart(name: string, hideName: boolean): string {
  const hash = shortHash(name);
  if (hideName) return `${HIDDEN}-${hash}`;
  return `${transliterated(name) || 'patient'}-${hash}`;
}

function transliterated(name: string): string {
  return anyAscii(name.normalize('NFC'))
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 40)
    .replace(/^-+|-+$/g, '');
}

/** Six hex digits of the name as typed (NFC): 16 million values, for a clinic's patients. */
function shortHash(name: string): string {
  return createHash('sha256').update(name.normalize('NFC')).digest('hex').slice(0, 6);
}

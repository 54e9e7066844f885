/**
 * Output file names. A personal copy or a large-print variant never overwrites the
 * blank standard sheet: each gets its own name.
 *   en/lower-back-relief
 *   en/lower-back-relief--jane-doe--2026-12-01
 *   en/lower-back-relief--by-sam-lee-pt          (a copy with only the clinician filled in)
 *   en/lower-back-relief.large-print
 * Slugs may not contain "--" (see discover-handouts.ts), so no handout's blank sheet can
 * take the name of another handout's personal copy.
 */
import { createHash } from 'node:crypto';
import type { HandoutSource } from '../content/validate-handout.js';
import type { Personalisation } from '../resolve/resolve-handout.js';

/** Separates the slug from the personal parts of a name; never part of a slug or of nameSlug(). */
export const PERSONAL_SEPARATOR = '--';

export function outputName(source: HandoutSource, personal: Personalisation | null, largePrint: boolean): string {
  const parts = [source.slug];
  if (personal?.patient) parts.push(nameSlug(personal.patient, 'patient'));
  if (personal?.date) parts.push(personal.date);
  // A copy filled in with only the clinician is still a personal copy: without a part of
  // its own it would be written over the blank sheet.
  if (parts.length === 1 && personal?.clinician) parts.push(`by-${nameSlug(personal.clinician, 'clinician')}`);
  return `${source.locale}/${parts.join(PERSONAL_SEPARATOR)}${largePrint ? '.large-print' : ''}`;
}

/** "Zoë O'Brien" → "zoe-obrien"; a name with no Latin letters → "patient-1a2b3c4d". Never contains "--". */
function nameSlug(name: string, fallback: string): string {
  const ascii = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 40)
    .replace(/^-+|-+$/g, '');
  return ascii || `${fallback}-${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
}

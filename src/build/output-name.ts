/**
 * Output file names. A personal copy or a large-print variant never overwrites the
 * blank standard sheet: each gets its own name.
 *   en/lower-back-relief
 *   en/lower-back-relief--jane-doe--2026-12-01
 *   en/lower-back-relief.large-print
 */
import { createHash } from 'node:crypto';
import type { HandoutSource } from '../content/validate-handout.js';
import type { Personalisation } from '../resolve/resolve-handout.js';

export function outputName(source: HandoutSource, personal: Personalisation | null, largePrint: boolean): string {
  const parts = [source.slug];
  if (personal?.patient) parts.push(nameSlug(personal.patient));
  if (personal?.date) parts.push(personal.date);
  return `${source.locale}/${parts.join('--')}${largePrint ? '.large-print' : ''}`;
}

/** "Zoë O'Brien" → "zoe-obrien"; a name with no Latin letters → "patient-1a2b3c4d". */
function nameSlug(name: string): string {
  const ascii = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return ascii || `patient-${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
}

/**
 * The clinic's branding as the page shows it, resolved once per build: the logo read and
 * embedded, contact details in print order.
 */
import path from 'node:path';
import { localeChain } from '../shared/locale-chain.js';
import type { Clinic } from '../config/load-clinic.js';
import { loadImage } from './load-image.js';

export interface ResolvedClinic {
  name: string;
  logo: string | null;
  address: string | null;
  phone: string | null;
  email: string | null;
  website: string | null;
  footer: string | null;
  hours: string | null;
  /** The language its name, address, footer line and hours are written in. */
  language: string;
  /** The same in other languages (clinic.yaml, translations), by locale. */
  translations: Readonly<Record<string, Partial<Record<LocalizedField, string>>>>;
  accent: string | null;
  siteUrl: string | null;
}

export async function resolveClinic(clinic: Clinic | null, contentDir: string): Promise<ResolvedClinic | null> {
  if (!clinic) return null;
  const d = clinic.data;
  const logo = d.logo ? (await loadImage(path.join(contentDir, d.logo), contentDir, clinic.positionOf('logo'), 'the logo')).dataUrl : null;
  return {
    name: d.name,
    logo,
    address: d.address ?? null,
    phone: d.phone ?? null,
    email: d.email ?? null,
    // Printed without the scheme: patients type "riverside-physio.example", not "https://…".
    website: d.website ? d.website.replace(/^https:\/\//i, '').replace(/\/$/, '') : null,
    footer: d.footer ?? null,
    hours: d.hours ?? null,
    language: d.language ?? 'en',
    translations: d.translations ?? {},
    accent: d.accent ?? null,
    siteUrl: d.site_url ?? null,
  };
}

/** The clinic's details that may be written per language. */
export const LOCALIZED_FIELDS = ['name', 'address', 'footer', 'hours'] as const;
export type LocalizedField = (typeof LOCALIZED_FIELDS)[number];

/** One detail as a sheet prints it: its text, and its language when that is not the sheet's. */
export interface LocalizedText {
  text: string;
  lang: string | null;
}

/**
 * The clinic's name, address, footer line and hours for a sheet in `locale`: each in the
 * locale's own words where clinic.yaml gives them (its regional variant's first: pt-BR, then
 * pt), else as written, marked with the clinic's language when that differs from the
 * sheet's, so a screen reader reads an English name on an Arabic sheet in English.
 */
export function localizeClinic(clinic: ResolvedClinic, locale: string): Record<LocalizedField, LocalizedText | null> {
  const chain = localeChain(locale).reverse();
  const base = (l: string) => l.split('-')[0]!.toLowerCase();
  const foreign = base(clinic.language) === base(locale) ? null : clinic.language;
  const out = {} as Record<LocalizedField, LocalizedText | null>;
  for (const field of LOCALIZED_FIELDS) {
    const own = chain.map((l) => clinic.translations[l]?.[field]).find((v) => v !== undefined);
    const written = clinic[field];
    out[field] = own !== undefined ? { text: own, lang: null } : written ? { text: written, lang: foreign } : null;
  }
  return out;
}

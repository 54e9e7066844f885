/**
 * The clinic's branding as the page shows it, resolved once per build: the logo read and
 * embedded, contact details in print order.
 */
import path from 'node:path';
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
  /** The language its name, address and footer line are written in. */
  language: string;
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
    language: d.language ?? 'en',
    accent: d.accent ?? null,
    siteUrl: d.site_url ?? null,
  };
}

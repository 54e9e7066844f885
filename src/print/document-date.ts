/**
 * The date a PDF records. Chromium stamps /CreationDate and /ModDate with the current time,
 * the only bytes that would differ between two prints of the same page; finish-pdf.ts
 * replaces its Info dictionary with one carrying this date (or none), so a build is
 * byte-reproducible.
 */

/**
 * SOURCE_DATE_EPOCH (the reproducible-builds convention) when set, else the handout's
 * review date, else none.
 */
export function documentDate(sourceDateEpoch: string | undefined, reviewed: string | null): Date | null {
  if (sourceDateEpoch && /^\d+$/.test(sourceDateEpoch)) return new Date(Number(sourceDateEpoch) * 1000);
  return reviewed ? new Date(`${reviewed}T00:00:00Z`) : null;
}

/** D:YYYYMMDDHHmmSS+00'00', Chromium's form, in UTC. */
export function pdfDate(date: Date): string {
  const iso = date.toISOString();
  return `D:${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}+00'00'`;
}

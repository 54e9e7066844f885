/**
 * Reproducible PDFs: Chromium stamps /CreationDate and /ModDate with the current time,
 * the only bytes that differ between two prints of the same page. They are rewritten in
 * place (same length, so the cross-reference offsets stay right) to a fixed date, or
 * blanked when there is none: whitespace is legal between dictionary entries.
 */
const DATE_ENTRY = /\/(CreationDate|ModDate) \((D:\d{14}[^)]*)\)/g;

/** @param date the moment to record, or null for no date at all */
export function fixPdfDates(bytes: Uint8Array, date: Date | null): Uint8Array {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The Info dictionary sits near the start of Chromium's output; never scan font data.
  const head = buffer.subarray(0, Math.min(buffer.length, 4096)).toString('latin1');
  const out = Buffer.from(buffer);
  for (const match of head.matchAll(DATE_ENTRY)) {
    const original = match[0];
    const dated = date ? `/${match[1]} (${pdfDate(date)})` : '';
    const replacement = dated.length === original.length ? dated : ' '.repeat(original.length);
    out.write(replacement, match.index, 'latin1');
  }
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** D:YYYYMMDDHHmmSS+00'00', Chromium's form, in UTC. */
export function pdfDate(date: Date): string {
  const iso = date.toISOString();
  return `D:${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}+00'00'`;
}

/**
 * The date a PDF records: SOURCE_DATE_EPOCH (the reproducible-builds convention) when
 * set, else the handout's review date, else none.
 */
export function documentDate(sourceDateEpoch: string | undefined, reviewed: string | null): Date | null {
  if (sourceDateEpoch && /^\d+$/.test(sourceDateEpoch)) return new Date(Number(sourceDateEpoch) * 1000);
  return reviewed ? new Date(`${reviewed}T00:00:00Z`) : null;
}

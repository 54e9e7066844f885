/**
 * The fonts a PDF uses, by PostScript name without the subset tag ("AAAAAA+NotoSans-Bold"
 * → "NotoSans-Bold"). Chromium (Skia) writes font dictionaries uncompressed, so a scan
 * of the bytes finds every /BaseFont.
 */
export function pdfFontNames(bytes: Uint8Array): string[] {
  const source = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const names = new Set<string>();
  for (const match of source.matchAll(/\/BaseFont\s*\/(?:[A-Z]{6}\+)?([^\s/<>[\]()]+)/g)) names.add(match[1]!);
  return [...names];
}

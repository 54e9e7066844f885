/**
 * Counts the pages of a PDF Chromium just printed, without parsing it: Chromium (Skia)
 * writes page objects uncompressed. Used only to choose a fit level; the verifier reads
 * the final PDF properly.
 */
export function countPages(bytes: Uint8Array): number {
  const source = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return source.match(/\/Type\s*\/Page(?![A-Za-z])/g)?.length ?? 0;
}

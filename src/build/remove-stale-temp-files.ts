/**
 * A run killed mid-write leaves temp files (never half-written PDFs: those are only ever
 * renamed into place complete). The next run removes them.
 */
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { TEMP_PREFIX } from './write-atomic.js';

export async function removeStaleTempFiles(outDir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(outDir, { withFileTypes: true, recursive: true });
  } catch {
    return [];
  }
  const stale = entries
    .filter((e) => e.isFile() && e.name.startsWith(TEMP_PREFIX) && e.name.endsWith('.tmp'))
    .map((e) => path.join(e.parentPath, e.name));
  await Promise.all(stale.map((f) => rm(f, { force: true })));
  return stale;
}

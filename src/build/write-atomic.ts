/**
 * Writes a file so that readers only ever see the old version or the complete new one:
 * a temp file in the same folder (same filesystem), flushed, then renamed over the target.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { HandoutError } from '../errors.js';
import { displayPath } from '../content/safe-file.js';

/** Temp files start with this so a later run can find and remove ones left by a killed run. */
export const TEMP_PREFIX = '.handout-';

export async function writeAtomic(target: string, data: Uint8Array | string): Promise<void> {
  const dir = path.dirname(target);
  const temp = path.join(dir, `${TEMP_PREFIX}${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await mkdir(dir, { recursive: true });
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (err) {
    await rm(temp, { force: true }).catch(() => {});
    throw new HandoutError('WRITE', 'cannotWrite', { file: displayPath(target), detail: (err as Error).message }, {
      where: { file: displayPath(target) },
      cause: err,
    });
  }
}

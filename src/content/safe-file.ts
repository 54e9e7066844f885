/**
 * The one gate every input file passes before it is read: it must be a regular file,
 * inside its root folder once symlinks are resolved, and not too large. This is checked
 * with stat before any read, so FIFOs, devices and /proc files never block a build.
 */
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { HandoutError, type SourcePosition } from '../errors.js';

export interface SafeFileOptions {
  maxBytes: number;
  /** When given, the file (after resolving symlinks) must be inside this folder. */
  root?: string;
  /** Where to point the error (e.g. the YAML field that named the file). */
  where?: SourcePosition;
}

export async function checkRegularFile(absPath: string, file: string, options: SafeFileOptions): Promise<void> {
  const where = options.where ?? { file };
  const code = options.where ? 'ASSET_UNSAFE' : 'FILE_UNREADABLE';
  let real: string;
  try {
    real = await realpath(absPath);
  } catch {
    throw new HandoutError(options.where ? 'ASSET_MISSING' : 'FILE_UNREADABLE', 'notFound', { file }, { where });
  }
  if (options.root) {
    const root = await realpath(options.root);
    if (!isInside(root, real)) {
      throw new HandoutError(code, 'outside', { file, root: path.relative(process.cwd(), root) || '.', real }, {
        where,
      });
    }
  }
  const info = await stat(real);
  if (!info.isFile()) {
    throw new HandoutError(code, 'notRegular', { file }, { where });
  }
  if (info.size > options.maxBytes) {
    throw new HandoutError('FILE_TOO_LARGE', 'tooLarge', { file, size: formatBytes(info.size), limit: formatBytes(options.maxBytes) }, { where });
  }
}

export function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/** Path shown to users: relative to the working directory when inside it. */
export function displayPath(absPath: string): string {
  const rel = path.relative(process.cwd(), absPath);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : absPath;
}

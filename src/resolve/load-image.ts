/**
 * Illustrations are read by Node, checked, and handed to the page as data: URLs inside
 * <img>. An SVG shown through <img> can neither run script nor fetch anything, so a
 * hostile illustration cannot reach the network or the disk; and for the same reason an
 * SVG with text or a linked picture would not print as drawn, so those are refused here,
 * at their line in the SVG (check-svg.ts).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { checkRegularFile, displayPath } from '../content/safe-file.js';
import { HandoutError, type SourcePosition } from '../errors.js';
import { checkSvg, svgError } from './check-svg.js';

export const ILLUSTRATION_EXTENSIONS = ['svg', 'png', 'jpg', 'jpeg'] as const;
const MIME = { svg: 'image/svg+xml', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg' } as const;
/** Vector line art is a few KB; a photo for one exercise box never needs more than this. */
export const MAX_ILLUSTRATION_BYTES = 2 * 1024 * 1024;

export interface Illustration {
  id: string;
  file: string;
  dataUrl: string;
}

/** Loads illustrations once per build, however many handouts and locales use them. */
export class IllustrationStore {
  readonly #cache = new Map<string, Promise<Illustration>>();
  constructor(readonly dir: string) {}

  /** `where` is the YAML position of the id, so a missing file is reported there. */
  get(id: string, where: SourcePosition): Promise<Illustration> {
    let pending = this.#cache.get(id);
    if (!pending) {
      pending = this.#load(id, where);
      this.#cache.set(id, pending);
    }
    // Errors must point at each handout that names the id, not just the first one.
    return pending.catch((err: unknown) => {
      throw err instanceof HandoutError ? err.with({ where }) : err;
    });
  }

  async #load(id: string, where: SourcePosition): Promise<Illustration> {
    for (const ext of ILLUSTRATION_EXTENSIONS) {
      const absPath = path.join(this.dir, `${id}.${ext}`);
      try {
        return { id, ...(await loadImage(absPath, this.dir, where, `illustration "${id}"`)) };
      } catch (err) {
        if (err instanceof HandoutError && err.code === 'ASSET_MISSING') continue;
        throw err;
      }
    }
    throw new HandoutError('ASSET_MISSING', 'illustration', { id, folder: displayPath(this.dir) }, { where });
  }
}

/**
 * Reads an image that must stay inside `root`, be a regular file of sane size and be
 * what its extension says, and, for an SVG, hold no text, link nothing outside itself and
 * parse; returns it as a data: URL. `where` is the YAML position that named it, `subject`
 * what the image is to the handout (`illustration "knee-hug"`, `the logo`).
 */
export async function loadImage(
  absPath: string,
  root: string,
  where: SourcePosition,
  subject = 'the image',
): Promise<{ file: string; dataUrl: string }> {
  const file = displayPath(absPath);
  const ext = path.extname(absPath).slice(1).toLowerCase() as keyof typeof MIME;
  if (!(ext in MIME)) throw new HandoutError('ASSET_UNSAFE', 'notAnImage', { file }, { where });
  await checkRegularFile(absPath, file, { maxBytes: MAX_ILLUSTRATION_BYTES, root, where });
  const bytes = await readFile(absPath);
  checkMagic(bytes, ext, file, where);
  if (ext === 'svg') {
    const problems = checkSvg(bytes.toString('utf8'));
    if (problems.length) throw svgError(problems, subject, file, where);
  }
  return { file, dataUrl: `data:${MIME[ext]};base64,${bytes.toString('base64')}` };
}

/** The file must be what its extension says: a renamed HTML page is not an illustration. */
function checkMagic(bytes: Buffer, ext: string, file: string, where: SourcePosition): void {
  const head = bytes.subarray(0, 512).toString('utf8').replace(/^\uFEFF/, '').trimStart();
  const ok =
    ext === 'svg'
      ? /^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/i.test(head)
      : ext === 'png'
        ? bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
        : bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  if (!ok) {
    throw new HandoutError('ASSET_UNSAFE', 'invalid', { file, ext }, { where });
  }
}

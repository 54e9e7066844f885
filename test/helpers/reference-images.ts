/**
 * Reference images of printed pages: page 1 rasterised by poppler's pdftoppm at 50 dpi,
 * compared with a committed PNG by pixelmatch, within a tolerance.
 *
 * The committed PNGs are small (25–36 KB for the shipped sheets, against 80–120 KB as
 * pdftoppm writes them): each channel is rounded to a multiple of 8 (at most 4 levels off,
 * a colour difference far below what the comparison counts, and it counts none of it on
 * the shipped sheets), which leaves under 256 colours, stored as an indexed PNG. A page
 * is always quantized the same way before it is compared, so an unchanged page matches
 * its reference exactly.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import { ROOT } from './cli.js';
import { rasterise, type Raster } from './visual.js';

export const REFERENCES_DIR = path.join(ROOT, 'test', 'references');
/** Where a failed comparison leaves the actual page and the diff (gitignored). */
export const DIFFS_DIR = path.join(ROOT, '.vitest-tmp', 'reference-diffs');
export const UPDATE_COMMAND = 'npm run test:references';
/** Records which rasteriser drew the references: another version may draw text differently. */
export const RASTERISER_FILE = 'rasteriser.txt';

/** 50 dpi: a Letter page is 425 × 550 px, A4 414 × 585 px. */
export const DPI = 50;
/**
 * pixelmatch's per-pixel colour threshold (its default). Measured on the shipped sheets:
 * two builds give byte-identical PDFs and 0 differing pixels, so the threshold and the
 * tolerance only leave room for a rasteriser that anti-aliases slightly differently.
 */
export const THRESHOLD = 0.1;
/**
 * Share of the page's pixels that may differ: 0.05 % (116 px on Letter, 121 px on A4),
 * half the smallest visible change measured (the clinic logo hidden: 253 px, 0.11 %;
 * the QR code hidden 0.27 %; a 0.1 mm shift of the margins 5–7 %).
 */
export const TOLERANCE = 0.0005;

/** Page 1 of a PDF as the references store it. */
export function rasterisePage(pdf: string): Raster {
  return quantize(rasterise(pdf, DPI));
}

/** Each colour channel rounded to a multiple of `step`; alpha opaque. */
function quantize(raster: Raster, step = 8): Raster {
  const data = Buffer.from(raster.data);
  for (let i = 0; i < data.length; i += 4) {
    for (let c = 0; c < 3; c++) data[i + c] = Math.min(255, Math.round(data[i + c]! / step) * step);
    data[i + 3] = 255;
  }
  return { width: raster.width, height: raster.height, data };
}

/** An indexed (palette) PNG when the page has at most 256 colours, else an RGB one. */
export function encodePng(raster: Raster): Buffer {
  const { width, height, data } = raster;
  const palette = new Map<number, number>();
  // One filter byte (0: none, the smallest for text on white) before each row of indices.
  const rows = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height && palette.size <= 256; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const colour = (data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!;
      let index = palette.get(colour);
      if (index === undefined) palette.set(colour, (index = palette.size));
      rows[y * (width + 1) + 1 + x] = index;
    }
  }
  if (palette.size > 256) {
    const png = new PNG({ width, height });
    data.copy(png.data);
    return PNG.sync.write(png, { colorType: 2, deflateLevel: 9 });
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 3; // colour type: indexed
  const colours = Buffer.alloc(palette.size * 3);
  for (const [colour, index] of palette) colours.writeUIntBE(colour, index * 3, 3);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('PLTE', colours),
    chunk('IDAT', zlib.deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, body: Buffer): Buffer {
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), body]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

export function decodePng(file: string): Raster {
  const png = PNG.sync.read(readFileSync(file));
  return { width: png.width, height: png.height, data: png.data };
}

/** "pdftoppm version 22.12.0" */
export function rasteriserVersion(): string {
  const run = spawnSync('pdftoppm', ['-v'], { encoding: 'utf8' });
  return `${run.stderr ?? ''}${run.stdout ?? ''}`.trim().split('\n')[0] ?? 'pdftoppm (unknown version)';
}

export interface Comparison {
  ok: boolean;
  /** Pixels that differ, when the sizes match. */
  differing: number | null;
  /** Why it failed, naming the files written and the update command; '' when ok. */
  message: string;
}

/**
 * Compares a page with test/references/<name>.png. On a mismatch, writes
 * <diffsDir>/<name>.actual.png and (same size) <name>.diff.png, and says so.
 */
export function compareWithReference(
  name: string,
  actual: Raster,
  options: { referencesDir?: string; diffsDir?: string } = {},
): Comparison {
  const referencesDir = options.referencesDir ?? REFERENCES_DIR;
  const diffsDir = options.diffsDir ?? DIFFS_DIR;
  const referenceFile = path.join(referencesDir, `${name}.png`);
  // Inside the repository relative to it (where npm runs), elsewhere in full.
  const shown = (file: string) => (path.relative(ROOT, file).startsWith('..') ? file : path.relative(ROOT, file));
  const update = `If the change is intended, update the references: ${UPDATE_COMMAND}`;
  const writeActual = () => {
    mkdirSync(diffsDir, { recursive: true });
    const file = path.join(diffsDir, `${name}.actual.png`);
    writeFileSync(file, encodePng(actual));
    return file;
  };
  let reference: Raster;
  try {
    reference = decodePng(referenceFile);
  } catch {
    const file = writeActual();
    return { ok: false, differing: null, message: `${name}: no reference image ${shown(referenceFile)} (this page: ${shown(file)}). To add it: ${UPDATE_COMMAND}` };
  }
  if (reference.width !== actual.width || reference.height !== actual.height) {
    const file = writeActual();
    return {
      ok: false,
      differing: null,
      message:
        `${name}: the page is ${actual.width} × ${actual.height} px at ${DPI} dpi, its reference ${shown(referenceFile)} is ` +
        `${reference.width} × ${reference.height} px: a different page size or shape (Letter is 425 × 550 px, A4 414 × 585 px). ` +
        `This page: ${shown(file)}. ${update}`,
    };
  }
  const { width, height } = actual;
  const diff = new PNG({ width, height });
  const differing = pixelmatch(reference.data, actual.data, diff.data, width, height, { threshold: THRESHOLD });
  const allowed = Math.floor(width * height * TOLERANCE);
  if (differing <= allowed) return { ok: true, differing, message: '' };
  const file = writeActual();
  const diffFile = path.join(diffsDir, `${name}.diff.png`);
  writeFileSync(diffFile, PNG.sync.write(diff));
  const percent = (n: number) => `${((100 * n) / (width * height)).toFixed(2)} %`;
  const made = readRasteriser(referencesDir);
  const here = rasteriserVersion();
  const rasteriserNote = made && made !== here ? ` The references were drawn by ${made}, this machine has ${here}: a different rasteriser draws text differently, so regenerate them where the tests run.` : '';
  return {
    ok: false,
    differing,
    message:
      `${name}: ${differing} pixels (${percent(differing)}) differ from ${shown(referenceFile)}, over the tolerance of ${allowed} (${percent(allowed)}). ` +
      `This page: ${shown(file)}; the differences in red: ${shown(diffFile)}.${rasteriserNote} ${update}`,
  };
}

export function readRasteriser(referencesDir = REFERENCES_DIR): string | null {
  try {
    return readFileSync(path.join(referencesDir, RASTERISER_FILE), 'utf8').trim();
  } catch {
    return null;
  }
}

/**
 * Looking at a page as a person would: rasterise it (pdftoppm) and measure what is seen.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';

export interface Raster {
  width: number;
  height: number;
  data: Buffer;
}

export function rasterise(pdf: string, dpi = 40, options: { gray?: boolean } = {}): Raster {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'handout-raster-'));
  try {
    execFileSync('pdftoppm', ['-png', '-r', String(dpi), '-f', '1', '-l', '1', '-singlefile', ...(options.gray ? ['-gray'] : []), pdf, path.join(dir, 'page')]);
    const png = PNG.sync.read(readFileSync(path.join(dir, 'page.png')));
    return { width: png.width, height: png.height, data: png.data };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Share of the page (0–1) whose colour is within `tolerance` of `hex`. */
export function colourShare(raster: Raster, hex: string, tolerance = 12): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
  let count = 0;
  for (let i = 0; i < raster.data.length; i += 4) {
    if (Math.abs(raster.data[i]! - r) <= tolerance && Math.abs(raster.data[i + 1]! - g) <= tolerance && Math.abs(raster.data[i + 2]! - b) <= tolerance) count++;
  }
  return count / (raster.width * raster.height);
}

/**
 * Whether the page shows the safety warning as a box a reader cannot miss: a tinted
 * panel of real size, outlined above and below by a border that stays dark when the page
 * is printed in greyscale.
 */
export function warningBoxVisible(pdf: string): boolean {
  // 80 dpi: a 2.4 pt border is then about three pixels, at least one of them solid.
  const colour = rasterise(pdf, 80);
  const gray = rasterise(pdf, 80, { gray: true });
  const isPanel = (i: number) =>
    Math.abs(colour.data[i]! - 0xfd) <= 4 && Math.abs(colour.data[i + 1]! - 0xf0) <= 4 && Math.abs(colour.data[i + 2]! - 0xef) <= 4;
  // The panel: the band of rows mostly in the panel tint (stray anti-aliased pixels elsewhere ignored).
  const rows = Array.from({ length: colour.height }, (_, y) => {
    let n = 0;
    for (let x = 0; x < colour.width; x++) if (isPanel((y * colour.width + x) * 4)) n++;
    return n;
  });
  const widest = Math.max(...rows);
  const band = rows.flatMap((n, y) => (n >= widest * 0.5 ? [y] : []));
  const [top, bottom] = [band[0] ?? 0, band.at(-1) ?? 0];
  if (widest < colour.width * 0.5 || bottom - top < colour.height * 0.03) return false;
  let [left, right] = [colour.width, 0];
  for (let x = 0; x < colour.width; x++) {
    if (isPanel(((top + 1) * colour.width + x) * 4)) [left, right] = [Math.min(left, x), Math.max(right, x)];
  }
  const darkRow = (y: number) => {
    if (y < 0 || y >= gray.height) return false;
    let dark = 0;
    for (let x = left; x <= right; x++) if (gray.data[(y * gray.width + x) * 4]! < 110) dark++;
    return dark >= (right - left + 1) * 0.8;
  };
  const near = (y: number, step: number) => [1, 2, 3].some((d) => darkRow(y + d * step));
  return near(top, -1) && near(bottom, 1);
}

/**
 * Notices when any file below some folders changes: a handout, a catalog, a template, an
 * illustration, clinic.yaml.
 *
 * It polls (a stat of every file, five times a second) rather than using fs.watch: a
 * project is tens of files, and polling sees every way editors save (write in place,
 * write-and-rename, delete-and-create) on every platform, where recursive fs.watch on
 * Linux misses renamed-over files and new folders in some Node versions.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

export interface FileWatcher {
  /** Changes each time something below the folders changes. */
  readonly version: number;
  close(): void;
}

export function watchFiles(dirs: readonly string[], intervalMs = 200): FileWatcher {
  let version = 0;
  let last: string | null = null;
  let running = false;
  let closed = false;
  const tick = async () => {
    if (running || closed) return;
    running = true;
    try {
      const now = (await Promise.all(dirs.map(signature))).join('\n');
      if (last !== null && now !== last) version++;
      last = now;
    } finally {
      running = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return {
    get version() {
      return version;
    },
    close: () => {
      closed = true;
      clearInterval(timer);
    },
  };
}

/**
 * Every file's path, inode, size and change times: what changes when a file is saved
 * (the inode and ctime catch a same-size save within one coarse mtime tick).
 */
async function signature(dir: string): Promise<string> {
  let entries;
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch {
    return `${dir}: missing`;
  }
  const files = entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
  const lines = await Promise.all(
    files.map(async (file) => {
      try {
        const s = await stat(file);
        return `${file} ${s.ino} ${s.size} ${s.mtimeMs} ${s.ctimeMs}`;
      } catch {
        return `${file} gone`;
      }
    }),
  );
  return lines.sort().join('\n');
}

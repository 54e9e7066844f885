/**
 * The dev server's watcher sees every way an editor saves, in folders that exist at start
 * and in ones made later, and reports a deleted file (Node 20's recursive fs.watch on Linux
 * does not).
 */
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchFiles, type FileWatcher } from '../../src/dev/watch-files.js';

describe('watchFiles', () => {
  let dir: string;
  let watcher: FileWatcher;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'handout-watch-'));
    await mkdir(path.join(dir, 'content/en'), { recursive: true });
    await writeFile(path.join(dir, 'content/en/knee.yaml'), 'title: Knee\n');
    watcher = watchFiles([path.join(dir, 'content'), path.join(dir, 'templates-missing')]);
    await watcher.ready;
  });
  afterAll(async () => {
    await watcher.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Resolves once the version moves past `before`; fails after 2 s. */
  async function changed(action: () => Promise<void>): Promise<void> {
    const before = watcher.version;
    await action();
    const deadline = Date.now() + 2000;
    while (watcher.version === before) {
      if (Date.now() > deadline) throw new Error('no change seen within 2 s');
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  const file = (rel: string) => path.join(dir, 'content', rel);

  it('sees a save in place', () => changed(() => writeFile(file('en/knee.yaml'), 'title: Knee hug\n')));
  it('sees write-and-rename (vim, VS Code, most editors)', () =>
    changed(async () => {
      await writeFile(file('en/.knee.yaml.tmp'), 'title: Knee hug!\n');
      await rename(file('en/.knee.yaml.tmp'), file('en/knee.yaml'));
    }));
  it('sees a deleted file', () => changed(() => rm(file('en/knee.yaml'))));
  it('sees a new file', () => changed(() => writeFile(file('en/knee.yaml'), 'title: Knee\n')));
  it('sees a new locale folder, and files saved in it later', async () => {
    await changed(async () => void (await mkdir(file('es'), { recursive: true })));
    await changed(() => writeFile(file('es/rodilla.yaml'), 'title: Rodilla\n'));
    await changed(() => writeFile(file('es/rodilla.yaml'), 'title: Rodilla sana\n'));
  });
  it('moves after the last of two saves 10 ms apart (chokidar drops the second change to a file within 50 ms)', async () => {
    await writeFile(file('en/knee.yaml'), 'title: Knee A\n');
    await new Promise((r) => setTimeout(r, 10));
    await writeFile(file('en/knee.yaml'), 'title: Knee B\n');
    const atSecondSave = watcher.version;
    const deadline = Date.now() + 2000;
    while (watcher.version === atSecondSave) {
      if (Date.now() > deadline) throw new Error('the second save was not seen');
      await new Promise((r) => setTimeout(r, 5));
    }
  });
  it('stays still while nothing changes', async () => {
    const before = watcher.version;
    await new Promise((r) => setTimeout(r, 300));
    expect(watcher.version).toBe(before);
  });
});

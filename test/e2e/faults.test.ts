/**
 * Browser faults and interruptions never lose work: a killed browser or crashed page is
 * relaunched and the document retried; SIGTERM stops cleanly; SIGKILL at any moment
 * leaves only complete PDFs and no Chromium behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, copyInto, FIXTURES, listFiles, removeDir, tempDir } from '../helpers/cli.js';
import { qpdfCheck } from '../helpers/pdf.js';
import { alive, commandLine, descendants, waitFor } from '../helpers/processes.js';

const HANDOUTS = 12;

function start(dir: string, ...args: string[]): { child: ChildProcess; done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }> } {
  const child = spawn(process.execPath, [CLI, 'build', '--content', 'content', '--out', 'out', '--concurrency', '2', ...args], { cwd: dir });
  let stdout = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.resume();
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }>((resolve) =>
    // 'close', not 'exit': a process can exit before its output has been read from the pipe
    // (it once came back empty here, with exit code 0).
    child.on('close', (code, signal) => resolve({ code, signal, stdout })),
  );
  return { child, done };
}

const pdfsIn = async (dir: string) => (await listFiles(dir)).filter((f) => f.endsWith('.pdf'));
const chromiumOf = (pid: number) => descendants(pid).filter((p) => /chrom/i.test(commandLine(p)));

describe('browser faults and interruptions', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir();
    await copyInto(path.join(FIXTURES, 'other-clinic'), path.join(dir, 'content'));
    const source = await readFile(path.join(dir, 'content/en/knee-hug.yaml'), 'utf8');
    for (let i = 1; i < HANDOUTS - 1; i++) await writeFile(path.join(dir, `content/en/knee-hug-${i}.yaml`), source);
  });
  afterAll(() => removeDir(dir));

  it('relaunches a browser killed mid-batch and retries, building every handout', async () => {
    const { child, done } = start(dir, '--force');
    expect(await waitFor(() => chromiumOf(child.pid!).length > 0, 10_000)).toBe(true);
    await waitFor(() => false, 1200);
    // The browser's main process is the Chromium that is the CLI's own child.
    const browser = chromiumOf(child.pid!).find((p) => descendants(child.pid!).includes(p) && !/--type=/.test(commandLine(p)));
    expect(browser).toBeDefined();
    process.kill(browser!, 'SIGKILL');
    const run = await done;
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^${HANDOUTS} passed, 0 failed`, 'm'));
    for (const pdf of await pdfsIn(path.join(dir, 'out'))) expect(qpdfCheck(path.join(dir, 'out', pdf)), pdf).toBe(true);
  });

  it('retries a document whose page crashed', async () => {
    const { child, done } = start(dir, '--force', '--timeout', '10');
    expect(await waitFor(() => chromiumOf(child.pid!).some((p) => /--type=renderer/.test(commandLine(p))), 10_000)).toBe(true);
    await waitFor(() => false, 800);
    for (const p of chromiumOf(child.pid!).filter((p) => /--type=renderer/.test(commandLine(p)))) process.kill(p, 'SIGKILL');
    const run = await done;
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^${HANDOUTS} passed, 0 failed`, 'm'));
  });

  it('stops cleanly on SIGTERM: exit 143, finished PDFs intact, no temp files, no Chromium left', async () => {
    const { child, done } = start(dir, '--force');
    await waitFor(() => chromiumOf(child.pid!).length > 0, 10_000);
    await waitFor(() => false, 1500);
    const browsers = chromiumOf(child.pid!);
    child.kill('SIGTERM');
    const run = await done;
    expect(run.code).toBe(143);
    expect(await waitFor(() => browsers.every((p) => !alive(p)), 5000)).toBe(true);
    for (const pdf of await pdfsIn(path.join(dir, 'out'))) expect(qpdfCheck(path.join(dir, 'out', pdf)), pdf).toBe(true);
    expect((await readdir(path.join(dir, 'out/en'))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it("never hands the caller's secrets to Chromium", async () => {
    const token = `secret-${Math.random().toString(36).slice(2)}`;
    const child = spawn(process.execPath, [CLI, 'build', '--content', 'content', '--out', 'out', '--force'], {
      cwd: dir,
      env: { ...process.env, SECRET_ENV: token, HANDOUT_SMTP_URL: `smtp://user:${token}@127.0.0.1:1` },
      stdio: 'ignore',
    });
    const done = new Promise((resolve) => child.on('exit', resolve));
    expect(await waitFor(() => chromiumOf(child.pid!).length > 0, 10_000)).toBe(true);
    const environments = chromiumOf(child.pid!).map((pid) => {
      try {
        return readFileSync(`/proc/${pid}/environ`, 'utf8');
      } catch {
        return '';
      }
    });
    await done;
    expect(environments.some((e) => e.length > 0)).toBe(true);
    expect(environments.filter((e) => e.includes(token))).toEqual([]);
  });

  it('leaves only complete PDFs and no Chromium after SIGKILL at random moments, 20 times', async () => {
    let invalid = 0;
    for (let kill = 0; kill < 20; kill++) {
      const { child, done } = start(dir, '--force');
      await waitFor(() => false, 300 + Math.random() * 2500);
      const browsers = chromiumOf(child.pid!);
      child.kill('SIGKILL');
      await done;
      // Chromium talks to the CLI over a pipe: when the CLI dies, it exits too.
      expect(await waitFor(() => browsers.every((p) => !alive(p)), 5000), `kill ${kill}: Chromium outlived the CLI`).toBe(true);
      for (const pdf of await pdfsIn(path.join(dir, 'out'))) if (!qpdfCheck(path.join(dir, 'out', pdf))) invalid++;
    }
    expect(invalid).toBe(0);
    // The next run cleans up whatever temp files the kills left, and builds everything.
    const { done } = start(dir);
    const run = await done;
    expect(run.code).toBe(0);
    expect((await readdir(path.join(dir, 'out/en'))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(await pdfsIn(path.join(dir, 'out'))).toHaveLength(HANDOUTS);
  }, 240_000);
});

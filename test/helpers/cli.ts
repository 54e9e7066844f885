/**
 * Runs the real `handout` CLI (the compiled dist/cli.js, as users run it) in a subprocess.
 */
import { execFile, spawn } from 'node:child_process';
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = path.join(ROOT, 'dist', 'cli.js');
export const CONTENT = path.join(ROOT, 'content');
export const TEMPLATES = path.join(ROOT, 'templates');
export const FIXTURES = path.join(ROOT, 'test', 'fixtures');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { cwd: options.cwd ?? ROOT, env: { ...process.env, ...options.env }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** A fresh temp folder, removed by the returned cleanup. */
export async function tempDir(prefix = 'handout-test-'): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

export async function removeDir(dir: string): Promise<void> {
  // A browser killed just before may still have a process writing into its profile folder.
  await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
}

/** Copies a fixture folder (or the repo's templates/content) into a temp folder to modify. */
export async function copyInto(from: string, to: string): Promise<string> {
  await cp(from, to, { recursive: true });
  return to;
}

/**
 * The handout documents below an output folder (<locale>/<name>.pdf and .html), relative
 * to it, sorted: the site index, thumbnails and the hidden cache manifest left out.
 */
export async function listFiles(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries
      .filter((e) => e.isFile() && !e.name.startsWith('.'))
      .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
      .filter((f) => /^[^/]+\/[^/]+\.(pdf|html)$/.test(f))
      .sort();
  } catch {
    return [];
  }
}

/** A temp folder holding a copy of a content fixture (as content/) and of the templates. */
export async function fixtureWorkspace(fixture: string): Promise<string> {
  const dir = await tempDir();
  await copyInto(path.join(FIXTURES, fixture), path.join(dir, 'content'));
  await copyInto(TEMPLATES, path.join(dir, 'templates'));
  return dir;
}

/** `handout dev` on a copy of the shipped content and templates, on a free port. */
export interface DevServer {
  /** The workspace: content/ and templates/ the server watches. */
  dir: string;
  /** http://127.0.0.1:<port>/ */
  url: string;
  /** Everything it printed so far. */
  log(): string;
  /** Stops it (SIGTERM) and removes the workspace; resolves to its exit code. */
  stop(): Promise<number | null>;
}

export async function startDevServer(options: { env?: NodeJS.ProcessEnv; args?: string[] } = {}): Promise<DevServer> {
  const dir = await tempDir();
  await copyInto(CONTENT, path.join(dir, 'content'));
  await copyInto(TEMPLATES, path.join(dir, 'templates'));
  const server = spawn(process.execPath, [CLI, 'dev', '--port', '0', '--content', 'content', '--templates', 'templates', ...(options.args ?? [])], {
    cwd: dir,
    env: { ...process.env, ...options.env },
  });
  let log = '';
  server.stderr!.on('data', (d: Buffer) => (log += d));
  const url = await new Promise<string>((resolve, reject) => {
    server.stdout!.on('data', (d: Buffer) => {
      log += d;
      const found = /handout dev: (http:\/\/\S+\/)/.exec(log)?.[1];
      if (found) resolve(found);
    });
    server.once('exit', (code) => reject(new Error(`dev server exited (${code}): ${log}`)));
  });
  return {
    dir,
    url,
    log: () => log,
    async stop() {
      let code: number | null = server.exitCode;
      if (code === null) {
        const exited = new Promise<number | null>((resolve) => server.once('exit', resolve));
        server.kill('SIGTERM');
        code = await exited;
      }
      await removeDir(dir);
      return code;
    },
  };
}

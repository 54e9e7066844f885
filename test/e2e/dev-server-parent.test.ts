/**
 * `handout dev` started the way npx starts it, through a wrapper process: when the wrapper
 * is killed, the server and its Chromium stop too, and the port is free again. And a
 * closed terminal (SIGHUP) stops it as cleanly as Ctrl-C.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, FIXTURES, TEMPLATES, removeDir, tempDir, copyInto } from '../helpers/cli.js';
import { alive, commandLine, descendants, waitFor } from '../helpers/processes.js';

const started: ChildProcess[] = [];
const servers: number[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const child of started.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  // A server this test failed to see stop is not left behind (SIGTERM: it closes its Chromium).
  for (const pid of servers.splice(0)) if (alive(pid)) process.kill(pid, 'SIGTERM');
  for (const dir of dirs.splice(0)) await removeDir(dir);
});

/**
 * How a wrapper starts `handout dev`, sharing its output and staying alive, unaware of
 * signals it could pass on: directly (an editor's task runner), through `sh -c` as npm
 * runs commands (Debian's sh stays the server's parent), or npm itself (`npm exec -c`,
 * what `npx handout dev` runs).
 */
const WRAPPERS = {
  'a node process': (args: string[]) => [
    process.execPath,
    ['-e', `require('node:child_process').spawn(process.execPath, ${JSON.stringify(args)}, { stdio: 'inherit' }); setInterval(() => {}, 60000);`],
  ],
  'a node process through sh -c': (args: string[]) => [
    process.execPath,
    ['-e', `require('node:child_process').spawn('sh', ['-c', ${JSON.stringify(shellLine(args))}], { stdio: 'inherit' }); setInterval(() => {}, 60000);`],
  ],
  'npm exec (npx)': (args: string[]) => ['npm', ['exec', '--offline', '--yes', '-c', shellLine(args)]],
} satisfies Record<string, (args: string[]) => [string, string[]]>;

function shellLine(args: string[]): string {
  return [process.execPath, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
}

/** Starts `handout dev` through a wrapper; resolves once the server listens. */
async function devThroughWrapper(kind: keyof typeof WRAPPERS = 'a node process'): Promise<{ wrapper: ChildProcess; server: number; port: number; output: () => string }> {
  const dir = await tempDir();
  dirs.push(dir);
  await copyInto(path.join(FIXTURES, 'other-clinic'), path.join(dir, 'content'));
  const [command, args] = WRAPPERS[kind]([CLI, 'dev', '--port', '0', '--content', 'content', '--templates', TEMPLATES]);
  const wrapper = spawn(command, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(wrapper);
  let output = '';
  wrapper.stderr!.on('data', (d: Buffer) => (output += d));
  const port = await new Promise<number>((resolve, reject) => {
    wrapper.stdout!.on('data', (d: Buffer) => {
      output += d;
      const found = /handout dev: http:\/\/127\.0\.0\.1:(\d+)\//.exec(output)?.[1];
      if (found) resolve(Number(found));
    });
    wrapper.once('exit', (code) => reject(new Error(`wrapper exited (${code}): ${output}`)));
  });
  // The server itself, not a shell that runs it.
  const [server] = descendants(wrapper.pid!).filter((pid) => commandLine(pid).startsWith(`${process.execPath} ${CLI} dev `));
  expect(server, 'the dev server process').toBeDefined();
  servers.push(server!);
  return { wrapper, server: server!, port, output: () => output };
}

/** A preview page: the server starts Chromium to measure the sheet's fit. */
function get(port: number, pathname: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: pathname }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
      })
      .on('error', reject);
  });
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/** The server's Chromium processes, once it has started them. */
async function chromiumOf(server: number, port: number): Promise<number[]> {
  expect(await get(port, '/en/knee-hug.html')).toBe(200);
  const browsers = descendants(server).filter((pid) => /chrom/i.test(commandLine(pid)));
  expect(browsers.length, 'Chromium started by the dev server').toBeGreaterThan(0);
  return browsers;
}

describe('handout dev and the process that started it', () => {
  it.each(Object.keys(WRAPPERS) as Array<keyof typeof WRAPPERS>)('stops, closing its Chromium and the port, when %s that started it is killed', async (kind) => {
    const { wrapper, server, port } = await devThroughWrapper(kind);
    const browsers = await chromiumOf(server, port);
    wrapper.kill('SIGKILL');
    const t0 = Date.now();
    expect(await waitFor(() => !alive(server) && browsers.every((pid) => !alive(pid)), 5000), 'server and Chromium gone within 5 s').toBe(true);
    expect(await listening(port)).toBe(false);
    // About a second to notice, then a clean close.
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('stops cleanly on SIGHUP (its terminal closed), closing its Chromium', async () => {
    const { server, port, output } = await devThroughWrapper();
    const browsers = await chromiumOf(server, port);
    process.kill(server, 'SIGHUP');
    expect(await waitFor(() => !alive(server) && browsers.every((pid) => !alive(pid)), 5000), 'server and Chromium gone within 5 s').toBe(true);
    expect(await listening(port)).toBe(false);
    expect(output()).not.toMatch(/internal error|Error:/);
  });
});

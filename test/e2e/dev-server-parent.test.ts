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
 * A wrapper that starts `handout dev` as npx does (a child sharing its output) and stays
 * alive, unaware of signals it could pass on. Resolves once the server listens.
 */
async function devThroughWrapper(): Promise<{ wrapper: ChildProcess; server: number; port: number; output: () => string }> {
  const dir = await tempDir();
  dirs.push(dir);
  await copyInto(path.join(FIXTURES, 'other-clinic'), path.join(dir, 'content'));
  const args = [CLI, 'dev', '--port', '0', '--content', 'content', '--templates', TEMPLATES];
  const wrapper = spawn(
    process.execPath,
    ['-e', `require('node:child_process').spawn(process.execPath, ${JSON.stringify(args)}, { stdio: 'inherit' }); setInterval(() => {}, 60000);`],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
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
  const [server] = descendants(wrapper.pid!).filter((pid) => commandLine(pid).includes(' dev '));
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
  it('stops, closing its Chromium and the port, when the wrapper that started it is killed', async () => {
    const { wrapper, server, port } = await devThroughWrapper();
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

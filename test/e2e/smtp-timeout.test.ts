/**
 * `handout email --send` against SMTP servers on loopback that go silent: one that takes the
 * connection and never says a word, one that greets and then never answers MAIL FROM, and
 * one that reads the whole message and never confirms it. The real CLI gives up after
 * HANDOUT_SMTP_TIMEOUT (shortened to 2 s here; 20 s by default) plus start-up, not after
 * nodemailer's own 2 and 10 minutes, says which step timed out and whether the message may
 * have gone, exits 2 with an [EMAIL] error and no stack trace, and leaves no process behind.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smtpTimeoutMs } from '../../src/email/send-email.js';
import { CLI, removeDir, ROOT, runCli, tempDir } from '../helpers/cli.js';

const TIMEOUT_S = 2;
/** What a run takes besides the wait (Node's start-up, the build cache's check), measured. */
let overheadMs: number;
/** Slack on top of that, for a busy runner. */
const SLACK_MS = 3_000;

interface TimedRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** Whether anything of the CLI's process group was still running once it exited. */
  leftBehind: boolean;
}

let dir: string;
const out = () => path.join(dir, 'out');

/** The CLI in a process group of its own, timed from spawn to exit. */
function sendThrough(port: number, env: NodeJS.ProcessEnv = { HANDOUT_SMTP_TIMEOUT: String(TIMEOUT_S) }): Promise<TimedRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [CLI, 'email', 'lower-back-relief', '--out', out(), '--to', 'patient@example.test', '--send'], {
      cwd: ROOT,
      env: { ...process.env, HANDOUT_SMTP_URL: `smtp://127.0.0.1:${port}`, ...env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = performance.now() - started;
      let leftBehind = true;
      try {
        process.kill(-child.pid!, 0);
      } catch {
        leftBehind = false;
      }
      if (leftBehind) process.kill(-child.pid!, 'SIGKILL');
      // stdio closes just after exit.
      child.on('close', () => resolve({ code, stdout, stderr, ms, leftBehind }));
    });
  });
}

function expectCleanEmailError(run: TimedRun) {
  expect(run.code).toBe(2);
  expect(run.leftBehind).toBe(false);
  expect(run.stderr).toMatch(/\[EMAIL\]\n {2}hint: .*each step may take 2 s \(HANDOUT_SMTP_TIMEOUT\)\.\n$/);
  expect(run.stderr).not.toMatch(/^\s+at /m);
  expect(run.stderr).not.toContain('internal error');
  // The step's own wait, then no more than start-up.
  expect(run.ms).toBeGreaterThanOrEqual(TIMEOUT_S * 1000);
  expect(run.ms).toBeLessThan(TIMEOUT_S * 1000 + overheadMs + SLACK_MS);
}

/** An SMTP server that lets `stall` hold a command's callback forever. */
async function stallingServer(stall: 'mail' | 'data'): Promise<{ server: SMTPServer; port: number; delivered: () => number }> {
  let delivered = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    closeTimeout: 1_000,
    onMailFrom(_address, _session, callback) {
      if (stall !== 'mail') callback();
    },
    onData(stream, _session, callback) {
      stream.on('end', () => {
        if (stall !== 'data') {
          delivered++;
          callback();
        }
      });
      stream.resume();
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.server.address() as AddressInfo).port, delivered: () => delivered };
}

describe('handout email --send against a silent server', () => {
  beforeAll(async () => {
    dir = await tempDir();
    // Build the PDF once (a dry run), so that the runs below time the SMTP exchange alone.
    const dry = await runCli(['email', 'lower-back-relief', '--out', out(), '--to', 'patient@example.test']);
    expect(dry.code).toBe(0);
    // The same run against a port nobody listens on fails at once: what is not waiting.
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const refused = await sendThrough(port);
    expect(refused.stderr).toContain('the connection was refused [EMAIL]');
    overheadMs = refused.ms;
  });
  afterAll(async () => {
    await removeDir(dir);
  });

  it('gives up on a server that takes the connection and never greets', async () => {
    const sockets = new Set<net.Socket>();
    /** Connections the client has not hung up on. */
    const open = new Set<net.Socket>();
    // allowHalfOpen: like a hung server, it never closes its side when the client does.
    const silent = net.createServer({ allowHalfOpen: true }, (socket) => {
      sockets.add(socket);
      open.add(socket);
      socket.on('end', () => open.delete(socket));
      socket.on('close', () => open.delete(socket));
      socket.on('error', () => {});
      socket.resume();
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const run = await sendThrough((silent.address() as AddressInfo).port);
      expect(run.stderr).toMatch(
        /^✗ could not send the message through 127\.0\.0\.1:\d+: timed out waiting for the server's greeting \(it took the connection, then said nothing\), after 2(\.\d)? s; nothing was sent \[EMAIL\]$/m,
      );
      expect(run.stderr).toContain('hint: Check that HANDOUT_SMTP_URL names an SMTP server and its port');
      expectCleanEmailError(run);
      // The client hung up: it connected once, and left no connection open.
      expect(sockets.size).toBe(1);
      await expect.poll(() => open.size, { timeout: 2_000 }).toBe(0);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('gives up on a server that greets, then never answers MAIL FROM', async () => {
    const { server, port, delivered } = await stallingServer('mail');
    try {
      const run = await sendThrough(port);
      expect(run.stderr).toMatch(
        /^✗ could not send the message through 127\.0\.0\.1:\d+: timed out waiting for the server's answer to MAIL FROM, after 2(\.\d)? s; nothing was sent \[EMAIL\]$/m,
      );
      expect(run.stderr).toContain('hint: The server may be overloaded or down');
      expectCleanEmailError(run);
      expect(delivered()).toBe(0);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('says the message may have gone when the server read all of it and never confirmed it', async () => {
    const { server, port } = await stallingServer('data');
    try {
      const run = await sendThrough(port);
      expect(run.stderr).toMatch(
        /^✗ the message went to 127\.0\.0\.1:\d+, but timed out waiting for the server to confirm it, after 2(\.\d)? s: it may or may not have been delivered \[EMAIL\]$/m,
      );
      expect(run.stderr).toContain("hint: Check the clinic's sent mail or ask the patient before sending it again");
      expect(run.stderr).not.toContain('nothing was sent');
      expectCleanEmailError(run);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('refuses a HANDOUT_SMTP_TIMEOUT that is not a number of seconds, before connecting', async () => {
    let connected = false;
    const server = net.createServer((socket) => {
      connected = true;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      for (const value of ['soon', '0']) {
        const run = await sendThrough((server.address() as AddressInfo).port, { HANDOUT_SMTP_TIMEOUT: value });
        expect(run.code).toBe(2);
        expect(run.stderr).toContain(`HANDOUT_SMTP_TIMEOUT must be a number of seconds above 0 and at most 600, not "${value}" [USAGE]`);
      }
      expect(connected).toBe(false);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('waits 20 s a step by default, and HANDOUT_SMTP_TIMEOUT in seconds otherwise', () => {
    expect(smtpTimeoutMs(undefined)).toBe(20_000);
    expect(smtpTimeoutMs('')).toBe(20_000);
    expect(smtpTimeoutMs('60')).toBe(60_000);
    expect(smtpTimeoutMs('1.5')).toBe(1_500);
  });
});

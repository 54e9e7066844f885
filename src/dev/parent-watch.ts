/**
 * `handout dev` is often started through a wrapper: `npx handout dev`, `npm run`, an
 * editor's task runner. Killing the wrapper (its SIGTERM, SIGHUP or SIGKILL) does not
 * reach the server, which kept running with its Chromium, holding the port. The server
 * therefore watches the process that started it and stops when it is gone.
 *
 * npm runs a command through `sh -c`, and Debian's sh (dash) stays as the server's parent
 * instead of replacing itself: killing npx leaves that shell waiting for the server, so
 * the process watched is the one that started the shell. (On Linux, where this is read
 * from /proc; elsewhere only the parent, which is what macOS's sh leaves too.)
 *
 * A watched process is gone when it no longer answers signal 0, or, for the parent, when
 * our parent pid changed (the orphan was adopted by init or a subreaper). Polled: Node has
 * no event for it, and Linux's PR_SET_PDEATHSIG is out of its reach.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Calls `onGone` once, within about `intervalMs`, after the process that started this one has ended. Returns a function that stops watching. */
export function watchParent(onGone: () => void, intervalMs = 1000): () => void {
  const parent = process.ppid;
  const watched = starters(parent);
  const timer = setInterval(() => {
    if (process.ppid === parent && watched.every(answers)) return;
    clearInterval(timer);
    onGone();
  }, intervalMs);
  // Watching never keeps the process alive by itself.
  timer.unref();
  return () => clearInterval(timer);
}

/** The parent, and through `sh -c` wrappers the process that ran them. */
export function starters(parent: number): number[] {
  const chain = [parent];
  for (let pid = parent; chain.length < 4 && isShellWrapper(pid); ) {
    const next = parentOf(pid);
    if (next === null || next <= 1) break;
    chain.push((pid = next));
  }
  return chain;
}

const SHELLS = new Set(['sh', 'dash', 'bash', 'zsh', 'ash', 'ksh']);

/** `sh -c "…"`: a shell running one command for someone else (npm's script shell). */
function isShellWrapper(pid: number): boolean {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return SHELLS.has(path.basename(argv[0] ?? '')) && argv.includes('-c');
  } catch {
    return false;
  }
}

function parentOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

function answers(pid: number): boolean {
  if (pid <= 1) return true; // started by init (a container's entry point): nothing to outlive
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: alive, but another user's (a wrapper run through sudo).
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A killed process its own parent has not reaped yet still answers signal 0.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2] !== 'Z';
  } catch {
    return true;
  }
}

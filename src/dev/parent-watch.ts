/**
 * `handout dev` is often started through a wrapper: `npx handout dev`, `npm run`, an
 * editor's task runner. Killing the wrapper (its SIGTERM, SIGHUP or SIGKILL) does not
 * reach the server, which kept running with its Chromium, holding the port. The server
 * therefore watches the process that started it and stops when it is gone.
 *
 * A dead parent is seen two ways, polled (Node has no event for it, and Linux's
 * PR_SET_PDEATHSIG is out of reach): the parent's pid changed (the orphan was adopted by
 * init or a subreaper), or the parent no longer answers signal 0.
 */

/** Calls `onGone` once, within about `intervalMs`, after the parent process has ended. Returns a function that stops watching. */
export function watchParent(onGone: () => void, intervalMs = 1000): () => void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent && answers(parent)) return;
    clearInterval(timer);
    onGone();
  }, intervalMs);
  // Watching never keeps the process alive by itself.
  timer.unref();
  return () => clearInterval(timer);
}

function answers(pid: number): boolean {
  if (pid <= 1) return true; // started by init (a container's entry point): nothing to outlive
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: alive, but another user's (a wrapper run through sudo).
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// The error classes alone: puppeteer-core's index costs a quarter of a no-op rebuild to load,
// and a build with nothing to print never needs it. The same module the index re-exports,
// so instanceof holds for the errors puppeteer throws.
import { ProtocolError, TimeoutError } from 'puppeteer-core/internal/common/Errors.js';

/** A deadline of ours passed: told apart by its type, not by the words of its message. */
export class DeadlineError extends Error {
  override name = 'DeadlineError';
}

/** Rejects with a DeadlineError ("<what> timed out after <ms> ms") if `work` has not settled after `ms`. */
export async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(`${what} timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Whether an error is a deadline passing: ours, puppeteer's (page.pdf's `timeout`, waits),
 * or a DevTools call that got no answer in time. Puppeteer gives the last no type of its
 * own, only a ProtocolError saying it "timed out": that one is told by its words.
 */
export function isTimeout(err: unknown): boolean {
  return err instanceof DeadlineError || err instanceof TimeoutError || (err instanceof ProtocolError && /timed out/i.test(err.message));
}

/** Deadlines are told apart by type (print/with-timeout.ts), so a timeout is PRINT_TIMEOUT, not BROWSER. */
import { ProtocolError, TimeoutError } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { DeadlineError, isTimeout, withTimeout } from '../../src/print/with-timeout.js';

describe('withTimeout and isTimeout', () => {
  it('rejects with a DeadlineError that says what and after how long, and settles as the work does otherwise', async () => {
    const never = new Promise<never>(() => {});
    const late = withTimeout(never, 5, 'printing').catch((err: unknown) => err);
    const err = await late;
    expect(err).toBeInstanceOf(DeadlineError);
    expect(String(err)).toBe('DeadlineError: printing timed out after 5 ms');
    await expect(withTimeout(Promise.resolve(42), 1000, 'x')).resolves.toBe(42);
    await expect(withTimeout(Promise.reject(new Error('crashed')), 1000, 'x')).rejects.toThrow('crashed');
  });

  it("knows ours, puppeteer's and a DevTools call's timeouts, and nothing else, whatever its message says", () => {
    expect(isTimeout(new DeadlineError('x'))).toBe(true);
    expect(isTimeout(new TimeoutError('Waiting failed: 30000ms exceeded'))).toBe(true);
    expect(isTimeout(new ProtocolError('Runtime.callFunctionOn timed out. Increase the protocolTimeout setting'))).toBe(true);
    expect(isTimeout(new ProtocolError('Target closed'))).toBe(false);
    // A message that mentions a timeout is not one: a handout's text can say anything.
    expect(isTimeout(new Error('the page says "timed out"'))).toBe(false);
  });
});

/**
 * A bug is reported as a bug: anything other than a HandoutError thrown while a sheet is
 * prepared is INTERNAL, says it is not the handout's fault, and asks for a report; it is
 * never passed off as a mistake in the handout (it used to be reported as SCHEMA).
 */
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ERRORS, HandoutError, toHandoutError } from '../../src/errors.js';
import { FIXTURES, TEMPLATES } from '../helpers/cli.js';

afterEach(() => vi.restoreAllMocks());

describe('INTERNAL', () => {
  it('is what an injected bug in resolving a sheet reports, naming the sheet but not blaming it', async () => {
    // The bug: the platform's plural rules throw (resolve asks for them to word "Hold 20 seconds").
    vi.spyOn(Intl, 'PluralRules').mockImplementation(function () {
      throw new TypeError('injected bug');
    });
    // Fresh modules: the unit lane shares them between files (isolate: false), and a plural
    // rule cached by an earlier test would never meet the bug.
    vi.resetModules();
    const { prepareHandouts } = await import('../../src/build/prepare-handouts.js');
    const { HandoutError } = await import('../../src/errors.js');
    const prepared = await prepareHandouts({ contentDir: path.join(FIXTURES, 'other-clinic'), templatesDir: TEMPLATES, only: ['knee-hug'] });
    const [failure] = prepared.failures;
    expect(failure?.file).toBe(path.join('test', 'fixtures', 'other-clinic', 'en', 'knee-hug.yaml'));
    const [error] = failure!.errors;
    expect(error).toBeInstanceOf(HandoutError);
    expect(error!.code).toBe('INTERNAL');
    expect(String(error)).toMatch(/: internal error in handout \(not in this handout\): injected bug \[INTERNAL\]$/);
    expect(error!.hint).toBe(ERRORS.INTERNAL.hint);
  });

  it('keeps a HandoutError as it is, whatever code the caller would give the unexpected', () => {
    const own = new HandoutError('SCHEMA', 'field', { field: 'title', detail: 'expected text' });
    expect(toHandoutError(own, 'INTERNAL')).toBe(own);
    expect(toHandoutError(new Error('socket hang up'), 'BROWSER').message).toBe('socket hang up');
  });
});

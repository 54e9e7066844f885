/**
 * Finds the browser to print with, in this order: an explicit path (--chrome,
 * HANDOUT_CHROME, PUPPETEER_EXECUTABLE_PATH), then a system Chrome or Chromium.
 *
 * The tool drives the browser with puppeteer-core, which downloads nothing on install (a
 * download fails offline and warns in every clinic's install) and cannot find a Chrome
 * that puppeteer downloaded: such a one is used through --chrome or HANDOUT_CHROME.
 */
import { accessSync, constants } from 'node:fs';
import { HandoutError } from '../errors.js';

const SYSTEM_BROWSERS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
];

export interface FoundBrowser {
  path: string;
  /** How it was found, for --verbose and the report. */
  via: string;
}

export function findBrowser(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): FoundBrowser {
  const requested: Array<[string | undefined, string]> = [
    [explicit, '--chrome'],
    [env.HANDOUT_CHROME, 'HANDOUT_CHROME'],
    [env.PUPPETEER_EXECUTABLE_PATH, 'PUPPETEER_EXECUTABLE_PATH'],
  ];
  for (const [candidate, via] of requested) {
    if (!candidate) continue;
    if (isExecutable(candidate)) return { path: candidate, via };
    throw new HandoutError('BROWSER_NOT_FOUND', 'notExecutable', { via, path: candidate });
  }
  const system = SYSTEM_BROWSERS.find(isExecutable);
  if (system) return { path: system, via: 'system browser' };
  throw new HandoutError('BROWSER_NOT_FOUND', 'none');
}

function isExecutable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds the browser to print with, in this order: an explicit path (--chrome,
 * HANDOUT_CHROME, PUPPETEER_EXECUTABLE_PATH), the Chrome that puppeteer downloaded if
 * there is one, then a system Chrome or Chromium.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
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
    throw new HandoutError('BROWSER_NOT_FOUND', `${via} points at ${candidate}, which is not an executable browser`);
  }
  const downloaded = puppeteerDownload(env);
  if (downloaded) return { path: downloaded, via: 'puppeteer download' };
  const system = SYSTEM_BROWSERS.find(isExecutable);
  if (system) return { path: system, via: 'system browser' };
  throw new HandoutError('BROWSER_NOT_FOUND', 'no Chrome or Chromium found to print with', {
    hint:
      'Install one (Debian/Ubuntu: apt-get install chromium; macOS: install Google Chrome; or `npx puppeteer browsers install chrome`), ' +
      'or point --chrome or HANDOUT_CHROME at a Chrome/Chromium executable.',
  });
}

/**
 * Puppeteer's own Chrome, when one was downloaded. Loading puppeteer costs ~250 ms, a
 * quarter of a no-op rebuild, so it is only asked when its cache folder exists (a cache
 * folder set only in a .puppeteerrc is not looked for: pass --chrome then).
 */
function puppeteerDownload(env: NodeJS.ProcessEnv): string | undefined {
  if (!existsSync(env.PUPPETEER_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'puppeteer'))) return undefined;
  try {
    const puppeteer = createRequire(import.meta.url)('puppeteer') as typeof import('puppeteer');
    const p = puppeteer.executablePath();
    return isExecutable(p) ? p : undefined;
  } catch {
    return undefined;
  }
}

function isExecutable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
